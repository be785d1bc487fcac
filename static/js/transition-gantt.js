/* The programme timeline (templates/transition/programme_gantt.html) is drawn on the
   server; this only lets each process's rows be collapsed and expanded. Without it every
   group stays expanded. Printing shows every group whatever its state (css/gantt.css). */
(function () {
  "use strict";

  var chart = document.querySelector(".gantt");
  if (!chart) {
    return;
  }

  function setExpanded(button, expanded) {
    var rows = document.getElementById(button.getAttribute("aria-controls"));
    button.setAttribute("aria-expanded", expanded ? "true" : "false");
    if (rows) {
      rows.hidden = !expanded;
    }
  }

  var toggles = chart.querySelectorAll(".gantt-toggle[aria-controls]");
  toggles.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      setExpanded(button, button.getAttribute("aria-expanded") !== "true");
    });
  });

  document.querySelectorAll(".gantt-group-controls").forEach(function (controls) {
    controls.hidden = false;
  });
  document.querySelectorAll("[data-gantt-expand]").forEach(function (button) {
    button.addEventListener("click", function () {
      var expanded = button.dataset.ganttExpand === "all";
      toggles.forEach(function (toggle) {
        setExpanded(toggle, expanded);
      });
    });
  });
})();
