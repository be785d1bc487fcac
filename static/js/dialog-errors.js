/* A dialog the server refused comes back into itself (transition/partials/_transition_dialog_body.html):
   move the focus to its first error, so the keyboard and screen reader land where the problem
   is (docs/workspace.md, "Pages that stay true"). A file, not inline code (Content-Security-Policy). */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    // The swapped body replaced the target: start from the form that posted, still in place.
    var config = event.detail.requestConfig;
    var form = config && config.elt && config.elt.closest ? config.elt.closest("form") : null;
    if (!form || !form.closest(".modal")) {
      return;
    }
    var first = form.querySelector(".is-invalid, [role='alert']");
    if (!first) {
      return;
    }
    if (!first.matches("input, select, textarea")) {
      first.setAttribute("tabindex", "-1");
    }
    first.focus();
  });
})();
