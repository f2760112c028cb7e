// The staff console's only script: live updates without a reload. Every few seconds it asks the
// console itself (/staff/live/feed) for the live-chat queue, alerts and, on a chat page, the chat;
// it shows a badge, a list of new alerts and, where the user allows it, a browser notification.
// Asking also keeps this staff member available for live chats. Text goes in with textContent.
(function () {
  "use strict";
  var PREFIX = "/staff";
  var EVERY_MS = 4000;
  var KNOWN_KEY = "staff-known-alerts";
  var lines = document.querySelector("[data-chat-lines]");
  var chatId = lines ? lines.getAttribute("data-chat-id") : "";
  var queue = document.querySelector("[data-live-refresh]");
  var badge = document.querySelector("[data-live-badge]");
  var alertsBox = document.querySelector("[data-alerts]");
  var lastWaiting = null;
  var known = null;
  try { known = JSON.parse(sessionStorage.getItem(KNOWN_KEY) || "null"); } catch (e) { known = null; }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function notify(alert) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try { new Notification("Clinic console: " + alert.label, { body: "Conversation " + alert.id, tag: alert.kind + alert.id }); } catch (e) { /* not allowed here */ }
  }

  function offerNotifications() {
    if (!alertsBox || !("Notification" in window) || Notification.permission !== "default") return;
    if (document.querySelector("[data-notify-button]")) return;
    var button = text("button", "Turn on browser notifications", "secondary");
    button.type = "button";
    button.setAttribute("data-notify-button", "");
    button.addEventListener("click", function () {
      Notification.requestPermission().then(function () { button.remove(); });
    });
    document.querySelector("header.top").appendChild(button);
  }

  // New alerts stay on every console page of this tab until dismissed.
  var UNREAD_KEY = "staff-unread-alerts";
  var unread = [];
  try { unread = JSON.parse(sessionStorage.getItem(UNREAD_KEY) || "[]"); } catch (e) { unread = []; }

  function renderAlerts() {
    if (!alertsBox) return;
    alertsBox.textContent = "";
    unread.forEach(function (alert) {
      var item = document.createElement("p");
      item.className = "alert alert-" + alert.kind;
      item.appendChild(text("strong", alert.label + ": "));
      var link = text("a", "conversation " + alert.id);
      link.href = PREFIX + "/transcript?id=" + encodeURIComponent(alert.id);
      item.appendChild(link);
      alertsBox.appendChild(item);
    });
    if (unread.length) {
      var dismiss = text("button", "Dismiss these alerts", "secondary");
      dismiss.type = "button";
      dismiss.addEventListener("click", function () {
        unread = [];
        sessionStorage.setItem(UNREAD_KEY, "[]");
        renderAlerts();
      });
      alertsBox.appendChild(dismiss);
    }
    alertsBox.hidden = !unread.length;
  }

  function showAlerts(alerts) {
    var keys = alerts.map(function (a) { return a.kind + ":" + a.id; });
    if (known === null) {  // first look in this tab: what is already there is not news
      known = keys;
    } else {
      alerts.forEach(function (alert) {
        var key = alert.kind + ":" + alert.id;
        if (known.indexOf(key) !== -1) return;
        known.push(key);
        unread.push(alert);
        notify(alert);
      });
    }
    sessionStorage.setItem(KNOWN_KEY, JSON.stringify(known.slice(-500)));
    sessionStorage.setItem(UNREAD_KEY, JSON.stringify(unread.slice(-20)));
    renderAlerts();
  }

  function showChat(chat) {
    if (!lines) return;
    var state = document.querySelector("[data-chat-state]");
    if (!chat) {
      if (state) state.textContent = "This chat is over: it was handed back to the assistant or the patient stopped waiting.";
      return;
    }
    var emergency = document.querySelector("[data-chat-emergency]");
    if (emergency) emergency.hidden = !chat.emergency;
    if (chat.lines.length === lines.children.length) return;
    lines.textContent = "";
    chat.lines.forEach(function (line) {
      var item = document.createElement("li");
      item.className = "line " + line.speaker;
      var who = line.speaker === "staff" ? line.name + " (staff)" : line.speaker === "bot" ? "Assistant" : "Patient";
      item.appendChild(text("span", who, "who"));
      item.appendChild(text("time", " " + new Date(line.at).toLocaleTimeString()));
      item.appendChild(text("p", line.text));
      lines.appendChild(item);
    });
  }

  function poll() {
    var url = PREFIX + "/live/feed" + (chatId ? "?chat=" + encodeURIComponent(chatId) : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (feed) {
        if (!feed) return;
        if (badge) {
          badge.textContent = feed.waiting ? String(feed.waiting) + " waiting" : "";
          badge.hidden = !feed.waiting;
        }
        showAlerts(feed.alerts || []);
        showChat(feed.chat);
        // The queue page reloads when the queue changes, unless someone is typing.
        if (queue && lastWaiting !== null && feed.waiting !== lastWaiting && !document.activeElement.matches("textarea, input")) {
          window.location.reload();
        }
        lastWaiting = feed.waiting;
      })
      .catch(function () { /* the next poll tries again */ });
  }

  offerNotifications();
  renderAlerts();
  poll();
  window.setInterval(poll, EVERY_MS);
})();
