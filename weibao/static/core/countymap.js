// A county map drawn with Apache ECharts (served locally): the county's township boundaries
// (GeoJSON, shared by every app's map) under the points an app gives. An app's script calls
//   window.weibaoCountyMap(element, function (data, system) { return [series...]; })
// where the element's data attributes carry the URLs (data-boundaries, data-points) and the
// message shown when loading fails (data-failed). Without boundaries the points are drawn on
// longitude/latitude axes. No inline script.
(function () {
  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      });
  }

  function countyMap(element, buildSeries) {
    if (!window.echarts) return;
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    Promise.all([get(element.dataset.boundaries), get(element.dataset.points)]).then(function (res) {
      var boundaries = res[0], data = res[1];
      var hasMap = boundaries.features && boundaries.features.length > 0;
      var system = hasMap ? "geo" : "cartesian2d";
      if (hasMap) window.echarts.registerMap("weibao-county", boundaries);
      var option = {
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) { return (p.data && p.data.tip) || p.seriesName; } },
        legend: { top: 0 },
        series: buildSeries(data, system)
      };
      if (hasMap) {
        option.geo = { map: "weibao-county", roam: true, top: 40, label: { show: true, color: "#555" },
                       itemStyle: { areaColor: "#f4f6f4", borderColor: "#8a9a8a" },
                       emphasis: { itemStyle: { areaColor: "#e3ece3" } } };
      } else {
        option.xAxis = { type: "value", scale: true, name: "lng" };
        option.yAxis = { type: "value", scale: true, name: "lat" };
      }
      chart.setOption(option);
      chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () {
      element.textContent = element.dataset.failed;
    });
  }

  window.weibaoCountyMap = countyMap;
})();
