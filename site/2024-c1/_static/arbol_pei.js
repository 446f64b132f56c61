/*
 * Filtro del árbol del PEI por unidad o socio (capítulo «PEI 2018-2022»), sin red ni bibliotecas.
 *
 * Por qué así: el árbol llega como HTML ya escrito (pei_analysis.chapters.pei.pei_tree_html) y se
 * lee completo sin JavaScript. Cada meta o acción que nombra una unidad del IGSS o un socio lleva
 * sus nombres en data-actores (separados por «|»), y la lista de nombres viaja oculta en
 * .pei-filtro-actores. Este script solo agrega un selector: al elegir un nombre deja a la vista las
 * metas y acciones que lo nombran (con sus objetivos y estrategias desplegados) y oculta el resto;
 * «Todas» lo devuelve como estaba. Nunca escribe HTML (solo textContent y nodos creados).
 */
(function () {
  "use strict";

  function names(element) {
    return (element.getAttribute("data-actores") || "").split("|").filter(Boolean);
  }

  function apply(tree, actor, status) {
    var items = tree.querySelectorAll("li[id]");
    var sections = tree.querySelectorAll("details");
    Array.prototype.forEach.call(items, function (li) {
      li.classList.toggle("pei-coincide", !!actor && names(li).indexOf(actor) >= 0);
    });
    if (!actor) {
      Array.prototype.forEach.call(items, function (li) { li.hidden = false; });
      Array.prototype.forEach.call(sections, function (d) { d.hidden = false; });
      status.textContent = "";
      return;
    }
    var count = 0;
    Array.prototype.forEach.call(items, function (li) {
      var own = li.classList.contains("pei-coincide");
      var inside = li.querySelector(".pei-coincide") !== null;
      var parent = li.parentElement ? li.parentElement.closest("li.pei-coincide") : null;
      li.hidden = !(own || inside || parent);
      if (own) count += 1;
    });
    Array.prototype.forEach.call(sections, function (d) {
      var found = d.querySelector(".pei-coincide") !== null;
      d.hidden = !found;
      if (found) d.open = true;
    });
    status.textContent = count + (count === 1 ? " meta o acción nombra a " : " metas o acciones nombran a ") +
      actor + ".";
  }

  function build(tree) {
    var list = tree.querySelector(".pei-filtro-actores");
    if (!list) return;
    var select = document.createElement("select");
    select.id = "pei-filtro-actor";
    select.appendChild(new Option("Todas las unidades y socios", ""));
    Array.prototype.forEach.call(list.querySelectorAll("li[data-grupo]"), function (group) {
      var optgroup = document.createElement("optgroup");
      optgroup.label = group.getAttribute("data-grupo");
      Array.prototype.forEach.call(group.querySelectorAll("li[data-actor]"), function (li) {
        var name = li.getAttribute("data-actor");
        optgroup.appendChild(new Option(name, name));
      });
      select.appendChild(optgroup);
    });
    var label = document.createElement("label");
    label.htmlFor = select.id;
    label.textContent = "Mostrar solo lo que nombra a: ";
    var status = document.createElement("p");
    status.className = "pei-filtro-estado";
    status.setAttribute("aria-live", "polite");
    var box = document.createElement("div");
    box.className = "pei-filtro";
    box.appendChild(label);
    box.appendChild(select);
    box.appendChild(status);
    tree.insertBefore(box, tree.firstChild);
    select.addEventListener("change", function () { apply(tree, select.value, status); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".pei-arbol"), build);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
