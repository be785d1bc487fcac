/* Business case charts (docs/business-case.md), drawn from the JSON the page embeds with
   json_script: no inline script, and every label is drawn on the canvas as text. */
(function () {
  "use strict";
  var source = document.getElementById("case-chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  function colour(name, fallback) {
    return styles.getPropertyValue(name).trim() || fallback;
  }
  var GREEN = colour("--bs-success", "#198754");
  var RED = colour("--bs-danger", "#dc3545");
  var BLUE = colour("--bs-primary", "#0d6efd");
  var GREY = colour("--bs-secondary", "#6c757d");
  var AMBER = colour("--bs-warning", "#ffc107");
  var money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  var compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });

  function amount(value) {
    return data.currency + " " + money.format(value);
  }

  function moneyAxis() {
    return {
      ticks: {
        callback: function (value) {
          return compact.format(value);
        },
      },
      title: { display: true, text: data.currency },
    };
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    config.options = Object.assign(
      { responsive: true, maintainAspectRatio: false, animation: false },
      config.options
    );
    new Chart(canvas, config);
  }

  // Cumulative cash: one line, the area below zero reads as still paying back.
  if (data.cumulative) {
    draw("case-cumulative-chart", {
      type: "line",
      data: {
        labels: data.cumulative.labels,
        datasets: [
          {
            label: "Cumulative net cash",
            data: data.cumulative.values,
            borderColor: BLUE,
            backgroundColor: "rgba(13, 110, 253, 0.12)",
            fill: { target: "origin", above: "rgba(25, 135, 84, 0.15)", below: "rgba(220, 53, 69, 0.15)" },
            pointRadius: data.cumulative.values.length > 24 ? 0 : 3,
            borderWidth: 2,
            tension: 0,
          },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                return "Cumulative: " + amount(context.parsed.y);
              },
            },
          },
        },
        scales: {
          x: { ticks: { autoSkip: true, maxRotation: 0, maxTicksLimit: 8 } },
          y: moneyAxis(),
        },
      },
    });
  }

  // Savings by year: a net bar coloured by its sign, or saving above and costs below.
  if (data.savings) {
    var kinds = { saving: GREEN, cost: GREY };
    var several = data.savings.datasets.length > 1;
    draw("case-savings-chart", {
      type: "bar",
      data: {
        labels: data.savings.labels,
        datasets: data.savings.datasets.map(function (series) {
          return {
            label: series.label,
            data: series.values,
            backgroundColor:
              series.kind === "net"
                ? series.values.map(function (value) {
                    return value < 0 ? RED : GREEN;
                  })
                : kinds[series.kind] || BLUE,
            borderRadius: 3,
          };
        }),
      },
      options: {
        plugins: {
          legend: { display: several, position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + amount(context.parsed.y);
              },
            },
          },
        },
        scales: {
          x: { stacked: several },
          y: Object.assign(moneyAxis(), { stacked: several }),
        },
      },
    });
  }

  // Scenarios: the present value of each one's cost.
  if (data.scenarios) {
    draw("case-scenarios-chart", {
      type: "bar",
      data: {
        labels: data.scenarios.labels,
        datasets: [
          {
            label: "Present value of the cost",
            data: data.scenarios.values,
            backgroundColor: [GREY, AMBER, BLUE],
            borderRadius: 3,
          },
        ],
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                return "Present value: " + amount(context.parsed.x);
              },
            },
          },
        },
        scales: { x: Object.assign(moneyAxis(), { beginAtZero: true }) },
      },
    });
  }

  // Tornado: floating bars from the base NPV to the NPV at each driver's low and high value.
  if (data.tornado) {
    var base = data.tornado.base;
    var rows = data.tornado.rows;
    var baseLine = {
      id: "baseLine",
      afterDatasetsDraw: function (chart) {
        var x = chart.scales.x.getPixelForValue(base);
        var area = chart.chartArea;
        var context = chart.ctx;
        context.save();
        context.strokeStyle = colour("--bs-body-color", "#212529");
        context.lineWidth = 1;
        context.setLineDash([4, 3]);
        context.beginPath();
        context.moveTo(x, area.top);
        context.lineTo(x, area.bottom);
        context.stroke();
        context.restore();
      },
    };
    draw("case-tornado-chart", {
      type: "bar",
      data: {
        labels: rows.map(function (row) {
          return row.label;
        }),
        datasets: [
          {
            label: "Low value",
            data: rows.map(function (row) {
              return [base, row.low];
            }),
            backgroundColor: AMBER,
            grouped: false,
            borderSkipped: false,
          },
          {
            label: "High value",
            data: rows.map(function (row) {
              return [base, row.high];
            }),
            backgroundColor: BLUE,
            grouped: false,
            borderSkipped: false,
          },
        ],
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: function (context) {
                var row = rows[context.dataIndex];
                var low = context.datasetIndex === 0;
                return (
                  (low ? row.low_label : row.high_label) +
                  ": NPV " +
                  amount(low ? row.low : row.high)
                );
              },
            },
          },
        },
        scales: {
          x: moneyAxis(),
          y: {
            ticks: {
              autoSkip: false,
              callback: function (value) {
                var label = this.getLabelForValue(value);
                // Long driver names wrap onto two lines rather than squeezing the bars.
                return label.length > 18 ? label.replace(/^(.{1,18})\s/, "$1\n").split("\n") : label;
              },
            },
          },
        },
      },
      plugins: [baseLine],
    });
  }
})();
