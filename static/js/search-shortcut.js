/* "/" jumps to the navigation bar's search box, as in GitHub, Jira and ServiceNow.
   Typing a "/" into a field, or with a modifier key, is left alone. */
(function () {
  "use strict";

  function isTyping(element) {
    if (!element) {
      return false;
    }
    if (element.isContentEditable) {
      return true;
    }
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.defaultPrevented || isTyping(event.target) || isTyping(document.activeElement)) {
      return;
    }
    var box = document.getElementById("nav-search");
    // Absent when signed out; hidden (no layout box) if a page ever hides it.
    if (!box || box.getClientRects().length === 0) {
      return;
    }
    event.preventDefault();
    box.focus();
    box.select();
  });
})();
