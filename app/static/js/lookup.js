/* Server-side search for relation fields over large tables (see app/views/lookup.py).
   Select2 4 (bundled with FAB) asks /lookup/<kind>?q=... as the user types, so a form
   never renders a whole table into a <select>. A <select multiple> (many-to-many relation)
   keeps its chosen values as tags and stays open to pick several in a row. Selects added
   later (a row of FAB's filter form, app/views/list_filters.py) are made when they appear. */
(function ($) {
  "use strict";
  function make(el) {
    if (el.hasClass("select2-hidden-accessible")) { return; }
    var multiple = el.prop("multiple");
    el.select2({
      theme: "bootstrap",
      multiple: multiple,
      closeOnSelect: !multiple,
      allowClear: !el.prop("required"),
      placeholder: el.data("placeholder") || "",
      minimumInputLength: 0,
      width: el.hasClass("xb-quick") ? "resolve" : undefined,
      ajax: {
        url: el.data("url"),
        dataType: "json",
        delay: 250,
        data: function (params) { return { q: params.term || "", page: params.page || 1 }; },
        processResults: function (data) {
          return { results: data.results, pagination: { more: data.more } };
        }
      }
    });
  }
  function init(root) {
    $(root).find("select.xb-lookup").addBack("select.xb-lookup").each(function () {
      make($(this));
    });
  }
  $(function () {
    init(document);
    if (window.MutationObserver) {
      new MutationObserver(function (changes) {
        changes.forEach(function (change) {
          $(change.addedNodes).each(function () {
            if (this.nodeType === 1) { init(this); }
          });
        });
      }).observe(document.body, { childList: true, subtree: true });
    }
  });
})(jQuery);
