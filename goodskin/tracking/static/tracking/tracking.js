/* GoodSkin's own analytics: page views and a few actions, sent to our server only. Paths only
   (never query strings), no fingerprinting; the server decides what it may keep. */
(function () {
  "use strict";
  if (!navigator.sendBeacon || !window.JSON) return;
  function send(type) {
    var referrer = document.referrer || "";
    var previous = "";
    try {
      var from = new URL(referrer);
      if (from.host === location.host) { previous = from.pathname; referrer = ""; }
    } catch (e) { referrer = ""; }
    var event = {
      type: type, path: location.pathname, previous_path: previous, referrer: referrer,
      screen_width: Math.round(screen.width || 0), screen_height: Math.round(screen.height || 0)
    };
    navigator.sendBeacon("/api/v1/collect", new Blob([JSON.stringify({ events: [event] })], { type: "application/json" }));
  }
  send("page_view");
  document.addEventListener("click", function (click) {
    var link = click.target.closest && click.target.closest("[data-track='book_click']");
    if (link) send("book_click");
  });
  document.querySelectorAll("form[data-track-form]").forEach(function (form) {
    var started = false;
    form.addEventListener("focusin", function () { if (!started) { started = true; send("form_start"); } });
    form.addEventListener("submit", function () { send("form_submit"); });
  });
})();
