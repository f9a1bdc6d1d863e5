// Export page: say "preparing" while the server builds the file, "started" once it arrives.
// The download link carries a random token; the response sets it as a cookie when it starts.
(function () {
  "use strict";
  var status = document.getElementById("export-status");
  if (!status) { return; }
  var timer = null;
  function cookieHas(token) {
    return document.cookie.split(";").some(function (part) { return part.trim() === "export_token=" + token; });
  }
  document.querySelectorAll("a[data-export]").forEach(function (link) {
    link.addEventListener("click", function () {
      var token = Math.random().toString(36).slice(2, 14).replace(/[^a-z0-9]/g, "") || "t";
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("token", token);
      link.href = url.toString();
      status.textContent = status.dataset.preparing;
      status.hidden = false;
      if (timer) { window.clearInterval(timer); }
      timer = window.setInterval(function () {
        if (cookieHas(token)) {
          window.clearInterval(timer);
          status.textContent = status.dataset.started;
        }
      }, 500);
    });
  });
})();
