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
  var root = script && script.src ? script.src.replace(/assets\/cite\.js(?:[?#].*)?$/, "") : "";
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
