// Footnotes in place. Without this script (or without popover support) a note reference is a plain
// link that jumps to the note at the end, and the note's back-link returns. With it, activating a
// reference (click, tap, Enter) opens the note beside it; Escape, the close button or a click
// elsewhere closes it and focus goes back to the reference.
(function () {
  "use strict";
  if (!("popover" in HTMLElement.prototype)) return;

  var pop = null;       // the one note popover, moved next to whichever reference opened it
  var opener = null;    // the reference that opened it

  function make() {
    var el = document.createElement("span");
    el.className = "note-popover";
    el.setAttribute("popover", "auto");
    el.setAttribute("role", "dialog");
    el.setAttribute("tabindex", "-1");
    el.addEventListener("beforetoggle", function (event) {
      if (event.newState !== "closed" || !opener) return;
      var ref = opener;
      opener = null;
      ref.setAttribute("aria-expanded", "false");
      // Only take focus back from inside the note: a click elsewhere keeps its own target.
      var active = document.activeElement;
      if (!active || active === document.body || el.contains(active)) {
        ref.focus({ preventScroll: true });
      }
    });
    return el;
  }

  // The note's words as inline content (the popover sits inside a paragraph), without its ids and back-link.
  function contentOf(note) {
    var box = document.createElement("span");
    box.className = "note-popover-body";
    Array.prototype.forEach.call(note.children, function (child) {
      var part = document.createElement("span");
      part.className = "note-popover-p";
      Array.prototype.forEach.call(child.childNodes, function (node) { part.appendChild(node.cloneNode(true)); });
      box.appendChild(part);
    });
    Array.prototype.forEach.call(box.querySelectorAll(".backlink, .note-n"), function (el) { el.remove(); });
    Array.prototype.forEach.call(box.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
    return box;
  }

  function place(ref) {
    // The popover lives in the top layer; absolute coordinates keep it beside the reference while scrolling.
    var rect = ref.getBoundingClientRect();
    var width = pop.offsetWidth;
    var margin = 8;
    var left = Math.min(Math.max(rect.left + window.scrollX - 24, margin + window.scrollX),
                        window.scrollX + document.documentElement.clientWidth - width - margin);
    pop.style.left = Math.max(left, margin) + "px";
    pop.style.top = (rect.bottom + window.scrollY + 6) + "px";
  }

  function open(ref, note) {
    if (!pop) pop = make();
    if (pop.matches(":popover-open")) pop.hidePopover();
    var label = ref.getAttribute("aria-label") || ("Note " + ref.textContent);
    var heading = document.createElement("span");
    heading.className = "note-popover-title";
    heading.id = "note-popover-title";
    heading.textContent = label;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "note-popover-close";
    close.setAttribute("aria-label", "Close " + label.toLowerCase());
    close.textContent = "×";
    close.addEventListener("click", function () { pop.hidePopover(); });
    var whole = document.createElement("a");
    whole.className = "note-popover-link";
    whole.href = "#" + note.id;
    whole.textContent = "Go to the note";
    whole.addEventListener("click", function () { opener = null; pop.hidePopover(); });
    pop.replaceChildren(heading, close, contentOf(note), whole);
    pop.setAttribute("aria-labelledby", heading.id);
    // Next in the reading and tabbing order, but outside a heading so the note never joins its name.
    (ref.closest("h1, h2, h3, h4, h5, h6") || ref).after(pop);
    opener = ref;
    ref.setAttribute("aria-expanded", "true");
    try { pop.showPopover({ source: ref }); } catch (e) { pop.showPopover(); }
    place(ref);
    pop.focus({ preventScroll: true });
  }

  document.querySelectorAll("a.noteref[href^='#']").forEach(function (ref) {
    var note = document.getElementById(decodeURIComponent(ref.getAttribute("href").slice(1)));
    if (!note) return;
    ref.setAttribute("aria-expanded", "false");
    ref.setAttribute("aria-haspopup", "dialog");
    ref.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;  // new tab etc.
      event.preventDefault();
      if (opener === ref) { pop.hidePopover(); return; }
      open(ref, note);
    });
  });

  window.addEventListener("resize", function () { if (opener) place(opener); });
})();
