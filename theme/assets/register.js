// aimsdoc tables: the document register and the evidence index (any form.filters[data-table]).
// Sort by any column (blanks last, either way), filter by the form's selects and check boxes;
// superseded and withdrawn rows show only with "Show all" (or when their status is picked).
// Filters can be linked: register.html#type=policy&state=current&overdue=1&all=1 (?type=... too).
// A long table is split (src/render/tables.rs): the page holds its first page of rows and the
// table names its parts (data-parts, data-part-base); they are loaded by script tags, so this
// works from file:// as well as over HTTP, on the first sort, filter or page turn, after which
// sort, filter and pages cover every row. Rows are built with DOM APIs, never from markup.
// Progressive enhancement: without JavaScript the table shows as the page holds it.
(function () {
  "use strict";
  var loaded = {}, waiting = {};
  window.AIMSDOC_PART = function (name, n, data) {
    loaded[name + "/" + n] = data;
    (waiting[name + "/" + n] || []).forEach(function (f) { f(); });
  };

  function loadPart(base, name, n, done, fail) {
    var key = name + "/" + n;
    if (loaded[key]) { done(); return; }
    (waiting[key] = waiting[key] || []).push(done);
    if (waiting[key].length > 1) return;
    var s = document.createElement("script");
    s.src = base + n + ".js";
    s.onerror = function () { fail(n); };
    document.head.appendChild(s);
  }

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var FLAGS = {
    overdue: function (r) { return r.get("state") === "overdue"; },
    past: function (r) { return r.get("past") === "1"; },
  };
  var OBSOLETE = { superseded: true, withdrawn: true };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === "") continue;
      parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function link(href, text, cls) { var a = el("a", cls, text); a.href = href; return a; }
  function cell(label, cls) { var td = el("td", cls); td.setAttribute("data-label", label); return td; }
  function hashBox(sha) {
    var d = el("details", "hash-box"), s = el("summary");
    add(s, el("code", "hash-short", sha.slice(0, 12)), el("span", "visually-hidden", " (show the full SHA-256)"));
    return add(d, s, el("code", "hash hash-full", sha));
  }
  function legalHold(td, hold) {
    if (!hold) return;
    var b = el("span", "badge legal-hold", "legal hold");
    b.title = hold;
    add(td, " ", b, el("br"), el("span", "muted", hold));
  }

  // One register row from its part data (as theme/templates/register.html renders it).
  function registerRow(g) {
    var tr = el("tr");
    ["id", "state", "type", "owner", "classification"].forEach(function (k) { tr.setAttribute("data-" + k, g(k)); });
    var state = g("state");
    var approved = cell("Approved");
    if (g("approval_date")) add(approved, el("span", "date", g("approval_date")));
    if (g("approved_by")) add(approved, el("br"), el("span", "muted", g("approved_by")));
    var disposition = add(cell("Disposition", "disposition"), g("disposition"));
    legalHold(disposition, g("legal_hold"));
    return add(tr,
      add(cell("Id", "id"), link(g("href"), g("id"))),
      add(cell("Title", "title"), link(g("href"), g("title"))),
      add(cell("Type"), g("type")), add(cell("Owner"), g("owner")), add(cell("Version", "nowrap"), g("version")),
      add(cell("Status"), el("span", "badge state-" + state, g("state_label") || state)),
      approved,
      add(cell("Effective", "date"), g("effective")), add(cell("Next review", "date"), g("next_review")),
      add(cell("Record date", "date record-date"), g("record_date")), add(cell("Retention", "retention"), g("retention")),
      disposition,
      add(cell("Classification"), el("span", "badge class-" + g("classification"), g("classification"))),
      add(cell("SHA-256", "sha"), hashBox(g("sha256"))));
  }

  // One evidence row from its part data (as theme/templates/evidence.html renders it).
  function evidenceRow(g) {
    var tr = el("tr");
    tr.id = g("anchor");
    ["kind", "path", "state", "owner", "past"].forEach(function (k) { if (g(k)) tr.setAttribute("data-" + k, g(k)); });
    var file = cell("File", "file");
    if (g("withheld")) {
      var name = el("span", null, g("name"));
      name.title = g("path");
      add(file, name, " ", el("span", "badge withheld", g("availability")));
    } else {
      var a = link(g("href"), g("name"));
      if (g("download")) a.setAttribute("download", g("download"));
      add(file, a);
    }
    add(file, el("br"), add(el("span", "muted file-meta"), el("span", "file-path", g("path")), el("br"),
      g("kind") + " \u00b7 ", el("span", "media-type", g("media_type")), " \u00b7 ", el("span", "size", g("size")), " bytes"));
    var record = cell("Record");
    add(record, g("record_date") ? el("span", "date", g("record_date")) : "", el("br"), el("span", "muted", g("owner")));
    var retention = add(cell("Retention"), g("retention")), disp = g("disposition");
    if (disp) {
      add(retention, el("br"));
      if (g("past")) add(retention, el("span", "badge state-overdue", "dispose " + disp));
      else if (disp === "permanent") add(retention, el("span", "muted", "kept permanently"));
      else if (disp === "while current") add(retention, el("span", "muted", "kept while current"));
      else add(retention, add(el("span", "muted"), "until ", el("span", "date", disp)));
    }
    if (g("legal_hold")) {
      var hold = el("span", "badge legal-hold", "legal hold");
      hold.title = g("legal_hold");
      add(retention, el("br"), hold, " ", el("span", "muted", g("legal_hold")));
    }
    var supports = cell("Supports");
    links(supports, g("documents"), function (id) { return "documents/" + id + ".html"; }, "doc-ref id");
    add(supports, " ", el("span", "badge state-" + g("state"), g("state")));
    [["clauses", "clauses/"], ["controls", "annex-a/"]].forEach(function (k) {
      if (g(k[0])) { add(supports, el("br")); links(supports, g(k[0]), function (c) { return k[1] + c + ".html"; }, "id"); }
    });
    return add(tr, file, add(cell("SHA-256", "sha"), hashBox(g("sha256"))), record, retention, supports);
  }
  function links(parent, list, href, cls) {
    list.split(" ").filter(Boolean).forEach(function (id, i) { if (i) add(parent, ", "); add(parent, link(href(id), id, cls)); });
  }

  var BUILDERS = { register: registerRow, evidence: evidenceRow };

  Array.prototype.forEach.call(document.querySelectorAll("form.filters[data-table]"), setup);

  function setup(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table || !table.tBodies[0]) return;
    var name = table.id, body = table.tBodies[0], headers = table.tHead.rows[0].cells;
    var noun = form.getAttribute("data-noun") || "rows";
    var fields = {};
    (table.getAttribute("data-fields") || "").split(" ").forEach(function (f, i) { fields[f] = i; });
    var parts = Number(table.getAttribute("data-parts") || 0);
    var base = table.getAttribute("data-part-base") || "";
    var pageRows = Number(table.getAttribute("data-page-rows") || 0) || body.rows.length || 1;
    var count = form.querySelector(".table-count");
    var empty = document.getElementById(name + "-empty");
    var pager = document.getElementById(name + "-pager");
    var reset = form.querySelector("button[type=button]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-key]"));
    var flags = Array.prototype.slice.call(form.querySelectorAll("input[data-flag]"));
    var records = null, loading = false, page = 0, sorted = null;

    function domRecord(tr) {
      return {
        el: tr,
        get: function (k) { return tr.getAttribute("data-" + k) || ""; },
        key: function (i) { return (tr.cells[i] && tr.cells[i].textContent || "").trim(); },
      };
    }
    function dataRecord(row) {
      var get = function (k) { return k in fields ? row[fields[k]] || "" : ""; };
      return {
        el: null,
        get: get,
        key: function (i) { return get(headers[i].getAttribute("data-field")); },
      };
    }
    if (!parts) records = Array.prototype.map.call(body.rows, domRecord);

    // Loads every part once, then runs `then`.
    function ensureLoaded(then) {
      if (records) { then(); return; }
      if (loading) return;
      loading = true;
      var left = parts, failed = false;
      if (count) count.textContent = "Loading all " + noun + " (" + parts + " parts)\u2026";
      for (var n = 0; n < parts; n++) {
        loadPart(base, name, n, function () {
          if (--left > 0 || failed) return;
          records = [];
          for (var k = 0; k < parts; k++) loaded[name + "/" + k].forEach(function (row) { records.push(dataRecord(row)); });
          then();
        }, function (k) {
          failed = true;
          if (count) count.textContent = "Could not load part " + k + " of this table (" + base + k + ".js); the page shows its first rows only.";
        });
      }
    }

    function flag(k) { return flags.filter(function (f) { return f.getAttribute("data-flag") === k; })[0]; }
    function matches(r) {
      var state = "";
      for (var i = 0; i < selects.length; i++) {
        var v = selects[i].value, key = selects[i].getAttribute("data-key");
        if (key === "state") state = v;
        if (v && r.get(key) !== v) return false;
      }
      for (var j = 0; j < flags.length; j++) {
        var test = FLAGS[flags[j].getAttribute("data-flag")];
        if (flags[j].checked && test && !test(r)) return false;
      }
      var all = flag("all");
      return !all || all.checked || state !== "" || !OBSOLETE[r.get("state")];
    }
    function isDefault() {
      return selects.every(function (s) { return !s.value; }) && flags.every(function (f) { return !f.checked; });
    }

    function apply(writeUrl) {
      if (!records) { status(); if (writeUrl) toUrl(); return; }
      var order = sorted || records;
      var shown = order.filter(matches);
      if (parts) {
        var pages = Math.max(1, Math.ceil(shown.length / pageRows));
        page = Math.min(page, pages - 1);
        body.textContent = "";
        shown.slice(page * pageRows, (page + 1) * pageRows).forEach(function (r) {
          if (!r.el) r.el = BUILDERS[name](r.get);
          body.appendChild(r.el);
        });
        drawPager(pages);
      } else {
        var visible = new Set(shown);
        if (sorted) sorted.forEach(function (r) { body.appendChild(r.el); });
        records.forEach(function (r) { r.el.hidden = !visible.has(r); });
      }
      status(shown.length);
      if (writeUrl) toUrl();
    }

    function status(shown) {
      var total = records ? records.length : Number(table.getAttribute("data-total") || body.rows.length);
      if (count) {
        if (shown === undefined) count.textContent = "Showing the first " + body.rows.length + " " + noun + "; sort, filter or turn the page to see all " + total + ".";
        else if (parts && shown > pageRows) count.textContent = "Showing " + (page * pageRows + 1) + "\u2013" + Math.min(shown, (page + 1) * pageRows) + " of " + shown + " " + noun + " (" + total + " in all)";
        else count.textContent = shown + " of " + total + " " + noun + " shown";
      }
      if (reset) reset.disabled = isDefault();
      if (empty) {
        var none = shown === 0;
        empty.hidden = !none;
        table.classList.toggle("is-empty", none);
        // "No overdue reviews." where that check box alone empties the table.
        var why = flags.filter(function (f) { return f.checked && f.getAttribute("data-empty"); })[0];
        var plain = selects.every(function (s) { return !s.value; });
        empty.textContent = !none ? "" : why && plain ? why.getAttribute("data-empty") + "." : "No " + noun + " match these filters.";
      }
      if (name === "register") markSidebar();
    }

    function drawPager(pages) {
      if (!pager) return;
      pager.textContent = "";
      pager.hidden = pages < 2;
      if (pages < 2) return;
      var prev = el("button", "pager-prev", "Previous page"), next = el("button", "pager-next", "Next page");
      prev.type = next.type = "button";
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      prev.addEventListener("click", function () { turn(-1); });
      next.addEventListener("click", function () { turn(1); });
      add(pager, prev, " ", el("span", "pager-at", "Page " + (page + 1) + " of " + pages), " ", next);
    }
    function turn(by) {
      ensureLoaded(function () { page = Math.max(0, page + by); apply(false); table.scrollIntoView({ block: "start" }); });
    }

    function changed() { page = 0; ensureLoaded(function () { apply(true); }); }
    selects.forEach(function (s) { s.addEventListener("change", changed); });
    flags.forEach(function (f) { f.addEventListener("change", changed); });
    if (reset) reset.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      flags.forEach(function (f) { f.checked = false; });
      changed();
    });

    // The filters named in the URL fragment (or, failing that, the query string).
    function fromUrl() {
      var text = window.location.hash.replace(/^#/, "") || window.location.search.replace(/^\?/, "");
      var params = new URLSearchParams(text);
      selects.forEach(function (s) {
        var k = s.getAttribute("data-key");
        var v = params.get(k) || (k === "state" ? params.get("status") || "" : "");
        var known = Array.prototype.some.call(s.options, function (o) { return o.value === v; });
        s.value = known ? v : "";
      });
      flags.forEach(function (f) {
        var v = params.get(f.getAttribute("data-flag"));
        f.checked = v === "1" || v === "true";
      });
    }

    // Writes the filters back into the fragment, so the filtered view can be bookmarked or shared.
    function toUrl() {
      var params = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) params.set(s.getAttribute("data-key"), s.value); });
      flags.forEach(function (f) { if (f.checked) params.set(f.getAttribute("data-flag"), "1"); });
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
      var type = (selects.filter(function (s) { return s.getAttribute("data-key") === "type"; })[0] || {}).value;
      var found = document.querySelectorAll(".sidebar a[href*='register.html#type=']");
      Array.prototype.forEach.call(found, function (a) {
        var t = decodeURIComponent(a.getAttribute("href").split("#type=")[1] || "");
        if (type && t === type) a.setAttribute("aria-current", "true");
        else if (a.getAttribute("aria-current") === "true") a.removeAttribute("aria-current");
      });
    }

    // Sortable headers: each header's text becomes a button; aria-sort tells assistive technology.
    Array.prototype.forEach.call(headers, function (th, i) {
      var button = el("button", "sort", th.textContent);
      button.type = "button";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        ensureLoaded(function () {
          var keyed = records.map(function (r) { return { r: r, k: r.key(i) }; });
          keyed.sort(function (a, b) {
            if (!a.k || !b.k) return (a.k ? 0 : 1) - (b.k ? 0 : 1);
            var c = collator.compare(a.k, b.k);
            return ascending ? c : -c;
          });
          sorted = keyed.map(function (x) { return x.r; });
          page = 0;
          apply(false);
        });
      });
    });

    window.addEventListener("hashchange", function () { fromUrl(); page = 0; ensureLoaded(function () { apply(false); }); });
    form.hidden = false;
    fromUrl();
    if (parts) {
      drawPager(Math.ceil(Number(table.getAttribute("data-in-use") || 0) / pageRows));
      if (!isDefault()) ensureLoaded(function () { apply(false); });
      else status();
    } else {
      apply(false);
    }
  }
})();
