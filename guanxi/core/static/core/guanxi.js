// Small progressive enhancements; every page also works without JavaScript.
document.addEventListener("change", function (e) {
  if (e.target.matches("[data-select-all]")) {
    document.querySelectorAll("input[name=ids]").forEach(function (cb) { cb.checked = e.target.checked; });
  }
});
