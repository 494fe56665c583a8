// aimsdoc client-side search. Reads window.AIMSDOC_SEARCH (assets/search-index.js, loaded by a
// <script> tag so it also works from file://), runs the query from the form or ?q=, and renders
// results with DOM APIs only (no innerHTML: document text never becomes markup).
(function () {
  "use strict";
  var data = window.AIMSDOC_SEARCH;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!data || !form || !input || !list) return;
  var decoded = {};

  function postings(i) {
    if (decoded[i]) return decoded[i];
    var out = [], at = 0, parts = data.postings[i].split(".");
    for (var k = 0; k < parts.length; k++) { at += parseInt(parts[k], 36); out.push(at); }
    decoded[i] = out;
    return out;
  }

  function tokens(q) {
    var out = [];
    q.toLowerCase().split(/\s+/).forEach(function (raw) {
      var word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      if (!word) return;
      if (/^[\p{L}\p{N}.-]+-[\p{L}\p{N}.-]+$/u.test(word)) { out.push(word); return; }
      word.split(/[^\p{L}\p{N}]+/u).forEach(function (p) { if (p.length >= 2) out.push(p); });
    });
    return out;
  }

  // Documents containing a term that starts with `prefix` (binary search on the sorted vocab).
  function matching(prefix) {
    var vocab = data.vocab, lo = 0, hi = vocab.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (vocab[mid] < prefix) lo = mid + 1; else hi = mid; }
    var found = {};
    for (var i = lo; i < vocab.length && vocab[i].lastIndexOf(prefix, 0) === 0; i++) {
      postings(i).forEach(function (d) { found[d] = true; });
    }
    return found;
  }

  function search(q) {
    var terms = tokens(q);
    if (!terms.length) return [];
    var hits = null;
    terms.forEach(function (t) {
      var m = matching(t);
      if (hits === null) { hits = m; return; }
      Object.keys(hits).forEach(function (d) { if (!m[d]) delete hits[d]; });
    });
    return Object.keys(hits || {}).map(Number).map(function (d) {
      var doc = data.docs[d], head = (doc[0] + " " + doc[1]).toLowerCase(), score = 0;
      terms.forEach(function (t) { if (head.indexOf(t) >= 0) score += 10; });
      return { doc: doc, score: score };
    }).sort(function (a, b) { return b.score - a.score || (a.doc[0] < b.doc[0] ? -1 : 1); });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function render(q) {
    list.textContent = "";
    var results = search(q);
    status.textContent = q ? results.length + (results.length === 1 ? " result" : " results") + " for \u201c" + q + "\u201d" : "";
    results.slice(0, 200).forEach(function (r) {
      var d = r.doc, li = el("li", "search-result");
      var a = el("a", null, d[0] + " " + d[1]);
      a.href = d[5];
      var h = el("h2", "result-title");
      h.appendChild(a);
      li.appendChild(h);
      var meta = el("p", "result-meta");
      meta.appendChild(el("span", "badge", d[2]));
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "badge state-" + d[3], d[3]));
      meta.appendChild(document.createTextNode(" \u00b7 " + d[4]));
      li.appendChild(meta);
      if (d[6]) li.appendChild(el("p", "result-snippet", d[6]));
      list.appendChild(li);
    });
  }

  var params = new URLSearchParams(window.location.search);
  var initial = params.get("q") || "";
  input.value = initial;
  render(initial);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim();
    if (window.history && window.history.replaceState && window.location.protocol !== "file:") {
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    }
    render(q);
  });
  input.addEventListener("input", function () { render(input.value.trim()); });
})();
