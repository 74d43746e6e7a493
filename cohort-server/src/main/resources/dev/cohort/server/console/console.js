// The Cohort console's only script: refreshes the live counts in the header every 5 seconds.
// Every page works without it; it reads /console/counts with the session cookie.
(function () {
  "use strict";
  var strip = document.getElementById("counts");
  if (!strip || !window.fetch) {
    return;
  }
  function refresh() {
    fetch("/console/counts", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (counts) {
        if (!counts) {
          return;
        }
        strip.querySelectorAll("[data-count]").forEach(function (el) {
          var n = counts[el.getAttribute("data-count")];
          if (typeof n === "number") {
            el.textContent = String(n);
          }
        });
      })
      .catch(function () { /* the next tick tries again */ });
  }
  setInterval(refresh, 5000);
})();
