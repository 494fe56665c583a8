// aimsdoc register: sort by any column and filter by type, status, owner, classification and
// overdue. Progressive enhancement: without JavaScript the full table still shows.
(function () {
  "use strict";
  var table = document.getElementById("register");
  var controls = document.getElementById("register-filters");
  if (!table || !controls) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filters = { type: "", state: "", owner: "", classification: "" };
  var overdueOnly = false;

  function cellText(row, i) { return (row.cells[i] && row.cells[i].textContent || "").trim(); }

  // Filter selects, filled from the rows' data attributes.
  Object.keys(filters).forEach(function (key) {
    var select = document.getElementById("filter-" + key);
    if (!select) return;
    var values = {};
    rows.forEach(function (r) { values[r.getAttribute("data-" + key) || ""] = true; });
    Object.keys(values).filter(Boolean).sort().forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      select.appendChild(o);
    });
    select.addEventListener("change", function () { filters[key] = select.value; apply(); });
  });
  var overdue = document.getElementById("filter-overdue");
  if (overdue) overdue.addEventListener("change", function () { overdueOnly = overdue.checked; apply(); });
  var count = document.getElementById("register-count");

  function apply() {
    var shown = 0;
    rows.forEach(function (r) {
      var ok = Object.keys(filters).every(function (k) { return !filters[k] || r.getAttribute("data-" + k) === filters[k]; });
      if (overdueOnly && r.getAttribute("data-state") !== "overdue") ok = false;
      r.hidden = !ok;
      if (ok) shown++;
    });
    if (count) count.textContent = shown + " of " + rows.length + " documents shown";
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
  controls.hidden = false;
  apply();
})();
