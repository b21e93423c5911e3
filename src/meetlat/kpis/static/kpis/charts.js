/* Renders the dashboard's Vega-Lite specs with vega-embed, without eval (CSP script-src 'self').
   Each chart element names the id of a <script type="application/json"> block with its spec;
   the AST interpreter (vega-interpreter) evaluates expressions, and vega-embed's default
   <style> and tooltip styles are left out (style-src 'self'); kpis/charts.css styles the chart. */
(function () {
  "use strict";

  function render(element) {
    var block = document.getElementById(element.dataset.vegaSpec);
    if (!block) {
      return;
    }
    var spec = JSON.parse(block.textContent);
    window
      .vegaEmbed(element, spec, {
        ast: true,
        expr: window.vega.expressionInterpreter,
        actions: false,
        defaultStyle: false,
        tooltip: false,
        renderer: "svg",
        formatLocale: {
          decimal: ",", thousands: ".", grouping: [3], currency: ["€ ", ""],
        },
      })
      .catch(function (error) {
        element.textContent = element.dataset.errorText || String(error);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
      return;
    }
    document.querySelectorAll("[data-vega-spec]").forEach(render);
  });
})();
