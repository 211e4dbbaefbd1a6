// Behaviour of the page shell. The Content-Security-Policy allows no inline script or on...=
// handler, so every page's small behaviours live in static files like this one.
"use strict";
(function () {
  // Loaded without defer from <head>: mark the page as scripted before it is first painted, so
  // the CSS may fold the phone's menu behind its button (without script it stays open).
  document.documentElement.classList.add("js");

  // The shell's Menu button (narrow screens): a disclosure button for the tools and navigation.
  function setMenu(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    var toggle = target instanceof Element ? target.closest(".shell-menu-toggle") : null;
    if (toggle) {
      setMenu(toggle, toggle.getAttribute("aria-expanded") !== "true");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var toggle = document.querySelector(".shell-menu-toggle[aria-expanded='true']");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls") || "");
    if (toggle && menu && menu.contains(document.activeElement)) {
      setMenu(toggle, false);
      toggle.focus();
    }
  });

  // <select data-submit-on-change>: submit its form when the choice changes (language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change") && target.form) {
      target.form.requestSubmit();
    }
  });

  // A table's box that scrolls sideways (a wide table on a phone) must be reachable by keyboard
  // to scroll it; one that does not scroll stays out of the tab order.
  function markScrollingTables() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollingTables);
  window.addEventListener("resize", markScrollingTables);
  document.addEventListener("htmx:afterSettle", markScrollingTables);
})();
