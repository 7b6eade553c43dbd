// "Print this handout": <button data-print hidden>. Without this script the page says how to
// print with the browser's own command instead.
(function () {
  "use strict";
  if (typeof window.print !== "function") {
    return;
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
