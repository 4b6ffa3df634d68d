// The statistics pages' charts. Loaded before the chart includes, this draws their
// [data-chart] elements first, with the canvas renderer, so that each chart's toolbox saves a
// PNG for slides (the shared charts.js draws SVG, which saves only as SVG); charts.js then
// skips them (data-drawn). It also draws the township map (core/countymap.js) as one circle per
// township at its boundary's centre, sized by the figure. No inline script.
(function () {
  function draw(root) {
    root.querySelectorAll(".stats-charts [data-chart]").forEach(function (element) {
      if (element.dataset.drawn) return;
      var source = document.getElementById(element.dataset.chart);
      if (!source || !window.echarts) return;
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(Object.assign({ animation: false }, JSON.parse(source.textContent)));
      element.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function drawMap() {
    var element = document.getElementById("township-map");
    if (!element || !window.weibaoCountyMap) return;
    window.weibaoCountyMap(element, function (data, system) {
      var top = Math.max.apply(null, data.points.map(function (p) { return p.value[2] || 0; }).concat([1]));
      return [{
        name: data.label, type: "scatter", coordinateSystem: system,
        itemStyle: { color: "#c0392b", opacity: 0.75 },
        label: { show: true, position: "right", formatter: function (p) { return p.data.tip; } },
        symbolSize: function (value) { return value[2] === null ? 6 : 10 + 30 * Math.sqrt(value[2] / top); },
        data: data.points.map(function (p) { return { value: p.value, tip: p.tip, name: p.name }; })
      }];
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); drawMap(); });
})();
