/* The optional map (components/map.html): hidden until this script runs; Leaflet and its
   tiles are loaded only when the visitor presses "Afficher la carte". */
(function () {
  "use strict";

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
      var link = document.createElement(point.url ? "a" : "span");
      if (point.url) link.href = point.url;
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
