/* The date picker of every date field and date filter (issue 14, item 1).
 *
 * flatpickr (app/static/vendor/flatpickr) in Chinese, weeks starting on Monday, a 今天
 * button, and the working-day calendar marked: holidays and weekends grey, working weekends
 * (调休上班) outlined, from /calendar/days?year= (the app's calendar: the package's years
 * plus the overrides supervisors enter). "Today" is the app's day (data-today on this
 * script's tag), not the PC's clock.
 *
 * Typing stays possible: a typed date is kept when the picker closes, also with Esc, and a
 * date the picker cannot read is left as typed for the form to report (flatpickr would empty
 * the field).
 *
 * FAB's scripts call jQuery plugins that are not loaded: ab.js calls $.fn.datepicker on
 * .appbuilder_date / .appbuilder_datetime (bootstrap-datepicker, English, replaced here) and
 * ab_filters.js calls $.fn.datetimepicker on a date filter it adds (a plugin FAB no longer
 * ships: "TypeError: $field.datetimepicker is not a function"). Both are defined below.
 */
(function ($) {
    "use strict";
    var script = document.currentScript;
    var today = script && script.dataset.today;
    var daysUrl = (script && script.dataset.calendarUrl) || "/calendar/days";
    var todayLabel = (script && script.dataset.todayLabel) || "今天";
    var holidayTitle = (script && script.dataset.holiday) || "";
    var workdayTitle = (script && script.dataset.workday) || "";
    var years = {};   // year -> {holidays: {...}, workdays: {...}} once loaded, or "loading"

    function iso(date) {
        var m = date.getMonth() + 1, d = date.getDate();
        return date.getFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (d < 10 ? "0" : "") + d;
    }

    function asSet(list) {
        var set = {};
        (list || []).forEach(function (day) { set[day] = true; });
        return set;
    }

    function loadYear(year, picker) {
        if (years[year]) {
            return;
        }
        years[year] = "loading";
        $.getJSON(daysUrl, {year: year}).done(function (data) {
            years[year] = {holidays: asSet(data.holidays), workdays: asSet(data.workdays)};
            if (picker.isOpen) {
                picker.redraw();
            }
        }).fail(function () {
            delete years[year];
        });
    }

    function markDay(dObj, dStr, picker, dayElem) {
        var date = dayElem.dateObj;
        var year = years[date.getFullYear()];
        if (!year || year === "loading") {
            loadYear(date.getFullYear(), picker);
        }
        var day = iso(date);
        var weekend = date.getDay() === 0 || date.getDay() === 6;
        var known = year && year !== "loading";
        if (known && year.workdays[day]) {
            dayElem.classList.add("xb-workday");
            dayElem.title = workdayTitle;
        } else if ((known && year.holidays[day]) || weekend) {
            dayElem.classList.add("xb-holiday");
            if (known && year.holidays[day]) {
                dayElem.title = holidayTitle;
            }
        }
    }

    function addTodayButton(selectedDates, dateStr, picker) {
        var bar = document.createElement("div");
        bar.className = "xb-datepicker-bar";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-default btn-xs xb-datepicker-today";
        button.textContent = todayLabel;
        button.addEventListener("click", function () {
            picker.setDate(picker.now, true);
            picker.close();
        });
        bar.appendChild(button);
        picker.calendarContainer.appendChild(bar);
    }

    // Only a whole date (and time) is read: flatpickr would take "2026-11" for 2026-11-01
    // and "2026-02-30" for March 2nd; such text stays as typed for the form to report.
    var WHOLE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/;

    function strictDate(text) {
        var m = WHOLE.exec(text || "");
        if (!m) {
            return undefined;
        }
        var date = new Date(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0));
        return date.getMonth() === +m[2] - 1 && date.getDate() === +m[3] ? date : undefined;
    }

    function keepTyped(input, picker) {
        // The text as last typed; restored when flatpickr empties a date it cannot read.
        input.addEventListener("input", function () {
            input.dataset.xbTyped = input.value;
        });
        input.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && picker.isOpen) {
                event.preventDefault();
                event.stopPropagation();  // a dialog around the field stays open
                var typed = input.value;
                if (strictDate(typed)) {
                    picker.setDate(typed, false);
                }
                picker.close();
                input.value = typed;
            }
        });
        function restore() {
            var typed = input.dataset.xbTyped;
            if (!input.value && typed) {
                input.value = typed;
            }
        }
        picker.config.onClose.push(restore);
        picker.config.onChange.push(restore);
    }

    function attach(input, withTime) {
        if (!input || input._flatpickr || !window.flatpickr) {
            return input && input._flatpickr;
        }
        var picker = window.flatpickr(input, {
            locale: $.extend({}, window.flatpickr.l10ns.zh, {firstDayOfWeek: 1}),
            dateFormat: withTime ? "Y-m-d H:i:S" : "Y-m-d",
            enableTime: !!withTime,
            enableSeconds: false,
            time_24hr: true,
            allowInput: true,
            parseDate: strictDate,
            disableMobile: true,
            now: today ? window.flatpickr.parseDate(today, "Y-m-d") : new Date(),
            onDayCreate: markDay,
            onReady: addTodayButton
        });
        keepTyped(input, picker);
        // FAB's widget has a calendar icon in front of the field: it opens the picker too.
        var group = input.closest(".input-group");
        var icon = group && group.querySelector(".input-group-addon");
        if (icon) {
            icon.addEventListener("click", function () { picker.open(); });
        }
        return picker;
    }

    function attachWithin(elements, withTime) {
        $(elements).each(function () {
            var inputs = this.tagName === "INPUT" ? [this] : $("input", this).toArray();
            inputs.forEach(function (input) {
                var timed = withTime === undefined
                    ? $(input).closest(".appbuilder_datetime").length > 0 : withTime;
                attach(input, timed);
            });
        });
    }

    // ab.js: $('.appbuilder_date').datepicker({...}); ab_filters.js: $field.datetimepicker()
    $.fn.datepicker = function () {
        attachWithin(this);
        return this;
    };
    $.fn.datetimepicker = function (options) {
        attachWithin(this, options && options.pickTime === false ? false : undefined);
        return this;
    };

    window.xbDatePicker = {attach: attach};

    $(function () {
        attachWithin($(".appbuilder_date, .appbuilder_datetime"));
    });
})(jQuery);
