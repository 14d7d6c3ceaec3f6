/* digestgen: small progressive enhancements; every page is complete without this script. */
(function () {
  "use strict";
  var root = document.documentElement;
  var dark = window.matchMedia("(prefers-color-scheme: dark)");

  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
  }

  /* The chosen edition, for the landing page's redirect. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-lang]");
    if (link) store("digestgen-lang", link.getAttribute("data-lang"));
  });

  /* Dark theme: follows the system until the reader picks one, then remembers it. */
  function isDark() {
    var chosen = root.getAttribute("data-theme");
    return chosen ? chosen === "dark" : dark.matches;
  }
  var themeButton = document.querySelector(".theme-toggle");
  function syncTheme() { themeButton.setAttribute("aria-pressed", String(isDark())); }
  if (themeButton) {
    syncTheme();
    themeButton.addEventListener("click", function () {
      var theme = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", theme);
      store("digestgen-theme", theme);
      syncTheme();
    });
    if (dark.addEventListener) dark.addEventListener("change", syncTheme);
  }

  /* Originals (English under Korean; Korean titles in English): shown unless the reader hides them. */
  var originalsButton = document.querySelector(".originals-toggle");
  function syncOriginals() {
    originalsButton.setAttribute("aria-pressed", String(root.getAttribute("data-originals") !== "hidden"));
  }
  if (originalsButton) {
    syncOriginals();
    originalsButton.addEventListener("click", function () {
      var hide = root.getAttribute("data-originals") !== "hidden";
      if (hide) root.setAttribute("data-originals", "hidden"); else root.removeAttribute("data-originals");
      store("digestgen-originals", hide ? "hidden" : "shown");
      syncOriginals();
    });
  }

  /* Expand all: opens (or folds again) every abstract and original of an issue. Each <details> works alone
     without script, so the button only shows up when this runs. */
  var expandButton = document.querySelector(".expand-all");
  if (expandButton) {
    var expandLabel = expandButton.textContent;
    var abstracts = document.querySelectorAll("main details");
    function allOpen() {
      for (var i = 0; i < abstracts.length; i++) if (!abstracts[i].open) return false;
      return abstracts.length > 0;
    }
    function syncExpand() {
      expandButton.textContent = allOpen() ? expandButton.getAttribute("data-collapse") : expandLabel;
    }
    expandButton.hidden = abstracts.length === 0;
    expandButton.addEventListener("click", function () {
      var open = !allOpen();
      for (var i = 0; i < abstracts.length; i++) abstracts[i].open = open;
      syncExpand();
    });
    for (var j = 0; j < abstracts.length; j++) abstracts[j].addEventListener("toggle", syncExpand);
  }
  /* A printed issue carries its abstracts and originals. */
  window.addEventListener("beforeprint", function () {
    var folded = document.querySelectorAll("main details:not([open])");
    for (var i = 0; i < folded.length; i++) folded[i].open = true;
  });
})();
