/* The reading room's search: exact strings of report text, from the static
 * n-gram index that reading_room/search.py writes into site/search/.
 *
 * A query of n characters is looked up as its n-1 pairs of adjacent
 * characters (one character: itself); the reports holding every pair are the
 * candidates; each one on screen is confirmed against its text, which also
 * gives the passage to show and the paragraph to link to. Nothing is fetched
 * before the search box is opened; everything comes from this site.
 */
(function () {
  "use strict";

  var PAGE = 10;
  var SPACE = /[\s\u3000\ufeff\u200b]+/g, ONE_SPACE = /[\s\u3000\ufeff\u200b]/;
  var cfg = {};
  try { cfg = JSON.parse(document.getElementById("__config").textContent); } catch (e) { /* no config */ }
  var base = new URL(String(cfg.base || ".").replace(/\/?$/, "/"), location.href);
  var root = new URL("search/", base);
  var meta = null, metaPromise = null;
  var shards = {}, texts = {};

  function normalize(text) { return String(text).replace(SPACE, "").toLowerCase(); }

  function fnv1a(key) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.json();
    });
  }

  function loadMeta() {
    if (!metaPromise) metaPromise = getJSON(new URL("meta.json", root)).then(function (m) { meta = m; return m; });
    return metaPromise;
  }

  function loadShard(n) {
    if (!shards[n]) shards[n] = getJSON(new URL("k/" + n + ".json", root));
    return shards[n];
  }

  function docId(doc) { var p = doc[0].replace(/\/$/, "").split("/"); return p[p.length - 1] || "index"; }

  function loadText(i) {
    if (!texts[i]) texts[i] = getJSON(new URL("t/" + encodeURIComponent(docId(meta.docs[i])) + ".json", root));
    return texts[i];
  }

  function decodeSet(value, total) {
    var out = new Uint8Array(total);
    if (value.charAt(0) === "l") {
      var at = 0, parts = value.slice(1).split(",");
      for (var i = 0; i < parts.length; i++) { at = i === 0 ? +parts[i] : at + +parts[i]; out[at] = 1; }
    } else {
      var bin = atob(value.slice(1));
      for (var j = 0; j < total; j++) if (bin.charCodeAt(j >> 3) >> (j & 7) & 1) out[j] = 1;
    }
    return out;
  }

  function keysOf(q) {
    if (q.length === 1) return [q];
    var seen = {}, keys = [];
    for (var i = 0; i + 1 < q.length; i++) {
      var k = q.substr(i, 2);
      if (!seen[k]) { seen[k] = 1; keys.push(k); }
    }
    return keys;
  }

  /* Candidates for ``query`` (report numbers, newest first), narrowed by ``filters`` ([year, body, genre] value indices or -1). */
  function candidates(query, filters) {
    var q = normalize(query);
    return loadMeta().then(function (m) {
      var total = m.docs.length;
      var active = (filters || []).some(function (f) { return f >= 0; });
      if (!q && !active) return { q: q, docs: [] };
      var keys = q ? keysOf(q) : [];
      return Promise.all(keys.map(function (k) { return loadShard(fnv1a(k) % m.shards); })).then(function (loaded) {
        var hit = new Uint8Array(total).fill(1);
        for (var i = 0; i < keys.length; i++) {
          var v = loaded[i][keys[i]];
          if (!v) { hit.fill(0); break; }
          var set = decodeSet(v, total);
          for (var d = 0; d < total; d++) hit[d] &= set[d];
        }
        var docs = [];
        for (var n = 0; n < total; n++) {
          if (!hit[n]) continue;
          var doc = m.docs[n], ok = true;
          for (var f = 0; f < 3; f++) if (filters && filters[f] >= 0 && doc[2 + f] !== filters[f]) ok = false;
          if (ok) docs.push(n);
        }
        docs.sort(function (a, b) {
          var ya = m.values[0][m.docs[a][2]], yb = m.values[0][m.docs[b][2]];
          return ya < yb ? 1 : ya > yb ? -1 : (m.docs[a][1] < m.docs[b][1] ? -1 : 1);
        });
        return { q: q, docs: docs };
      });
    });
  }

  /* Where ``q`` occurs in the blocks of one report: [{block, start, end}] in original-text offsets. */
  // Some strings run together in normalized form, and where each of its characters came
  // from: map[i] = [string number, offset]. Search results and page highlights match on it.
  function normalizedMap(strings) {
    var norm = "", map = [];
    for (var s = 0; s < strings.length; s++) {
      for (var i = 0; i < strings[s].length; i++) {
        var c = strings[s].charAt(i);
        if (ONE_SPACE.test(c)) continue;
        norm += c.toLowerCase(); map.push([s, i]);
      }
    }
    return { norm: norm, map: map };
  }
  function indicesOf(norm, q) {
    var found = [], at = norm.indexOf(q);
    while (at >= 0) { found.push(at); at = norm.indexOf(q, at + q.length); }
    return found;
  }
  function occurrences(blocks, q) {
    var found = [];
    if (!q) return found;
    for (var b = 0; b < blocks.length; b++) {
      var n = normalizedMap([blocks[b][1]]);
      indicesOf(n.norm, q).forEach(function (at) {
        found.push({ block: b, start: n.map[at][1], end: n.map[at + q.length - 1][1] + 1 });
      });
    }
    return found;
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function excerpt(text, start, end) {
    var from = Math.max(0, start - 40), to = Math.min(text.length, end + 60);
    return (from > 0 ? "…" : "") + esc(text.slice(from, start)) + "<mark>" + esc(text.slice(start, end)) +
      "</mark>" + esc(text.slice(end, to)) + (to < text.length ? "…" : "");
  }

  /* ---- the search box ---- */

  var toggle = document.getElementById("__search");
  var input = document.getElementById("rr-search-input");
  var result = document.getElementById("rr-search-result");
  var filterBox = document.getElementById("rr-search-filters");
  if (!toggle || !input || !result) return;
  // Material styles this markup; a theme that draws its own search box (Zensical's) does
  // not, and then search.css lays the box out itself.
  var box = input.closest(".rr-search"), output = box && box.querySelector(".md-search__output");
  if (output && getComputedStyle(output).position === "static") box.classList.add("rr-search--standalone");
  var info = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var selects = [];
  var current = null, timer = 0, generation = 0;

  function open() {
    if (!toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
    focusInput();
  }
  function focusInput() {  // at once, and again once the small-screen panel has slid in
    input.focus();
    [0, 50, 250].forEach(function (ms) {
      setTimeout(function () { if (toggle.checked && document.activeElement !== input && !input.contains(document.activeElement) &&
        !(document.activeElement && document.activeElement.closest(".md-search__output"))) input.focus(); }, ms);
    });
  }
  function close() {
    if (toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    input.blur();
  }

  function buildFilters(m) {
    if (selects.length || !filterBox) return;
    m.facets.forEach(function (name, f) {
      var counts = {};
      m.docs.forEach(function (d) { counts[d[2 + f]] = (counts[d[2 + f]] || 0) + 1; });
      var order = m.values[f].map(function (_, i) { return i; });
      if (f === 0) order.reverse();
      var sel = document.createElement("select");
      sel.setAttribute("aria-label", name);
      sel.dataset.facet = name;
      sel.innerHTML = '<option value="-1">' + esc(name) + "：全部</option>" + order.map(function (i) {
        return '<option value="' + i + '">' + esc(m.values[f][i] || "（未标明）") + "（" + counts[i] + "）</option>";
      }).join("");
      sel.addEventListener("change", function () { run(); });
      filterBox.appendChild(sel);
      selects.push(sel);
    });
  }

  function filters() { return selects.map(function (s) { return +s.value; }); }

  function say(text) { info.textContent = text; }

  function run() {
    var query = input.value, mine = ++generation;
    var started = performance.now();
    return candidates(query, filters()).then(function (res) {
      if (mine !== generation) return;
      current = { q: res.q, query: query.trim(), docs: res.docs, shown: 0, rejected: 0, started: started };
      list.innerHTML = "";
      if (!res.q && !res.docs.length) { say("输入要查找的字词：提法、词语、短语都按原文逐字匹配"); return; }
      if (!res.docs.length) { say("没有报告包含“" + query.trim() + "”"); return; }
      count();
      more();
    }).catch(function (err) {
      if (mine === generation) say("搜索索引未能载入：" + err.message);
    });
  }

  function count() {
    var n = current.docs.length - current.rejected;
    say(current.q ? n + " 篇报告包含“" + current.query + "”" : n + " 篇报告");
  }

  function more() {
    var cur = current, upto = Math.min(cur.docs.length, cur.shown + PAGE);
    var old = list.querySelector(".rr-more");
    if (old) old.remove();
    for (; cur.shown < upto; cur.shown++) list.appendChild(item(cur, cur.docs[cur.shown]));
    if (cur.shown < cur.docs.length) {
      var li = document.createElement("li");
      li.className = "md-search-result__item rr-more";
      li.innerHTML = '<button type="button" class="md-search-result__more rr-more__button">显示更多（还有 ' +
        (cur.docs.length - cur.shown) + " 篇）</button>";
      li.firstChild.addEventListener("click", function () { more(); });
      list.appendChild(li);
    }
  }

  function item(cur, n) {
    var doc = meta.docs[n];
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    li.dataset.url = doc[0];
    var href = new URL(doc[0], base).href;
    var facts = [0, 1, 2].map(function (f) { return meta.values[f][doc[2 + f]]; }).filter(Boolean).join(" · ");
    li.innerHTML = '<a href="' + esc(href) + '" class="md-search-result__link" tabindex="-1">' +
      '<article class="md-search-result__article md-typeset">' +
      "<h1>" + esc(doc[1]) + "</h1>" + '<p class="rr-facts">' + esc(facts) + "</p>" +
      '<p class="rr-passage">…</p></article></a>';
    if (!cur.q) { li.querySelector(".rr-passage").remove(); return li; }
    loadText(n).then(function (blocks) {
      if (cur !== current) return;
      var found = occurrences(blocks, cur.q);
      if (!found.length) {  // all pairs present, but not side by side: not a match
        cur.rejected++; li.remove(); count(); return;
      }
      var first = found[0], section = "";
      for (var b = first.block; b >= 0; b--) if (/^h-/.test(blocks[b][0])) { section = blocks[b][1]; break; }
      var anchor = blocks[first.block][0];
      var link = new URL(doc[0], base);
      link.searchParams.set("h", cur.query);
      if (anchor) link.hash = anchor;
      li.firstChild.href = link.href;
      li.querySelector(".rr-passage").innerHTML = excerpt(blocks[first.block][1], first.start, first.end);
      li.querySelector(".rr-facts").textContent += (section ? " · " + section : "") + " · 共 " + found.length + " 处";
      li.classList.add("rr-confirmed");
    }).catch(function () { /* keep the title link */ });
    return li;
  }

  function focusables() { return [input].concat([].slice.call(list.querySelectorAll(".md-search-result__link, .rr-more__button"))); }

  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      loadMeta().then(buildFilters).catch(function () { /* said by run() */ });
      focusInput();
    }
  });
  input.addEventListener("focus", function () { if (!toggle.checked) open(); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  input.form.addEventListener("reset", function () { setTimeout(function () { run(); input.focus(); }, 0); });
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector(".md-search-result__link");
    if (first) location.href = first.href;
  });

  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.isContentEditable || /^(input|textarea|select)$/i.test(t.tagName));
    if (!toggle.checked) {
      if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && (e.key === "/" || e.key === "s" || e.key === "f")) {
        e.preventDefault(); e.stopImmediatePropagation(); open();
      }
      return;
    }
    if (e.key === "Escape") { e.preventDefault(); close(); return; }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      var items = focusables(), at = items.indexOf(document.activeElement);
      if (at < 0 && t.tagName === "SELECT") return;
      e.preventDefault();
      at = e.key === "ArrowDown" ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1);
      items[at].focus();
    }
  }, true);

  /* ---- on a report page reached from a result: mark the query in the text ---- */

  function markHits(query) {
    var q = normalize(query), article = document.querySelector(".md-content article");
    if (!q || !article) return;
    var blocks = article.querySelectorAll("h1, h2, h3, h4, h5, h6, p");
    var firstMark = null;
    [].forEach.call(blocks, function (el) {
      var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), nodes = [], node;
      while ((node = walker.nextNode())) {
        if (!node.parentElement.closest(".headerlink, .pn")) nodes.push(node);
      }
      var n = normalizedMap(nodes.map(function (t) { return t.nodeValue; }));
      var hits = indicesOf(n.norm, q).map(function (at) { return [n.map[at], n.map[at + q.length - 1]]; });
      // wrap from the last hit backwards so earlier offsets stay valid
      for (var h = hits.length - 1; h >= 0; h--) {
        var s = hits[h][0], e = hits[h][1];
        for (var k = e[0]; k >= s[0]; k--) {
          var tn = nodes[k], from = k === s[0] ? s[1] : 0, to = k === e[0] ? e[1] + 1 : tn.nodeValue.length;
          var range = document.createRange();
          range.setStart(tn, from); range.setEnd(tn, to);
          var mark = document.createElement("mark");
          mark.className = "rr-hit";
          range.surroundContents(mark);
          firstMark = mark;
        }
      }
    });
    if (firstMark && !location.hash) firstMark.scrollIntoView({ block: "center" });
  }

  var params = new URLSearchParams(location.search);
  if (params.get("h")) {
    markHits(params.get("h"));
    input.value = params.get("h");
  }

  /* For tests and bench/search_quality.py: the same lookup the box uses. */
  window.readingRoomSearch = {
    candidates: function (query, f) {
      return candidates(query, f).then(function (res) {
        return res.docs.map(function (n) { return meta.docs[n][0]; });
      });
    },
    confirmed: function (query, f) {
      return candidates(query, f).then(function (res) {
        return Promise.all(res.docs.map(function (n) {
          return loadText(n).then(function (blocks) { return occurrences(blocks, res.q).length ? meta.docs[n][0] : null; });
        })).then(function (urls) { return urls.filter(Boolean); });
      });
    },
    open: open,
    close: close
  };
})();
