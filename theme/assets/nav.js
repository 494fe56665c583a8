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
