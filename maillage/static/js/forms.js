/* After a refused form, move the focus to the error summary (GOV.UK pattern), so that screen
   reader users hear what went wrong first. */
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary) summary.focus();
})();
