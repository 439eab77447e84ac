/* The reading room's search: exact strings of report text, from the static
 * n-gram index that reading_room/search.py writes into site/search/.
 *
 * A query is terms separated by spaces, all of which must occur (AND); a term
 * "-x" must not occur; “…”, "…", 「…」 and 『…』 keep a phrase with its spaces.
 * Index and query are folded alike (search.py's normalize: full-width forms,
 * 、，,；; as one, lower case, no white space). A term is looked up as its
 * prefixes of two characters and more (one character: itself): the index has
 * a key for every string whose prefix is a key of more than meta.grams[0]
 * reports, so the term's reports come exactly from the index, or the few
 * candidates of a rare prefix are confirmed against their texts (termSet). The
 * results on screen are loaded with their texts, which give the passages to
 * show and the paragraphs to link to. Reports are numbered newest first, so a set of
 * report numbers is already in date order; their filter values are columns of
 * meta.json, and the URL and title of a report (d/) and its text (t/) are
 * fetched (gzip-compressed, unpacked here: getPart) only for the results on screen: what one search loads does not grow
 * with the corpus. Nothing is fetched before the search box is opened;
 * everything comes from this site.
 *
 * Any page opened with ?q=…&year=…&body=…&genre=…&sort=hits opens the box
 * with those results, and the address follows the box as the reader types.
 */
