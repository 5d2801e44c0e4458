/* List pages: a value chosen in the quick filter bar (templates/quick_filters.html) reloads
   the list with it at once; an emptied filter is left out of the address. */
(function ($) {
  "use strict";
  $(document).on("change", "select.xb-quick", function () {
    var form = this.form;
    $(form).find("select.xb-quick").each(function () {
      if (!this.value) { this.disabled = true; }
    });
    form.submit();
  });
  $(document).on("submit", "form.xb-quick-filters", function () {
    $(this).find("select.xb-quick").each(function () {
      if (!this.value) { this.disabled = true; }
    });
  });
})(jQuery);

/* A row's delete button (templates/appbuilder/general/widgets/list.html): one handler for
   the page asks FAB's confirmation and then deletes, as FAB's script per row did. */
(function ($) {
  "use strict";
  $(document).on("click", "a.xb-row-delete", function (event) {
    event.preventDefault();
    var question = $(this).closest("[data-xb-delete-confirm]").data("xb-delete-confirm");
    new AdminActions().execute_single_delete($(this).data("xb-delete"), question);
  });
})(jQuery);
