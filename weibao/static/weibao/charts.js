// Draws every [data-chart] element with Apache ECharts. The chart's option is JSON in a
// <script type="application/json"> element (Django's json_script), so no inline script runs.
(function () {
  function draw(root) {
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      if (element.dataset.drawn) return;
      var source = document.getElementById(element.dataset.chart);
      if (!source || !window.echarts) return;
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      // No animation: the chart is read and printed, and screenshots catch it finished.
      chart.setOption(Object.assign({ animation: false }, JSON.parse(source.textContent)));
      element.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
