/*
 * Antes de imprimir, cada gráfico ancho se carga. Los gráficos llevan loading="lazy"
 * (pei_analysis/publish/page_weight.py): el navegador pide cada uno cuando el lector se acerca, y nunca
 * la versión que la pantalla oculta. En papel va la versión ancha de cada gráfico, también la de los
 * que el lector no llegó a ver; Chromium los carga solo al imprimir, y así lo hace cualquier navegador.
 */
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll('img.grafico-ancho[loading="lazy"]').forEach(function (img) {
      img.loading = "eager";
    });
  });
})();
