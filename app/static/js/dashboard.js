/* Draws the dashboard's charts with the bundled Apache ECharts
   (static/vendor/echarts): the figures come from the page's JSON block, computed on the
   server; nothing is fetched from anywhere. A bar, slice or month opens the list behind
   it (data.links, app/views/index.py); each chart saves as a PNG from its toolbox (drawn in
   the browser: works offline) for the monthly report. */
(function () {
  "use strict";
  var source = document.getElementById("xb-dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var text = data.text;
  var charts = [];

  function empty(values) {
    return !values.some(function (v) { return v; });
  }

  function emptyTitle(values) {
    return empty(values) ? { text: text.empty, left: "center", top: "middle",
      textStyle: { color: "#999", fontSize: 14, fontWeight: "normal" } } : undefined;
  }

  function bar(series) {
    return {
      title: emptyTitle(series.values),
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: series.labels, inverse: true,
               axisLabel: { width: 160, overflow: "truncate" } },
      series: [{ type: "bar", name: text.count, data: series.values, barMaxWidth: 28,
                 label: { show: true, position: "right" } }]
    };
  }

  function pie(series) {
    return {
      title: emptyTitle(series.values),
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { orient: "vertical", left: 0, top: "middle" },
      // Every level stays in the legend; empty ones get no label (no pile of "0" labels).
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["62%", "50%"],
                 stillShowZeroSum: false,
                 data: series.labels.map(function (label, i) {
                   var shown = series.values[i] > 0;
                   return { name: label, value: series.values[i],
                            label: { show: shown }, labelLine: { show: shown } };
                 }) }]
    };
  }

  function trend(series) {
    return {
      title: emptyTitle(series.decided),
      tooltip: { trigger: "axis" },
      legend: { data: [text.rate, text.decided], top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: series.labels },
      yAxis: [{ type: "value", min: 0, max: 100, name: "%" },
              { type: "value", minInterval: 1, splitLine: { show: false } }],
      series: [
        { type: "line", name: text.rate, data: series.rates, connectNulls: true },
        { type: "bar", name: text.decided, yAxisIndex: 1, data: series.decided,
          barMaxWidth: 28, itemStyle: { opacity: 0.35 } }
      ]
    };
  }

  function saving(name) {
    return { right: 4, top: 0, itemSize: 14,
             feature: { saveAsImage: { title: text.save, name: name, type: "png",
                                       pixelRatio: 2, backgroundColor: "#fff" } } };
  }

  var builders = { bar: bar, pie: pie, trend: trend };
  document.querySelectorAll(".xb-chart").forEach(function (el) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var option = builders[el.dataset.kind](data[el.dataset.chart]);
    option.toolbox = saving(el.dataset.name || el.id);
    chart.setOption(option);
    var links = (data.links || {})[el.dataset.chart] || [];
    if (links.some(function (link) { return link; })) {
      chart.on("click", function (params) {
        var link = links[params.dataIndex];
        if (link) { window.location.href = link; }
      });
    }
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
}());
