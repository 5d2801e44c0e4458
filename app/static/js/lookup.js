/* Server-side search for relation fields over large tables (see app/views/lookup.py).
   Select2 4 (bundled with FAB) asks /lookup/<kind>?q=... as the user types, so a form
   never renders a whole table into a <select>. A <select multiple> (many-to-many relation)
   keeps its chosen values as tags and stays open to pick several in a row. */
(function ($) {
  "use strict";
  function init() {
    $("select.xb-lookup").each(function () {
      var el = $(this);
      var multiple = el.prop("multiple");
      el.select2({
        theme: "bootstrap",
        multiple: multiple,
        closeOnSelect: !multiple,
        allowClear: !el.prop("required"),
        placeholder: el.data("placeholder") || "",
        minimumInputLength: 0,
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
    });
  }
  $(init);
})(jQuery);
