// aimsdoc navigation: the sidebar is a <details> disclosure so that it collapses on narrow
// screens without JavaScript. Wide screens show it open anyway (style.css, ::details-content);
// this keeps the element's open state in step for browsers without that selector. Optional:
// every page works without it.
(function () {
  "use strict";
  var menu = document.getElementById("nav-menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 60em)");
  function sync() { menu.open = wide.matches; }
  sync();
  if (wide.addEventListener) wide.addEventListener("change", sync);
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
