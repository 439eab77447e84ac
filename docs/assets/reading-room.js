/* The reading room's small page behaviours (the search box is search.js). */
(function () {
  "use strict";
  // A report page carries its outline once, as the phone's 目录 (overrides/main.html); the
  // sidebar's outline is made from it here, in the theme's markup (Material 9's partials/toc.html
  // and toc-item.html), before the theme's script starts at DOMContentLoaded and finds it.
  var sidebarToc = document.querySelector("[data-rr-toc]"), pageToc = document.querySelector(".rr-outline nav > ol");
  if (sidebarToc && pageToc) {
    var tocList = function (ol, top) {
      var ul = document.createElement("ul");
      ul.className = "md-nav__list";
      if (top) { ul.setAttribute("data-md-component", "toc"); ul.setAttribute("data-md-scrollfix", ""); }
      [].forEach.call(ol.children, function (li) {
        var from = li.querySelector(":scope > a"), item = document.createElement("li");
        item.className = "md-nav__item";
        var a = document.createElement("a"), span = document.createElement("span");
        a.href = from.getAttribute("href");
        a.className = "md-nav__link";
        span.className = "md-ellipsis";
        span.textContent = from.textContent;
        a.append(span);
        item.append(a);
        var sub = li.querySelector(":scope > ol");
        if (sub) {
          var nav = document.createElement("nav");
          nav.className = "md-nav";
          nav.setAttribute("aria-label", from.textContent);
          nav.append(tocList(sub, false));
          item.append(nav);
        }
        ul.append(item);
      });
      return ul;
    };
    var tocNav = document.createElement("nav"), tocTitle = document.createElement("label");
    tocNav.className = "md-nav md-nav--secondary";
    tocNav.setAttribute("aria-label", "目录");
    tocTitle.className = "md-nav__title";
    tocTitle.htmlFor = "__toc";
    tocTitle.innerHTML = '<span class="md-nav__icon md-icon"></span>';
    tocTitle.append("目录");
    tocNav.append(tocTitle, tocList(pageToc, true));
    sidebarToc.append(tocNav);
  }
  // Each paragraph of a report (render.report_page) gets its number, ¶n, as a link to its own
  // stable anchor, which opens the citation menu (below). The page itself carries only the
  // anchor (the id of its <p>, p-…): the link was 100 bytes a paragraph, on every report page.
  var paras = document.querySelectorAll(".md-typeset p[id^='p-']");
  for (var i = 0; i < paras.length; i++) {
    var pn = document.createElement("a"), n = String(i + 1);
    pn.className = "pn";
    pn.href = "#" + paras[i].id;
    pn.setAttribute("data-n", n);
    pn.setAttribute("aria-label", "¶" + n);
    paras[i].insertBefore(pn, paras[i].firstChild);
  }
  // A generated page's headings carry their id only (html_page.heading_html); each gets the
  // permalink a Markdown page's heading has (mkdocs.yml: toc permalink "#", 本节链接).
  var heads = document.querySelectorAll(".md-typeset :is(h2, h3, h4, h5, h6)[id]");
  for (var h = 0; h < heads.length; h++) {
    if (heads[h].querySelector(".headerlink")) continue;
    var link = document.createElement("a");
    link.className = "headerlink";
    link.href = "#" + heads[h].id;
    link.title = "本节链接";
    link.textContent = "#";
    heads[h].append(link);
  }
  // A page of entries found in one report only (slogans/once/xx/, render.once_page): an entry the
  // address names that is not here has since been found in more reports, and has its own page.
  function toOwnPage() {
    var slug = decodeURIComponent(location.hash.slice(1));
    if (!slug || document.getElementById(slug)) return;
    var own = new URL("../../" + encodeURIComponent(slug) + "/", location.href);
    fetch(own, { method: "HEAD" }).then(function (r) { if (r.ok) location.replace(own.href); }, function () {});
  }
  if (/\/(slogans|cited)\/once\/[0-9a-f]{2}\/$/.test(location.pathname)) {
    toOwnPage();
    window.addEventListener("hashchange", toOwnPage);
  }
  // 目录 on a phone (overrides/main.html): a chosen section closes the outline; so does Esc.
  var outline = document.querySelector(".rr-outline");
  if (outline) {
    outline.addEventListener("click", function (e) {
      if (e.target.closest("a")) outline.open = false;
    });
    outline.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && outline.open) {
        outline.open = false;
        outline.querySelector("summary").focus();
      }
    });
  }

  // ---- Downloads the site keeps compressed (README, "Data files"), saved as a reader wants them ----
  function save(parts, name, type) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob(parts, { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
  }
  window.rrSave = save;  // the search box's CSV download saves through it too (search.js)
  function gunzip(buffer) {
    var stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer();
  }
  var canUnpack = typeof DecompressionStream === "function";

  // A report's 纯文本 (render.report_page): its title, then every heading and paragraph, a
  // blank line between them (as in data/texts.jsonl.gz), taken from the page itself.
  function pageText() {
    var body = document.querySelector("[data-pagefind-body]") || document.querySelector(".md-content .md-typeset");
    var blocks = body.querySelectorAll("h1, h2, h3, h4, h5, h6, p[id^='p-']");
    var out = [];
    for (var i = 0; i < blocks.length; i++) {
      if (blocks[i].closest(".cleaning, .report-meta")) continue;
      var copy = blocks[i].cloneNode(true);
      var drop = copy.querySelectorAll(".headerlink, .pn, .reuse-mark");
      for (var j = 0; j < drop.length; j++) drop[j].remove();
      out.push(copy.textContent);
    }
    return out.join("\n\n") + "\n";
  }

  // One entry's uses (render's "下载全部使用（CSV）", a link to data/<kind>.csv.gz#<slug>):
  // data/<kind>.uses.json says which gzip member of <kind>.csv.gz holds them; that member is
  // asked for alone (a Range request; a host that ignores it sends the whole file, and the
  // member is cut out of it here), unpacked, and its rows of this formulation kept.
  function csvRecords(text) {
    // [raw record, its cells] for each record of a CSV text (quoted cells may hold , " and newlines)
    var out = [], cells = [], cell = "", start = 0, quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
        } else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { cells.push(cell); cell = ""; }
      else if (c === "\n") {
        cells.push(cell);
        out.push([text.slice(start, i + 1), cells]);
        cells = []; cell = ""; start = i + 1;
      } else cell += c;
    }
    if (start < text.length) { cells.push(cell); out.push([text.slice(start), cells]); }
    return out;
  }
  // The rows of one entry (a link to data/<kind>.csv.gz#<slug>): [raw record, its cells] each,
  // and the CSV's columns.
  function entryRows(href) {
    var url = new URL(href), slug = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    var mapUrl = new URL(url.pathname.split("/").pop().replace(/\.csv\.gz$/, ".uses.json"), url);
    return fetch(mapUrl).then(function (r) { return r.json(); }).then(function (map) {
      var place = map.entries[slug], range = map.members[place[0]];
      return fetch(url, { headers: { Range: "bytes=" + range[0] + "-" + (range[1] - 1) } }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.arrayBuffer().then(function (b) { return r.status === 206 ? b : b.slice(range[0], range[1]); });
      }).then(gunzip).then(function (buffer) {
        var text = new TextDecoder("utf-8").decode(buffer).replace(/^\ufeff/, "");
        var records = csvRecords(text), keyAt = map.columns.indexOf("key");
        if (place[0] === 0) records.shift();  // the header, at the head of the first member
        return { slug: slug, columns: map.columns,
                 rows: records.filter(function (rec) { return rec[1][keyAt] === place[1]; }) };
      });
    });
  }
  function entryUses(link) {
    return entryRows(link.href).then(function (got) {
      save(["\ufeff" + got.columns.join(",") + "\n"].concat(got.rows.map(function (rec) { return rec[0]; })),
           got.slug + ".csv", "text/csv;charset=utf-8");
    });
  }

  // An entry page shows its first uses (render.entry_page); 显示其余 adds the rest, made from the
  // entry's CSV rows (the same order, so use n is row n) as render._kwic_list makes a line.
  var more = document.querySelector(".kwic-more a[data-more]"), moreLoad = null;
  function short(text) { return text.length <= 18 ? text : text.slice(0, 18) + "…"; }
  function showRest() {
    if (moreLoad) return moreLoad;
    var list = document.querySelector("ol.kwic"), shown = +more.getAttribute("data-more");
    more.textContent = "正在载入其余使用…";
    var root = new URL("../", new URL(".", more.href));  // data/ is one folder below the site's root
    moreLoad = entryRows(more.href).then(function (got) {
      var at = {};
      got.columns.forEach(function (c, i) { at[c] = i; });
      var frag = document.createDocumentFragment();
      got.rows.slice(shown).forEach(function (rec, i) {
        var cells = rec[1], li = document.createElement("li");
        li.id = "u" + (shown + i + 1);
        if (cells[at.quoted] !== "true") li.className = "bare";
        var mark = document.createElement("mark");
        mark.textContent = cells[at.match];
        li.append("…" + cells[at.left], mark, cells[at.right] + "…", document.createElement("br"));
        var a = document.createElement("a");
        a.href = new URL(cells[at.url], root).href;
        a.textContent = cells[at.title];
        li.append(a);
        if (cells[at.section]) {
          var small = document.createElement("small");
          small.textContent = cells[at.section].split(" › ").map(short).join(" › ");
          li.append(" ", small);
        }
        frag.append(li);
      });
      list.append(frag);
      more.parentNode.remove();
    }).catch(function () {
      moreLoad = null;
      more.textContent = "载入失败，点此重试（或下载 CSV）";
    });
    return moreLoad;
  }
  // an address or link naming a use not on the page (#u450) shows the rest, then goes to it
  function toUse() {
    var m = /^#u(\d+)$/.exec(location.hash);
    if (!m || document.getElementById(m[0].slice(1)) || !more) return;
    showRest().then(function () {
      var target = document.getElementById(m[0].slice(1));
      if (target) target.scrollIntoView();
    });
  }
  if (more) {
    toUse();
    window.addEventListener("hashchange", toUse);
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a");
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button !== 0) return;
    if (link.hasAttribute("data-plain-text")) {
      e.preventDefault();
      save([pageText()], link.getAttribute("data-plain-text") + ".txt", "text/plain;charset=utf-8");
    } else if (!canUnpack) {
      return;  // the link's own file: the .gz, or the whole slogans.csv.gz
    } else if (link.hasAttribute("data-gunzip")) {
      e.preventDefault();
      fetch(link.href).then(function (r) { return r.arrayBuffer(); }).then(gunzip).then(function (b) {
        save([b], link.getAttribute("data-gunzip"), "application/octet-stream");
      }).catch(function () { location.href = link.href; });
    } else if (link === more) {
      e.preventDefault();
      showRest();
    } else if (/\/data\/(slogans|cited)\.csv\.gz#./.test(link.href)) {
      e.preventDefault();
      entryUses(link).catch(function () { location.href = link.href; });
    }
  });
})();

