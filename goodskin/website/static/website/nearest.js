/* "Find the clinic nearest me": asks the browser for permission, rounds the position to about a
   kilometre before it leaves the device, and keeps nothing. */
(function () {
  "use strict";
  var button = document.querySelector("[data-nearest]");
  var result = document.querySelector("[data-nearest-result]");
  if (!button || !result || !navigator.geolocation) { if (button) button.hidden = true; return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    result.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (position) {
      var place = {
        lat: Math.round(position.coords.latitude * 100) / 100,
        lon: Math.round(position.coords.longitude * 100) / 100
      };
      fetch("/api/v1/clinics/nearest", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(place)
      }).then(function (response) { return response.json(); }).then(function (clinic) {
        result.textContent = button.dataset.found.replace("%(name)s", clinic.name).replace("%(km)s", clinic.distance_km);
        var card = document.getElementById("clinic-" + clinic.slug);
        if (card) card.scrollIntoView({ block: "nearest" });
      });
    }, function () { result.textContent = button.dataset.refused; }, { enableHighAccuracy: false, maximumAge: 600000, timeout: 10000 });
  });
})();
