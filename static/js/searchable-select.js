/* A long local list made searchable: each <select data-searchable> becomes a Tom Select
   that filters its own options as the user types (no request). Labels reach the page
   through textContent, never as markup. Without JavaScript the plain select still works. */
(function () {
  "use strict";

  if (typeof TomSelect === "undefined") {
    return;
  }

  function textBlock(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div;
  }

  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var widget = new TomSelect(select, {
      allowEmptyOption: true,
      maxOptions: null,
      // One choice: the list closes once it is made, uncovering the form's button.
      closeAfterSelect: true,
      // Filtering a local list is instant: no delayed refresh that would reopen the list
      // when a choice is clicked right after typing.
      refreshThrottle: 0,
      render: {
        option: function (data) {
          return textBlock(data.text);
        },
        item: function (data) {
          return textBlock(data.text);
        },
        no_results: function () {
          var div = textBlock("No match");
          div.className = "no-results";
          return div;
        }
      }
    });
    // Tom Select moves the label onto its own input; the hidden select keeps its name by
    // pointing at the same label.
    var labelledBy = widget.control_input.getAttribute("aria-labelledby");
    if (labelledBy) {
      select.setAttribute("aria-labelledby", labelledBy);
    }
  });
})();
