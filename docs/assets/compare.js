// Compare view (slogans/compare/): up to four formulations on one chart of their share
// of each year's reports. Reads data/trends.json (made at build time); the formulations
// chosen are in the URL (?f=slug&f=slug…), so a view can be shared. No library.
(function () {
  "use strict";
  var root = document.getElementById("rr-compare");
  if (!root) return;
  var COLORS = ["#c62828", "#1565c0", "#2e7d32", "#6a1b9a"];
  var NS = "http://www.w3.org/2000/svg";
  fetch(root.getAttribute("data-trends")).then(function (r) { return r.json(); }).then(function (data) {
    var bySlug = {}, byName = {};
    data.entries.forEach(function (e) { bySlug[e[1]] = e; byName[e[0]] = e; });
    var chosen = new URLSearchParams(location.search).getAll("f").filter(function (s) { return bySlug[s]; }).slice(0, 4);
    root.textContent = "";
    var list = document.createElement("datalist");
    list.id = "rr-compare-names";
    data.entries.forEach(function (e) { var o = document.createElement("option"); o.value = e[0]; list.appendChild(o); });
    root.appendChild(list);
    var inputs = [];
    for (var i = 0; i < 4; i++) {
      var input = document.createElement("input");
      input.setAttribute("list", "rr-compare-names");
      input.setAttribute("aria-label", "提法 " + (i + 1));
      input.placeholder = "提法 " + (i + 1);
      input.value = chosen[i] ? bySlug[chosen[i]][0] : "";
      input.style.borderLeft = "4px solid " + COLORS[i];
      input.addEventListener("change", update);
      root.appendChild(input);
      inputs.push(input);
    }
    var chart = document.createElement("div");
    root.appendChild(chart);
    draw();

    function update() {
      var params = new URLSearchParams();
      inputs.forEach(function (inp) { var e = byName[inp.value.trim()]; if (e) params.append("f", e[1]); });
      history.replaceState(null, "", "?" + params.toString());
      draw();
    }

    function el(name, attrs, text) {
      var node = document.createElementNS(NS, name);
      for (var k in attrs) node.setAttribute(k, attrs[k]);
      if (text !== undefined) node.textContent = text;
      return node;
    }

    function draw() {
      chart.textContent = "";
      var picked = inputs.map(function (inp) { return byName[inp.value.trim()]; });
      var years = data.years, W = 360, H = 180, L = 34, R = 8, T = 10, B = 24;
      var series = picked.map(function (e) {
        return e ? e[2].map(function (n, j) { return data.totals[j] ? n / data.totals[j] : 0; }) : null;
      });
      var peak = Math.max.apply(null, [0.0001].concat.apply([], series.filter(Boolean)));
      var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "所选提法每年占报告的比例" });
      svg.appendChild(el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#888" }));
      svg.appendChild(el("text", { x: L - 3, y: T + 4, "text-anchor": "end" }, (peak * 100).toFixed(1) + "%"));
      svg.appendChild(el("text", { x: L - 3, y: H - B, "text-anchor": "end" }, "0"));
      var step = (W - L - R) / years.length, every = Math.max(1, Math.round(years.length / 6));
      years.forEach(function (y, j) {
        if (j % every === 0 || j === years.length - 1)
          svg.appendChild(el("text", { x: L + step * (j + 0.5), y: H - 8, "text-anchor": "middle" }, y.slice(2)));
      });
      var legend = document.createElement("p");
      legend.className = "rr-legend";
      series.forEach(function (s, i) {
        if (!s) return;
        var pts = s.map(function (v, j) {
          return (L + step * (j + 0.5)).toFixed(1) + "," + (H - B - (H - T - B) * v / peak).toFixed(1);
        }).join(" ");
        svg.appendChild(el("polyline", { points: pts, style: "stroke:" + COLORS[i] }));
        var item = document.createElement("span");
        item.style.color = COLORS[i];
        item.textContent = "■ " + picked[i][0] + "（" + picked[i][2].reduce(function (a, b) { return a + b; }, 0) + " 篇）";
        legend.appendChild(item);
      });
      chart.appendChild(svg);
      chart.appendChild(legend);
    }
  });
})();