/* Citation and links that survive edits, on report pages (reading_room/cite.py, fingerprint.py).
 *
 * 1. The ¶ link of each paragraph opens a small menu: copy the paragraph's link, a GB/T 7714-2015
 *    citation (electronic form) or a Chicago one. The citations are built from the page's
 *    citation_* meta tags and name the corpus version (data/version.json).
 * 2. A link to a paragraph id that is not on the page (the paragraph was edited since) goes to the
 *    paragraph whose fingerprint (a simhash: the id's 16 hex digits) is nearest, with a notice.
 * 3. Without site_url, citation_public_url is filled in from the page's own address.
 */
(function () {
  "use strict";
  var SITE = "公文阅览室";
  var NEAR = 22; // bits of 64: an edit moves an id by a few bits, unrelated paragraphs by about 32
  var ID = /^([hp])-([0-9a-f]{16})(?:-\d+)?$/;
  var script = document.currentScript;
  // this file, or the pages' joined copy of the scripts (assets/rr-page.js: reading_room/shell.py)
  var root = script && script.src ? script.src.replace(/assets\/[\w.-]+\.js(?:[?#].*)?$/, "") : "";
  var version = null;

  function metas(name) {
    return [].map.call(document.querySelectorAll('meta[name="' + name + '"]'), function (m) { return m.content; });
  }
  function meta(name) { return metas(name)[0] || ""; }

  function pageUrl() {
    return meta("citation_public_url") || location.href.replace(/#.*$/, "");
  }

  function loadVersion() {
    if (!version) {
      version = fetch(root + "data/version.json").then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (v) { return v.version || ""; }, function () { return ""; });
    }
    return version;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function today() { var d = new Date(); return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  function english(iso) { // 2024-03-05 -> March 5, 2024; 2024 -> 2024
    var p = iso.split("-");
    return p.length === 3 ? MONTHS[+p[1] - 1] + " " + (+p[2]) + ", " + p[0] : iso;
  }

  /* The citations of one paragraph (or heading) as {gbt, chicago, link}. */
  function citations(block, corpusVersion) {
    var authors = metas("citation_author");
    var title = meta("citation_title") || document.title;
    var date = meta("citation_publication_date").replace(/\//g, "-");
    var url = pageUrl() + "#" + block.id;
    var n = block.querySelector("a.pn") ? block.querySelector("a.pn").getAttribute("data-n") : "";
    var accessed = today();
    var v = corpusVersion ? ", 语料版本 " + corpusVersion : "";
    var gbt = (authors.length ? authors.join(", ") + ". " : "") + title + "[EB/OL]. " + SITE + v + ". " +
      (date ? "(" + date + ")" : "") + "[" + accessed + "]. " + url + ".";
    var chicago = (authors.length ? authors.join(", ") + ". " : "") + "\u201c" + title + ".\u201d " +
      (date ? english(date) + ", " : "") + (n ? "para. " + n + ". " : "") + SITE +
      (corpusVersion ? ", corpus version " + corpusVersion : "") + ". Accessed " + english(accessed) + ". " +
      url + ".";
    return { gbt: gbt, chicago: chicago, link: url };
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { area.remove(); }
  }

  /* ---- the ¶ menu ---- */
  var menu = null;
  function closeMenu() {
    if (menu) { menu.remove(); menu = null; }
  }
  function openMenu(block, anchor) {
    closeMenu();
    menu = document.createElement("div");
    menu.className = "rr-cite";
    menu.setAttribute("role", "dialog");
    menu.setAttribute("aria-label", "引用本段");
    var items = [["link", "复制链接"], ["gbt", "复制 GB/T 7714 引文"], ["chicago", "复制 Chicago 引文"]];
    items.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rr-cite__button";
      button.setAttribute("data-format", item[0]);
      button.textContent = item[1];
      menu.appendChild(button);
    });
    var out = document.createElement("output");
    out.className = "rr-cite__text";
    menu.appendChild(out);
    menu.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-format]");
      if (!button) return;
      var format = button.getAttribute("data-format");
      loadVersion().then(function (v) {
        var text = citations(block, v)[format];
        out.textContent = text;
        return copy(text).then(function () {
          out.setAttribute("data-copied", format);
          button.textContent = "已复制";
        });
      });
    });
    block.insertBefore(menu, anchor.nextSibling);
    loadVersion(); // ready by the time a format is chosen
    menu.querySelector("button").focus();
  }

  document.addEventListener("click", function (event) {
    var anchor = event.target.closest && event.target.closest("a.pn");
    if (anchor) {
      var block = anchor.parentElement;
      if (menu && menu.parentElement === block) { closeMenu(); return; }
      openMenu(block, anchor);
      return; // the link still goes to the paragraph's anchor
    }
    if (menu && !menu.contains(event.target)) closeMenu();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu) closeMenu();
  });

  /* ---- links to paragraphs whose text changed ---- */
  function bits(x) { x = x - ((x >>> 1) & 0x55555555); x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24; }
  function distance(a, b) {
    return bits((parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) >>> 0) +
      bits((parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16)) >>> 0);
  }

  // the notice goes under the title, or right above the paragraph a link was sent to (``at``), so
  // that it is in view with it
  function notice(text, target, at) {
    var old = document.querySelector(".rr-moved");
    if (old) old.remove();
    var box = document.createElement("div");
    box.className = "admonition warning rr-moved";
    box.setAttribute("role", "status");
    box.textContent = text;
    if (target) {
      var go = document.createElement("a");
      go.href = "#" + target.id;
      go.textContent = "（前往该段）";
      box.appendChild(go);
    }
    var content = document.querySelector(".md-content__inner h1");
    if (at) at.parentNode.insertBefore(box, at);
    else if (content) content.parentNode.insertBefore(box, content.nextSibling);
    return box;
  }

  function resolve() {
    var id = decodeURIComponent(location.hash.slice(1));
    var m = ID.exec(id);
    if (!m || document.getElementById(id)) return;
    var best = null, bestDistance = 65;
    [].forEach.call(document.querySelectorAll("[id^='" + m[1] + "-']"), function (el) {
      var own = ID.exec(el.id);
      if (!own || own[1] !== m[1]) return;
      var d = distance(m[2], own[2]);
      if (d < bestDistance) { best = el; bestDistance = d; }
    });
    if (!best) return;
    var what = m[1] === "p" ? "段落" : "标题";
    if (bestDistance <= NEAR) {
      var box = notice("链接所指的" + what + "文字已修改，已转到最接近的" + what +
        (best.querySelector("a.pn") ? "（¶" + best.querySelector("a.pn").getAttribute("data-n") + "）" : "") + "。",
        null, best);
      best.classList.add("rr-resolved");
      best.setAttribute("data-resolved-from", id);
      box.scrollIntoView({ block: "center" });
    } else {
      notice("链接所指的" + what + "已不在本页；最接近的" + what + "差别较大", best);
    }
  }

  function fillPublicUrl() {
    var tag = document.querySelector('meta[name="citation_public_url"]');
    if (!tag && document.querySelector('meta[name="citation_title"]')) {  // no site_url: the page's own address
      tag = document.createElement("meta");
      tag.name = "citation_public_url";
      document.head.appendChild(tag);
    }
    if (tag && !tag.content) tag.content = location.href.replace(/#.*$/, "");
  }

  function start() {
    fillPublicUrl();
    resolve();
  }
  window.addEventListener("hashchange", resolve);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
