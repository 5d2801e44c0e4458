/* A record page opens on its 详细 (Detail) tab, or on the tab the address names
   (#WorkLogEntryView); choosing a tab writes it into the address without a new history
   entry, so a reload or the way back opens it again. FAB's own ab_keep_tab.js kept one
   "last tab" for all pages: a case opened on the tab last used on another case.

   A tab whose panel was not rendered with the page (app/views/panels.py: a placeholder
   naming its address) loads it the first time it opens; paging and sorting links inside a
   panel load into the same tab. */
(function ($) {
  "use strict";

  function bindConfirms(pane) {  // FAB's ab.js binds its delete confirmations at page load
    pane.find(".confirm").on("click", function () {
      $(".modal-text").text($(this).data("text"));
    });
  }

  function load(pane, url) {
    var holder = pane.children(".xb-panel");
    var failed = holder.data("xb-failed") || pane.data("xb-failed");
    pane.attr("aria-busy", "true");
    $.ajax({ url: url, headers: { "X-Requested-With": "XMLHttpRequest" }, dataType: "html" })
      .done(function (html) {
        pane.data("xb-failed", failed).html(html);
        bindConfirms(pane);
      })
      .fail(function () {
        pane.html($("<div class=\"alert alert-danger\" role=\"alert\"></div>").text(failed));
      })
      .always(function () { pane.removeAttr("aria-busy"); });
  }

  $(document).on("click", ".tab-pane a[href*=\"/panel/\"]", function (event) {
    event.preventDefault();
    load($(this).closest(".tab-pane"), this.href);
  });

  $(function () {
    var tabs = $('a[data-toggle="tab"]');
    if (!tabs.length) { return; }
    tabs.on("shown.bs.tab", function () {
      var hash = $(this).attr("href");
      var pane = $(hash);
      var holder = pane.children(".xb-panel[data-xb-panel]");
      if (holder.length && !holder.data("xb-loading")) {
        holder.data("xb-loading", true);
        load(pane, holder.data("xb-panel"));
      }
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", hash === tabs.first().attr("href")
          ? window.location.pathname + window.location.search : hash);
      }
    });
    var wanted = window.location.hash ? tabs.filter('[href="' + window.location.hash + '"]') : $();
    (wanted.length ? wanted : tabs.first()).tab("show");
  });
})(jQuery);
