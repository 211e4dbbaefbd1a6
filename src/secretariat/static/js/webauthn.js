// Security keys (WebAuthn). The Content-Security-Policy allows no inline script, so the pages
// wire this file with data- attributes:
//   <div data-webauthn="register|authenticate" data-begin-url=".." data-complete-url=".."
//        data-next=".." data-msg-unsupported=".." data-msg-cancelled=".." data-msg-failed="..">
//     {% csrf_token %} [<input name="name">]  <button data-webauthn-start>  <p data-webauthn-status>
// "begin" answers the options for navigator.credentials; the server's binary fields travel as
// base64url (unpadded), converted here both ways. "complete" answers {redirect} or {error}.
"use strict";
(function () {
  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map(function (item) {
      return Object.assign({}, item, { id: toBytes(item.id) });
    });
  }

  function creationOptions(options) {
    var publicKey = Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      user: Object.assign({}, options.user, { id: toBytes(options.user.id) }),
      excludeCredentials: withIds(options.excludeCredentials),
    });
    return { publicKey: publicKey };
  }

  function requestOptions(options) {
    var publicKey = Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      allowCredentials: withIds(options.allowCredentials),
    });
    return { publicKey: publicKey };
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var out = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: { clientDataJSON: toText(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      out.response.attestationObject = toText(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      out.response.authenticatorData = toText(response.authenticatorData);
      out.response.signature = toText(response.signature);
      out.response.userHandle = toText(response.userHandle);
    }
    return out;
  }

  function post(box, url, body) {
    var token = box.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.error || box.dataset.msgFailed);
        return data;
      });
    });
  }

  function say(box, text) {
    var status = box.querySelector("[data-webauthn-status]");
    if (status) {
      status.textContent = text;
      status.hidden = !text;
    }
  }

  function run(box, button) {
    var registering = box.dataset.webauthn === "register";
    var begin = {};
    if (registering) {
      var name = box.querySelector("input[name=name]");
      begin.name = name ? name.value : "";
    }
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    say(box, "");
    post(box, box.dataset.beginUrl, begin)
      .then(function (options) {
        var ask = registering
          ? navigator.credentials.create(creationOptions(options))
          : navigator.credentials.get(requestOptions(options));
        return ask.catch(function (error) {
          // The person cancelled, the time ran out, or no key of this account answered.
          var cancelled = new Error(box.dataset.msgCancelled);
          cancelled.cause = error;
          throw cancelled;
        });
      })
      .then(function (credential) {
        return post(box, box.dataset.completeUrl, {
          credential: credentialJSON(credential),
          next: box.dataset.next || "",
        });
      })
      .then(function (data) {
        window.location.assign(data.redirect || "/");
      })
      .catch(function (error) {
        say(box, error.message || box.dataset.msgFailed);
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
  }

  function wire(box) {
    var button = box.querySelector("[data-webauthn-start]");
    if (!button) return;
    if (!window.PublicKeyCredential || !navigator.credentials) {
      button.disabled = true;
      say(box, box.dataset.msgUnsupported);
      return;
    }
    var form = button.form;
    if (form) {
      // Enter in the name field starts the key too, instead of a plain form submission.
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!button.disabled) run(box, button);
      });
    } else {
      button.addEventListener("click", function () { run(box, button); });
    }
  }

  document.querySelectorAll("[data-webauthn]").forEach(wire);
})();
