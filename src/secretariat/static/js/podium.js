/* Negotiations: the podium view's live text, and span selection in the amendment forms. */
(function () {
  "use strict";
  // Strings through Django's JavaScript catalogue (/jsi18n/, loaded before this file).
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\(\w+\)s/g, function (m) { return String(obj[m.slice(2, -2)]); });
  };

  // --- podium: Server-Sent Events, polling every second if the stream is not available ---
  function startPodium(root) {
    var target = document.getElementById("podium-text");
    var state = root.querySelector("[data-live-state]");
    var announce = root.querySelector("[data-announce]");
    var version = root.dataset.version;
    var polling = null;

    function show(v, html) {
      if (String(v) === String(version)) return;
      version = String(v);
      root.dataset.version = version;
      target.innerHTML = html;
      if (announce) announce.textContent = announce.dataset.message + " " + new Date().toLocaleTimeString(document.documentElement.lang || undefined);
    }

    function poll() {
      if (polling) return;
      if (state) state.textContent = state.textContent + " " + gettext("(polling)");
      polling = setInterval(function () {
        fetch(root.dataset.textUrl + "?since=" + encodeURIComponent(version), {credentials: "same-origin"})
          .then(function (r) {
            if (r.status !== 200) return null;
            var v = r.headers.get("X-Podium-Version");
            return r.text().then(function (html) { show(v, html); });
          })
          .catch(function () {});
      }, 1000);
    }

    if (!("EventSource" in window)) { poll(); return; }
    var source = new EventSource(root.dataset.streamUrl);
    source.addEventListener("text", function (e) {
      var data = JSON.parse(e.data);
      show(data.version, data.html);
    });
    source.onerror = function () {
      // A closed stream (e.g. a server without streaming) will not come back: poll instead.
      if (source.readyState === EventSource.CLOSED) poll();
    };
    // A stream that never opens is as good as none.
    setTimeout(function () { if (source.readyState !== EventSource.OPEN) { source.close(); poll(); } }, 5000);
  }

  // --- workspace: the selected span of a paragraph's notation fills start/end ---
  function wireSpan(form) {
    var src = form.querySelector("[data-span-source]");
    var start = form.querySelector("[data-span-start]");
    var end = form.querySelector("[data-span-end]");
    var show = form.querySelector("[data-span-show]");
    if (!src || !start || !end) return;
    function update() {
      start.value = src.selectionStart;
      end.value = src.selectionEnd;
      if (show) {
        var words = src.value.substring(src.selectionStart, src.selectionEnd);
        show.textContent = words
          ? interpolate(gettext("Selected: “%(words)s”"), {words: words}, true)
          : interpolate(gettext("Insertion point: character %(position)s"), {position: src.selectionStart}, true);
      }
    }
    ["select", "keyup", "mouseup"].forEach(function (ev) { src.addEventListener(ev, update); });
  }

  function wireAll(scope) {
    (scope.querySelectorAll ? scope : document).querySelectorAll("[data-amend-form]").forEach(wireSpan);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-podium]");
    if (root) startPodium(root);
    wireAll(document);
  });
  // htmx: show refusals (400/403/409) in place, they carry the explanation and both versions.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (status === 400 || status === 403 || status === 409) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSwap", function (e) { wireAll(e.target.parentNode || document); });
})();
