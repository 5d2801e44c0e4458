/* Select2 options found by pinyin (app/views/pinyin_select.py): an option whose text is
   Chinese carries its keys, data-pinyin="chenxiaomin cxm", and typing "cxm" or "chenxm"
   matches it as well as typing 陈晓敏. Set as Select2's default matcher before the page's
   selects are made (FAB's ab.js makes them when the document is ready). */
(function ($) {
  "use strict";
  if (!$ || !$.fn.select2) { return; }
  function fold(text) { return String(text || "").toLowerCase().replace(/[\s']+/g, ""); }
  function matcher(params, data) {
    var term = fold(params.term);
    if (!term) { return data; }
    if (data.children && data.children.length) {  // an optgroup: keep the matching options
      var kept = $.map(data.children, function (child) { return matcher(params, child); });
      return kept.length ? $.extend({}, data, { children: kept }) : null;
    }
    if (fold(data.text).indexOf(term) > -1) { return data; }
    var keys = data.element ? data.element.getAttribute("data-pinyin") : null;
    return keys && keys.indexOf(term) > -1 ? data : null;
  }
  $.fn.select2.defaults.set("matcher", matcher);
})(window.jQuery);
