// Excel import: while a large file is checked or imported, say so and keep the
// button from being pressed twice.
(function () {
  document.querySelectorAll("form.import-run").forEach(function (form) {
    form.addEventListener("submit", function () {
      var status = form.querySelector(".import-progress");
      if (status) { status.hidden = false; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
})();
