// Keeps a server-rendered countdown current: <span data-countdown="ISO deadline"
// data-ended="text once passed">. Units are named by Intl.NumberFormat in the page's
// language (the same words as the server's), so no string of ours is needed here.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  function unit(name, n) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(n);
    } catch (e) {
      return n + " " + name;
    }
  }
  function words(seconds) {
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var parts = [];
    if (days) parts.push(unit("day", days));
    if (days || hours) parts.push(unit("hour", hours));
    if (minutes || parts.length) parts.push(unit("minute", minutes));
    else parts.push(unit("second", seconds % 60));
    return parts.join(" ");
  }
  function tick() {
    var nodes = document.querySelectorAll("[data-countdown]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var left = Math.floor((Date.parse(node.getAttribute("data-countdown")) - Date.now()) / 1000);
      var text = left > 0 ? words(left) : node.getAttribute("data-ended") || "";
      if (node.textContent !== text) node.textContent = text;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector("[data-countdown]")) return;
    tick();
    window.setInterval(tick, 1000);
  });
})();
