/* A record page opens on its 详细 (Detail) tab, or on the tab the address names
   (#WorkLogEntryView); choosing a tab writes it into the address without a new history
   entry, so a reload or the way back opens it again. FAB's own ab_keep_tab.js kept one
   "last tab" for all pages: a case opened on the tab last used on another case. */
(function ($) {
  "use strict";
  $(function () {
    var tabs = $('a[data-toggle="tab"]');
    if (!tabs.length) { return; }
    var wanted = window.location.hash ? tabs.filter('[href="' + window.location.hash + '"]') : $();
    (wanted.length ? wanted : tabs.first()).tab("show");
    tabs.on("shown.bs.tab", function () {
      var hash = $(this).attr("href");
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", hash === tabs.first().attr("href")
          ? window.location.pathname + window.location.search : hash);
      }
    });
  });
})(jQuery);
