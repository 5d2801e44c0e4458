/* Names for what FAB's widgets leave unnamed (issue 19, R-20.1; checked by axe-core in
 * tests/test_browser_a11y.py). Loaded after ab.js, which builds the Select2 selects;
 * lookup.js and the quick filters build more later, so new ones are named as they appear.
 *
 * - Select2 (4.0.13): its combobox is named by its field's <label> and shows its value;
 *   the rendered value loses Select2's role="textbox" (a read-only "text box" with no
 *   name, inside the combobox); in a multi-select the chosen values' <ul> is kept a list
 *   and its inline search box gets the field's name.
 * - FAB's list check boxes get "select all rows" / "select this row" (texts from data-*).
 * - Icon-only links and buttons get their tooltip's text as aria-label (Bootstrap's tooltip
 *   moves title= to data-original-title=, which no screen reader reads). */
(function ($) {
    "use strict";
    var data = (document.currentScript && document.currentScript.dataset) || {};
    var uid = 0;

    function labelOf(select) {
        var label = select.id && document.querySelector('label[for="' + select.id + '"]');
        if (label) {
            if (!label.id) { label.id = "xb-label-" + (++uid); }
            return {id: label.id, text: label.textContent.trim()};
        }
        var text = select.getAttribute("aria-label") || select.getAttribute("title") ||
            select.getAttribute("data-placeholder") || "";
        return {id: null, text: text.trim()};
    }

    function nameSelect2(select) {
        var container = select.nextElementSibling;
        if (!container || !container.classList.contains("select2-container")) { return; }
        var combobox = container.querySelector(".select2-selection");
        if (!combobox || combobox.getAttribute("data-xb-named")) { return; }
        var label = labelOf(select);
        var rendered = combobox.querySelector(".select2-selection__rendered");
        if (rendered && rendered.tagName === "SPAN") {       // single: name, then value
            rendered.removeAttribute("role");
            rendered.removeAttribute("aria-readonly");
            if (!rendered.id) { rendered.id = "xb-value-" + (++uid); }
            if (label.id) {
                combobox.setAttribute("aria-labelledby", label.id + " " + rendered.id);
            } else {
                combobox.removeAttribute("aria-labelledby");
                combobox.setAttribute("aria-label", label.text);
            }
        } else {                                             // multiple
            combobox.setAttribute("aria-label", label.text);
            if (rendered) { rendered.setAttribute("role", "list"); }
        }
        combobox.setAttribute("data-xb-named", "1");
        nameSearchField(container, label.text);
    }

    function nameSearchField(container, text) {
        container.querySelectorAll(".select2-search__field").forEach(function (field) {
            if (!field.getAttribute("aria-label")) { field.setAttribute("aria-label", text); }
        });
    }

    function nameCheckBoxes(root) {
        root.querySelectorAll("input.action_check_all:not([aria-label])").forEach(function (box) {
            box.setAttribute("aria-label", data.selectAll);
        });
        root.querySelectorAll("input.action_check:not([aria-label])").forEach(function (box) {
            box.setAttribute("aria-label", data.selectRow);
        });
    }

    function nameIconOnly(root) {
        root.querySelectorAll("a, button").forEach(function (el) {
            if (el.textContent.trim() || el.getAttribute("aria-label") ||
                el.getAttribute("aria-labelledby")) { return; }
            var text = el.getAttribute("title") || el.getAttribute("data-original-title");
            if (text) { el.setAttribute("aria-label", text); }
        });
    }

    function nameAll() {
        document.querySelectorAll("select.select2-hidden-accessible").forEach(nameSelect2);
        document.querySelectorAll(".select2-container").forEach(function (container) {
            var select = container.previousElementSibling;
            if (select && select.tagName === "SELECT") { nameSearchField(container, labelOf(select).text); }
        });
        nameCheckBoxes(document);
        nameIconOnly(document);
    }

    var pending = false;
    function later() {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () { pending = false; nameAll(); });
    }

    $(function () {
        nameAll();
        // new selects (lookup.js, dialogs) and the multi-select's re-rendered search box
        new MutationObserver(later).observe(document.body, {childList: true, subtree: true});
    });
})(jQuery);
