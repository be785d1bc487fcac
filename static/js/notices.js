/* The serve-notice dialog (transition/partials/_notice_serve_fields.html): the scope radios
   and the process boxes agree, all boxes ticked being the whole contract; fields that come
   back refused show their first error. A file, not inline code (Content-Security-Policy). */
(function () {
  "use strict";

  function boxes(form) {
    return form.querySelectorAll('input[name="processes"]');
  }

  function choose(form, scope) {
    var radio = form.querySelector('input[name="scope"][value="' + scope + '"]');
    if (radio && !radio.checked) {
      radio.checked = true;
    }
  }

  // Capturing, so the radios agree before htmx reads the inputs for the preview.
  document.addEventListener(
    "change",
    function (event) {
      var input = event.target;
      var form = input.form;
      if (!form || form.id !== "notice-serve-form") {
        return;
      }
      if (input.name === "scope" && input.value === "whole" && input.checked) {
        boxes(form).forEach(function (box) {
          box.checked = true;
        });
      } else if (input.name === "processes") {
        var all = Array.prototype.every.call(boxes(form), function (box) {
          return box.checked;
        });
        choose(form, all ? "whole" : "processes");
      }
    },
    true
  );

  // A refused serve or withdrawal comes back into its dialog: bring its first error into view.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    if (!config || config.verb !== "post" || !config.elt || !config.elt.closest) {
      return;
    }
    var form = config.elt.closest("form");
    var first = form && form.querySelector(".alert-danger, .is-invalid");
    if (first) {
      first.scrollIntoView({ block: "nearest" });
    }
  });
})();
