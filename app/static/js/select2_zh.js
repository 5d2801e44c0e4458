/* Select2's own messages in Chinese (issue 14, item 3): FAB bundles Select2 4.0.13 without
 * its language files, so a search with no match said "No results found". Loaded after
 * select2.min.js and before FAB's ab.js, which builds the selects. The texts come from the
 * page (data-* on this script's tag, translated by the catalogue). */
(function ($) {
    "use strict";
    var data = (document.currentScript && document.currentScript.dataset) || {};
    if (!$.fn.select2 || !$.fn.select2.defaults) {
        return;
    }
    $.fn.select2.defaults.set("language", {
        noResults: function () { return data.noResults; },
        searching: function () { return data.searching; },
        errorLoading: function () { return data.errorLoading; },
        loadingMore: function () { return data.loadingMore; },
        removeAllItems: function () { return data.removeAll; },
        inputTooShort: function () { return data.inputTooShort; },
        inputTooLong: function () { return data.inputTooLong; },
        maximumSelected: function () { return data.maximumSelected; }
    });
})(jQuery);
