// Filters folded away on a phone. A <details class="filters-fold" open> stays open without
// JavaScript and on wide screens; on a narrow screen it starts closed unless a filter is in use.
(function () {
  var narrow = window.matchMedia("(max-width: 767.98px)");
  var folds = document.querySelectorAll("details.filters-fold");

  function inUse(details) {
    return Array.prototype.some.call(details.querySelectorAll("input, select"), function (field) {
      return field.type !== "hidden" && field.type !== "submit" && field.value !== "";
    });
  }

  folds.forEach(function (details) {
    if (narrow.matches) details.open = inUse(details);
  });
  narrow.addEventListener("change", function () {
    if (!narrow.matches) folds.forEach(function (details) { details.open = true; });
  });
})();
