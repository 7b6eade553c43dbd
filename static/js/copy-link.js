// "Copy link" buttons: <button data-copy-target="ID" data-copied="..." data-copy-failed="..."
// hidden>. The button stays hidden when this script or the clipboard is unavailable; the link is
// always shown as text beside it. The two messages come translated from the page.
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (!source) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () {
          if (status) { status.textContent = button.getAttribute("data-copied") || "Copied."; }
        },
        function () {
          if (status) {
            status.textContent = button.getAttribute("data-copy-failed") ||
              "Could not copy. Please select the link and copy it.";
          }
        }
      );
    });
  });
})();
