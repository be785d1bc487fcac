/* Behaviour shared by every page, as files rather than inline handlers (Content-Security-Policy). */
(function () {
  "use strict";
  // <select data-autosubmit>: choosing an option submits its form (a <noscript> button
  // does the same without JavaScript).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit();
    }
  });
})();
