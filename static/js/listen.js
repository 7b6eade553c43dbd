// "Listen": reads the lesson aloud with the browser's own speech synthesis (nothing leaves the
// device). The controls (<div data-listen hidden>, templates/courses/lesson_extras.html) stay
// hidden where the browser cannot speak or this script does not run. Nothing on the page is
// highlighted or announced sentence by sentence: screen readers keep the page as it is, and
// one polite status says "Reading…" or "Paused".
(function () {
  "use strict";
  var box = document.querySelector("[data-listen]");
  if (!box || !window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var synth = window.speechSynthesis;
  var toggle = box.querySelector("[data-listen-toggle]");
  var toggleLabel = box.querySelector("[data-listen-toggle-label]");
  var stop = box.querySelector("[data-listen-stop]");
  var status = box.querySelector("[data-listen-status]");
  var state = "idle"; // "idle", "reading" or "paused"
  var run = 0; // bumped on every start and stop, so a cancelled reading's events are ignored
  // Long utterances stall in some browsers, so the text goes in pieces of about a sentence.
  var MAX_PIECE = 220;

  function words(key) {
    return box.getAttribute("data-" + key) || "";
  }

  function blocksOf(element) {
    var blocks = element.querySelectorAll("h1, h2, h3, h4, p, li, blockquote, td, th");
    if (!blocks.length) {
      return [element.innerText];
    }
    return Array.prototype.filter
      .call(blocks, function (block) {
        // A list item's or quote's paragraphs are read once, as themselves.
        return !block.querySelector("p, li");
      })
      .map(function (block) { return block.innerText; });
  }

  function pieces() {
    var texts = [];
    document.querySelectorAll(box.getAttribute("data-listen-parts")).forEach(function (part) {
      (part.matches("h1") ? [part.innerText] : blocksOf(part)).forEach(function (text) {
        text = (text || "").replace(/\s+/g, " ").trim();
        while (text.length > MAX_PIECE) {
          var cut = Math.max(
            text.lastIndexOf(". ", MAX_PIECE),
            text.lastIndexOf("? ", MAX_PIECE),
            text.lastIndexOf("! ", MAX_PIECE),
            text.lastIndexOf(", ", MAX_PIECE)
          );
          cut = cut > 40 ? cut + 1 : text.lastIndexOf(" ", MAX_PIECE);
          if (cut <= 0) { cut = MAX_PIECE; }
          texts.push(text.slice(0, cut).trim());
          text = text.slice(cut).trim();
        }
        if (text) { texts.push(text); }
      });
    });
    return texts;
  }

  function show(next, message) {
    var hadFocus = box.contains(document.activeElement);
    state = next;
    toggleLabel.textContent = words(
      next === "reading" ? "pause-label" : next === "paused" ? "resume-label" : "listen-label"
    );
    stop.hidden = next === "idle";
    status.textContent = message;
    if (hadFocus && next === "idle") {
      toggle.focus(); // the Stop button just hid; keep keyboard focus in the controls
    }
  }

  // A voice on the device for the page's language, if there is one: it works offline, where
  // an online voice (Chrome's "Google" voices) would fail without a connection.
  function localVoice(lang) {
    var prefix = lang.toLowerCase().split("-")[0];
    var voices = synth.getVoices ? synth.getVoices() : [];
    for (var i = 0; i < voices.length; i += 1) {
      var voice = voices[i];
      if (voice.localService && (voice.lang || "").toLowerCase().split("-")[0] === prefix) {
        return voice;
      }
    }
    return null;
  }

  function start() {
    synth.cancel();
    run += 1;
    var mine = run;
    var texts = pieces();
    var lang = document.documentElement.lang || "";
    var voice = lang ? localVoice(lang) : null;
    texts.forEach(function (text, index) {
      var utterance = new window.SpeechSynthesisUtterance(text);
      if (lang) { utterance.lang = lang; }
      if (voice) { utterance.voice = voice; }
      if (index === texts.length - 1) {
        utterance.onend = function () {
          if (mine === run) { show("idle", words("finished")); }
        };
      }
      utterance.onerror = function (event) {
        if (mine === run && event.error !== "interrupted" && event.error !== "canceled") {
          run += 1; // the pieces after this one say nothing more
          synth.cancel();
          show("idle", words("failed"));
        }
      };
      synth.speak(utterance);
    });
    show("reading", words("reading"));
  }

  toggle.addEventListener("click", function () {
    if (state === "idle") {
      start();
    } else if (state === "reading") {
      synth.pause();
      show("paused", words("paused"));
    } else {
      synth.resume();
      show("reading", words("reading"));
    }
  });

  stop.addEventListener("click", function () {
    run += 1;
    synth.cancel();
    show("idle", words("stopped"));
  });

  // Leaving the page stops the voice: it should not read a page that is no longer there.
  window.addEventListener("pagehide", function () {
    run += 1;
    synth.cancel();
  });

  box.hidden = false;
})();
