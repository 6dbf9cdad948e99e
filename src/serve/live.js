// upbook serve: reloads this page when a save changes it, keeps the
// reader's place, and shows what is wrong when a save does not build.
// Added to pages by `upbook serve` only; built files never contain it.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = Number(me.getAttribute("data-build"));
  var server = me.getAttribute("data-server");
  var key = "upbook-place:" + location.pathname;

  if ("scrollRestoration" in history) history.scrollRestoration = "manual";

  // The place is the last element with an id above the top of the window
  // and how far past it the reader is, so the text they were reading
  // stays put even when a save adds or removes text above it.
  function place() {
    var anchors = document.querySelectorAll("main [id], body > [id]");
    var best = null;
    for (var i = 0; i < anchors.length; i++) {
      var top = anchors[i].getBoundingClientRect().top;
      if (top <= 1) best = { id: anchors[i].id, offset: top };
      else break;
    }
    return { id: best && best.id, offset: best ? best.offset : 0, y: window.scrollY };
  }

  function restore() {
    var saved = sessionStorage.getItem(key);
    if (!saved) return;
    sessionStorage.removeItem(key);
    try { saved = JSON.parse(saved); } catch (e) { return; }
    var el = saved.id && document.getElementById(saved.id);
    if (el) window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - saved.offset);
    else window.scrollTo(0, saved.y);
  }

  function reload() {
    sessionStorage.setItem(key, JSON.stringify(place()));
    location.reload();
  }

  var overlay = null;
  function show(title, text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "upbook-serve-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#fff4f4;color:#3b0d0d;border:2px solid #b3261e;border-radius:6px;" +
        "padding:1rem 1.25rem;font:14px/1.45 system-ui,sans-serif;box-shadow:0 6px 24px rgba(0,0,0,.25)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var h = document.createElement("strong");
    h.textContent = title;
    var note = document.createElement("p");
    note.style.margin = ".4rem 0";
    note.textContent = "This page shows the last good build. Fix the problem and save: it updates by itself.";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0;font:13px/1.4 ui-monospace,monospace";
    pre.textContent = text;
    overlay.appendChild(h);
    overlay.appendChild(note);
    overlay.appendChild(pre);
  }
  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function update(status) {
    if (status.server !== server || status.build > build) {
      reload();
      return;
    }
    if (status.error) show("upbook: the last save did not build", status.error);
    else if (status.pdf_error) show("upbook: the PDF could not be made", status.pdf_error);
    else hide();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();

  var events = new EventSource("/__upbook/events");
  events.onmessage = function (e) {
    try { update(JSON.parse(e.data)); } catch (err) { /* a malformed message: wait for the next */ }
  };
})();
