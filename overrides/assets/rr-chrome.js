{#-
  The chrome every slim page shares, fetched once and cached: rendered by MkDocs
  as a static template (mkdocs.yml, theme.static_templates) from the same
  partials Material's page is made of — the header with the search box, the
  tabs, the page-wide toggles and dialog — and Material's inline head script.
  A slim page (overrides/slim.html) loads this file in its <head> and calls
  rrChrome() where the header goes; it carried these 3-4 KB itself before, on
  every one of thousands of pages. The page's title reaches the header as text
  (textContent), never as markup. No text of a report is in this file.
-#}
{%- import "partials/language.html" as lang with context -%}
{%- set features = config.theme.features or [] -%}
{%- set chrome -%}
  <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
  <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">
  <label class="md-overlay" for="__drawer"></label>
  <div data-md-component="announce"></div>
  {% include "partials/header.html" %}
  {%- if "navigation.tabs" in features %}
    {%- set tabs %}{% include "partials/tabs.html" %}{% endset %}
    {{ tabs | replace('<nav class="md-tabs"', '<nav class="md-tabs rr-slim"') }}
  {%- endif %}
  <div class="md-dialog" data-md-component="dialog"><div class="md-dialog__inner md-typeset"></div></div>
{%- endset -%}
{#- the back-to-top button, as base.html writes it, its icon the cached sprite's (slim.html takes it off the page) -#}
{%- set top -%}
  {%- if "navigation.top" in features -%}
    <button type="button" class="md-top md-icon" data-md-component="top" hidden>
      <svg viewBox="0 0 24 24"><use href="icons.svg#arrow-up"/></svg>
      {{ lang.t("top") }}
    </button>
  {%- endif -%}
{%- endset -%}
/* The slim pages' shared chrome (generated from overrides/assets/rr-chrome.js). */
(function () {
  "use strict";
  var src = document.currentScript.src, root = new URL("..", src);
  // Material's inline head script, scoped to the site's root
  window.__md_scope = root;
  window.__md_hash = function (e) { return [].reduce.call(e, function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0); };
  window.__md_get = function (e, s, t) { s = s || localStorage; t = t || __md_scope; return JSON.parse(s.getItem(t.pathname + "." + e)); };
  window.__md_set = function (e, v, s, t) { s = s || localStorage; t = t || __md_scope; try { s.setItem(t.pathname + "." + e, JSON.stringify(v)); } catch (x) {} };
  var html = {{ chrome.split() | join(" ") | tojson }}, top = {{ top.split() | join(" ") | tojson }};
  var site = {{ config.site_name | tojson }};
  var features = {{ features | tojson }};
  {#- the palette's attributes of <body>, as Material's base.html writes them (the pages do not carry them) -#}
  {%- set palette = config.theme.palette -%}
  {%- if palette and palette is not mapping %}{% set palette = palette | first %}{% endif %}
  var palette = {{ ({"scheme": palette.scheme | d("default", true) | replace(" ", "-"),
                     "primary": palette.primary | d("indigo", true) | replace(" ", "-"),
                     "accent": palette.accent | d("indigo", true) | replace(" ", "-")} if palette else {}) | tojson }};
  window.rrChrome = function () {
    var here = document.currentScript, box = document.createElement("template");
    Object.keys(palette).forEach(function (name) {
      if (!document.body.hasAttribute("data-md-color-" + name)) document.body.setAttribute("data-md-color-" + name, palette[name]);
    });
    box.innerHTML = html;
    var part = box.content;
    // links were made relative to this file: make them the same places from the page
    part.querySelectorAll("[href]").forEach(function (a) {
      a.setAttribute("href", new URL(a.getAttribute("href"), src).href);
    });
    var title = document.title, tail = " - " + site;
    if (title.slice(-tail.length) === tail) title = title.slice(0, -tail.length);
    var topic = part.querySelector('[data-md-component="header-topic"] .md-ellipsis');
    if (topic) topic.textContent = title;
    var config = document.createElement("script");
    config.id = "__config";
    config.type = "application/json";
    config.textContent = JSON.stringify({base: root.href, features: features, translations: {}, search: null,
                                         annotate: null, tags: null, version: null});
    part.appendChild(config);
    here.parentNode.insertBefore(part, here);
    // the back-to-top button goes where base.html puts it, at the end of <main>, once the page
    // is read: this listener comes before the theme's (its script is at the end of the page)
    if (top) document.addEventListener("DOMContentLoaded", function () {
      var main = document.querySelector("main.md-main");
      if (!main || main.querySelector('[data-md-component="top"]')) return;
      var box = document.createElement("template");
      box.innerHTML = top;
      box.content.querySelectorAll("[href]").forEach(function (a) {
        a.setAttribute("href", new URL(a.getAttribute("href"), src).href);
      });
      main.appendChild(box.content);
    }, { once: true });
  };
})();
