// Runs on every page of every version, from `versions.js` at the output
// root: the one file written fresh by each build. So a release made long
// ago, whose own pages and theme are frozen, still learns of the
// versions after it (the superseded notice) and switches between them
// in the reader's copy. Progressive enhancement only.
(function () {
  "use strict";
  var list = window.UPBOOK_VERSIONS || [];
  // The build's words (its strings table): a release's frozen pages may
  // carry none of these.
  var words = window.UPBOOK_WORDS || {};
  var COPY_KEY = "upbook-copy";

  function store(copy) {
    try { sessionStorage.setItem(COPY_KEY, copy); } catch (e) { /* no storage */ }
  }
  function stored() {
    try { return sessionStorage.getItem(COPY_KEY); } catch (e) { return null; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var menu = document.querySelector(".version-menu");
    if (!menu) { return; }
    var base = menu.getAttribute("data-root") || "";
    var current = menu.getAttribute("data-current") || "";
    var here = list.filter(function (v) { return v.folder === current; })[0];
    var file = decodeURIComponent(window.location.pathname.split("/").pop() || "index.html");
    var copies = (here && here.copies) || ["index.html"];
    // The copy the reader is in: this page, if it is one; else the one
    // this tab last showed (sessionStorage works from disk too), if this
    // version has it; else the main copy.
    var kind = file === "report.html" ? "report" : file === "changes.html" ? "changes" : "playbook";
    var copy = "index.html";
    if (here && kind === "playbook" && copies.indexOf(file) >= 0) {
      copy = file;
      store(copy);
      // Pages of releases made before the top bar named the copy mark
      // `index.html` as the current page: point it at this one.
      var mine = document.querySelector(".pages a[aria-current=page][href='index.html']");
      if (mine) { mine.setAttribute("href", copy); }
    } else if (copies.indexOf(stored()) >= 0) {
      copy = stored();
    }
    if (here && kind !== "playbook" && copy !== "index.html") {
      // The report and change view, shared by every copy, lead back to
      // the reader's; search results open there too, from its index.
      Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (a) {
        var href = a.getAttribute("href");
        if (href === "index.html" || href.indexOf("index.html#") === 0) {
          a.setAttribute("href", copy + href.slice("index.html".length));
        }
      });
      if (document.getElementById("search-box")) {
        var index = document.createElement("script");
        index.src = copy.replace(/\.html$/, ".search.js");
        document.head.appendChild(index);
      }
    }

    // The same page in version `v`: the reader's copy when `v` has it,
    // and, when `place`, the fragment (a section `v` lacks opens at the
    // top of the page).
    function target(v, place) {
      var page = (v.copies || []).indexOf(copy) >= 0 ? copy : "index.html";
      if (here && kind === "report") { page = "report.html"; }
      else if (here && kind === "changes" && v.changes) { page = "changes.html"; }
      return base + v.folder + "/" + page + (place && here ? window.location.hash : "");
    }
    function link(v) {
      var a = document.createElement("a");
      a.href = target(v, false);
      a.textContent = v["final"] ? words.final.replace("{version}", function () { return v.label; }) : v.label;
      a.addEventListener("click", function () { a.href = target(v, true); });
      return a;
    }
    if (menu.children.length === 1) {
      list.forEach(function (v) {
        var li = document.createElement("li");
        var a = link(v);
        if (v.folder === current) { a.setAttribute("aria-current", "page"); }
        li.appendChild(a);
        menu.appendChild(li);
      });
    }

    // A release with a later release after it is superseded: it says so
    // at the top, linked to the same copy in the latest release.
    var at = list.indexOf(here);
    var latest = list.filter(function (v, i) { return !v.draft && i < at; })[0];
    var main = document.getElementById("content");
    if (here && !here.draft && latest && main) {
      var note = document.createElement("p");
      note.className = "superseded-note";
      note.setAttribute("role", "note");
      var around = words.superseded.split("{version}");
      note.appendChild(document.createTextNode(around[0]));
      note.appendChild(link(latest));
      note.appendChild(document.createTextNode(around.slice(1).join("")));
      main.insertBefore(note, main.firstChild);
      // A frozen theme may have no style for it: still set it apart.
      if (window.getComputedStyle(note).borderTopStyle === "none") {
        note.style.border = "1px solid currentColor";
        note.style.padding = "0.5rem 0.75rem";
        note.style.borderRadius = "0.3rem";
      }
    }
  });
})();
