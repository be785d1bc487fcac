/* Parallel-run scorecard charts (docs/exit-management.md): one line chart per KPI, with
   the target and the provider's baseline as flat lines. The data comes from the JSON the
   page embeds with json_script; KPI names and units are drawn on the canvas as text, never
   put into the DOM as markup. The table under each chart lists the same values. */
(function () {
  "use strict";
  var source = document.getElementById("scorecard-chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  function colour(name, fallback) {
    return styles.getPropertyValue(name).trim() || fallback;
  }
  var BLUE = colour("--bs-primary", "#0d6efd");
  var GREEN = colour("--bs-success", "#198754");
  var RED = colour("--bs-danger", "#dc3545");
  var GREY = colour("--bs-secondary", "#6c757d");
  var number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 });
  var day = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

  function withUnit(kpi, value) {
    return number.format(value) + (kpi.unit ? " " + kpi.unit : "");
  }

  function flat(value, length) {
    var values = [];
    for (var i = 0; i < length; i += 1) {
      values.push(value);
    }
    return values;
  }

  data.kpis.forEach(function (kpi) {
    var canvas = document.getElementById(kpi.canvas);
    if (!canvas || !kpi.values.length) {
      return;
    }
    var labels = kpi.labels.map(function (iso) {
      return day.format(new Date(iso + "T00:00:00"));
    });
    var datasets = [
      {
        label: "Actual",
        data: kpi.values,
        borderColor: BLUE,
        pointBackgroundColor: kpi.met.map(function (met) {
          return met ? GREEN : RED;
        }),
        pointRadius: 4,
        borderWidth: 2,
        tension: 0,
      },
      {
        label: "Target",
        data: flat(kpi.target, kpi.values.length),
        borderColor: GREEN,
        borderDash: [6, 4],
        pointRadius: 0,
        borderWidth: 1.5,
      },
    ];
    if (kpi.baseline !== null) {
      datasets.push({
        label: "Provider's baseline",
        data: flat(kpi.baseline, kpi.values.length),
        borderColor: GREY,
        borderDash: [2, 3],
        pointRadius: 0,
        borderWidth: 1.5,
      });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + withUnit(kpi, context.parsed.y);
              },
            },
          },
        },
        scales: {
          x: { ticks: { autoSkip: true, maxRotation: 0, maxTicksLimit: 8 } },
          y: { title: { display: !!kpi.unit, text: kpi.unit } },
        },
      },
    });
  });
})();
