// Makes or uses a passkey for the form the button sits in: asks our server for the options,
// lets the browser talk to the device, then submits the device's answer with the form.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) { return; }
  document.querySelectorAll("button[data-passkey]").forEach(function (button) {
    var form = button.closest("form");
    var status = form.querySelector(".passkey-status");
    var mode = button.getAttribute("data-passkey");
    button.hidden = false;  // shown only where the browser can use passkeys
    button.addEventListener("click", function () {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      body.append("for", mode);
      status.textContent = "Follow your device's prompt…";
      fetch(button.getAttribute("data-options-url"), {
        method: "POST", body: body, credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error("options"); }
        return response.json();
      }).then(function (options) {
        return mode === "create"
          ? navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
          : navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
      }).then(function (credential) {
        form.querySelector("[name=passkey_response]").value = JSON.stringify(credential.toJSON());
        var code = form.querySelector("[name=code]");
        if (code) { code.value = ""; }
        form.submit();
      }).catch(function () {
        status.textContent = "The passkey didn't work or was cancelled. Try again, or use a code.";
      });
    });
  });
})();
