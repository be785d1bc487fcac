/* Keyboard and screen-reader behaviour shared by every page (docs/accessibility.md): a file
   rather than inline script, which the Content-Security-Policy forbids. */
(function () {
  "use strict";

  // A refused form: the focus moves to its error summary, so a screen reader reads what went
  // wrong and Tab continues into the form from there.
  function focusErrorSummary(root) {
    var selector = "[data-error-summary]";
    if (!root || !root.querySelector) {
      return;
    }
    var summary = root.matches && root.matches(selector) ? root : root.querySelector(selector);
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  } else {
    focusErrorSummary(document);
  }
  // htmx answers a refused dialog with its body alone: the summary in it takes the focus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target && event.target.isConnected ? event.target : document.querySelector(".modal.show");
    focusErrorSummary(root);
  });

  // A button that opens a dialog submits, without JavaScript, a GET form to the step's own
  // page; with JavaScript Bootstrap opens the dialog and the form stays where it is.
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest
      ? event.target.closest('button[type="submit"][data-bs-toggle="modal"]')
      : null;
    if (trigger) {
      event.preventDefault();
    }
  });

  // Links that act as buttons (Bootstrap's navigation menus): Space works as on a button.
  document.addEventListener("keydown", function (event) {
    var link = event.target;
    if (event.key === " " && link.matches && link.matches('a[role="button"]')) {
      event.preventDefault();
      link.click();
    }
  });
})();
