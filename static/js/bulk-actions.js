/* The bulk toolbar of a register list (templates/core/_bulk_toolbar.html, docs/bulk-actions.md):
   select every row of the page, count the selection, show only the chosen action's parameter,
   enable the buttons once something is selected, and confirm a delete. A file, not inline code
   (Content-Security-Policy); the server checks everything again. */
(function () {
  "use strict";

  var form = document.getElementById("bulk-form");
  if (!form) {
    return;
  }
  var rows = Array.prototype.slice.call(
    document.querySelectorAll('input[data-bulk-row][form="bulk-form"]')
  );
  var all = document.querySelector("input[data-bulk-all]");
  var count = form.querySelector("[data-bulk-count]");
  var action = form.querySelector("[data-bulk-action]");
  var apply = form.querySelector("[data-bulk-apply]");
  var exports = form.querySelectorAll("[data-bulk-export]");
  var parameters = form.querySelectorAll("[data-bulk-parameter]");

  function selected() {
    return rows.filter(function (box) {
      return box.checked;
    }).length;
  }

  function showParameters() {
    parameters.forEach(function (wrapper) {
      var chosen = wrapper.getAttribute("data-bulk-parameter") === action.value;
      wrapper.hidden = !chosen;
      // A hidden parameter is not sent, so only the chosen action's value reaches the server.
      wrapper.querySelectorAll("input, select, textarea").forEach(function (field) {
        field.disabled = !chosen;
      });
    });
  }

  function refresh() {
    var n = selected();
    count.textContent = n === 1 ? "1 selected" : n + " selected";
    apply.disabled = n === 0 || !action.value;
    exports.forEach(function (button) {
      button.disabled = n === 0;
    });
    if (all) {
      all.checked = n > 0 && n === rows.length;
      all.indeterminate = n > 0 && n < rows.length;
    }
  }

  if (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (box) {
        box.checked = all.checked;
      });
      refresh();
    });
  }
  rows.forEach(function (box) {
    box.addEventListener("change", refresh);
  });
  action.addEventListener("change", function () {
    showParameters();
    refresh();
  });

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var exporting = submitter && submitter.hasAttribute("data-bulk-export");
    var option = action.options[action.selectedIndex];
    if (!exporting && option && option.hasAttribute("data-bulk-confirm")) {
      var n = selected();
      var question = n === 1 ? "Delete the selected row?" : "Delete the " + n + " selected rows?";
      if (!window.confirm(question)) {
        event.preventDefault();
      }
    }
  });

  showParameters();
  refresh();
})();
