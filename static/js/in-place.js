/*
 * The lesson page's forms, answered in place (templates/courses/lesson_tools.html). htmx posts
 * a form and swaps in the piece of page the server sends back; this script then puts focus
 * where the parent's eyes should go (the first field to fix, else the feedback) and reads the
 * feedback out through the page's status region. Anything but that piece of page (a redirect
 * to log in again, a locked lesson, a server error) falls back to the plain form post, so the
 * parent sees the whole page the server answers without JavaScript.
 * Served joined after htmx as js/lesson-tools.js (settings.STATIC_BUNDLES).
 */
(function () {
  "use strict";

  // Says `text` through the page's status region, or empties it when there is nothing to say.
  function announce(text) {
    var status = document.getElementById("lesson-tools-status");
    if (!status) {
      return;
    }
    // Emptied first, so the same words said twice (two wrong answers in a row) are read again.
    status.textContent = "";
    if (text) {
      window.setTimeout(function () {
        status.textContent = text.replace(/\s+/g, " ").trim();
      }, 50);
    }
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var asked = new URL(event.detail.requestConfig.path, window.location.href);
    if (xhr.responseURL && new URL(xhr.responseURL).pathname !== asked.pathname) {
      // Redirected (signed out meanwhile): go where the server sent us.
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });

  function postPlainly(event) {
    var form = event.detail.elt;
    if (form instanceof HTMLFormElement) {
      // submit() skips htmx (no submit event): the server's whole answer, as without JS.
      HTMLFormElement.prototype.submit.call(form);
    }
  }
  document.addEventListener("htmx:responseError", postPlainly);
  document.addEventListener("htmx:sendError", postPlainly);

  // Focus carries the words: a screen reader reads the focused feedback, or the field to fix
  // with its error (aria-describedby). The status region speaks only what focus does not
  // reach, so nothing is read out twice.
  document.addEventListener("htmx:afterSettle", function (event) {
    var box = event.target;
    if (!(box instanceof Element)) {
      return;
    }
    var feedback = box.querySelector("[data-feedback]");
    var problems = box.querySelectorAll(".invalid-feedback, .alert-danger");
    if (problems.length) {
      var toFix = box.querySelector(".is-invalid") ||
        box.querySelector("form textarea, form select, form input:not([type='hidden'])");
      var heard = [];
      if (toFix) {
        toFix.focus();
        heard = (toFix.getAttribute("aria-describedby") || "").split(/\s+/);
      }
      var unheard = Array.prototype.filter.call(problems, function (p) {
        return heard.indexOf(p.id) === -1;
      });
      announce(unheard.map(function (p) { return p.textContent; }).join(" "));
    } else if (feedback) {
      announce("");
      feedback.focus();
    }
  });
})();
