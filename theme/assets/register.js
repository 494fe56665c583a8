// aimsdoc register: sort by any column and filter by type, status, owner, classification and
// overdue. Filters can be linked: register.html#type=policy&state=current&overdue=1 (the
// sidebar's "documents by type" links do this; ?type=policy works too). Progressive
// enhancement: without JavaScript the full table still shows.
(function () {
  "use strict";
  var table = document.getElementById("register");
  var controls = document.getElementById("register-filters");
  if (!table || !controls) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filters = { type: "", state: "", owner: "", classification: "" };
  var selects = {};
  var overdue = document.getElementById("filter-overdue");
  var count = document.getElementById("register-count");
  var reset = document.getElementById("filter-reset");

  function cellText(row, i) { return (row.cells[i] && row.cells[i].textContent || "").trim(); }

  // Filter selects, filled from the rows' data attributes.
  Object.keys(filters).forEach(function (key) {
    var select = document.getElementById("filter-" + key);
    if (!select) return;
    selects[key] = select;
    var values = {};
    rows.forEach(function (r) { values[r.getAttribute("data-" + key) || ""] = true; });
    Object.keys(values).filter(Boolean).sort().forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      select.appendChild(o);
    });
    select.addEventListener("change", function () { filters[key] = select.value; apply(true); });
  });
  if (overdue) overdue.addEventListener("change", function () { apply(true); });
  if (reset) reset.addEventListener("click", function () {
    Object.keys(filters).forEach(function (k) { filters[k] = ""; if (selects[k]) selects[k].value = ""; });
    if (overdue) overdue.checked = false;
    apply(true);
  });

  // The filters named in the URL fragment (or, failing that, the query string).
  function fromUrl() {
    var text = window.location.hash.replace(/^#/, "") || window.location.search.replace(/^\?/, "");
    var params = new URLSearchParams(text);
    Object.keys(filters).forEach(function (k) {
      var v = params.get(k) || (k === "state" ? params.get("status") || "" : "");
      var known = selects[k] && Array.prototype.some.call(selects[k].options, function (o) { return o.value === v; });
      filters[k] = known ? v : "";
      if (selects[k]) selects[k].value = filters[k];
    });
    if (overdue) overdue.checked = params.get("overdue") === "1" || params.get("overdue") === "true";
  }

  // Writes the filters back into the fragment, so the filtered view can be bookmarked or shared.
  function toUrl() {
    var params = new URLSearchParams();
    Object.keys(filters).forEach(function (k) { if (filters[k]) params.set(k, filters[k]); });
    if (overdue && overdue.checked) params.set("overdue", "1");
    var hash = params.toString();
    var url = window.location.pathname + (hash ? "#" + hash : "");
    if (window.location.protocol !== "file:" && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", url);
    } else if (("#" + hash) !== window.location.hash && (hash || window.location.hash)) {
      window.location.replace("#" + hash);
    }
  }

  // Marks the sidebar's link for the type shown, as on a document page of that type.
  function markSidebar() {
    var links = document.querySelectorAll(".sidebar a[href*='register.html#type=']");
    Array.prototype.forEach.call(links, function (a) {
      var type = decodeURIComponent(a.getAttribute("href").split("#type=")[1] || "");
      if (filters.type && type === filters.type) a.setAttribute("aria-current", "true");
      else if (a.getAttribute("aria-current") === "true") a.removeAttribute("aria-current");
    });
  }

  function apply(writeUrl) {
    var shown = 0;
    var overdueOnly = overdue && overdue.checked;
    rows.forEach(function (r) {
      var ok = Object.keys(filters).every(function (k) { return !filters[k] || r.getAttribute("data-" + k) === filters[k]; });
      if (overdueOnly && r.getAttribute("data-state") !== "overdue") ok = false;
      r.hidden = !ok;
      if (ok) shown++;
    });
    if (count) count.textContent = shown + " of " + rows.length + " documents shown";
    if (reset) reset.disabled = shown === rows.length && !overdueOnly;
    markSidebar();
    if (writeUrl) toUrl();
  }

  // Sortable headers: each header's text becomes a button; aria-sort tells assistive technology.
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, i) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = cellText(a, i), y = cellText(b, i);
        var c = x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  window.addEventListener("hashchange", function () { fromUrl(); apply(false); });
  controls.hidden = false;
  fromUrl();
  apply(false);
})();
