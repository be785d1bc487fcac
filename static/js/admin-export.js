/* The admin export page's "Select all" toggle, wired here instead of an inline onchange
   attribute (Content-Security-Policy). onSelectToggleChange comes from django-import-export. */
(function () {
  "use strict";
  document.querySelectorAll(".select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", onSelectToggleChange);
  });
})();
