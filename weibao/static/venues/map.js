// The venues map: schools with their rule circles, venues coloured by state (breaking a rule,
// open, suspended, closed), on the shared county map (core/countymap.js).
(function () {
  var STATES = [["breach", "#c0392b"], ["open", "#27ae60"], ["suspended", "#e67e22"], ["closed", "#95a5a6"]];

  function series(data, system) {
    var out = STATES.map(function (state) {
      return {
        name: data.labels[state[0]], type: "scatter", coordinateSystem: system, symbolSize: 8,
        itemStyle: { color: state[1] },
        data: data.venues.filter(function (v) { return v.state === state[0]; }).map(function (v) {
          return { value: v.value, url: data.venue_url.replace("/0/", "/" + v.id + "/"),
                   tip: v.name + "<br>" + v.kind + " " + v.kind_label + " · " + v.state_label };
        })
      };
    });
    out.push({
      name: data.labels.schools, type: "scatter", coordinateSystem: system, symbol: "rect",
      symbolSize: 9, itemStyle: { color: "#2c7fb8" },
      data: data.schools.map(function (s) { return { value: s.value, tip: s.name }; })
    });
    if (system === "geo") {
      out.push({
        name: data.labels.circles, type: "lines", coordinateSystem: "geo", polyline: true,
        silent: true, lineStyle: { color: "#2c7fb8", width: 1, opacity: 0.7 },
        data: data.circles.map(function (c) { return { coords: c.ring }; })
      });
    } else {
      data.circles.forEach(function (c, index) {
        out.push({
          name: data.labels.circles, type: "line", coordinateSystem: "cartesian2d", symbol: "none",
          silent: true, lineStyle: { color: "#2c7fb8", width: 1, opacity: 0.7 }, data: c.ring,
          id: "circle-" + index
        });
      });
    }
    return out;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.weibaoCountyMap) return;
    document.querySelectorAll("[data-venue-map]").forEach(function (element) {
      window.weibaoCountyMap(element, series);
    });
  });
})();
