// aimsdoc navigation: the sidebar (and a document's "On this page" list) is a <details>
// disclosure so that it collapses on narrow screens without JavaScript. Wide screens show it open anyway (style.css, ::details-content);
// this keeps the element's open state in step for browsers without that selector. Optional:
// every page works without it.
(function () {
  "use strict";
  if (!window.matchMedia) return;
  // The sidebar opens beside the text from 60em, the document's contents list from 75em.
  [["nav-menu", "(min-width: 60em)"], ["toc-fold", "screen and (min-width: 75em)"]].forEach(function (pair) {
    var el = document.getElementById(pair[0]);
    if (!el) return;
    var wide = window.matchMedia(pair[1]);
    function sync() { el.open = wide.matches; }
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
  });
})();
// Printing: the folded "Document control details" print in full. style.css opens them on paper
// through ::details-content; this opens them for browsers without it and folds them again after.
(function () {
  "use strict";
  var details = document.getElementById("document-control");
  if (!details || !window.addEventListener) return;
  var wasOpen = details.open;
  window.addEventListener("beforeprint", function () { wasOpen = details.open; details.open = true; });
  window.addEventListener("afterprint", function () { details.open = wasOpen; });
})();
