/*
 * Tablas que el lector puede ordenar y filtrar en la página, sin red ni bibliotecas.
 *
 * Por qué así: las tablas llegan como HTML ya escrito (pei_analysis.presentation.html_table), que
 * se lee sin JavaScript, se imprime, entra en la búsqueda del sitio y conserva el ancla de cada
 * producto. Este script solo las mejora: un botón en cada encabezado para ordenar y una caja
 * para filtrar. Nunca escribe HTML (solo textContent y nodos creados), así que un texto de los
 * datos, como una descripción con «<script>», se sigue mostrando como texto.
 *
 * Las tablas escritas en Markdown con muchas columnas (las del anexo técnico) pasan, en un teléfono, a
 * una tarjeta por fila, como las que escriben los capítulos.
 *
 * Antes de imprimir despliega las secciones plegadas (la tabla de todos los productos del
 * resumen) para que el papel lo muestre todo, y las vuelve a plegar después.
 */
(function () {
  "use strict";

  var MIN_ROWS_TO_SORT = 2;
  var MIN_ROWS_TO_FILTER = 6;

  function normalize(text) {
    return (text || "")
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }

  function bodyRows(table) {
    var rows = [];
    Array.prototype.forEach.call(table.tBodies, function (tbody) {
      Array.prototype.forEach.call(tbody.rows, function (row) { rows.push(row); });
    });
    return rows;
  }

  var collator = new Intl.Collator("es", { numeric: true, sensitivity: "base" });

  /* The value a cell sorts by: data-valor (a raw number, the semáforo's rank) or its text. */
  function sortValue(cell) {
    if (!cell) return { empty: true };
    if (cell.hasAttribute("data-valor")) {
      var raw = cell.getAttribute("data-valor");
      if (raw === "") return { empty: true };
      return { number: parseFloat(raw) };
    }
    var text = cell.textContent.trim();
    return text === "" ? { empty: true } : { text: text };
  }

  function compare(a, b) {
    if ("number" in a && "number" in b) return a.number - b.number;
    return collator.compare(String("text" in a ? a.text : a.number), String("text" in b ? b.text : b.number));
  }

  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var tbody = table.tBodies[0];
    if (!head || !tbody) return;
    var rows = bodyRows(table);
    rows.forEach(function (row, i) { row.dataset.ordenOriginal = String(i); });
    var headers = Array.prototype.slice.call(head.cells);
    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "orden-boton";
      button.title = "Ordenar por esta columna (otro clic invierte el orden; un tercero lo restablece)";
      while (th.firstChild) button.appendChild(th.firstChild);
      var mark = document.createElement("span");
      mark.className = "orden-marca";
      mark.setAttribute("aria-hidden", "true");
      button.appendChild(mark);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        var next = current === "ascending" ? "descending" : current === "descending" ? "none" : "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        var sorted = bodyRows(table).slice();
        if (next === "none") {
          sorted.sort(function (a, b) { return a.dataset.ordenOriginal - b.dataset.ordenOriginal; });
        } else {
          th.setAttribute("aria-sort", next);
          var sign = next === "ascending" ? 1 : -1;
          sorted.sort(function (a, b) {
            var va = sortValue(a.cells[column]);
            var vb = sortValue(b.cells[column]);
            if (va.empty || vb.empty) {  // missing values always last
              if (va.empty && vb.empty) return a.dataset.ordenOriginal - b.dataset.ordenOriginal;
              return va.empty ? 1 : -1;
            }
            return sign * compare(va, vb) || a.dataset.ordenOriginal - b.dataset.ordenOriginal;
          });
        }
        sorted.forEach(function (row) { tbody.appendChild(row); });
      });
    });
  }

  function makeFilterable(table) {
    var rows = bodyRows(table);
    var container = table.closest(".tabla-contenedor") || table;
    var controls = document.createElement("div");
    controls.className = "tabla-controles";
    var label = document.createElement("label");
    label.className = "tabla-filtro";
    var caption = document.createElement("span");
    caption.textContent = "Filtrar filas";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "p. ej. vacunas, 12 o crítico";
    input.autocomplete = "off";
    input.spellcheck = false;
    label.appendChild(caption);
    label.appendChild(input);
    var count = document.createElement("output");
    count.className = "tabla-cuenta";
    count.setAttribute("aria-live", "polite");
    controls.appendChild(label);
    controls.appendChild(count);
    container.parentNode.insertBefore(controls, container);

    // What a row is searched by: its text plus its tooltips (a shortened description keeps the
    // whole one in its title).
    var texts = rows.map(function (row) {
      var titles = Array.prototype.map.call(row.querySelectorAll("[title]"), function (el) { return el.title; });
      return normalize(row.textContent + " " + titles.join(" "));
    });
    function update() {
      var terms = normalize(input.value).split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = terms.every(function (term) { return texts[i].indexOf(term) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (terms.length && shown === 0) {
        count.textContent = "Ninguna fila contiene «" + input.value.trim() + "»";
      } else {
        count.textContent = shown + " de " + rows.length + (rows.length === 1 ? " fila" : " filas");
      }
    }
    input.addEventListener("input", update);
    update();
  }

  /* A table written in Markdown (those of the technical appendix) with this many columns does not fit a
     phone: its columns scrolled out of sight. It becomes a «tabla-apilada», like the tables the chapters
     write (display.html_table(stacked=True)): libro.css shows each row as a card on a narrow screen, each
     cell after its column's heading; a wide screen and paper still see the table. Without this script the
     table stays as written and scrolls sideways. */
  var MIN_COLUMNS_TO_STACK = 5;
  var LONG_CELL = 40;

  function stackMarkdownTable(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head || head.cells.length < MIN_COLUMNS_TO_STACK) return;
    var labels = Array.prototype.map.call(head.cells, function (th) { return th.textContent.trim(); });
    var above = "";
    bodyRows(table).forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        var text = cell.textContent.trim();
        // «| | 2 | …»: a row that goes on with the one above (its second cuatrimestre, say). Its card
        // names what the row above named, which the table showed by their place.
        if (i === 0 && text) above = text;
        var carried = i === 0 && !text ? above : "";
        cell.setAttribute("data-etiqueta", labels[i] || "");
        if (carried) cell.setAttribute("data-arrastre", carried);
        if ((text || carried).length > LONG_CELL) cell.classList.add("largo");
      });
    });
    table.classList.add("tabla-apilada", "tabla-markdown");
  }

  function enhanceTables() {
    document.querySelectorAll("table.tabla-interactiva").forEach(function (table) {
      var n = bodyRows(table).length;
      if (n >= MIN_ROWS_TO_FILTER) makeFilterable(table);
      if (n >= MIN_ROWS_TO_SORT) makeSortable(table);
      table.classList.add("tabla-mejorada");
    });
    document.querySelectorAll("article table.table").forEach(stackMarkdownTable);
  }

  /* Printing: unfold every closed section, fold them back afterwards. */
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    unfolded = Array.prototype.filter.call(document.querySelectorAll("article details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    unfolded.forEach(function (d) { d.open = false; });
    unfolded = [];
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceTables);
  } else {
    enhanceTables();
  }
})();
