/* Directory enhancements, all on request: "near me" asks the browser for the position only
   when the button is pressed. The map is in map.js. */
(function () {
  "use strict";

  var near = document.querySelector("[data-near-me]");
  if (near && "geolocation" in navigator) {
    near.hidden = false;
    var status = near.querySelector("[data-near-me-status]");
    near.querySelector("[data-near-me-button]").addEventListener("click", function () {
      var form = near.closest("form");
      status.textContent = "Recherche de votre position…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.lat.value = position.coords.latitude.toFixed(4);
          form.elements.lon.value = position.coords.longitude.toFixed(4);
          form.elements.commune.value = "";
          form.submit();
        },
        function () {
          status.textContent = "Position indisponible : saisissez une commune.";
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
      );
    });
  }
})();
