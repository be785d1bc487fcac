// "Copy link" buttons: <button data-copy-target="ID"> copies the value of the input ID.
// navigator.clipboard needs a secure context; elsewhere the text is selected so that the
// person can copy it with Ctrl+C / Cmd+C. No inline script under the CSP (docs/security.md).
(function () {
  "use strict";

  function say(button, message) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (status) {
      status.textContent = message;
    }
  }

  function selectText(input) {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) {
      return;
    }
    var fallback = function () {
      selectText(input);
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      say(button, copied ? "Link copied." : "Press Ctrl+C (or ⌘C) to copy the selected link.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () {
        say(button, "Link copied.");
      }, fallback);
    } else {
      fallback();
    }
  });
})();
