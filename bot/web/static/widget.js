/*
 * Clinic chat widget: one script tag, no build step, no third-party code.
 *
 *   <script src="https://clinic.example/static/widget.js" defer
 *           data-server-url="https://bot.clinic.example"   (Rasa server, REST channel)
 *           data-title="Clinic assistant"                  (panel title)
 *           data-color="#1f5f8b"                           (brand colour, darkened if too light)
 *           data-contact="You can call the clinic on ..."   (shown when offline)
 *           data-max-length="2000"></script>  (the Rasa server's limit; the web app fills it in)
 *
 * Any element on the page with data-chat-payload="/request_booking" (and optional
 * data-chat-label) opens the chat and sends that payload when clicked.
 *
 * Security: every bot and user string is put in the page as text (textContent), never as HTML;
 * links are made only from http(s) URLs.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.ClinicChat) return;

  var config = {
    serverUrl: (script.dataset.serverUrl || "").replace(/\/+$/, ""),
    title: script.dataset.title || "Clinic assistant",
    color: script.dataset.color || "#1f5f8b",
    contact: script.dataset.contact || "",
    notice: script.dataset.notice ||
      "You are chatting with an automated assistant. It gives general information from this " +
      "page, not medical advice.",
    stylesheet: script.dataset.stylesheet || script.src.replace(/widget\.js(\?.*)?$/, "widget.css"),
  };
  var REQUEST_TIMEOUT_MS = 45000;
  var LIVE_POLL_MS = 3000; // how often a live chat asks for the clinic team's messages
  // The longest message the Rasa server accepts (bot/names.py), written into the script tag by
  // the page that embeds the widget. Without it the widget cuts nothing and the server answers
  // an over-long message itself.
  var MAX_MESSAGE_LENGTH = parseInt(script.dataset.maxLength, 10) || Infinity;
  var MAX_HISTORY = 200;
  var STORE_PREFIX = "clinic-chat:";
  var GREETING_PAYLOAD = "/greet";
  var HUMAN_PAYLOAD = "/request_human";

  /* ---------- storage: the conversation survives a reload, not the browser session ---------- */

  var memoryStore = {};
  function load(key, fallback) {
    try {
      var raw = window.sessionStorage.getItem(STORE_PREFIX + key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return key in memoryStore ? memoryStore[key] : fallback;
    }
  }
  function save(key, value) {
    memoryStore[key] = value;
    try { window.sessionStorage.setItem(STORE_PREFIX + key, JSON.stringify(value)); } catch (e) { /* private mode or full */ }
  }

  function newSenderId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var state = {
    sender: load("sender", null) || newSenderId(),
    history: load("history", []),   // [{from: "user"|"bot", text, buttons, alert}]
    outbox: load("outbox", []),     // [{payload, label, shown}] not yet answered, oldest first
    open: load("open", false),
    live: load("live", { on: false, after: 0 }), // a live chat with the clinic team: poll while on
  };
  save("sender", state.sender);

  /* ---------- colour: keep text on the brand colour at 4.5:1 or better ---------- */

  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrastWithWhite(rgb) { return 1.05 / (luminance(rgb) + 0.05); }
  function parseHex(hex) {
    var m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
    if (!m) return null;
    var n = parseInt(m[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  function accessibleColor(hex) {
    var rgb = parseHex(hex) || parseHex("#1f5f8b");
    while (contrastWithWhite(rgb) < 4.6) rgb = rgb.map(function (v) { return Math.floor(v * 0.9); });
    return "rgb(" + rgb.join(",") + ")";
  }

  /* ---------- building elements as text only ---------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs.text;
      else if (name === "hidden") node.hidden = attrs.hidden;
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function safeHttpUrl(candidate) {
    try {
      var url = new URL(candidate);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // Markdown-style [label](url) or a bare http(s) URL; anything else stays plain text.
  var LINK_PATTERN = /\[([^\]\n]{1,200})\]\(([^)\s]{1,2000})\)|https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

  function appendLinkedText(parent, text) {
    var last = 0;
    text.replace(LINK_PATTERN, function (match, label, target, offset) {
      var href = safeHttpUrl(label ? target : match);
      if (!href) return match;
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var link = el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label || match });
      link.appendChild(el("span", { "class": "visually-hidden", text: " (opens in a new tab)" }));
      parent.appendChild(link);
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function appendParagraphs(parent, text) {
    String(text).split(/\n{2,}/).forEach(function (block) {
      if (!block.trim()) return;
      var p = el("p");
      block.split("\n").forEach(function (line, i) {
        if (i > 0) p.appendChild(el("br"));
        appendLinkedText(p, line);
      });
      parent.appendChild(p);
    });
  }

  /* ---------- the widget's DOM, in a shadow root so the host page's CSS cannot break it ---------- */

  var host = el("div", { id: "clinic-chat-widget" });
  host.style.setProperty("--cc-brand", accessibleColor(config.color));
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("link", { rel: "stylesheet", href: config.stylesheet }));

  var launcher = el("button", {
    type: "button", "class": "launcher", "aria-expanded": "false", "aria-controls": "cc-panel",
  }, [
    el("span", { "class": "launcher-icon", "aria-hidden": "true", text: "\u{1F4AC}" }),
    el("span", { text: "Chat with us" }),
  ]);
  var closeButton = el("button", { type: "button", "class": "icon-button", "aria-label": "Close chat" },
    [el("span", { "aria-hidden": "true", text: "\u00D7" })]);
  var humanButton = el("button", { type: "button", "class": "tool-button human", text: "Talk to a person" });
  var restartButton = el("button", { type: "button", "class": "tool-button", text: "Start over" });
  // The transcript scrolls, so it takes focus (keyboard users can scroll it); it is the live log.
  var transcript = el("div", { "class": "transcript" });
  // The error follows the last message, and scrolls with it, so "Try again" is always reachable.
  var errorText = el("p");
  var contactText = el("p", { "class": "contact", text: config.contact, hidden: !config.contact });
  var retryButton = el("button", { type: "button", "class": "tool-button", text: "Try again" });
  var errorBox = el("div", { "class": "error", role: "alert", hidden: true }, [errorText, retryButton, contactText]);
  var slowDown = el("p", { "class": "notice slow-down", role: "status", hidden: true });
  var scroller = el("div", {
    "class": "scroller", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0",
  }, [el("p", { "class": "notice", text: config.notice }), transcript, slowDown, errorBox]);
  var typing = el("div", { "class": "typing", role: "status" });
  var input = el("input", {
    id: "cc-input", type: "text", maxlength: String(MAX_MESSAGE_LENGTH), autocomplete: "off",
    placeholder: "Type your question", "aria-describedby": "cc-input-hint",
  });
  var inputHint = el("p", { id: "cc-input-hint", "class": "input-hint", "aria-live": "polite" });
  var form = el("form", { "class": "composer", novalidate: "" }, [
    el("label", { "for": "cc-input", "class": "visually-hidden", text: "Your message" }),
    input,
    el("button", { type: "submit", "class": "send", text: "Send" }),
  ]);
  var panel = el("section", {
    id: "cc-panel", "class": "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "cc-title",
    hidden: true,
  }, [
    el("div", { "class": "header" }, [el("h2", { id: "cc-title", text: config.title }), closeButton]),
    el("div", { "class": "toolbar" }, [humanButton, restartButton]),
    scroller,
    typing,
    form,
    inputHint,
  ]);
  root.appendChild(launcher);
  root.appendChild(panel);

  /* ---------- rendering the conversation ---------- */

  function scrollToEnd() { scroller.scrollTop = scroller.scrollHeight; }

  function renderEntry(entry, announce) {
    var bubble = el("div", { "class": "message " + entry.from + (entry.alert ? " alert" : "") + (entry.staff ? " staff" : "") });
    var speaker = entry.from === "user" ? "You: " : entry.staff ? entry.staff + " (clinic team): " : "Assistant: ";
    bubble.appendChild(el("span", { "class": "visually-hidden", text: speaker }));
    if (entry.staff) bubble.appendChild(el("p", { "class": "staff-name", "aria-hidden": "true", text: entry.staff + " · clinic team" }));
    if (entry.alert) {
      // Announced at once when it arrives; not again when the history is redrawn after a reload.
      if (announce) bubble.setAttribute("role", "alert");
      bubble.appendChild(el("p", { "class": "alert-title", text: "Urgent safety message" }));
    }
    appendParagraphs(bubble, entry.text || "");
    if (entry.buttons && entry.buttons.length) {
      var group = el("div", { "class": "quick-replies", role: "group", "aria-label": "Suggested replies" });
      entry.buttons.forEach(function (button) {
        var quick = el("button", { type: "button", "class": "quick-reply", text: button.title });
        quick.addEventListener("click", function () { ask(button.payload, button.title); });
        group.appendChild(quick);
      });
      bubble.appendChild(group);
    }
    if (entry.answerId) bubble.appendChild(ratingButtons(entry));
    transcript.appendChild(bubble);
  }

  // Thumbs up or down on a page answer, kept with the conversation for the clinic team
  // (bot/runtime/feedback_channel.py). Pressing the other one changes the rating.
  function ratingButtons(entry) {
    var group = el("div", { "class": "rate", role: "group", "aria-label": "Was this answer helpful?" });
    var thanks = el("span", { "class": "rate-thanks", role: "status", text: entry.rating ? "Thanks for your feedback." : "" });
    [["up", "\uD83D\uDC4D", "Helpful"], ["down", "\uD83D\uDC4E", "Not helpful"]].forEach(function (choice) {
      var button = el("button", { type: "button", "class": "rate-button", "aria-label": choice[2], title: choice[2],
        "aria-pressed": String(entry.rating === choice[0]), text: choice[1] });
      button.addEventListener("click", function () {
        rate(entry, choice[0]).then(function (ok) {
          if (!ok) return;
          Array.prototype.forEach.call(group.querySelectorAll(".rate-button"), function (b) {
            b.setAttribute("aria-pressed", String(b === button));
          });
          thanks.textContent = "Thanks for your feedback.";
        });
      });
      group.appendChild(button);
    });
    group.appendChild(thanks);
    return group;
  }

  function rate(entry, rating) {
    return fetch(config.serverUrl + "/webhooks/feedback/rating", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, answer_id: entry.answerId, rating: rating }),
      credentials: "omit",
    }).then(function (response) {
      if (!response.ok) return false;
      entry.rating = rating;
      save("history", state.history);
      return true;
    }, function () { return false; });
  }

  function addEntry(entry) {
    state.history.push(entry);
    state.history = state.history.slice(-MAX_HISTORY);
    save("history", state.history);
    renderEntry(entry, true);
    scrollToEnd();
  }

  // Quick replies belong to the latest bot turn only; older ones would answer a stale question.
  function clearQuickReplies() {
    var hadFocus = root.activeElement && root.activeElement.classList.contains("quick-reply");
    Array.prototype.forEach.call(transcript.querySelectorAll(".quick-replies"), function (g) { g.remove(); });
    state.history.forEach(function (entry) { delete entry.buttons; });
    save("history", state.history);
    if (hadFocus) input.focus();
  }

  // Rasa's REST channel sends the text of a reply (split at blank lines when it has no buttons)
  // and then its custom payload as a separate message: join them back into one bot turn.
  function turnsFromRasa(messages) {
    var turns = [];
    var current = null;
    (Array.isArray(messages) ? messages : []).forEach(function (message) {
      if (!message || typeof message !== "object") return;
      if (typeof message.text === "string" && message.text.trim()) {
        if (!current) { current = { from: "bot", text: "", buttons: [] }; turns.push(current); }
        current.text += (current.text ? "\n\n" : "") + message.text;
      }
      if (Array.isArray(message.buttons) && current) {
        message.buttons.forEach(function (b) {
          if (b && typeof b.title === "string" && typeof b.payload === "string") {
            current.buttons.push({ title: b.title, payload: b.payload });
          }
        });
      }
      if (message.custom && typeof message.custom === "object") {
        if (message.custom.alert === "emergency" && current) current.alert = true;
        if (message.custom.live_chat) startLiveChat();
        if (typeof message.custom.answer_id === "string" && current) current.answerId = message.custom.answer_id;
        current = null; // the custom payload closes the reply it belongs to
      }
    });
    return turns.filter(function (turn) { return turn.text; });
  }

  /* ---------- talking to the Rasa server ---------- */

  // Messages wait in the outbox (kept in sessionStorage) until the server has answered them, so a
  // server that is down or a reload loses nothing. One request at a time keeps the order.
  var sending = false;
  var offline = false;

  function setTyping(on) {
    typing.textContent = "";
    if (on) {
      typing.appendChild(el("span", { text: "The assistant is typing" }));
      typing.appendChild(el("span", { "class": "dots", "aria-hidden": "true", text: "..." }));
    }
  }

  function showError() {
    errorBox.hidden = false;
    errorText.textContent = "Sorry, the assistant can't be reached right now. Your message is kept; " +
      "please try again in a moment.";
    scrollToEnd();
  }

  function hideError() { errorBox.hidden = true; errorText.textContent = ""; }

  // Flood protection on the server (HTTP 429): the message stays in the outbox and is sent again
  // by itself once the server's wait is over; the visitor sees why there is a pause.
  function waitThenResend(seconds) {
    slowDown.hidden = false;
    slowDown.textContent = "You're sending messages quickly. Your message is kept and will be sent in " +
      seconds + (seconds === 1 ? " second." : " seconds.");
    scrollToEnd();
    setTimeout(function () {
      slowDown.hidden = true;
      slowDown.textContent = "";
      sending = false;
      pump();
    }, seconds * 1000);
  }

  // The wait comes in the JSON body: a cross-origin page cannot read the Retry-After header.
  function retryAfterSeconds(response) {
    return response.json().then(function (body) { return body.retry_after; }, function () { return 5; })
      .then(function (seconds) {
        seconds = Math.ceil(Number(seconds));
        return { retryAfter: Math.min(Math.max(isNaN(seconds) ? 5 : seconds, 1), 120) };
      });
  }

  function post(payload, sender) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(config.serverUrl + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: payload }),
      signal: controller.signal,
      credentials: "omit",
    }).then(function (response) {
      if (response.status === 429) return retryAfterSeconds(response);
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).finally(function () { clearTimeout(timer); });
  }

  function showQueuedUserMessage(item) {
    if (item.shown || !item.label) return;
    item.shown = true;
    save("outbox", state.outbox);
    clearQuickReplies();
    addEntry({ from: "user", text: item.label });
  }

  function pump() {
    if (sending || offline || !state.outbox.length) return;
    var item = state.outbox[0];
    var sender = state.sender;
    sending = true;
    showQueuedUserMessage(item);
    setTyping(true);
    var waiting = false;
    post(item.payload, sender).then(function (messages) {
      if (sender !== state.sender) return; // the visitor started over meanwhile
      if (messages.retryAfter) {
        waiting = true;
        waitThenResend(messages.retryAfter);
        return;
      }
      state.outbox.shift();
      save("outbox", state.outbox);
      hideError();
      turnsFromRasa(messages).forEach(addEntry);
    }, function () {
      if (sender !== state.sender) return;
      offline = true;
      showError();
    }).then(function () {
      setTyping(false);
      if (waiting) return; // pump() runs again when the wait is over
      sending = false;
      pump();
    });
  }

  /* ---------- a person from the clinic in this chat (bot/runtime/live_channel.py) ---------- */

  // While the patient waits for, or talks with, the clinic team, ask the server every few seconds
  // for what staff wrote; the bot itself stays quiet meanwhile (its replies come back empty).
  var livePolling = null;

  function startLiveChat() {
    if (!state.live.on) {
      state.live = { on: true, after: state.live.after || 0 };
      save("live", state.live);
    }
    if (!livePolling) livePolling = setInterval(pollLiveChat, LIVE_POLL_MS);
  }

  function stopLiveChat() {
    state.live = { on: false, after: state.live.after };
    save("live", state.live);
    if (livePolling) clearInterval(livePolling);
    livePolling = null;
  }

  function pollLiveChat() {
    var sender = state.sender;
    var url = config.serverUrl + "/webhooks/live/updates?sender=" + encodeURIComponent(sender) +
      "&after=" + encodeURIComponent(String(state.live.after || 0));
    fetch(url, { credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (update) {
      if (sender !== state.sender || !update) return;
      (update.messages || []).forEach(function (message) {
        if (typeof message.text !== "string" || !message.text.trim()) return;
        var staff = message.kind === "message" && typeof message.from === "string" ? message.from : null;
        addEntry({ from: "bot", text: message.text, staff: staff });
        state.live.after = Math.max(state.live.after || 0, Number(message.at) || 0);
      });
      save("live", state.live);
      turnsFromRasa(update.replies || []).forEach(addEntry);
      if (!update.state) stopLiveChat();
    }, function () { /* the next poll tries again */ });
  }

  function greetingQueued() {
    return state.outbox.some(function (item) { return item.payload === GREETING_PAYLOAD; });
  }

  function enqueue(payload, label) {
    // A visitor's words show at once, except behind the greeting, which comes first.
    var item = { payload: payload, label: label || null, shown: false };
    state.outbox.push(item);
    if (!greetingQueued() || payload === GREETING_PAYLOAD) showQueuedUserMessage(item);
    save("outbox", state.outbox);
    offline = false; // a new message is also a retry of any that failed
    hideError();
    pump();
  }

  // Send a message; `label` is what the visitor sees as their own words (a button's title).
  function ask(payload, label) {
    open();
    enqueue(payload, label || payload);
  }

  function retry() {
    offline = false;
    hideError();
    input.focus();
    pump();
  }

  function greet() { enqueue(GREETING_PAYLOAD, null); }

  /* ---------- opening, closing, starting over ---------- */

  function open() {
    if (!panel.hidden) return;
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    host.classList.add("open");
    save("open", true);
    if (!state.history.length && !state.outbox.length) greet();
    scrollToEnd();
    input.focus();
  }

  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    host.classList.remove("open");
    save("open", false);
    launcher.focus();
  }

  function startOver() {
    stopLiveChat();
    state.live = { on: false, after: 0 };
    state.sender = newSenderId();
    state.history = [];
    state.outbox = [];
    save("sender", state.sender);
    save("history", state.history);
    offline = false;
    hideError();
    setTyping(false);
    transcript.textContent = "";
    input.value = "";
    input.focus();
    greet();
  }

  launcher.addEventListener("click", open);
  closeButton.addEventListener("click", close);
  humanButton.addEventListener("click", function () { ask(HUMAN_PAYLOAD, "Talk to a person"); });
  restartButton.addEventListener("click", startOver);
  retryButton.addEventListener("click", retry);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      inputHint.textContent = "Please type a question first.";
      input.focus();
      return;
    }
    inputHint.textContent = "";
    input.value = "";
    ask(text.slice(0, MAX_MESSAGE_LENGTH));
  });
  input.addEventListener("input", function () {
    inputHint.textContent = input.value.length >= MAX_MESSAGE_LENGTH
      ? "That is the longest message the assistant accepts (" + MAX_MESSAGE_LENGTH + " characters)."
      : "";
  });
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-chat-payload]");
    if (!trigger) return;
    event.preventDefault();
    ask(trigger.getAttribute("data-chat-payload"), trigger.getAttribute("data-chat-label") || trigger.textContent.trim());
  });

  function mount() {
    document.body.appendChild(host);
    state.history.forEach(function (entry) { renderEntry(entry, false); });
    if (state.open) {
      panel.hidden = false;
      launcher.hidden = true;
      launcher.setAttribute("aria-expanded", "true");
      host.classList.add("open");
      scrollToEnd();
    }
    pump(); // messages left unanswered by a reload
    if (state.live.on) startLiveChat(); // a live chat goes on after a reload
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.ClinicChat = { open: open, close: close, ask: ask, startOver: startOver };
})();
