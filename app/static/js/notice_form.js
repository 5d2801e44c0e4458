/* The one-time notice on one form (app/views/notice_form.py): add and remove lines, each
   line's checklist narrowed to its item, several checklist materials added at once, the
   choices fetched when the commission is picked on the form; and "save and print": the
   notice's page prints it as soon as it opens (?print=1). */
(function ($) {
  "use strict";

  function esc(text) { return $("<div>").text(text).html(); }

  function narrow(row) {  // the material select offers the checklist of the row's item
    var item = row.find(".xb-line-item").val();
    var material = row.find(".xb-line-material");
    material.find("optgroup").each(function () {
      var mine = String($(this).data("item")) === String(item);
      $(this).prop("hidden", !mine).prop("disabled", !mine);
    });
    var chosen = material.find("option:selected");
    if (chosen.val() && String(chosen.data("item")) !== String(item)) { material.val(""); }
  }

  function named(row) {  // a checklist material's name fills the name (typed names stay)
    var material = row.find(".xb-line-material option:selected");
    var name = row.find(".xb-line-name");
    if (material.val()) {
      name.val(material.text()).attr("data-from-checklist", "1");
    } else if (name.attr("data-from-checklist")) {
      name.val("").removeAttr("data-from-checklist");
    }
  }

  function addRow(box, item, material) {
    var next = box.data("next");
    var html = box.find("template.xb-notice-template").html().replace(/__index__/g, next);
    box.data("next", next + 1);
    var row = $(html).appendTo(box.find("tbody"));
    if (item) { row.find(".xb-line-item").val(item); }
    narrow(row);
    if (material) { row.find(".xb-line-material").val(material); named(row); }
    return row;
  }

  function blank(row) {
    return !row.find(".xb-line-item").val() && !row.find(".xb-line-material").val() &&
      !row.find(".xb-line-name").val();
  }

  function picker(box) {  // the ticked materials of one item's checklist
    var item = box.find(".xb-picker-item").val();
    var list = box.find(".xb-picker-materials").empty();
    if (!item) { return; }
    var group = box.find("template.xb-notice-template").prop("content")
      .querySelector('optgroup[data-item="' + item + '"]');
    $(group ? group.querySelectorAll("option") : []).each(function (i) {
      var id = box.attr("id") + "-pick-" + this.value;
      list.append('<div class="checkbox"><label for="' + id + '"><input type="checkbox" id="' +
        id + '" value="' + esc(this.value) + '"> ' + esc(this.textContent) + "</label></div>");
    });
    if (!group) { list.append('<p class="help-block">' + esc(box.data("empty") || "—") + "</p>"); }
  }

  function options(data) {
    var items = ['<option value="">—</option>'];
    var groups = [];
    data.items.forEach(function (item) {
      items.push('<option value="' + item.id + '">' + esc(item.text) + "</option>");
      if (item.materials.length) {
        groups.push('<optgroup label="' + esc(item.text) + '" data-item="' + item.id + '">' +
          item.materials.map(function (m) {
            return '<option value="' + m.id + '" data-item="' + item.id + '">' + esc(m.name) +
              "</option>";
          }).join("") + "</optgroup>");
      }
    });
    return { items: items.join(""), groups: groups.join("") };
  }

  function refill(box, data) {  // the commission changed: its items and checklists
    var made = options(data);
    var template = $("<div>").html(box.find("template.xb-notice-template").html());
    [template, box.find("tbody")].forEach(function (where) {
      where.find(".xb-line-item").html(made.items);
      where.find(".xb-line-material").each(function () {
        $(this).find("optgroup").remove();
        $(this).append(made.groups);
      });
    });
    box.find("template.xb-notice-template").html(template.html());
    box.find(".xb-picker-item").html(made.items);
    box.find(".xb-picker-materials").empty();
    box.find("tbody tr").each(function () { narrow($(this)); });
  }

  $(function () {
    $(".xb-notice-lines").each(function () {
      var box = $(this);
      var highest = -1;
      box.find("tbody [name]").each(function () {
        var m = /-(\d+)-/.exec(this.name);
        if (m) { highest = Math.max(highest, parseInt(m[1], 10)); }
      });
      box.data("next", highest + 1);
      box.find("tbody tr").each(function () { narrow($(this)); });
      box.on("change", ".xb-line-item", function () { narrow($(this).closest("tr")); named($(this).closest("tr")); });
      box.on("change", ".xb-line-material", function () { named($(this).closest("tr")); });
      box.on("input", ".xb-line-name", function () { $(this).removeAttr("data-from-checklist"); });
      box.on("click", ".xb-line-add", function () { addRow(box).find(".xb-line-item").trigger("focus"); });
      box.on("click", ".xb-line-remove", function () {
        var row = $(this).closest("tr");
        if (box.find("tbody tr").length > 1) { row.remove(); } else {
          row.find("select, input[type=text]").val("");
          narrow(row);
        }
      });
      box.on("change", ".xb-picker-item", function () { picker(box); });
      box.on("click", ".xb-picker-add", function () {
        var item = box.find(".xb-picker-item").val();
        box.find(".xb-picker-materials input:checked").each(function () {
          var empty = box.find("tbody tr").filter(function () { return blank($(this)); }).first();
          if (empty.length) {
            empty.find(".xb-line-item").val(item);
            narrow(empty);
            empty.find(".xb-line-material").val(this.value);
            named(empty);
          } else {
            addRow(box, item, this.value);
          }
          this.checked = false;
        });
      });
      // on the form opened from the menu, the commission is picked here
      box.closest("form").on("change", "select[name=commission]", function () {
        var pk = $(this).val();
        if (!pk) { return; }
        $.getJSON(box.data("url") + pk).done(function (data) {
          box.attr("data-commission", pk);
          refill(box, data);
        });
      });
    });
    // "save and print": print once, on arrival
    $("form[data-xb-auto-submit]").each(function () {
      $(this).removeAttr("data-xb-auto-submit").trigger("submit");
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.pathname);
      }
    });
  });
})(jQuery);
