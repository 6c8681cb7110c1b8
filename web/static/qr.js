// Polls the QR login's status while the page is open, shows it, and
// finishes the login once the phone confirmed it.
(function () {
  "use strict";
  var box = document.getElementById("qr-login");
  if (!box) {
    return;
  }
  var statusURL = box.getAttribute("data-status-url");
  var every = parseInt(box.getAttribute("data-poll-ms"), 10) || 1500;
  var text = document.getElementById("qr-status");
  var finish = document.getElementById("qr-finish");
  var again = document.getElementById("qr-again");
  var finishing = false;

  function show(message) {
    if (message) {
      text.textContent = message;
    }
  }

  function poll() {
    fetch(statusURL, {
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (res) {
      return res.json().then(function (body) {
        return { ok: res.ok, body: body };
      });
    }).then(function (answer) {
      var body = answer.body || {};
      show(body.message);
      if (!answer.ok) {
        again.hidden = false;
        return;
      }
      if (body.status === "CONFIRMED" && !finishing) {
        finishing = true;
        finish.submit();
        return;
      }
      if (body.status === "LOGGED_IN") {
        window.location.assign("/accounts");
        return;
      }
      if (body.done) {
        finish.hidden = true;
        again.hidden = false;
        return;
      }
      window.setTimeout(poll, every);
    }).catch(function () {
      show("Cannot reach Liveboard; retrying…");
      window.setTimeout(poll, every * 2);
    });
  }

  window.setTimeout(poll, every);
})();
