// Keeps the live wall's numbers current from the dashboard's event
// stream: each snapshot updates its account's tile in place, with an
// arrow saying whether each number last went up or down.
(function () {
  "use strict";
  var wall = document.getElementById("live-wall");
  if (!wall || !window.EventSource) {
    return;
  }
  var status = document.getElementById("live-status");
  var source = new EventSource(wall.getAttribute("data-events-url"));

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function setState(tile, state, label) {
    tile.classList.remove("live", "ended", "offline");
    tile.classList.add(state);
    tile.querySelector(".state").textContent = label;
  }

  function showSession(tile, ev) {
    tile.setAttribute("data-session", String(ev.session_id));
    var link = tile.querySelector("a.title");
    if (link) {
      link.textContent = ev.title;
      link.setAttribute("href", ev.url);
    }
    // The event does not say when the new session started.
    var started = tile.querySelector(".started");
    if (started) {
      started.hidden = true;
    }
    var cells = tile.querySelectorAll("[data-metric]");
    for (var i = 0; i < cells.length; i++) {
      cells[i].setAttribute("data-value", "");
    }
  }

  function showMetric(tile, m) {
    var cell = tile.querySelector('[data-metric="' + m.key + '"]');
    if (!cell) {
      return;
    }
    var before = cell.getAttribute("data-value");
    var trend = cell.querySelector(".trend");
    cell.querySelector(".num").textContent = m.text;
    if (m.value === null) {
      return;
    }
    // An unchanged number keeps the arrow of its last move.
    if (before !== "" && before !== null && m.value !== Number(before)) {
      var up = m.value > Number(before);
      trend.classList.remove("up", "down");
      trend.textContent = up ? "▲" : "▼";
      trend.classList.add(up ? "up" : "down");
    }
    cell.setAttribute("data-value", String(m.value));
  }

  function apply(ev) {
    var tile = wall.querySelector('[data-account="' + ev.account_id + '"]');
    if (!tile || !tile.querySelector(".metrics")) {
      // A tile without numbers came from an account that was offline:
      // the page shows it properly once reloaded.
      if (tile && ev.status === "ongoing") {
        setState(tile, "live", "Live");
        say("A session started; reload the page to see its numbers.");
      }
      return;
    }
    var shown = tile.getAttribute("data-session");
    if (shown !== String(ev.session_id)) {
      // The tile follows one session: another takes over only once the
      // one shown has ended, and only if it is on air.
      if (ev.status !== "ongoing" || tile.classList.contains("live")) {
        return;
      }
      showSession(tile, ev);
    }
    for (var i = 0; i < ev.metrics.length; i++) {
      showMetric(tile, ev.metrics[i]);
    }
    if (ev.status === "ongoing") {
      setState(tile, "live", "Live");
    } else {
      setState(tile, "ended", "Ended");
    }
    var taken = tile.querySelector(".taken");
    if (taken) {
      taken.textContent = "Updated " + ev.taken_at;
      taken.hidden = false;
    }
  }

  source.addEventListener("open", function () {
    say("Live: numbers update by themselves.");
  });
  source.addEventListener("error", function () {
    say("Connection lost; reconnecting…");
  });
  source.addEventListener("snapshot", function (e) {
    apply(JSON.parse(e.data));
    wall.setAttribute("data-last-event", e.lastEventId);
  });
})();
