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
    checklist();
    var side = document.querySelector(".sidebar-toggle");
    if (side) {
      side.addEventListener("click", function () {
        var open = document.body.classList.toggle("sidebar-open");
        side.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });

  // The checklist: each step's box keeps its state in this browser, per
  // customer, version and copy, with the time it was ticked, so a new
  // version or another environment's copy starts clean. The execution log
  // lists the ticked steps; it prints and saves as CSV.
  function checklist() {
    var article = document.querySelector("[data-checklist]");
    if (!article) { return; }
    var prefix = "upbook-step:" + article.getAttribute("data-checklist") + ":";
    try {
      localStorage.setItem(prefix + "probe", "1");
      localStorage.removeItem(prefix + "probe");
    } catch (e) {
      return; // No storage: the drawn boxes stay, for print.
    }
    root.classList.add("checklist-on");
    var boxes = Array.prototype.slice.call(article.querySelectorAll(".step-check input"));
    function stamp(time) {
      var d = new Date(time);
      return isNaN(d) ? time : d.toLocaleString();
    }
    function show(box) {
      var at = localStorage.getItem(prefix + box.getAttribute("data-step"));
      box.checked = !!at;
      var step = box.closest(".step");
      if (step) { step.classList.toggle("done", !!at); }
      var label = box.parentNode;
      label.hidden = false;
      var shown = label.querySelector(".done-at");
      if (!shown) {
        shown = document.createElement("span");
        shown.className = "done-at";
        label.appendChild(shown);
      }
      shown.textContent = at ? stamp(at) : "";
      return at;
    }
    function entries() {
      return boxes.map(function (box) {
        var at = localStorage.getItem(prefix + box.getAttribute("data-step"));
        var section = box.closest("section");
        var heading = section && section.querySelector("h3, h4");
        return {
          step: box.getAttribute("data-step"),
          section: heading ? heading.firstChild.textContent.trim() : "",
          at: at
        };
      }).filter(function (e) { return e.at; });
    }
    var log = document.getElementById("execution-log");
    function renderLog() {
      if (!log) { return; }
      log.hidden = false;
      var body = log.querySelector("tbody");
      while (body.firstChild) { body.removeChild(body.firstChild); }
      var list = entries();
      list.forEach(function (e) {
        var tr = document.createElement("tr");
        [e.step, e.section, stamp(e.at)].forEach(function (text, i) {
          var td = document.createElement("td");
          if (i === 0) {
            var a = document.createElement("a");
            a.href = "#step-" + e.step.toLowerCase();
            a.textContent = "Step " + text;
            td.appendChild(a);
          } else {
            td.textContent = text;
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      log.querySelector(".log-empty").hidden = list.length > 0;
    }
    boxes.forEach(function (box) {
      show(box);
      box.addEventListener("change", function () {
        var key = prefix + box.getAttribute("data-step");
        if (box.checked) {
          localStorage.setItem(key, new Date().toISOString());
        } else {
          localStorage.removeItem(key);
        }
        show(box);
        renderLog();
      });
    });
    renderLog();
    if (!log) { return; }
    log.querySelector(".log-print").addEventListener("click", function () { window.print(); });
    log.querySelector(".log-clear").addEventListener("click", function () {
      if (!window.confirm("Clear every tick of this copy?")) { return; }
      boxes.forEach(function (box) {
        localStorage.removeItem(prefix + box.getAttribute("data-step"));
        show(box);
      });
      renderLog();
    });
    log.querySelector(".log-save").addEventListener("click", function () {
      var quote = function (v) { return "\"" + String(v).replace(/"/g, "\"\"") + "\""; };
      var lines = ["step,section,ticked_at"].concat(entries().map(function (e) {
        return [e.step, e.section, e.at].map(quote).join(",");
      }));
      var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      var parts = article.getAttribute("data-checklist").split("|");
      a.download = "execution-log-" + parts[1] + "-" + parts[2].replace(/\.html$/, "") + ".csv";
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    });
  }
})();
