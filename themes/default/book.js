// Progressive enhancement only: every page reads fine without this file.
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
  // The words under `key` with each `{name}` replaced by `values[name]`.
  function fill(key, values) {
    return t(key).replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }
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
    checklist();
    review();
    var side = document.querySelector(".sidebar-toggle");
    if (side) {
      side.addEventListener("click", function () {
        var open = document.body.classList.toggle("sidebar-open");
        side.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });

  // Change requests from the page: each section of a released version
  // gets a "Request a change" form; saved requests stay in this browser
  // (per customer and version) and download as a change-requests file
  // that `upbook requests import` reads. Nothing leaves the machine. Each
  // request records the copy it was raised on and the section's steps as
  // that copy numbers them (B6 in one copy is B5 in another).
  function review() {
    var article = document.querySelector("[data-review]");
    if (!article) { return; }
    var version = article.getAttribute("data-review");
    var key = "upbook-requests:" + article.getAttribute("data-review-key");
    var nameKey = "upbook-requests:name";
    var saved;
    try {
      saved = JSON.parse(localStorage.getItem(key) || "[]");
    } catch (e) {
      return; // No storage: the e-mail links stay.
    }
    var panel = document.getElementById("your-requests");
    var copy = article.getAttribute("data-review-copy") || "";
    function store() {
      localStorage.setItem(key, JSON.stringify(saved));
      render();
    }
    // The section's steps as this page numbers them: "12–14", "B3".
    function stepsOf(sectionId) {
      var section = document.getElementById(sectionId);
      var box = section && (section.closest("section") || section.parentNode);
      if (!box) { return ""; }
      var labels = Array.prototype.slice.call(box.querySelectorAll("[id^='step-']"))
        .map(function (e) { return e.id.slice(5).toUpperCase(); });
      if (!labels.length) { return ""; }
      var last = labels[labels.length - 1];
      return labels[0] === last ? last : labels[0] + "–" + last;
    }
    function today() {
      var d = new Date();
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    }
    function el(tag, attrs, text) {
      var e = document.createElement(tag);
      Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text) { e.textContent = text; }
      return e;
    }
    var serial = 0;
    // Opens the form under `spot`, for a new request or to edit `index`.
    function open(spot, index) {
      var old = spot.querySelector("form");
      if (old) { old.remove(); }
      var draft = index === undefined ? {} : saved[index];
      serial += 1;
      var id = "request-" + serial;
      var form = el("form", { "class": "request-form", "aria-label": fill("request_a_change_to", { title: spot.getAttribute("data-title") }) });
      var kinds = el("fieldset");
      kinds.appendChild(el("legend", {}, t("kind")));
      ["change", "clarification"].forEach(function (kind) {
        var label = el("label");
        var radio = el("input", { type: "radio", name: id + "-kind", value: kind });
        radio.checked = (draft.kind || "change") === kind;
        label.appendChild(radio);
        label.appendChild(document.createTextNode(" " + (kind === "change" ? t("change") : t("clarification"))));
        kinds.appendChild(label);
      });
      form.appendChild(kinds);
      var textLabel = el("label", { "for": id + "-text" }, t("request"));
      var text = el("textarea", { id: id + "-text", rows: "4", required: "" });
      text.value = draft.request || "";
      var nameLabel = el("label", { "for": id + "-name" }, t("your_name"));
      var name = el("input", { id: id + "-name", type: "text", autocomplete: "name", required: "" });
      name.value = draft.raised_by || localStorage.getItem(nameKey) || "";
      [textLabel, text, nameLabel, name].forEach(function (e) { form.appendChild(e); });
      var actions = el("div", { "class": "actions" });
      actions.appendChild(el("button", { type: "submit" }, t("save_request")));
      var cancel = el("button", { type: "button" }, t("cancel"));
      actions.appendChild(cancel);
      form.appendChild(actions);
      cancel.addEventListener("click", function () { form.remove(); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!text.value.trim() || !name.value.trim()) { return; }
        var kind = form.querySelector("input[type=radio]:checked").value;
        var entry = {
          section: spot.getAttribute("data-section"),
          title: spot.getAttribute("data-title"),
          kind: kind,
          request: text.value.trim(),
          raised_by: name.value.trim(),
          date: draft.date || today(),
          copy: draft.copy || copy,
          steps: draft.steps || stepsOf(spot.getAttribute("data-section"))
        };
        localStorage.setItem(nameKey, entry.raised_by);
        if (index === undefined) { saved.push(entry); } else { saved[index] = entry; }
        form.remove();
        store();
        // The reader stays where they are: the spot says it was saved.
        var said = spot.querySelector(".request-saved") || el("p", { "class": "request-saved", role: "status" });
        said.textContent = fill("saved", { unsent: unsent() });
        spot.appendChild(said);
        var again = spot.querySelector(".request-button");
        if (again) { again.focus({ preventScroll: true }); }
      });
      spot.appendChild(form);
      text.focus();
    }
    var spots = Array.prototype.slice.call(article.querySelectorAll(".request-change"));
    spots.forEach(function (spot) {
      var button = el("button", { type: "button", "class": "request-button" }, t("request_a_change"));
      button.addEventListener("click", function () { open(spot); });
      spot.insertBefore(button, spot.firstChild);
    });
    function yaml() {
      var q = function (s) { return JSON.stringify(String(s)); };
      var lines = ["# " + fill("file_heading", { version: version, copy: copy ? fill("file_copy", { copy: copy }) : "" }),
        "# " + t("file_send")];
      saved.forEach(function (r) {
        lines.push("- raised_against: " + q(version));
        lines.push("  section: " + q(r.section));
        lines.push("  raised_by: " + q(r.raised_by));
        lines.push("  date: " + r.date);
        lines.push("  kind: " + r.kind);
        lines.push("  request: " + q(r.request));
        lines.push("  status: open");
        if (r.copy) { lines.push("  copy: " + q(r.copy)); }
        if (r.steps) { lines.push("  steps: " + q(r.steps)); }
      });
      return lines.join("\n") + "\n";
    }
    function unsent() {
      return saved.length === 1 ? fill("unsent_one", { count: 1 }) : fill("unsent", { count: saved.length });
    }
    // The top bar counts the requests saved here but not yet sent.
    var count = el("a", { "class": "requests-count", href: "#your-requests" });
    var bar = document.querySelector(".topbar");
    if (bar && panel) { bar.appendChild(count); }
    function render() {
      count.textContent = unsent();
      count.hidden = saved.length === 0;
      if (!panel) { return; }
      panel.hidden = false;
      panel.setAttribute("tabindex", "-1");
      var list = panel.querySelector(".request-list");
      while (list.firstChild) { list.removeChild(list.firstChild); }
      saved.forEach(function (r, i) {
        var li = el("li");
        var where = el("a", { href: "#" + r.section }, r.title);
        li.appendChild(el("strong", {}, r.kind === "change" ? t("change") : t("clarification")));
        li.appendChild(document.createTextNode(t("request_on")));
        li.appendChild(where);
        li.appendChild(el("p", {}, r.request));
        li.appendChild(el("p", { "class": "raised" }, r.raised_by + ", " + r.date +
          (r.copy ? fill("raised_on_copy", { copy: r.copy }) : "") + (r.steps ? fill("raised_steps", { steps: r.steps }) : "")));
        var edit = el("button", { type: "button" }, t("edit"));
        var remove = el("button", { type: "button" }, t("remove"));
        edit.addEventListener("click", function () {
          var spot = spots.filter(function (s) { return s.getAttribute("data-section") === r.section; })[0];
          if (spot) { open(spot, i); spot.scrollIntoView(); }
        });
        remove.addEventListener("click", function () { saved.splice(i, 1); store(); });
        li.appendChild(edit);
        li.appendChild(remove);
        list.appendChild(li);
      });
      panel.querySelector(".requests-empty").hidden = saved.length > 0;
      panel.querySelector(".requests-download").disabled = saved.length === 0;
    }
    if (panel) {
      panel.querySelector(".requests-download").addEventListener("click", function () {
        var a = el("a", { download: "change-requests-" + version + ".yaml" });
        a.href = URL.createObjectURL(new Blob([yaml()], { type: "application/yaml" }));
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      });
    }
    render();
  }

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
            a.textContent = fill("step", { label: text });
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
      if (!window.confirm(t("clear_ticks"))) { return; }
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
