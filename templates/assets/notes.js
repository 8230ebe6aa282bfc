// Progressive enhancement for footnotes: without this script, references jump to the notes.
(function () {
  "use strict";
})();
