// Progressive enhancement only: every page reads fine without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  function stored() {
    try { return localStorage.getItem("upbook-theme"); } catch (e) { return null; }
  }
  var saved = stored();
  if (saved === "light" || saved === "dark") { root.setAttribute("data-theme", saved); }
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".theme-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var dark = root.getAttribute("data-theme") === "dark" ||
          (!root.getAttribute("data-theme") && window.matchMedia("(prefers-color-scheme: dark)").matches);
        var next = dark ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem("upbook-theme", next); } catch (e) { /* file:// without storage */ }
      });
    }
    // The version list lives in versions.js at the output root, so older
    // releases' pages need not change when a new version is added.
    var menu = document.querySelector(".version-menu");
    if (menu && window.UPBOOK_VERSIONS && menu.children.length === 1) {
      var base = menu.getAttribute("data-root") || "";
      var current = menu.getAttribute("data-current");
      window.UPBOOK_VERSIONS.forEach(function (v) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = base + v.folder + "/index.html";
        a.textContent = v.label;
        if (v.folder === current) { a.setAttribute("aria-current", "page"); }
        li.appendChild(a);
        menu.appendChild(li);
      });
    }
    var side = document.querySelector(".sidebar-toggle");
    if (side) {
      side.addEventListener("click", function () {
        var open = document.body.classList.toggle("sidebar-open");
        side.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });
})();
