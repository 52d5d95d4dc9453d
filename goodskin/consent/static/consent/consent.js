/* GoodSkin consent: a small enhancement over the server-rendered banner, the IAB __gpp() CMP API
   and Google Consent Mode defaults. Works from the data the page embeds (#privacy-signals). */
(function () {
  "use strict";
  var island = document.getElementById("privacy-signals");
  var signals = island ? JSON.parse(island.textContent) : {};
  var gppData = signals.gpp || {};
  var listeners = [];
  var nextId = 1;

  window.dataLayer = window.dataLayer || [];
  window.dataLayer.push(["consent", "default", signals.consentMode || {}]);

  function ping() {
    return {
      gppVersion: "1.1",
      cmpStatus: "loaded",
      cmpDisplayStatus: document.querySelector("[data-consent-banner]") ? "visible" : "hidden",
      signalStatus: "ready",
      supportedAPIs: ["7:usnat", "8:usca"],
      cmpId: 0,
      sectionList: gppData.applicableSections || [],
      applicableSections: gppData.applicableSections || [],
      gppString: gppData.gppString || "",
      parsedSections: gppData.parsedSections || {}
    };
  }

  window.__gpp = function (command, callback, parameter) {
    var sections = gppData.parsedSections || {};
    switch (command) {
      case "ping": callback(ping(), true); return;
      case "addEventListener":
        var id = nextId++;
        listeners.push({ id: id, callback: callback });
        callback({ eventName: "listenerRegistered", listenerId: id, data: true, pingData: ping() }, true);
        return;
      case "removeEventListener":
        listeners = listeners.filter(function (l) { return l.id !== parameter; });
        callback(true, true); return;
      case "hasSection": callback(Object.prototype.hasOwnProperty.call(sections, parameter), true); return;
      case "getSection": callback(sections[parameter] || null, true); return;
      case "getField":
        var parts = String(parameter).split(".");
        var section = sections[parts[0]];
        callback(section && parts[1] in section ? section[parts[1]] : null, true); return;
      default: callback(null, false);
    }
  };

  // A browser that says GPC to scripts but sent no header: record the same opt-out, once.
  if (navigator.globalPrivacyControl === true && !signals.gpc && !signals.gpcRecorded && window.fetch) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      var gpcBody = new FormData();
      gpcBody.append("csrfmiddlewaretoken", token.value);
      fetch("/privacy/gpc/", { method: "POST", body: gpcBody, credentials: "same-origin" });
    }
  }

  var banner = document.querySelector("[data-consent-banner]");
  if (banner) {
    var form = banner.querySelector("form");
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !window.fetch) return;
      event.preventDefault();
      var body = new FormData(form);
      body.append("choice", button.value);
      fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { form.submit(); return; }
          // Say that the choice was saved, and put focus where reading goes on, not on <body>.
          var saved = banner.getAttribute("data-saved-" + button.value);
          banner.remove();
          var status = document.getElementById("page-status");
          if (status && saved) status.textContent = saved;
          var main = document.getElementById("main");
          if (main) main.focus();
          listeners.forEach(function (l) { l.callback({ eventName: "signalStatus", listenerId: l.id, data: "ready", pingData: ping() }, true); });
        })
        .catch(function () { form.submit(); });
    });
  }
})();
