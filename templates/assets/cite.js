// Copy buttons for the citations pre-rendered in the page. Without this script (or without the
// Clipboard API) the buttons stay hidden and the citations remain selectable text.
(function () {
  "use strict";
  if (!navigator.clipboard || !navigator.clipboard.writeText) {
    return;
  }
  function copy(source) {
    var plain = source.textContent.replace(/\s+/g, " ").trim();
    // Rich text keeps the italics of titles when pasted into a word processor.
    if (window.ClipboardItem && navigator.clipboard.write) {
      var item = new window.ClipboardItem({
        "text/plain": new Blob([plain], { type: "text/plain" }),
        "text/html": new Blob([source.innerHTML], { type: "text/html" })
      });
      return navigator.clipboard.write([item]).catch(function () {
        return navigator.clipboard.writeText(plain);
      });
    }
    return navigator.clipboard.writeText(plain);
  }
  var buttons = document.querySelectorAll("button.cite-copy[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(source).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Copy failed: select the text instead";
      });
      window.setTimeout(function () { button.textContent = label; }, 2500);
    });
  });
})();
