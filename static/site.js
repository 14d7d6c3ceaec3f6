/* digestgen: small progressive enhancements; every page is complete without this script. */
(function () {
  "use strict";
  var KEY = "digestgen-lang";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-lang]");
    if (!link) return;
    try { localStorage.setItem(KEY, link.getAttribute("data-lang")); } catch (e) { /* private mode */ }
  });
})();
