// A background job's page: ask for its state every few seconds, show the progress, and
// reload the page when the job is finished (the page then offers the file or the error).
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box) { return; }
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  function show(status) {
    if (status.finished) { window.location.reload(); return; }
    if (status.total) {
      bar.max = status.total;
      bar.value = status.done;
      text.textContent = box.dataset.progressTemplate
        .replace("DONE", status.done.toLocaleString())
        .replace("TOTAL", status.total.toLocaleString());
    } else {
      text.textContent = box.dataset.waiting;
    }
  }
  function poll() {
    fetch(box.dataset.jobStatus, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) { if (status) { show(status); } })
      .catch(function () { /* try again at the next tick */ })
      .finally(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
})();
