/* Quick exit, after GOV.UK's "Exit this page": the button is a real link (it works without
   JavaScript); here we blank the page at once, leave with location.replace so that Back does
   not return, and offer two shortcuts: Escape, and Shift pressed three times within 5 s. */
(function () {
  "use strict";
  var button = document.querySelector("[data-quick-exit]");
  if (!button) return;
  var overlay = document.querySelector("[data-quick-exit-overlay]");
  var shiftPresses = 0;
  var shiftTimer = null;

  function leave(event) {
    if (event) event.preventDefault();
    document.body.classList.add("is-exiting");
    if (overlay) overlay.hidden = false;
    document.title = "…";
    window.location.replace(button.href);
  }

  function reset() {
    document.body.classList.remove("is-exiting");
    if (overlay) overlay.hidden = true;
    shiftPresses = 0;
  }

  button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      leave(event);
      return;
    }
    if (event.key !== "Shift") {
      shiftPresses = 0;
      return;
    }
    if (event.repeat) return;
    shiftPresses += 1;
    window.clearTimeout(shiftTimer);
    shiftTimer = window.setTimeout(function () { shiftPresses = 0; }, 5000);
    if (shiftPresses >= 3) leave(event);
  });
  // A page restored from the back-forward cache must not stay blank.
  window.addEventListener("pageshow", reset);
})();
