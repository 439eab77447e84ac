/* The reading room's small page behaviours (the search box is search.js). */
(function () {
  "use strict";
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
