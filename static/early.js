/* digestgen: runs before the page is drawn, so a remembered theme or hidden originals never flash. */
(function () {
  var root = document.documentElement;
  root.className += " js";
  try {
    var theme = localStorage.getItem("digestgen-theme");
    if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
    if (localStorage.getItem("digestgen-originals") === "hidden") root.setAttribute("data-originals", "hidden");
  } catch (e) { /* storage blocked: system theme, originals shown */ }
})();
