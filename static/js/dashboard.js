/* Dashboard: the portfolio chart, drawn from the JSON the page embeds (no inline script).
   Every bar is a converted total in the reporting currency (`data.currency`); amounts the
   server could not convert are not in the bars, and the page lists them (docs/money.md). */
(function () {
  "use strict";
  var canvas = document.getElementById("portfolio-chart");
  var source = document.getElementById("portfolio-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#6c757d", "#0d6efd", "#198754"];
  var money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series, index) {
        return {
          label: series.label,
          data: series.data,
          backgroundColor: colours[index % colours.length],
          borderRadius: 3,
        };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: function (context) {
              return context.dataset.label + ": " + data.currency + " " + money.format(context.parsed.y);
            },
          },
        },
      },
      scales: {
        y: {
          beginAtZero: true,
          title: {
            display: true,
            text: data.complete ? data.currency : data.currency + " (incomplete)",
          },
          ticks: {
            callback: function (value) {
              return money.format(value);
            },
          },
        },
      },
    },
  });
})();
