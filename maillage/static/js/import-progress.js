/* The import page polls its job's progress once a second, then shows the report. Without
   JavaScript, the "Actualiser" link does the same by hand. */
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var status = box.querySelector("[data-import-status]");

  function poll() {
    fetch(box.dataset.importProgress, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
          return;
        }
        if (job.percent !== null) bar.value = job.percent;
        status.textContent = job.done + " lignes traitées…";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
