// Search: the index is a script beside the page (so it loads from disk
// too). Every term typed must match: a word anywhere in the text
// ("on-call" as typed), a quoted phrase in its order, and a word of five
// letters or more also with one typo ("brokr" finds "broker"). Step text
// ranks first, then sections, then the page's and the report's parts.
// `/` focuses the box. Progressive enhancement: without it the box stays
// hidden.
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

  // Splits a query into terms: "quoted phrases" and single words.
  function terms(query) {
    var out = [];
    var re = /"([^"]*)"?|(\S+)/g;
    var m;
    while ((m = re.exec(query.toLowerCase()))) {
      var text = (m[1] !== undefined ? m[1] : m[2]).replace(/\s+/g, " ").trim();
      if (text) { out.push({ text: text, phrase: m[1] !== undefined && text.indexOf(" ") >= 0 }); }
    }
    return out;
  }

  // Whether `a` and `b` are at most one edit apart (insert, delete,
  // replace or swap of two letters).
  function oneEdit(a, b) {
    if (a === b) { return true; }
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) { return false; }
    var i = 0;
    while (i < la && i < lb && a.charAt(i) === b.charAt(i)) { i += 1; }
    if (la === lb) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) && a.slice(i + 2) === b.slice(i + 2));
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function words(text) { return text.split(/[^\p{L}\p{N}_.-]+/u).filter(Boolean); }

  function setUp() {
    var box = document.getElementById("search-box");
    var index = window.UPBOOK_SEARCH;
    if (!box || !index) { return; }
    var wrap = box.parentNode;
    var list = document.getElementById("search-results");
    wrap.hidden = false;
    function kind(e, fromReport) {
      if (fromReport) { return 0; }
      if (/^#step-/.test(e.href)) { return 3; }
      return e.section === undefined ? 1 : 2;
    }
    // The single file, alone: the report is at the published site
    // (`site_url`), or not reachable at all.
    var site = document.querySelector("meta[name=upbook-site]");
    function reachable(e) {
      if (!site || e.href.charAt(0) === "#") { return e; }
      var base = site.getAttribute("content");
      if (!base) { return null; }
      e.href = base + e.href;
      return e;
    }
    var entries, vocabulary;
    function load(index) {
      entries = index.entries.map(function (e) { return { e: e, report: false }; })
        .concat((index.report_parts || []).map(function (e) { return { e: e, report: true }; }))
        .map(function (x) {
          var e = x.e;
          var heading = (e.title + " " + (e.section || "")).toLowerCase();
          return { href: e.href, title: e.title, section: e.section || "", text: e.text,
            own: e.title.toLowerCase(), within: (e.section || "").toLowerCase(),
            heading: heading, hay: heading + " " + e.words, rank: kind(e, x.report) };
        })
        .map(reachable).filter(Boolean);
      // Each word of the index once, for typos: checked against the typed
      // word once per query, not once per entry.
      var seen = {};
      entries.forEach(function (e) {
        words(e.hay).forEach(function (w) {
          seen[w] = true;
          w.split(/[.-]/).forEach(function (part) { if (part) { seen[part] = true; } });
        });
      });
      vocabulary = Object.keys(seen);
    }
    load(index);
    // The forms each term may take in the text.
    function forms(term) {
      var out = [term.text];
      if (!term.phrase && term.text.length >= 5) {
        vocabulary.forEach(function (w) {
          if (w !== term.text && oneEdit(term.text, w)) { out.push(w); }
        });
      }
      return out;
    }
    function find(query) {
      var ts = terms(query);
      if (!ts.length) { return null; }
      var options = ts.map(forms);
      var whole = ts.map(function (t) { return t.text; }).join(" ");
      return entries.map(function (e) {
        e.word = "";
        var exact = 0;
        var at = -1;
        for (var i = 0; i < options.length; i += 1) {
          var found = -1;
          for (var j = 0; j < options[i].length && found < 0; j += 1) {
            found = e.hay.indexOf(options[i][j]);
            if (found >= 0 && j === 0) { exact += 1; }
            if (found >= 0 && at < 0) { at = found; e.word = options[i][j]; }
          }
          if (found < 0) { return null; }
        }
        // A section's own title naming every term wins; a step's section
        // naming some of them helps.
        var inTitle = ts.every(function (t) { return e.own.indexOf(t.text) >= 0; });
        var inSection = ts.filter(function (t) { return e.within.indexOf(t.text) >= 0; }).length;
        var phrase = ts.length > 1 && e.hay.indexOf(whole) >= 0;
        var score = (inTitle ? 100 : 0) + inSection * 8 + (phrase ? 40 : 0) + e.rank * 10 + exact * 3 -
          e.hay.length / 1e6;
        return { e: e, score: score };
      }).filter(Boolean).sort(function (a, b) { return b.score - a.score; })
        .slice(0, 20).map(function (x) { return x.e; });
    }
    // The report and change view open results in the reader's copy
    // (versions.js points their "Playbook" link there).
    var onPlaybook = !!document.querySelector("article.playbook");
    function playbookPage() {
      var link = document.querySelector(".playbook-link");
      return link ? link.getAttribute("href") : "index.html";
    }
    var chosen = -1;
    var shown = [];
    function go(entry) {
      var href = entry.href;
      if (href.charAt(0) === "#" && !onPlaybook) { href = playbookPage() + href; }
      window.location.href = href;
      close();
    }
    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      chosen = i;
      Array.prototype.forEach.call(list.children, function (li, j) {
        li.setAttribute("aria-selected", j === i ? "true" : "false");
      });
      if (i >= 0) { box.setAttribute("aria-activedescendant", "search-result-" + i); }
    }
    // The text around the first match, from the whole text when the
    // match lies past the start kept for showing.
    function snippet(e) {
      var word = e.word || "";
      var source = e.text.toLowerCase().indexOf(word) >= 0 ? e.text : e.hay.slice(e.heading.length + 1);
      var at = word ? source.toLowerCase().indexOf(word) : -1;
      if (at < 0) { return source.slice(0, 120); }
      var from = Math.max(0, at - 40);
      return (from > 0 ? "…" : "") + source.slice(from, from + 140) + (from + 140 < source.length ? "…" : "");
    }
    box.addEventListener("input", function () {
      // The report and change view may swap in the reader's copy's index
      // (versions.js loads it): read it again when it changed.
      if (window.UPBOOK_SEARCH !== index) {
        index = window.UPBOOK_SEARCH;
        load(index);
      }
      while (list.firstChild) { list.removeChild(list.firstChild); }
      var found = find(box.value);
      if (!found) { close(); return; }
      shown = found;
      shown.forEach(function (e, i) {
        var li = document.createElement("li");
        li.id = "search-result-" + i;
        li.setAttribute("role", "option");
        var title = document.createElement("span");
        title.className = "result-title";
        title.textContent = e.title + (e.section ? " · " + e.section : "");
        var text = document.createElement("span");
        text.className = "result-text";
        text.textContent = snippet(e);
        li.appendChild(title);
        li.appendChild(text);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); go(e); });
        list.appendChild(li);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "no-result";
        none.textContent = t("nothing_found");
        list.appendChild(none);
      }
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      mark(shown.length ? 0 : -1);
    });
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && shown.length) { ev.preventDefault(); mark((chosen + 1) % shown.length); }
      else if (ev.key === "ArrowUp" && shown.length) { ev.preventDefault(); mark((chosen - 1 + shown.length) % shown.length); }
      else if (ev.key === "Enter" && chosen >= 0) { ev.preventDefault(); go(shown[chosen]); }
      else if (ev.key === "Escape") { close(); }
    });
    box.addEventListener("blur", close);
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
      if (ev.key === "/" && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        box.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
