// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  // Mark the navigation link of the current section.
  document.querySelectorAll("header nav a").forEach(function (a) {
    var path = a.getAttribute("href");
    if (location.pathname === path || location.pathname.indexOf(path + "/") === 0) {
      a.setAttribute("aria-current", "page");
    }
  });

  function feedLine(item) {
    var li = document.createElement("li");
    li.className = "change";
    li.dataset.type = item.type || "";
    if (item.nctId) { li.dataset.nct = item.nctId; }
    var headline = item.href ? document.createElement("a") : document.createElement("strong");
    if (item.href) { headline.href = item.href; }
    headline.textContent = item.headline;
    li.appendChild(headline);
    if (item.at) {
      var time = document.createElement("time");
      time.dateTime = item.at;
      time.textContent = " · " + item.at.replace("T", " ").replace(/\.\d+Z$/, " UTC");
      li.appendChild(time);
    }
    if (item.detail) {
      var detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = item.detail;
      li.appendChild(detail);
    }
    return li;
  }

  // The live page: the browser's EventSource reconnects by itself and sends Last-Event-ID, which the dashboard
  // passes on to the notification service, so nothing is missed across a dropped connection.
  var feed = document.getElementById("live-feed");
  if (feed && window.EventSource) {
    var state = document.getElementById("live-state");
    var empty = document.getElementById("live-empty");
    var source = new EventSource(feed.dataset.source);
    source.addEventListener("open", function () { state.textContent = "connected"; state.dataset.state = "open"; });
    source.addEventListener("error", function () {
      state.textContent = source.readyState === EventSource.CLOSED ? "disconnected" : "reconnecting…";
      state.dataset.state = "error";
    });
    source.addEventListener("change", function (e) {
      var item = JSON.parse(e.data);
      feed.insertBefore(feedLine(item), feed.firstChild);
      if (empty) { empty.hidden = true; }
    });
  }

  // An open trial or summary page refreshes itself when the feed says it changed (signed-in viewers only).
  var nct = document.body.dataset.liveNct;
  var group = document.body.dataset.liveGroup;
  if ((nct || group) && window.EventSource && window.fetch && window.DOMParser) {
    var pageSource = new EventSource("/live/events");
    pageSource.addEventListener("open", function () { document.body.dataset.live = "open"; });
    pageSource.addEventListener("change", function (e) {
      var item = JSON.parse(e.data);
      if ((nct && item.nctId === nct && !item.groupKey) || (group && item.groupKey === group)) {
        fetch(location.href, { headers: { "Accept": "text/html" } }).then(function (r) { return r.text(); })
          .then(function (html) {
            var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
            var main = document.querySelector("main");
            if (fresh && main) {
              main.innerHTML = fresh.innerHTML;
              var note = document.getElementById("live-note");
              if (note) { note.textContent = "Updated just now: " + item.headline; note.hidden = false; }
            }
          });
      }
    });
  }
})();
