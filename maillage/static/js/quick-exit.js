/* Quick exit, after GOV.UK's "Exit this page": the button is a real link (it works without
   JavaScript); here we blank the page at once, leave with location.replace so that Back does
   not return, and offer two shortcuts: Shift pressed three times within 5 s, everywhere; and
   Escape, except where Escape already means something: while typing in a form field (a
   professional filling in a form would lose their work), in an open dialog or autocomplete,
   or when another script has handled that key press. */
(function () {
  "use strict";
  var button = document.querySelector("[data-quick-exit]");
  if (!button) return;
  var overlay = document.querySelector("[data-quick-exit-overlay]");
  var shiftPresses = 0;
  var shiftTimer = null;
  var FIELDS = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';
  var ESCAPE_USERS = 'dialog[open], [role="dialog"], [role="alertdialog"], ' +
    '[role="combobox"][aria-expanded="true"], [aria-haspopup][aria-expanded="true"]';

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

  function escapeIsTaken(event) {
    if (event.defaultPrevented || event.isComposing) return true;
    var target = event.target;
    if (!target || !target.closest) return false;
    return Boolean(target.isContentEditable || target.closest(FIELDS) ||
      target.closest(ESCAPE_USERS));
  }

  button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      shiftPresses = 0;
      if (!escapeIsTaken(event)) leave(event);
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
