// Refreshes a campaign's progress while it is being sent, so staff need not reload the page.
(function () {
  "use strict";
  var section = document.getElementById("campaign-progress");
  if (!section || section.getAttribute("data-active") !== "1") { return; }
  var url = section.getAttribute("data-progress-url");
  function refresh() {
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) { return; }
      document.getElementById("progress-meter").value = data.percent;
      document.getElementById("progress-percent").textContent = data.percent + "%";
      if (data.status === "scheduled" || data.status === "sending" || data.waiting > 0) {
        window.setTimeout(refresh, 2000);
      } else {
        window.location.reload();  // finished: show the final counts
      }
    });
  }
  window.setTimeout(refresh, 2000);
})();
