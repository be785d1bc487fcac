/* The programme timeline: draws the tasks the page embeds as JSON with frappe-gantt.
   Milestones carry their finish-to-start dependencies; contract dates are one-day markers. */
(function () {
  "use strict";

  var host = document.getElementById("gantt");
  var data = document.getElementById("gantt-tasks");
  if (!host || !data || typeof Gantt === "undefined") {
    return;
  }
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  // frappe-gantt writes a bar's `name` into the page with innerHTML, so every name it gets
  // is escaped here; the popup escapes the original text (`label`) itself. User text never
  // reaches the DOM as markup (docs/security.md).
  var tasks = JSON.parse(data.textContent).map(function (task) {
    return Object.assign({}, task, { label: task.name, name: escapeHtml(task.name) });
  });

  function formatDay(iso) {
    var parts = iso.split("-");
    var date = new Date(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2]));
    return date.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
  }

  var gantt = new Gantt(host, tasks, {
    view_mode: "Month",
    readonly: true,
    popup_on: "click",
    bar_height: 22,
    padding: 14,
    today_button: true,
    scroll_to: "today",
    lines: "both",
    view_mode_select: false,
    // Weekend shading is drawn with style attributes, which the Content-Security-Policy
    // refuses; the grid's columns already show the days.
    holidays: {},
    popup: function (ctx) {
      var task = ctx.task;
      var when = task.start === task.end
        ? formatDay(task.start)
        : formatDay(task.start) + " – " + formatDay(task.end);
      ctx.set_title(escapeHtml(task.label));
      ctx.set_subtitle(escapeHtml(task.detail) + " · " + when);
      var link = task.url ? '<a href="' + escapeHtml(task.url) + '">Open</a>' : "";
      ctx.set_details(link);
    }
  });

  document.querySelectorAll(".gantt-modes [data-view-mode]").forEach(function (button) {
    button.addEventListener("click", function () {
      gantt.change_view_mode(button.dataset.viewMode);
      document.querySelectorAll(".gantt-modes [data-view-mode]").forEach(function (other) {
        var active = other === button;
        other.classList.toggle("active", active);
        other.setAttribute("aria-pressed", active ? "true" : "false");
      });
    });
  });
})();
