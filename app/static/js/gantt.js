/* Draws the case page's plan-against-actual Gantt chart with the bundled Apache
   ECharts (static/vendor/echarts): the figures come from the page's JSON block, computed on
   the server (app/domain/slips.py); the table under the chart says the same in text. */
(function () {
  "use strict";
  var source = document.getElementById("xb-gantt-data");
  var target = document.getElementById("xb-gantt");
  if (!source || !target || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var base = new Date(data.base + "T00:00:00");

  function day(offset) {
    var d = new Date(base.getTime());
    d.setDate(d.getDate() + offset);
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" +
      ("0" + d.getDate()).slice(-2);
  }
  function pads(spans) { return spans.map(function (s) { return s ? s[0] : "-"; }); }
  function lengths(spans) { return spans.map(function (s) { return s ? s[1] : "-"; }); }

  var chart = echarts.init(target);
  chart.setOption({
    animation: false,
    tooltip: {
      trigger: "axis", axisPointer: { type: "shadow" },
      formatter: function (params) {
        var i = params[0].dataIndex, lines = [data.names[i]];
        var p = data.planned[i], a = data.actual[i];
        if (p) { lines.push(data.text.planned + ": " + day(p[0]) + " ~ " + day(p[0] + p[1] - 1)); }
        if (a) { lines.push(data.text.actual + ": " + day(a[0]) + " ~ " + day(a[0] + a[1] - 1) +
                            (data.running[i] ? " …" : "")); }
        if (data.slips[i] !== null) { lines.push(data.text.slip + ": " + data.slips[i]); }
        return lines.join("<br/>");
      }
    },
    legend: { data: [data.text.planned, data.text.actual], top: 0 },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    // Bars cover whole days: [first day, day after the last); "today" is drawn at its end.
    xAxis: { type: "value", min: 0, minInterval: 1, axisLabel: { formatter: day } },
    yAxis: { type: "category", data: data.names, inverse: true,
             axisLabel: { width: 180, overflow: "truncate" } },
    series: [
      { type: "bar", stack: "planned", silent: true, itemStyle: { color: "transparent" },
        data: pads(data.planned), barGap: "10%" },
      { type: "bar", stack: "planned", name: data.text.planned, data: lengths(data.planned),
        itemStyle: { color: "#9ec5e8" },
        markLine: { symbol: "none", silent: true,
                    label: { formatter: data.text.today, position: "end" },
                    lineStyle: { color: "#c9302c", type: "dashed" },
                    data: [{ xAxis: data.today + 1 }] } },
      { type: "bar", stack: "actual", silent: true, itemStyle: { color: "transparent" },
        data: pads(data.actual) },
      { type: "bar", stack: "actual", name: data.text.actual, itemStyle: { color: "#5cb85c" },
        data: lengths(data.actual).map(
          function (value, i) {
            var late = data.slips[i] !== null && data.slips[i] > 0;
            return { value: value, itemStyle: { color: late ? "#d9534f" : "#5cb85c" } };
          }) }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  if (window.jQuery) {
    window.jQuery('a[data-toggle="tab"]').on("shown.bs.tab", function () { chart.resize(); });
  }
}());
