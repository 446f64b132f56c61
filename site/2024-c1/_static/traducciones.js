/*
 * Correcciones a los textos en español que la búsqueda del sitio (searchtools.js de Sphinx)
 * muestra al lector: el catálogo de Sphinx los trae con errores («ningún documentos», «usted allá
 * seleccionado») o en una forma que no concuerda en número («1 páginas»). Se cargan después de
 * translations.js y solo reemplazan estos mensajes.
 */
(function () {
  "use strict";
  if (typeof Documentation === "undefined" || !Documentation.addTranslations) return;
  Documentation.addTranslations({
    locale: "es",
    plural_expr: "n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2",
    messages: Object.assign({}, Documentation.TRANSLATIONS, {
      "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.":
        "Ninguna página contiene todas las palabras buscadas. Revise cómo están escritas o pruebe con menos palabras.",
      "Search finished, found ${resultCount} page(s) matching the search query.":
        "Páginas que contienen las palabras buscadas: ${resultCount}.",
      "Preparing search...": "Preparando la búsqueda…",
      "Search Results": "Resultados de la búsqueda",
      "Searching": "Buscando",
    }),
  });
})();
