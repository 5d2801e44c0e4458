/* Nothing looks idle while an export, a ZIP or a print runs (issue 14, item 6). Clicking
   one marks its button busy (a spinner, disabled, aria-busy) and sends a token with the
   request (xb_dl); the server answers a file with a cookie naming the token
   (app/views/busy.py), and the button comes back when that cookie arrives — the download
   has started. A page that answers instead (a refusal, the background export's page)
   replaces this one anyway. What is busy: elements marked data-xb-busy (print page, the
   export, the blank form) and FAB's print and ZIP actions (their names start "print"). */
(function ($) {
  "use strict";
  var pending = null;
  var COOKIE = "xb_dl";
  var LONGEST = 300000;  // give the button back after 5 minutes whatever happened

  function token() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }
  function isFabPrint(el) {
    var text = (el.id || "") + " " + (el.className || "");
    return /action-print|(^|\s)print\w*_menu_item/.test(text);
  }
  function shown(el) {  // a list's action is an item of the "操作" menu: its button spins
    var group = $(el).closest(".btn-group");
    return group.length && $(el).closest(".dropdown-menu").length
      ? group.find(".dropdown-toggle").get(0) : el;
  }
  function busy(el, value) {
    var target = shown(el);
    $(target).addClass("disabled xb-busy").attr({ "aria-busy": "true", "aria-disabled": "true" })
      .prepend('<i class="fa fa-spinner fa-spin xb-busy-spinner" aria-hidden="true"></i> ');
    if (target.tagName === "BUTTON") {
      window.setTimeout(function () { target.disabled = true; }, 0);  // after its submit
    }
    var started = Date.now();
    var timer = window.setInterval(function () {
      var arrived = document.cookie.split("; ").indexOf(COOKIE + "=" + value) > -1;
      if (arrived || Date.now() - started > LONGEST) {
        window.clearInterval(timer);
        document.cookie = COOKIE + "=; Max-Age=0; Path=/";
        idle(target);
      }
    }, 300);
  }
  function idle(target) {
    $(target).removeClass("disabled xb-busy").removeAttr("aria-busy aria-disabled")
      .find(".xb-busy-spinner").remove();
    if (target.tagName === "BUTTON") { target.disabled = false; }
  }
  function withToken(href, value) {
    return href + (href.indexOf("?") > -1 ? "&" : "?") + COOKIE + "=" + value;
  }

  // Capture: before FAB's own handler, which submits its action form at once.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("a[data-xb-busy], button[data-xb-busy], a[id^='btn-action-'], " +
                                  "a[class$='_menu_item']");
    if (!el || (!el.hasAttribute("data-xb-busy") && !isFabPrint(el))) { return; }
    if ($(shown(el)).hasClass("xb-busy")) { event.preventDefault(); event.stopImmediatePropagation(); return; }
    var value = token();
    if (el.tagName === "A" && el.getAttribute("href") && el.getAttribute("href") !== "#") {
      el.setAttribute("href", withToken(el.getAttribute("href").replace(/[?&]xb_dl=[^&]*/, ""), value));
      busy(el, value);
    } else {
      pending = { el: el, value: value };  // its form is submitted next (below), or never
      window.setTimeout(function () { pending = null; }, 0);
    }
  }, true);

  $(document).on("submit", "form", function () {
    var form = $(this);
    var trigger = pending;
    pending = null;
    if (!trigger && form.is("[data-xb-busy]")) {
      trigger = { el: form.find("button[type=submit]").get(0) || this, value: token() };
    }
    if (!trigger) { return; }
    form.find("input[name=" + COOKIE + "]").remove();
    form.append($('<input type="hidden">').attr({ name: COOKIE, value: trigger.value }));
    busy(trigger.el, trigger.value);
  });

  // Back from a download page in the history: nothing is running any more.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { $(".xb-busy").each(function () { idle(this); }); }
  });
})(jQuery);
