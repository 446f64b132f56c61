/*
 * Arreglos a la búsqueda del sitio (searchtools.js y sphinx_highlight.js de Sphinx con el tema).
 *
 * 1. Al abrir un resultado, las palabras buscadas no se resaltaban: el tema carga searchtools.js
 *    en todas las páginas (para su cuadro de búsqueda) y sphinx_highlight.js no resalta donde lo
 *    encuentra. Aquí se llama a la misma función de Sphinx y luego se lleva la vista a la primera
 *    coincidencia del artículo (p. ej. la fila del producto), desplegando la sección plegada que
 *    la contenga.
 * 2. Abierto desde el disco (file://), el navegador no deja que la página de búsqueda lea las
 *    otras páginas para mostrar un extracto de cada resultado, y cada intento deja un error en
 *    la consola: allí se listan los resultados sin extracto.
 *
 * Sphinx declara DOCUMENTATION_OPTIONS, Search y SphinxHighlight con const: son globales que
 * typeof ve, pero no propiedades de window.
 */
(function () {
  "use strict";

  if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
  }

  // Read now, before sphinx_highlight.js consumes them when the page is ready.
  var cameFromSearch = false;
  try {
    cameFromSearch = Boolean(
      window.localStorage.getItem("sphinx_highlight_terms") ||
      new URL(window.location.href).searchParams.get("highlight")
    );
  } catch (error) {
    cameFromSearch = false;  // storage unavailable: nothing to highlight
  }

  function showFirstHighlight(triesLeft) {
    var hit = document.querySelector("article span.highlighted");
    if (!hit) {  // Sphinx marks the words a few milliseconds after it is called
      if (triesLeft > 0) window.setTimeout(function () { showFirstHighlight(triesLeft - 1); }, 50);
      return;
    }
    for (var node = hit.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    hit.scrollIntoView({ block: "center" });
  }

  function start() {
    if (!cameFromSearch) return;
    if (typeof DOCUMENTATION_OPTIONS !== "undefined" && DOCUMENTATION_OPTIONS.pagename === "search") return;
    if (typeof Search !== "undefined" && typeof SphinxHighlight !== "undefined") {
      SphinxHighlight.highlightSearchWords();
    }
    if (!window.location.hash) showFirstHighlight(20);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
