// Helps for the reader on screen: a copy button on every code block, the
// contents marking the section in view, and the top bar's height for the
// layout (it wraps on a phone). Progressive enhancement: every page reads
// fine without this file.
(function () {
  "use strict";
  // The page's fixed words (the theme's strings/<language>.toml), which
  // the page carries: scripts hold none of their own.
  // Read when first needed: a single file runs its scripts in <head>,
  // before <body>, which carries them, is parsed.
  var pageWords;
  function t(key) {
    if (!pageWords && document.body) {
      pageWords = JSON.parse(document.body.getAttribute("data-strings") || "{}");
    }
    return (pageWords && pageWords[key]) || key;
  }

  // Copies exactly the command: the block's text, which holds neither
  // the step number nor print's continuation marks (those are drawn).
  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("pre.code"), function (pre) {
      var code = pre.querySelector("code") || pre;
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      button.textContent = t("copy");
      button.setAttribute("aria-label", t("copy_code"));
      var said = document.createElement("span");
      said.className = "visually-hidden";
      said.setAttribute("aria-live", "polite");
      wrap.appendChild(button);
      wrap.appendChild(said);
      button.addEventListener("click", function () {
        var text = code.textContent.replace(/\n$/, "");
        write(text).then(function () {
          button.textContent = t("copied");
          said.textContent = t("copied");
        }, function () {
          button.textContent = t("select_and_copy");
        });
        setTimeout(function () { button.textContent = t("copy"); said.textContent = ""; }, 2000);
      });
    });
  }

  // The clipboard, or the older way where a page may not use it.
  function write(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).catch(function () { return fallback(text); });
    }
    return fallback(text);
  }
  function fallback(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  // The top bar's height, for the sidebar under it and for where an
  // anchor scrolls to.
  function topBar() {
    var bar = document.querySelector(".topbar");
    if (!bar) { return 0; }
    var h = bar.getBoundingClientRect().height;
    document.documentElement.style.setProperty("--topbar-h", h + "px");
    return h;
  }

  // Marks the contents' entry for the section in view: the last one
  // whose start has scrolled under the top bar.
  function sectionInView() {
    var sidebar = document.getElementById("sidebar");
    if (!sidebar) { return; }
    var marks = [];
    Array.prototype.forEach.call(sidebar.querySelectorAll("a[href^='#']"), function (a) {
      var target = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (target) { marks.push({ link: a, target: target }); }
    });
    if (!marks.length) { return; }
    marks.sort(function (a, b) {
      return a.target.compareDocumentPosition(b.target) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    var current = null;
    var pending = false;
    function update() {
      pending = false;
      var line = topBar() + 24;
      var found = marks[0];
      for (var i = 0; i < marks.length; i += 1) {
        if (marks[i].target.getBoundingClientRect().top <= line) { found = marks[i]; } else { break; }
      }
      if (found === current) { return; }
      if (current) { current.link.removeAttribute("aria-current"); }
      current = found;
      current.link.setAttribute("aria-current", "location");
      // Keep the mark in sight in a long contents list, without moving
      // the page.
      var box = sidebar.getBoundingClientRect();
      var at = current.link.getBoundingClientRect();
      if (at.top < box.top || at.bottom > box.bottom) {
        sidebar.scrollTop += at.top - box.top - box.height / 3;
      }
    }
    function later() {
      if (!pending) { pending = true; window.requestAnimationFrame(update); }
    }
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
    window.addEventListener("hashchange", later);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    topBar();
    window.addEventListener("resize", topBar);
    copyButtons();
    sectionInView();
  });
})();
