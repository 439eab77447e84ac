/* The reading room's small page behaviours (the search box is search.js). */
(function () {
  "use strict";
  // Each paragraph of a report (render.report_page) gets its number, ¶n, as a link to its own
  // stable anchor, which opens the citation menu (cite.js). The page itself carries only the
  // anchor (p.para's id): the link was 100 bytes a paragraph, on every report page.
  var paras = document.querySelectorAll(".md-typeset p.para[id]");
  for (var i = 0; i < paras.length; i++) {
    var pn = document.createElement("a"), n = String(i + 1);
    pn.className = "pn";
    pn.href = "#" + paras[i].id;
    pn.setAttribute("data-n", n);
    pn.setAttribute("aria-label", "¶" + n);
    paras[i].insertBefore(pn, paras[i].firstChild);
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
})();