(function () {
  "use strict";

  var PAGE = 10;          // results per screen ("显示更多" adds as many)
  var PASSAGES = 3;       // passages shown per result
  var AUTO_CHECK = 30;    // up to this many candidates the index is not sure of are all confirmed at
                          // once (exact counts); beyond it (a term longer than the index's longest
                          // key) counts are upper bounds until the reader asks (核对全部)
  var FETCHES = 6;        // report texts loaded at a time (when more than AUTO_CHECK)
  var TYPING = 30;        // ms without a key before a query typed (not composed) runs
  // White space, as search.py's _SPACE (an explicit class: \s differs between Python and JS).
  var ONE_SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/;
  var FOLD = { "，": "、", ",": "、", "；": "、", ";": "、" };
  var QUOTES = { "“": "”", '"': '"', "「": "」", "『": "』" };
  var cfg = {};
  try { cfg = JSON.parse(document.getElementById("__config").textContent); } catch (e) { /* no config */ }
  var base = new URL(String(cfg.base || ".").replace(/\/?$/, "/"), location.href);
  var root = new URL("search/", base);
  var meta = null, metaPromise = null;
  var shards = {}, rows = {}, rowData = {}, texts = {}, folded = {};
  var cols = null;  // cols[f][n]: report n's value number for filter f (meta.cols decoded)

  /* One character as the index folds it (search.py's _search_table). */
  function foldChar(c) {
    var f = folded[c];
    if (f !== undefined) return f;
    var n = c.normalize ? c.normalize("NFKC") : c;
    if (n.length !== 1) n = c;
    n = FOLD[n] || n;
    var low = n.toLowerCase();
    if (low.length === 1) n = low;
    folded[c] = n;
    return n;
  }

  function normalize(text) {
    var out = "";
    text = String(text);
    for (var i = 0; i < text.length; i++) {
      var c = foldChar(text.charAt(i));
      if (!ONE_SPACE.test(c)) out += c;
    }
    return out;
  }

  /* The query's terms: {pos: [{text, norm}], neg: [...]}. */
  function parse(query) {
    var s = String(query || ""), pos = [], neg = [], seen = {}, i = 0;
    while (i < s.length) {
      var c = s.charAt(i);
      if (ONE_SPACE.test(c)) { i++; continue; }
      var negate = false;
      if ((c === "-" || c === "－") && i + 1 < s.length && !ONE_SPACE.test(s.charAt(i + 1))) {
        negate = true; c = s.charAt(++i);
      }
      var term;
      if (QUOTES[c]) {
        var close = s.indexOf(QUOTES[c], i + 1);
        if (close < 0) close = s.length;
        term = s.slice(i + 1, close); i = close + 1;
      } else {
        var j = i;
        while (j < s.length && !ONE_SPACE.test(s.charAt(j))) j++;
        term = s.slice(i, j); i = j;
      }
      var norm = normalize(term);
      if (!norm || seen[(negate ? "-" : "+") + norm]) continue;
      seen[(negate ? "-" : "+") + norm] = 1;
      (negate ? neg : pos).push({ text: term.trim(), norm: norm });
    }
    return { pos: pos, neg: neg };
  }

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
  /* A part of the index (k/, d/, t/: gzip-compressed JSON, search.py's pack). A host that
   * sends it with Content-Encoding: gzip has had the browser unpack it already. */
  function getPart(kind, name) {
    var url = new URL(kind + "/" + encodeURIComponent(name) + ".json.gz", root);
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.arrayBuffer();
    }).then(function (buffer) {
      var head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
      if (head[0] !== 0x1f || head[1] !== 0x8b) return buffer;
      var stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer();
    }).then(function (buffer) {
      return JSON.parse(new TextDecoder("utf-8").decode(buffer));
    });
  }

  function loadMeta() {
    if (!metaPromise) metaPromise = getJSON(new URL("meta.json", root)).then(function (m) {
      cols = m.cols.map(function (c) { return c == null ? null : decodeColumn(c, m.docs); });
      meta = m;
      return m;
    });
    return metaPromise;
  }

  /* The issuing bodies' names and column, when meta.json leaves them to bodies.json (many bodies):
     loaded when the reader uses that filter. */
  var bodiesPromise = null;
  function loadBodies() {
    return loadMeta().then(function (m) {
      if (cols[1]) return m;
      if (!bodiesPromise) bodiesPromise = getJSON(new URL(m.bodies, root)).then(function (b) {
        m.values[1] = b[0];
        cols[1] = decodeColumn(b[1], m.docs);
        return m;
      });
      return bodiesPromise;
    });
  }

  /* One filter's column (search.py's encode_column): "r" + value*count runs, or "p<w>:" + base64 of
     w bits per report. */
  function decodeColumn(value, total) {
    var out = new Uint32Array(total), at = 0;
    if (value.charAt(0) === "r") {
      value.slice(1).split(",").forEach(function (run) {
        if (!run) return;
        var p = run.split("*"), v = +p[0], end = at + +p[1];
        for (; at < end && at < total; at++) out[at] = v;
      });
      return out;
    }
    var colon = value.indexOf(":"), width = +value.slice(1, colon), bin = atob(value.slice(colon + 1));
    for (var i = 0; i < total; i++) {
      var v = 0;
      for (var j = 0; j < width; j++) {
        var bit = i * width + j;
        if (bin.charCodeAt(bit >> 3) >> (bit & 7) & 1) v |= 1 << j;
      }
      out[i] = v;
    }
    return out;
  }

  /* The rows (URL, title) of reports ``ns``: their d/ files, fetched once each. */
  function loadRows(ns) {
    var need = {};
    ns.forEach(function (n) { need[Math.floor(n / meta.rows)] = 1; });
    return Promise.all(Object.keys(need).map(function (c) {
      if (!rows[c]) rows[c] = getPart("d", c).then(function (r) { rowData[c] = r; return r; });
      return rows[c];
    }));
  }
  /* Report n's row [url, title]; its d/ file must be loaded (loadRows). */
  function row(n) { return rowData[Math.floor(n / meta.rows)][n % meta.rows]; }

  function loadShard(n) {
    if (!shards[n]) shards[n] = getPart("k", n);
    return shards[n];
  }

  function docId(doc) { var p = doc[0].replace(/\/$/, "").split("/"); return p[p.length - 1] || "index"; }

  function loadText(i) {
    if (!texts[i]) texts[i] = loadRows([i]).then(function () {
      return getPart("t", docId(row(i)));
    });
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

  /* The keys a normalized term is looked up as (search.py's term_chains): a term of one or two
     characters is a key; a longer one its prefixes of two characters and more, up to the index's
     longest key (meta.grams[1]), and beyond that also the prefixes of its last characters. */
  function termChains(q, most) {
    if (q.length <= 2) return [[q]];
    function prefixes(s) { var out = []; for (var k = 2; k <= s.length; k++) out.push(s.slice(0, k)); return out; }
    var chains = [prefixes(q.slice(0, most))];
    if (q.length > most) chains.push(prefixes(q.slice(q.length - most)));
    return chains;
  }

  /* The pairs of characters of a term longer than two, beyond its first (search.py's
     term_pairs): they narrow the candidates when the index is not sure of the term. */
  function termPairs(q) {
    var out = [];
    for (var i = 1; i + 2 <= q.length; i++) out.push(q.slice(i, i + 2));
    return out;
  }

  /* Report numbers are in date order (search.py's order: newest year first, then title). */
  function byDate(a, b) { return a - b; }

  /* A term's reports from the loaded key values (search.py's term_reports): {set, sure}. A key
     of more than meta.grams[0] reports has a longer key for every character that follows it, so
     a term is a key (its reports exactly: sure), or absent (none: sure), or its prefix is a key of
     at most meta.grams[0] reports, or it is longer than the longest key: then its prefixes'
     reports are candidates (narrowed by its pairs), to confirm against their texts. */
  function termSet(q, value, m) {
    var total = m.docs, grams = m.grams || [Infinity, 2], found = null, sure = true;
    var chains = termChains(q, grams[1]);
    for (var c = 0; c < chains.length; c++) {
      var chain = chains[c], set = null, size = 0;
      for (var k = 0; k < chain.length; k++) {
        var v = value(chain[k]);
        if (!v) {
          if (!set || size > grams[0]) return { set: new Uint8Array(total), sure: true };
          sure = false;
          break;
        }
        set = decodeSet(v, total);
        size = 0;
        for (var d = 0; d < total; d++) size += set[d];
      }
      if (chain[chain.length - 1].length < q.length) sure = false;
      if (found) { for (var e = 0; e < total; e++) found[e] &= set[e]; } else found = set;
    }
    return { set: found, sure: sure };
  }

  /* The candidates of a term the index is not sure of, less the reports missing one of its
     pairs (search.py's term_reports does both steps); a pair absent from the corpus: none. */
  function withPairs(r, q, value, total) {
    if (r.sure) return r;
    var pairs = termPairs(q);
    for (var p = 0; p < pairs.length; p++) {
      var v = value(pairs[p]);
      if (!v) return { set: new Uint8Array(total), sure: true };
      var set = decodeSet(v, total);
      for (var d = 0; d < total; d++) r.set[d] &= set[d];
    }
    return r;
  }

  /* Candidates of a parsed query: {docs, unsure}. docs: report numbers holding every positive
     term and no excluded one as far as the index tells, newest first (every report when there is
     no positive term); unsure: those of them that only their text can settle (none when the index
     is exact for every term). */
  function lookup(parsed) {
    return loadMeta().then(function (m) {
      var total = m.docs, values = {};
      var terms = parsed.pos.concat(parsed.neg);
      function value(k) { return values[k]; }  // undefined: not fetched; null: no such key
      function fetchKeys(keys) {
        var todo = keys.filter(function (k, i) { return values[k] === undefined && keys.indexOf(k) === i; });
        return Promise.all(todo.map(function (k) { return loadShard(fnv1a(k) % m.shards); })).then(function (loaded) {
          todo.forEach(function (k, i) { values[k] = Object.prototype.hasOwnProperty.call(loaded[i], k) ? loaded[i][k] : null; });
        });
      }
      var chains = [];
      terms.forEach(function (t) {
        termChains(t.norm, (m.grams || [0, 2])[1]).forEach(function (chain) { chains = chains.concat(chain); });
      });
      // the prefixes first; the other pairs only of the terms the index is not sure of
      var sets;
      return fetchKeys(chains).then(function () {
        sets = terms.map(function (t) { return termSet(t.norm, value, m); });
        var pairs = [];
        terms.forEach(function (t, i) { if (!sets[i].sure) pairs = pairs.concat(termPairs(t.norm)); });
        return fetchKeys(pairs);
      }).then(function () {
        sets = sets.map(function (r, i) { return withPairs(r, terms[i].norm, value, total); });
        var hit = new Uint8Array(total).fill(1), doubt = new Uint8Array(total), sure = true;
        parsed.pos.forEach(function (t, i) {
          var r = sets[i];
          for (var d = 0; d < total; d++) hit[d] &= r.set[d];
          if (!r.sure) sure = false;
        });
        parsed.neg.forEach(function (t, i) {
          var r = sets[parsed.pos.length + i];
          for (var d = 0; d < total; d++) {
            if (!r.set[d]) continue;
            if (r.sure) hit[d] = 0; else doubt[d] = 1;  // may hold it: its text says
          }
        });
        var docs = [], unsure = [];
        for (var n = 0; n < total; n++) {
          if (!hit[n]) continue;
          docs.push(n);
          if (!sure || doubt[n]) unsure.push(n);
        }
        return { docs: docs, unsure: unsure };
      });
    });
  }

  // Some strings run together in normalized form, and where each of its characters came
  // from: map[i] = [string number, offset]. Search results and page highlights match on it.
  function normalizedMap(strings) {
    var norm = "", map = [];
    for (var s = 0; s < strings.length; s++) {
      for (var i = 0; i < strings[s].length; i++) {
        var c = foldChar(strings[s].charAt(i));
        if (ONE_SPACE.test(c)) continue;
        norm += c; map.push([s, i]);
      }
    }
    return { norm: norm, map: map };
  }
  function indicesOf(norm, q) {
    var found = [], at = norm.indexOf(q);
    while (at >= 0) { found.push(at); at = norm.indexOf(q, at + q.length); }
    return found;
  }
  /* Where the terms occur in one report's blocks: [{block, start, end, term}] in original-text
     offsets, in reading order. */
  function occurrences(blocks, terms) {
    var found = [];
    for (var b = 0; b < blocks.length; b++) {
      var n = normalizedMap([blocks[b][1]]);
      terms.forEach(function (t, k) {
        indicesOf(n.norm, t.norm).forEach(function (at) {
          found.push({ block: b, start: n.map[at][1], end: n.map[at + t.norm.length - 1][1] + 1, term: k });
        });
      });
    }
    return found.sort(function (x, y) { return x.block - y.block || x.start - y.start; });
  }
  /* One report checked against a parsed query: {ok, hits, found}. */
  function check(blocks, parsed) {
    var found = occurrences(blocks, parsed.pos), has = {};
    found.forEach(function (o) { has[o.term] = 1; });
    var ok = parsed.pos.every(function (_, k) { return has[k]; }) &&
      !(parsed.neg.length && occurrences(blocks, parsed.neg).length);
    return { ok: ok, hits: found.length, found: found };
  }

  /* The text around spans[0] with every span inside it marked (spans sorted, in one block): as
     plain text, or appended to ``into`` as text nodes and <mark> elements (never parsed as HTML). */
  function excerpt(text, spans, plain, into) {
    var from = Math.max(0, spans[0].start - 40), to = Math.min(text.length, spans[0].end + 60);
    var parts = [[from > 0 ? "…" : "", false]], at = from;
    spans.forEach(function (s) {
      if (s.start < at || s.end > to) return;
      parts.push([text.slice(at, s.start), false], [text.slice(s.start, s.end), true]);
      at = s.end;
    });
    parts.push([text.slice(at, to) + (to < text.length ? "…" : ""), false]);
    if (plain) return parts.map(function (p) { return p[0]; }).join("");
    parts.forEach(function (p) {
      if (!p[0]) return;
      into.appendChild(p[1] ? element("mark", {}, p[0]) : document.createTextNode(p[0]));
    });
    return into;
  }

  /* Up to PASSAGES blocks to show: the first block of each term first, then in reading order. */
  function passages(found) {
    var byBlock = {}, order = [], chosen = [], termSeen = {};
    found.forEach(function (o) {
      if (!byBlock[o.block]) { byBlock[o.block] = []; order.push(o.block); }
      byBlock[o.block].push(o);
    });
    found.forEach(function (o) {
      if (!termSeen[o.term] && chosen.indexOf(o.block) < 0 && chosen.length < PASSAGES) chosen.push(o.block);
      termSeen[o.term] = 1;
    });
    order.forEach(function (b) { if (chosen.indexOf(b) < 0 && chosen.length < PASSAGES) chosen.push(b); });
    return chosen.sort(function (a, b) { return a - b; }).map(function (b) { return { block: b, spans: byBlock[b] }; });
  }

  function sectionOf(blocks, b) {
    for (; b >= 0; b--) if (/^h-/.test(blocks[b][0])) return blocks[b][1];
    return "";
  }

  /* A report link that lands on the paragraph and marks the query there. */
  function hitLink(doc, anchor, query) {
    var link = new URL(doc[0], base);
    link.searchParams.set("h", query);
    if (anchor) link.hash = anchor;
    return link.href;
  }

  /* ---- the search box ---- */

  var toggle = document.getElementById("__search");
  var input = document.getElementById("rr-search-input");
  var result = document.getElementById("rr-search-result");
  var filterBox = document.getElementById("rr-search-filters");
  if (!toggle || !input || !result) return;
  // Material styles this markup; a theme that draws its own search box (Zensical's) does
  // not, and then reading-room.css lays the box out itself.
  var box = input.closest(".rr-search"), output = box && box.querySelector(".md-search__output");
  var inner = box ? box.querySelector(".md-search__inner") : null;
  if (output && getComputedStyle(output).position === "static") box.classList.add("rr-search--standalone");
  var info = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var controls = null;  // {yearFrom, yearTo, body, bodies, genre, sort, check, download}
  var wanted = null;    // filter values from the address, applied once the controls exist
  var current = null, timer = 0, generation = 0, quiet = false;
  // the header's magnifier (a label): reachable and usable from the keyboard
  var button = document.querySelector("label.md-header__button[for='__search']");
  if (button) {
    button.setAttribute("tabindex", "0");
    button.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); }
    });
  }

  function open() {
    if (!toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
    focusInput();
  }
  function focusInput() {  // at once, and again once the small-screen panel has slid in
    input.focus();
    [0, 50, 250].forEach(function (ms) {
      setTimeout(function () {
        if (toggle.checked && !(document.activeElement && inner && inner.contains(document.activeElement))) input.focus();
      }, ms);
    });
  }
  /* Close the box; with ``returnFocus`` focus goes back to the box (or, where the box is hidden
     when closed, to the magnifier that opens it). */
  function close(returnFocus) {
    if (toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    syncAddress(true);
    if (!returnFocus) { input.blur(); return; }
    if (window.matchMedia("(min-width: 60em)").matches || !button) {
      quiet = true; input.focus(); quiet = false;
    } else {
      button.focus();
    }
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text) el.textContent = text;
    return el;
  }

  function buildFilters(m) {
    if (controls || !filterBox) return;
    var c = controls = {};
    function select(facet, label, first, values, prefix) {
      var sel = element("select", { "aria-label": label, "data-facet": facet, title: label });
      sel.appendChild(element("option", { value: "" }, first));
      values.forEach(function (v) {
        var o = element("option", { value: v }, (prefix || "") + v);
        o.dataset.label = (prefix || "") + v;
        sel.appendChild(o);
      });
      sel.addEventListener("change", function () { run(); });
      filterBox.appendChild(sel);
      return sel;
    }
    var years = m.values[0].filter(function (y) { return /^\d+$/.test(y); }).reverse()
      .concat(m.values[0].filter(function (y) { return !/^\d+$/.test(y); }));
    c.yearFrom = select("年份", "年份", "年份：全部", years);
    c.yearTo = select("年份至", "截止年份（选填，与年份构成范围）", "至：不限", years.filter(function (y) { return /^\d+$/.test(y); }), "至 ");
    var listId = "rr-bodies";
    c.body = element("input", { type: "search", list: listId, "data-facet": "机关", "aria-label": "机关（输入名称的一部分筛选）",
      title: "机关：输入名称的一部分", placeholder: "机关：全部", autocomplete: "off", spellcheck: "false" });
    c.bodies = element("datalist", { id: listId });
    function bodyOptions() {  // (the names may come later: bodies.json)
      if (c.bodies.options.length || !m.values[1]) return;
      m.values[1].forEach(function (v) { c.bodies.appendChild(element("option", { value: v })); });
    }
    bodyOptions();
    c.body.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
    c.body.addEventListener("focus", function () {
      loadBodies().then(function () {
        bodyOptions();
        if (c.bodyCounts) c.bodyCounts();
      }).catch(function () { /* said by run() */ });
    });
    filterBox.appendChild(c.body);
    filterBox.appendChild(c.bodies);
    c.genre = select("体裁", "体裁", "体裁：全部", m.values[2]);
    c.sort = element("select", { "aria-label": "排序", title: "排序", "data-role": "sort" });
    c.sort.appendChild(element("option", { value: "" }, "按日期（新→旧）"));
    c.sort.appendChild(element("option", { value: "hits" }, "按命中次数（多→少）"));
    c.sort.addEventListener("change", function () { run(); });
    filterBox.appendChild(c.sort);
    c.check = element("button", { type: "button", class: "rr-button", "data-role": "check", hidden: "" }, "核对全部");
    c.check.addEventListener("click", function () {
      if (current) confirmAll(current, current.unsure).then(function (cur) { if (cur) render(cur); });
    });
    filterBox.appendChild(c.check);
    c.download = element("button", { type: "button", class: "rr-button", "data-role": "download",
      title: "下载检索结果（每处命中一行，含段落）" }, "下载 CSV");
    c.download.addEventListener("click", download);
    filterBox.appendChild(c.download);
    if (wanted) { setFilters(wanted); wanted = null; }
  }

  function setFilters(w) {
    var c = controls, years = String(w.year || "").split(/[-–~至]/);
    c.yearFrom.value = years[0] || "";
    c.yearTo.value = years.length > 1 ? years[1] || "" : "";
    if (years.length > 1 && !years[0]) { c.yearFrom.value = years[1] || ""; c.yearTo.value = ""; }
    c.body.value = w.body || "";
    c.genre.value = w.genre || "";
    c.sort.value = w.sort === "hits" ? "hits" : "";
  }

  function filterState() {
    var c = controls;
    if (!c) return { year: "", body: "", genre: "", sort: "" };
    var from = c.yearFrom.value, to = c.yearTo.value;
    return { year: from && to && to !== from ? from + "-" + to : from, body: c.body.value.trim(),
             genre: c.genre.value, sort: c.sort.value };
  }

  /* The filters as a test of one report: pass(n, skip) ignores facet ``skip`` (for its counts). */
  function makeFilter(m, state) {
    var range = state.year ? state.year.split("-").map(Number) : null;
    if (range && range.length === 1) range.push(range[0]);
    if (range && range[0] > range[1]) range.reverse();
    var yearOk = range && m.values[0].map(function (v) { var y = +v; return y >= range[0] && y <= range[1]; });
    var bodyOk = null;
    if (state.body) {
      var exact = m.values[1].indexOf(state.body), want = normalize(state.body);
      bodyOk = m.values[1].map(function (v, i) { return exact >= 0 ? i === exact : normalize(v).indexOf(want) >= 0; });
    }
    var genre = state.genre ? m.values[2].indexOf(state.genre) : -1;
    var active = !!(range || bodyOk || state.genre);
    function pass(n, skip) {
      if (yearOk && skip !== 0 && !yearOk[cols[0][n]]) return false;
      if (bodyOk && skip !== 1 && !bodyOk[cols[1][n]]) return false;
      if (state.genre && skip !== 2 && cols[2][n] !== genre) return false;
      return true;
    }
    return { pass: pass, active: active };
  }

  /* The address follows the box: ?q=…&year=…&body=…&genre=…&sort=hits (``clear``: none of them). */
  function syncAddress(clear) {
    if (!window.history || !history.replaceState) return;
    var p = new URLSearchParams(location.search), st = clear ? {} : filterState();
    var values = { q: clear ? "" : input.value.trim(), year: st.year, body: st.body, genre: st.genre, sort: st.sort };
    Object.keys(values).forEach(function (k) { if (values[k]) p.set(k, values[k]); else p.delete(k); });
    var search = p.toString();
    var url = location.pathname + (search ? "?" + search : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, "", url);
  }

  function say(text) { info.textContent = text; }

  function run() {
    var query = input.value, mine = ++generation, parsed = parse(query);
    if (toggle.checked) syncAddress(false);
    return loadMeta().then(function (m) {
      buildFilters(m);
      return filterState().body ? loadBodies() : m;
    }).then(function () {
      return lookup(parsed);
    }).then(function (found) {
      if (mine !== generation) return;
      var st = filterState(), f = makeFilter(meta, st);
      var cur = current = {
        query: query.trim(), parsed: parsed, cand: found.docs, unsure: found.unsure, checked: {}, filter: f,
        sort: st.sort, shown: 0, docs: []
      };
      cur.terms = parsed.pos.length + parsed.neg.length;
      if (!cur.terms && !f.active) { list.textContent = ""; facetCounts(cur); controls.check.hidden = true; say("输入要查找的字词：提法、词语、短语都按原文逐字匹配；空格分开的词须同时出现，-词 排除，引号内为整句"); return; }
      // the index is exact for most queries; the few candidates it is not sure of (a rare
      // prefix: at most meta.grams[0]; a term longer than its longest key) are confirmed first
      var hits = cur.sort === "hits" && parsed.pos.length > 0;
      var need = hits ? cur.cand : cur.unsure.length <= AUTO_CHECK ? cur.unsure : [];
      return (need.length ? confirmAll(cur, need) : Promise.resolve(cur)).then(function (done) { if (done) render(done); });
    }).catch(function (err) {
      if (mine === generation) say("搜索索引未能载入：" + err.message);
    });
  }

  /* Whether every candidate the index is not sure of has been confirmed: the counts are exact. */
  function settled(cur) {
    return cur.unsure.every(function (n) { return cur.checked[n] !== undefined; });
  }

  /* Confirm the candidates ``which`` of ``cur`` (all of them by default) against their texts
     (up to AUTO_CHECK at once, else FETCHES at a time); resolves to cur, or null when a newer
     query replaced it. */
  function confirmAll(cur, which) {
    if (!cur) return Promise.resolve(null);
    var todo = (which || cur.cand).filter(function (n) { return cur.checked[n] === undefined; }), next = 0, done = 0;
    if (!todo.length) return Promise.resolve(cur);
    var width = todo.length <= AUTO_CHECK ? todo.length : FETCHES;
    return new Promise(function (resolve) {
      function one() {
        if (cur !== current) return resolve(null);
        if (next >= todo.length) { if (done === todo.length) resolve(cur); return; }
        var n = todo[next++];
        confirm(cur, n).then(function () {
          done++;
          if (cur === current && todo.length > 20) say("正在核对原文：" + done + " / " + todo.length + " 篇");
          one();
        });
      }
      for (var k = 0; k < width; k++) one();
    });
  }

  /* One candidate checked: cur.checked[n] = {ok, hits, found, blocks} (ok false: not a match). */
  function confirm(cur, n) {
    if (cur.checked[n] !== undefined) return Promise.resolve(cur.checked[n]);
    return loadText(n).then(function (blocks) {
      var r = check(blocks, cur.parsed);
      r.blocks = blocks;
      cur.checked[n] = r;
      return r;
    }, function () {
      return (cur.checked[n] = { ok: true, hits: 0, found: [], blocks: null });  // keep the title link
    });
  }

  function alive(cur, n) { var c = cur.checked[n]; return !c || c.ok; }

  function render(cur) {
    cur.docs = cur.cand.filter(function (n) { return alive(cur, n) && cur.filter.pass(n); });
    if (cur.sort === "hits") {
      cur.docs.sort(function (a, b) { return (cur.checked[b] ? cur.checked[b].hits : 0) - (cur.checked[a] ? cur.checked[a].hits : 0) || byDate(a, b); });
    }
    // the count and the first results appear together, once those results' rows are loaded
    return loadRows(cur.docs.slice(0, PAGE)).then(function () {
      if (cur !== current) return;
      cur.shown = 0;
      list.textContent = "";
      count(cur);
      return more(cur);
    }, function (err) {
      if (cur === current) say("搜索索引未能载入：" + err.message);
    });
  }

  function count(cur) {
    if (cur !== current) return;
    var n = cur.docs.filter(function (d) { return alive(cur, d); }).length, exact = settled(cur);
    facetCounts(cur);
    if (controls) controls.check.hidden = exact;
    if (!n) {
      say(cur.terms ? "没有报告包含“" + cur.query + "”" : "没有符合筛选条件的报告");
      cur.counted = exact;
      return;
    }
    var simple = cur.parsed.pos.length === 1 && !cur.parsed.neg.length && cur.parsed.pos[0].text === cur.query;
    var text = (exact ? "" : "至多 ") + n + " 篇报告" +
      (cur.terms ? (simple ? "包含“" : "符合“") + cur.query + "”" : "");
    if (!exact) text += "（已核对 " + Object.keys(cur.checked).length + " 篇；点“核对全部”得确数）";
    say(text);
    cur.counted = exact;
  }

  /* Each filter's options with the number of results it would leave (the other filters applied). */
  function facetCounts(cur) {
    if (!controls) return;
    var m = meta, exact = settled(cur), prefix = exact ? "" : "≤";
    function tally(f) {
      var counts = {};
      cur.cand.forEach(function (n) {
        if (alive(cur, n) && cur.filter.pass(n, f)) counts[cols[f][n]] = (counts[cols[f][n]] || 0) + 1;
      });
      return counts;
    }
    function label(sel, f) {
      var counts = tally(f);
      [].forEach.call(sel.options, function (o) {
        if (!o.dataset.label) return;
        var i = m.values[f].indexOf(o.value);
        o.textContent = o.dataset.label + "（" + prefix + (counts[i] || 0) + "）";
      });
    }
    label(controls.yearFrom, 0); label(controls.yearTo, 0); label(controls.genre, 2);
    // the bodies' list can be long (one option a body; its names perhaps not loaded yet):
    // labelled when the reader uses it
    controls.bodyCounts = function () {
      if (!cols[1]) return;
      var counts = tally(1);
      [].forEach.call(controls.bodies.options, function (o, i) { o.label = prefix + (counts[i] || 0) + " 篇"; });
      controls.bodyCounts = null;
    };
    if (document.activeElement === controls.body) controls.bodyCounts();
  }

  /* The next PAGE results, once their rows are loaded; resolves when they are in the list. */
  function more(cur) {
    var upto = Math.min(cur.docs.length, cur.shown + PAGE);
    return loadRows(cur.docs.slice(cur.shown, upto)).then(function () {
      if (cur !== current) return;
      var old = list.querySelector(".rr-more");
      if (old) old.remove();
      for (; cur.shown < upto; cur.shown++) list.appendChild(item(cur, cur.docs[cur.shown]));
      if (cur.shown < cur.docs.length) {
        var li = document.createElement("li");
        li.className = "md-search-result__item rr-more";
        li.appendChild(element("button", { type: "button", class: "md-search-result__more rr-more__button" },
          "显示更多（还有 " + (cur.docs.length - cur.shown) + " 篇）"));
        li.firstChild.addEventListener("click", function () {
          if (this.disabled) return;
          this.disabled = true;  // once: a second click before the rows arrive would add them twice
          more(cur).then(focusAfterMore);
        });
        list.appendChild(li);
      }
    }, function (err) {
      if (cur === current) say("搜索索引未能载入：" + err.message);
    });
  }
  function focusAfterMore() {
    var links = list.querySelectorAll(".md-search-result__link");
    var at = Math.max(0, current.shown - PAGE);
    if (links[at]) links[at].focus();
  }

  function facts(n) {
    return [0, 1, 2].map(function (f) { return cols[f] ? meta.values[f][cols[f][n]] : row(n)[2] || ""; });
  }

  function item(cur, n) {
    var doc = row(n);
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    li.dataset.url = doc[0];
    // built as elements and text nodes: a title is never parsed as HTML
    var link = element("a", { href: new URL(doc[0], base).href, class: "md-search-result__link" });
    var article = element("article", { class: "md-search-result__article md-typeset" });
    article.appendChild(element("h1", {}, doc[1]));
    article.appendChild(element("p", { class: "rr-facts" }, facts(n).filter(Boolean).join(" · ")));
    link.appendChild(article);
    li.appendChild(link);
    if (!cur.parsed.pos.length && !cur.parsed.neg.length) { li.classList.add("rr-confirmed"); return li; }
    confirm(cur, n).then(function (r) {
      if (cur !== current) return;
      if (!r.ok) { li.remove(); count(cur); return; }
      show(cur, li, doc, r);
      li.classList.add("rr-confirmed");
      if (!cur.counted) count(cur);
    });
    return li;
  }

  function show(cur, li, doc, r) {
    if (!r.blocks || !r.found.length) return;
    var shown = passages(r.found), blocks = r.blocks;
    li.firstChild.href = hitLink(doc, blocks[shown[0].block][0], cur.query);
    var facts = li.querySelector(".rr-facts"), section = sectionOf(blocks, shown[0].block);
    facts.textContent += (section ? " · " + section : "") + " · 共 " + r.hits + " 处";
    var ol = document.createElement("ol");
    ol.className = "rr-passages";
    shown.forEach(function (p) {
      var where = sectionOf(blocks, p.block), one = document.createElement("li");
      var a = element("a", { class: "rr-passage", href: hitLink(doc, blocks[p.block][0], cur.query) });
      if (where) a.title = where;
      one.appendChild(excerpt(blocks[p.block][1], p.spans, false, a));
      ol.appendChild(one);
    });
    li.appendChild(ol);
  }

  /* ---- the results as CSV: one row per hit, with its passage ---- */

  function csvCell(value) {
    var v = String(value == null ? "" : value);
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;  // OWASP: a spreadsheet must not read it as a formula
    return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }

  function download() {
    var cur = current;
    if (!cur || !cur.docs) return;
    var todo = cur.parsed.pos.length ? confirmAll(cur) : Promise.resolve(cur);
    // the corpus version the 数据 page and the citations name (data/version.json)
    var version = fetch(new URL("data/version.json", base).href)
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (v) { return v.version || ""; }, function () { return ""; });
    Promise.all([todo, version]).then(function (got) {
      var done = got[0];
      return done && loadRows(done.docs).then(function () { return [done, got[1]]; });
    }).then(function (got) {
      var done = got && got[0];
      if (!done || done !== current) return;
      render(done);
      var exported = new Date().toISOString(), st = filterState(), filters = new URLSearchParams();
      ["year", "body", "genre", "sort"].forEach(function (k) { if (st[k]) filters.set(k, st[k]); });
      var rows = [["query", "filters", "corpus_version", "index_version", "exported", "report", "title", "year",
                   "organization", "genre", "hits", "term", "url", "passage"]];
      done.docs.forEach(function (n) {
        var doc = row(n), r = done.checked[n];
        var head = [done.query, filters.toString(), got[1], meta.version || "", exported, docId(doc), doc[1]]
          .concat(facts(n));
        var found = r && r.blocks ? r.found : [];
        if (!found.length) { rows.push(head.concat([0, "", new URL(doc[0], base).href, ""])); return; }
        found.forEach(function (o) {
          var block = r.blocks[o.block];
          rows.push(head.concat([r.hits, done.parsed.pos[o.term].text, hitLink(doc, block[0], done.query),
                                 excerpt(block[1], [o], true)]));
        });
      });
      var text = "\ufeff" + rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
      window.rrSave([text], "search-" + exported.slice(0, 10) + ".csv", "text/csv;charset=utf-8");  // reading-room.js
    });
  }

  /* ---- keyboard ---- */

  /* What Tab moves through inside the open box, in order: the box, the filters, the results. */
  function panelFocusables() {
    if (!inner) return [input];
    return [].filter.call(inner.querySelectorAll("a[href], button, input, select"), function (el) {
      if (el.disabled || el.tabIndex < 0 || el.hidden) return false;
      return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    });
  }
  function resultLinks() { return [input].concat([].slice.call(list.querySelectorAll(".md-search-result__link, .rr-more__button"))); }

  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      loadMeta().then(buildFilters).catch(function () { /* said by run() */ });
      focusInput();
      syncAddress(false);
    }
  });
  input.addEventListener("focus", function () { if (!toggle.checked && !quiet) open(); });
  // A query runs as soon as it is typed: an input method's text once it is committed (the
  // composition ends), anything else after TYPING ms without another key (the index files a
  // query needs are loaded once, and a newer query discards an older one's results).
  input.addEventListener("input", function (e) {
    if (!toggle.checked) open();
    clearTimeout(timer);
    if (e.isComposing) return;
    timer = setTimeout(run, TYPING);
  });
  input.addEventListener("compositionend", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 0);
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
    if (e.key === "Escape") { e.preventDefault(); e.stopImmediatePropagation(); close(true); return; }
    if (e.key === "Tab") {  // focus stays inside the open box
      var all = panelFocusables(), i = all.indexOf(document.activeElement);
      if (!all.length) return;
      e.preventDefault();
      i = i < 0 ? (e.shiftKey ? all.length - 1 : 0) : (i + (e.shiftKey ? -1 : 1) + all.length) % all.length;
      all[i].focus();
      return;
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      var items = resultLinks(), at = items.indexOf(document.activeElement);
      if (at < 0 && t !== input && /^(input|select)$/i.test(t.tagName)) return;  // the filters' own arrows
      e.preventDefault();
      at = e.key === "ArrowDown" ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1);
      items[at].focus();
    }
  }, true);

  /* ---- on a report page reached from a result: mark the query in the text ---- */

  function markHits(query) {
    var terms = parse(query).pos, article = document.querySelector(".md-content article");
    if (!terms.length || !article) return;
    var blocks = article.querySelectorAll("h1, h2, h3, h4, h5, h6, p");
    var firstMark = null;
    [].forEach.call(blocks, function (el) {
      var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), nodes = [], node;
      while ((node = walker.nextNode())) {
        if (!node.parentElement.closest(".headerlink, .pn")) nodes.push(node);
      }
      var n = normalizedMap(nodes.map(function (t) { return t.nodeValue; })), hits = [];
      terms.forEach(function (t) {
        indicesOf(n.norm, t.norm).forEach(function (at) { hits.push([at, at + t.norm.length - 1]); });
      });
      hits.sort(function (a, b) { return a[0] - b[0]; });
      var kept = [], last = -1;
      hits.forEach(function (h) { if (h[0] > last) { kept.push([n.map[h[0]], n.map[h[1]]]); last = h[1]; } });
      // wrap from the last hit backwards so earlier offsets stay valid
      for (var h = kept.length - 1; h >= 0; h--) {
        var s = kept[h][0], e = kept[h][1];
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
  if (params.get("q") || params.get("year") || params.get("body") || params.get("genre")) {
    input.value = params.get("q") || "";
    wanted = { year: params.get("year"), body: params.get("body"), genre: params.get("genre"), sort: params.get("sort") };
    open();
    run();
  }

  /* For tests and bench/search_quality.py: the same lookup the box uses. ``f``: [year, body, genre]
     value indices or -1. */
  function narrowed(query, f) {
    var parsed = parse(query);
    return (f && f[1] >= 0 ? loadBodies() : loadMeta()).then(function () { return lookup(parsed); }).then(function (found) {
      var docs = found.docs;
      if (!parsed.pos.length && !parsed.neg.length && !(f || []).some(function (x) { return x >= 0; })) docs = [];
      docs = docs.filter(function (n) {
        for (var k = 0; k < 3; k++) if (f && f[k] >= 0 && cols[k][n] !== f[k]) return false;
        return true;
      });
      return loadRows(docs).then(function () { return { parsed: parsed, docs: docs }; });
    });
  }
  window.readingRoomSearch = {
    candidates: function (query, f) {
      return narrowed(query, f).then(function (res) { return res.docs.map(function (n) { return row(n)[0]; }); });
    },
    confirmed: function (query, f) {
      return narrowed(query, f).then(function (res) {
        return Promise.all(res.docs.map(function (n) {
          return loadText(n).then(function (blocks) { return check(blocks, res.parsed).ok ? row(n)[0] : null; });
        })).then(function (urls) { return urls.filter(Boolean); });
      });
    },
    parse: parse,
    normalize: normalize,
    open: open,
    close: close
  };
})();
