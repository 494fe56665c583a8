// aimsdoc client-side search. assets/search-index.js is a small manifest (window.AIMSDOC_SEARCH);
// the index itself comes in script parts loaded on demand (src/render/search_index.rs): the runs
// of the vocabulary a query's terms fall in, then the metadata and text of the results shown.
// Parts are scripts, not JSON, so search works from file:// too. A term matches every indexed
// term it starts; a term that matches nothing is replaced by the closest indexed word (one or
// two letters off) and the page says so. Results show the passage where a term occurs, the
// terms highlighted. Rendered with DOM APIs only (no innerHTML: document text never becomes
// markup). The query also stays in the header's search box.
(function () {
  "use strict";
  var manifest = window.AIMSDOC_SEARCH;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var suggestion = document.getElementById("search-suggestion");
  var moreWrap = document.getElementById("search-more-wrap");
  var more = document.getElementById("search-more");
  var header = document.getElementById("site-search-q");
  if (!manifest || !form || !input || !list) return;
  var BATCH = 50;
  var loaded = {}, waiting = {}, decoded = {};
  var previous = window.AIMSDOC_PART;
  window.AIMSDOC_PART = function (name, n, data) {
    if (name.lastIndexOf("search-", 0) !== 0) { if (previous) previous(name, n, data); return; }
    loaded[name + "/" + n] = data;
    (waiting[name + "/" + n] || []).forEach(function (w) { w[0](data); });
    delete waiting[name + "/" + n];
  };

  // Part `n` of kind "t" (terms), "m" (metadata) or "x" (text), loaded once by a script tag.
  function part(kind, n) {
    var key = "search-" + kind + "/" + n;
    if (loaded[key]) return Promise.resolve(loaded[key]);
    return new Promise(function (ok, fail) {
      if (waiting[key]) { waiting[key].push([ok, fail]); return; }
      waiting[key] = [[ok, fail]];
      var s = document.createElement("script");
      s.src = "assets/search/" + kind + n + ".js";
      s.onerror = function () {
        (waiting[key] || []).forEach(function (w) { w[1](new Error("cannot load assets/search/" + kind + n + ".js")); });
        delete waiting[key];
      };
      document.head.appendChild(s);
    });
  }

  // The vocabulary runs holding the terms that start with `prefix`.
  function chunksFor(prefix) {
    var c = manifest.chunks, lo = 0, hi = c.length;
    while (lo + 1 < hi) { var mid = (lo + hi) >> 1; if (c[mid] <= prefix) lo = mid; else hi = mid; }
    var out = [lo];
    while (lo + 1 < c.length && c[lo + 1].lastIndexOf(prefix, 0) === 0) out.push(++lo);
    return out;
  }
  function loadTerms(prefixes) {
    var wanted = {};
    prefixes.forEach(function (p) { chunksFor(p).forEach(function (k) { wanted[k] = true; }); });
    return Promise.all(Object.keys(wanted).map(function (k) { return part("t", k); }));
  }

  function postings(k, i) {
    var key = k + "/" + i;
    if (decoded[key]) return decoded[key];
    var out = [], at = 0, parts = loaded["search-t/" + k].postings[i].split(".");
    for (var j = 0; j < parts.length; j++) { at += parseInt(parts[j], 36); out.push(at); }
    decoded[key] = out;
    return out;
  }

  // Each loaded vocabulary term starting with `prefix` (binary search in each run): f(run, index).
  function eachTerm(prefix, f) {
    chunksFor(prefix).forEach(function (k) {
      var vocab = loaded["search-t/" + k].vocab, lo = 0, hi = vocab.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (vocab[mid] < prefix) lo = mid + 1; else hi = mid; }
      for (var i = lo; i < vocab.length && vocab[i].lastIndexOf(prefix, 0) === 0; i++) f(k, i, vocab[i]);
    });
  }
  function matching(prefix) {
    var found = new Set();
    eachTerm(prefix, function (k, i) { postings(k, i).forEach(function (d) { found.add(d); }); });
    return found;
  }

  // Query terms, split as src/render/search.rs splits text.
  function tokens(q) {
    var out = [];
    q.toLowerCase().split(/\s+/).forEach(function (raw) {
      var word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      if (!word) return;
      if (/^(a\.\d{1,3}(\.\d{1,3})*|\d{1,3}(\.\d{1,3})+)$/.test(word)) { out.push(word); return; }
      if (/^[\p{L}\p{N}.-]+-[\p{L}\p{N}.-]+$/u.test(word)) { out.push(word); return; }
      word.split(/[^\p{L}\p{N}]+/u).forEach(function (p) { if (p.length >= 2) out.push(p); });
    });
    return out;
  }

  // Edit distance (with transpositions), or limit + 1 once it exceeds `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < best) best = v;
      }
      if (best > limit) return limit + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  // The indexed word closest to a term that matches nothing: same first two letters, one edit
  // away (two for terms of eight letters or more); the most widely used wins a tie.
  function suggest(term) {
    if (term.length < 4 || !/^[\p{L}]/u.test(term)) return Promise.resolve(null);
    var prefix = term.slice(0, 2), limit = term.length >= 8 ? 2 : 1;
    return loadTerms([prefix]).then(function () {
      var best = null;
      eachTerm(prefix, function (k, i, word) {
        var d = distance(term, word, limit);
        if (d > limit) return;
        var uses = loaded["search-t/" + k].postings[i].split(".").length;
        if (!best || d < best.d || (d === best.d && uses > best.uses)) best = { word: word, d: d, uses: uses };
      });
      return best && best.word;
    });
  }

  function search(q) {
    var terms = tokens(q);
    if (!terms.length) return Promise.resolve({ hits: [], terms: [], fixes: [] });
    return loadTerms(terms.concat(terms.map(function (t) { return "^" + t; }))).then(function () {
      return Promise.all(terms.map(function (t) {
        if (matching(t).size) return t;
        return suggest(t).then(function (fix) { return fix || t; });
      }));
    }).then(function (used) {
      var fixes = [];
      used.forEach(function (u, i) { if (u !== terms[i]) fixes.push([terms[i], u]); });
      return loadTerms(used.map(function (t) { return "^" + t; })).then(function () { return rank(used, fixes); });
    });
  }

  // Entries holding every term, those with terms in their id or title first, then by id (the
  // entries are numbered in id order).
  function rank(terms, fixes) {
    var hits = null;
    terms.forEach(function (t) {
      var m = matching(t);
      hits = hits === null ? m : new Set(Array.from(hits).filter(function (d) { return m.has(d); }));
    });
    var score = new Map();
    terms.forEach(function (t) { matching("^" + t).forEach(function (d) { score.set(d, (score.get(d) || 0) + 10); }); });
    var list = Array.from(hits || []).sort(function (a, b) { return (score.get(b) || 0) - (score.get(a) || 0) || a - b; });
    return { hits: list, terms: terms, fixes: fixes };
  }

  function isWord(c) { return /[\p{L}\p{N}]/u.test(c); }
  // The next place at or after `from` where a word starts with one of `terms`: [start, term].
  function nextMatch(lower, terms, from) {
    var best = null;
    terms.forEach(function (t) {
      var i = lower.indexOf(t, from);
      while (i >= 0 && i > 0 && isWord(lower.charAt(i - 1))) i = lower.indexOf(t, i + 1);
      if (i >= 0 && (!best || i < best[0])) best = [i, t];
    });
    return best;
  }
  // Appends `text` to `parent`, each word a term starts wrapped in <mark>.
  function highlight(parent, text, terms) {
    var lower = text.toLowerCase(), at = 0, m;
    while ((m = nextMatch(lower, terms, at))) {
      var end = m[0] + m[1].length;
      while (end < text.length && isWord(lower.charAt(end))) end++;
      if (m[0] > at) parent.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], end);
      parent.appendChild(mark);
      at = end;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }
  // About 200 characters of `text` around the first place a term occurs (the start if none).
  function passage(text, terms) {
    var m = nextMatch(text.toLowerCase(), terms, 0);
    var start = m ? Math.max(0, m[0] - 70) : 0;
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp >= 0 && sp < m[0]) start = sp + 1; }
    var end = Math.min(text.length, start + 200);
    if (end < text.length) { var sp2 = text.lastIndexOf(" ", end); if (sp2 > start + 120) end = sp2; }
    return (start > 0 ? "\u2026" : "") + text.slice(start, end) + (end < text.length ? "\u2026" : "");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  var seq = 0, current = null, shown = 0;

  function render(q) {
    var mine = ++seq;
    if (header && header !== document.activeElement) header.value = q;
    return search(q).then(function (result) {
      if (mine !== seq) return;
      current = result;
      shown = 0;
      list.textContent = "";
      var n = result.hits.length;
      status.textContent = q ? n + (n === 1 ? " result" : " results") + " for \u201c" + q + "\u201d" : "";
      showFixes(result.fixes);
      return showMore(mine);
    }).catch(function (e) {
      if (mine === seq) status.textContent = "Search failed: " + e.message;
    });
  }

  function showFixes(fixes) {
    if (!suggestion) return;
    suggestion.textContent = "";
    suggestion.hidden = !fixes.length;
    fixes.forEach(function (f, i) {
      if (i) suggestion.appendChild(document.createTextNode(" "));
      suggestion.appendChild(document.createTextNode("No document contains \u201c" + f[0] + "\u201d: showing results for "));
      suggestion.appendChild(el("strong", null, f[1]));
      suggestion.appendChild(document.createTextNode("."));
    });
  }

  // Shows the next results: their metadata first, then each passage as its text part arrives.
  function showMore(mine) {
    var batch = current.hits.slice(shown, shown + BATCH), terms = current.terms;
    shown += batch.length;
    if (moreWrap) moreWrap.hidden = shown >= current.hits.length;
    var metaParts = {};
    batch.forEach(function (e) { metaParts[Math.floor(e / manifest.meta)] = true; });
    return Promise.all(Object.keys(metaParts).map(function (k) { return part("m", k); })).then(function () {
      if (mine !== seq) return;
      batch.forEach(function (e) {
        var m = manifest.meta, d = loaded["search-m/" + Math.floor(e / m)][e % m];
        var li = el("li", "search-result"), h = el("h2", "result-title"), a = el("a");
        a.href = d[5];
        highlight(a, d[0] + " " + d[1], terms);
        h.appendChild(a);
        li.appendChild(h);
        var meta = el("p", "result-meta");
        meta.appendChild(el("span", "badge", d[2]));
        if (d[3]) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(el("span", "badge state-" + d[3], d[3])); }
        if (d[4]) meta.appendChild(document.createTextNode(" \u00b7 " + d[4]));
        li.appendChild(meta);
        list.appendChild(li);
        var t = manifest.text;
        part("x", Math.floor(e / t)).then(function (texts) {
          var text = texts[e % t];
          if (!text || mine !== seq) return;
          var p = el("p", "result-snippet");
          highlight(p, passage(text, terms), terms);
          li.appendChild(p);
        });
      });
    });
  }

  if (more) more.addEventListener("click", function () { showMore(seq); });
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
