// The drowning-prevention map: township boundaries (GeoJSON) and the points of the map's data
// endpoint, drawn with Apache ECharts (served locally). No inline script: the element's data
// attributes carry the URLs and the colouring.
(function () {
  var RISK_COLOURS = { high: "#c0392b", medium: "#e67e22", low: "#f1c40f" };

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      });
  }

  function watersSeries(data, colour, system) {
    var groups = colour === "gaps"
      ? [["gaps", "#c0392b", function (w) { return w.gaps > 0; }],
         ["complete", "#27ae60", function (w) { return w.gaps === 0; }]]
      : ["high", "medium", "low"].map(function (risk) {
          return [risk, RISK_COLOURS[risk], function (w) { return w.risk === risk; }];
        });
    return groups.map(function (group) {
      return {
        name: data.labels[group[0]], type: "scatter", coordinateSystem: system,
        symbolSize: 8, itemStyle: { color: group[1] },
        data: data.waters.filter(group[2]).map(function (w) {
          return { value: w.value, id: w.id, url: data.water_url.replace("/0/", "/" + w.id + "/"),
                   tip: w.name + "<br>" + w.risk_label + (w.gaps ? " · " + data.labels.gap_count + ": " + w.gaps : "") };
        })
      };
    });
  }

  function draw(element) {
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    Promise.all([get(element.dataset.boundaries), get(element.dataset.points)]).then(function (res) {
      var boundaries = res[0], data = res[1];
      var hasMap = boundaries.features && boundaries.features.length > 0;
      var system = hasMap ? "geo" : "cartesian2d";
      if (hasMap) window.echarts.registerMap("weibao-county", boundaries);
      var series = watersSeries(data, element.dataset.colour, system);
      series.push({
        name: data.labels.schools, type: "scatter", coordinateSystem: system, symbol: "rect",
        symbolSize: 9, itemStyle: { color: "#2c7fb8" },
        data: data.schools.map(function (s) { return { value: s.value, tip: s.name }; })
      });
      series.push({
        name: data.labels.incidents, type: "scatter", coordinateSystem: system, symbol: "diamond",
        symbolSize: 11, itemStyle: { color: "#222" },
        data: data.incidents.map(function (i) {
          return { value: i.value, tip: i.date + " · " + i.outcome_label,
                   url: data.incident_url ? data.incident_url.replace("/0/", "/" + i.id + "/") : "" };
        })
      });
      var option = {
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) { return (p.data && p.data.tip) || p.name; } },
        legend: { top: 0 },
        series: series
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

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-water-map]").forEach(draw);
  });
})();
