// Behaviour of the page shell. The Content-Security-Policy allows no inline script or on...=
// handler, so every page's small behaviours live in static files like this one.
"use strict";
(function () {
  // <select data-submit-on-change>: submit its form when the choice changes (language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change") && target.form) {
      target.form.requestSubmit();
    }
  });
})();
