/* Directory enhancements, all on request: "near me" asks the browser for the position only
   when the button is pressed; the map loads Leaflet and its tiles only when asked. */
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

  var box = document.querySelector("[data-map]");
  if (!box) return;
  box.hidden = false;
  var button = box.querySelector("[data-map-button]");
  var container = document.getElementById("carte");
  var shown = false;

  function load(callback) {
    if (window.L) return callback();
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = container.dataset.leafletCss;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = container.dataset.leafletJs;
    script.onload = callback;
    document.head.appendChild(script);
  }

  function draw() {
    var points = JSON.parse(document.getElementById("map-points").textContent);
    var map = window.L.map(container);
    window.L.tileLayer(container.dataset.tiles, {
      maxZoom: 18,
      attribution: container.dataset.attribution,
    }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var marker = window.L.marker([point.lat, point.lon], { title: point.name, alt: point.name });
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.name;
      marker.bindPopup(link).addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    map.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] });
  }

  button.addEventListener("click", function () {
    shown = !shown;
    container.hidden = !shown;
    button.setAttribute("aria-expanded", String(shown));
    button.textContent = shown ? "Masquer la carte" : "Afficher la carte";
    if (shown && !container.dataset.ready) {
      container.dataset.ready = "1";
      load(draw);
    }
  });
})();
