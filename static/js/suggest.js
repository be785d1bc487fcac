/* Search-as-you-type for the list filters over big tables (contract, process): each
   <select data-suggest="url"> lists only its chosen option; Tom Select asks the JSON
   endpoint for at most 20 matches as the user types (docs/performance.md).
   Labels are user text: they reach the page through textContent, never as markup. */
(function () {
  "use strict";

  if (typeof TomSelect === "undefined") {
    return;
  }

  function textBlock(text, className) {
    var div = document.createElement("div");
    if (className) {
      div.className = className;
    }
    div.textContent = text == null ? "" : String(text);
    return div;
  }

  document.querySelectorAll("select[data-suggest]").forEach(function (select) {
    var url = select.dataset.suggest;
    var empty = select.querySelector('option[value=""]');
    var widget = new TomSelect(select, {
      valueField: "id",
      labelField: "label",
      searchField: ["label"],
      allowEmptyOption: false,
      placeholder: empty ? empty.textContent : "",
      maxOptions: 20,
      loadThrottle: 250,
      plugins: ["clear_button"],
      shouldLoad: function (query) {
        return query.trim().length > 0;
      },
      // The server already matched reference, title and provider: keep its order.
      score: function () {
        return function () {
          return 1;
        };
      },
      load: function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" }
        })
          .then(function (response) {
            return response.ok ? response.json() : Promise.reject(response.status);
          })
          .then(function (data) {
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        option: function (data) {
          return textBlock(data.label);
        },
        item: function (data) {
          var item = textBlock(data.label);
          item.title = data.label;
          return item;
        },
        no_results: function () {
          return textBlock("No match", "no-results");
        },
        loading: function () {
          return textBlock("Searching…", "py-2 px-3 text-body-secondary");
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
