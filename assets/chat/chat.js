// deskbot customer chat page. Speaks wire protocol v1 over GET /ws.
// All server text is rendered as text nodes (md.js builds the Markdown
// subset from DOM nodes), never parsed as HTML.
(function () {
  'use strict';

  var TOKEN_KEY = 'deskbot.session';
  var CONSENTED_KEY = 'deskbot.consented';
  var params = new URLSearchParams(location.search);
  var embedded = params.get('embed') === '1';
  if (embedded) {
    // Set before first paint so the compact layout never flashes the header.
    document.documentElement.classList.add('embed');
  }

  var CONSENT_ACTIONS = { 'consent.accept': true, 'consent.decline': true };
  // T is a page string in the session's language (i18n.js), else English.
  var I18N = window.DeskbotI18n;
  function T(key, en, params) { return I18N ? I18N.t(key, en, params) : en; }
  var DOWNLOAD_EXPORT = 'download_export';
  var ARTICLE = 'article'; // a "did you mean …?" suggestion; pressing it sends the article's id
  var EXPORT_FILE = 'my-data.json';
  var MD = window.DeskbotMD;
  // The server counts UTF-8 bytes after trimming Go's unicode.IsSpace
  // characters; the page counts the same way so it never sends what the
  // server would refuse.
  var SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
  var TRIM = new RegExp('^' + SPACE + '+|' + SPACE + '+$', 'g');
  var encoder = new TextEncoder();
  function trimGo(s) { return s.replace(TRIM, ''); }
  function byteLen(s) { return encoder.encode(s).length; }
  var SEND_ERRORS = { too_large: true, rate_limited: true, bad_request: true, internal: true };

  // Where the token lives (localStorage or sessionStorage, as the session
  // frame says): store.js.
  var store = window.DeskbotStore;

  var state = {
    ws: null,
    token: store.get(),
    attempts: 0,
    timer: 0,
    outbox: [],          // frames typed while disconnected, sent on reconnect
    seen: new Set(),     // message ids already rendered (resume may replay)
    disclosed: false,    // DISC-2: input focus waits for the disclosure
    consent: null,       // the pending consent card {purpose, card}
    agent: '',
    pending: [],         // customer lines sent and not yet acknowledged, oldest first
    refs: 0,             // the last "ref" given to a line
    maxBytes: 2000,      // limits.max_message_bytes; the input's data-max-bytes, or the session frame's
    parentOrigin: ''     // the widget's page, learnt from its first message
  };

  var el = {};

  function $(id) { return document.getElementById(id); }

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = String(text);
    return n;
  }

  // Only http(s) and same-origin relative links are followed; anything else
  // (javascript:, data:) falls back to the given default.
  // newTabLink: source and policy links open beside the chat (the chat
  // keeps running) and say so to screen readers.
  function newTabLink(href, text) {
    var a = node('a', null, text);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.appendChild(node('span', 'vh', ' ' + T('new_tab', '(opens in a new tab)')));
    return a;
  }

  function safeURL(u, fallback) {
    if (!u) return fallback;
    try {
      var p = new URL(u, location.href);
      if (p.protocol === 'http:' || p.protocol === 'https:') return p.href;
    } catch (e) { /* fall through */ }
    return fallback;
  }

  // ---- connection ---------------------------------------------------------

  function wsURL() {
    // history=1: a resumed session replays the conversation so far.
    return (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/ws?history=1' + (I18N && I18N.query() ? '&' + I18N.query() : '');
  }

  // The resume token is offered as a subprotocol, not put in the URL, so it
  // never lands in proxy or access logs; the server answers "deskbot.v1".
  function wsProtocols() {
    var p = ['deskbot.v1'];
    if (state.token && /^[A-Za-z0-9_-]+$/.test(state.token)) p.push('deskbot.session.' + state.token);
    return p;
  }

  function connect() {
    clearTimeout(state.timer);
    var ws;
    try {
      ws = new WebSocket(wsURL(), wsProtocols());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    setConn(T('connecting', 'Connecting…'));
    ws.addEventListener('open', function () {
      state.attempts = 0;
      document.body.setAttribute('data-connected', 'true');
      setConn('');
    });
    ws.addEventListener('message', function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f && typeof f === 'object') handleFrame(f);
    });
    ws.addEventListener('close', function () {
      if (state.ws !== ws) return;
      state.ws = null;
      document.body.setAttribute('data-connected', 'false');
      scheduleReconnect();
    });
    ws.addEventListener('error', function () { /* close follows */ });
  }

  function scheduleReconnect() {
    // Exponential backoff with jitter, capped at 30s.
    var base = Math.min(30000, 1000 * Math.pow(2, state.attempts));
    var delay = Math.round(base / 2 + Math.random() * base / 2);
    state.attempts++;
    setConn(I18N && I18N.lang() && I18N.lang() !== 'en' ? T('reconnecting', 'Connection lost. Reconnecting…')
      : 'Connection lost. Reconnecting in ' + Math.ceil(delay / 1000) + ' s…');
    state.timer = setTimeout(connect, delay);
  }

  function isOpen() {
    return state.ws && state.ws.readyState === WebSocket.OPEN;
  }

  function send(frame) {
    if (isOpen()) {
      state.ws.send(JSON.stringify(frame));
      return true;
    }
    state.outbox.push(frame);
    setConn(T('offline', 'Not connected yet. Your message will be sent when the connection is back.'));
    return false;
  }

  function flushOutbox() {
    var q = state.outbox;
    state.outbox = [];
    q.forEach(function (f) { state.ws.send(JSON.stringify(f)); });
  }

  function setConn(text) {
    el.conn.textContent = text;
    el.conn.hidden = !text;
  }

  // ---- frames -------------------------------------------------------------

  function handleFrame(f) {
    // Each line is sent with a "ref"; the server echoes it on "delivered"
    // once the line is stored, or on the error that refused it.
    switch (f.type) {
      case 'delivered': return settle(f.ref, 'sent');
      case 'typing': return window.DeskbotTyping.show(el.log, f, T); // typing.js
      case 'session': return onSession(f);
      case 'message': return onMessage(f);
      case 'consent_request': return onConsentRequest(f);
      case 'handover': return onHandover(f);
      case 'error': return onError(f);
      default: return undefined; // unknown frames are ignored (forward compatibility)
    }
  }

  function onSession(f) {
    if (f.storage === 'local' && f.expires_in > 0) {
      store.kind = 'local';
      store.ttl = f.expires_in;
    } else if (f.storage === 'session') {
      store.kind = 'session';
    }
    if (f.session) {
      var consented = store.get(CONSENTED_KEY);
      state.token = String(f.session);
      store.set(state.token);
      if (consented != null) store.set(consented, CONSENTED_KEY);
    }
    if (f.max_message_bytes > 0) state.maxBytes = f.max_message_bytes;
    if (I18N) I18N.apply(f); // lang, dir and the page's strings
    var profile = String(f.profile || '');
    document.body.setAttribute('data-profile', profile);
    // NOTC-2: the Notice at Collection link is visible under the us-ca profile.
    el.notice.hidden = profile !== 'us-ca';
    flushOutbox();
  }

  function onMessage(f) {
    if (f.id) {
      if (state.seen.has(f.id)) return;
      state.seen.add(f.id);
    }
    store.touch();
    if (f.from === 'customer') return historyLine(f);
    if (f.from === 'agent') window.DeskbotTyping.clear();
    var from = f.from === 'agent' || f.from === 'system' ? f.from : 'bot';
    var m = node('div', 'msg msg-' + from);
    if (f.id) m.setAttribute('data-id', String(f.id));
    m.setAttribute('data-disclosure', f.disclosure ? 'true' : 'false');
    m.appendChild(label(from, f.name, f.at));
    var body = node('div', 'text md');
    body.dir = 'auto';
    body.appendChild(MD.render(f.text || ''));
    m.appendChild(body);
    if (Array.isArray(f.sources) && f.sources.length) m.appendChild(sources(f.sources));
    if (Array.isArray(f.actions) && f.actions.length) m.appendChild(actions(f.actions));
    if (f.disclosure && !f.history && state.disclosed) {
      // Each connection starts with a greeting; after a reconnect the log
      // keeps only the latest "welcome back", not one per reconnect.
      Array.prototype.forEach.call(el.log.querySelectorAll('.msg[data-greeting="again"]'), function (g) { g.remove(); });
      m.setAttribute('data-greeting', 'again');
    }
    append(m);
    if (!f.history) tellParent(from, f.text);
    if (f.disclosure && !state.disclosed) {
      state.disclosed = true;
      // DISC-2: let the live region announce the disclosure before focus moves.
      setTimeout(focusInput, 400);
    }
  }

  // historyLine draws a line the customer wrote earlier, replayed on resume.
  // A line this page drew itself (it has no id yet) takes the id instead of
  // being drawn twice.
  function historyLine(f) {
    var text = String(f.text || '');
    var mine = Array.prototype.find.call(el.log.querySelectorAll('.msg-user:not([data-id])'), function (b) {
      var t = b.querySelector('.text');
      return t && t.textContent === text && b.getAttribute('data-delivery') !== 'failed';
    });
    var m = mine || userLine(text, f.at);
    m.setAttribute('data-id', String(f.id || ''));
    if (f.history) m.setAttribute('data-history', 'true');
  }

  // stamp adds a <time> when the frame carries its RFC 3339 "at".
  function stamp(l, at) {
    var d = at ? new Date(at) : null;
    if (!d || isNaN(d.getTime())) return;
    var t = node('time', 'at', d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    t.dateTime = d.toISOString();
    t.title = d.toLocaleString();
    l.appendChild(document.createTextNode(' '));
    l.appendChild(t);
  }

  function label(from, name, at) {
    var l = node('div', 'label');
    if (from === 'bot') {
      l.appendChild(node('span', 'badge', T('bot', 'Automated assistant')));
      if (name) {
        l.appendChild(document.createTextNode(' · '));
        l.appendChild(node('span', 'name', name));
      }
    } else if (from === 'agent') {
      l.appendChild(node('span', 'name', name || T('team_member', 'Team member')));
      l.appendChild(document.createTextNode(' · '));
      l.appendChild(node('span', 'badge badge-human', T('agent', 'Human agent')));
    } else {
      l.appendChild(node('span', 'badge badge-notice', T('notice_badge', 'Notice')));
    }
    stamp(l, at);
    return l;
  }

  function sources(list) {
    var ul = node('ul', 'sources');
    ul.setAttribute('aria-label', T('sources', 'Sources'));
    list.forEach(function (s) {
      if (!s) return;
      var id = String(s.id || '');
      var href = safeURL(s.url, '/articles/' + encodeURIComponent(id));
      var a = newTabLink(href, T('source', 'Source') + ': ' + (s.title || id) + (s.version ? ' (v' + s.version + ')' : ''));
      var li = node('li');
      li.appendChild(a);
      ul.appendChild(li);
    });
    return ul;
  }

  function actions(list) {
    var box = node('div', 'actions');
    var suggestions = list.some(function (a) { return a && a.name === ARTICLE && a.id; });
    if (suggestions) box.setAttribute('aria-label', T('suggestions', 'Suggested articles'));
    list.forEach(function (a) {
      if (!a || !a.name) return;
      var isArticle = a.name === ARTICLE;
      if (isArticle && !a.id) return; // a suggestion without its article cannot be picked
      var b = node('button', 'btn ' + (isArticle ? 'btn-suggestion' : 'btn-secondary'), a.label || a.name);
      b.type = 'button';
      b.setAttribute('data-action', String(a.name));
      if (isArticle) b.setAttribute('data-id', String(a.id));
      box.appendChild(b);
    });
    return box;
  }

  function onConsentRequest(f) {
    // Only the newest pending card carries id="consent".
    if (state.consent && state.consent.card.id === 'consent') state.consent.card.removeAttribute('id');
    var card = node('section', 'consent');
    card.id = 'consent';
    card.setAttribute('data-purpose', String(f.purpose || ''));
    card.setAttribute('aria-label', T('consent_label', 'Consent request'));
    card.appendChild(node('h2', 'consent-title', T('consent_title', 'Your choice')));
    var ct = node('div', 'text md');
    ct.dir = 'auto';
    ct.appendChild(MD.render(f.text || '', 3));
    card.appendChild(ct);
    var meta = node('p', 'consent-meta');
    var pol = newTabLink(safeURL(f.policy_url, el.privacy.href), T('consent_policy', 'Read the privacy policy'));
    meta.appendChild(pol);
    if (f.version) meta.appendChild(node('small', 'consent-version', ' · version ' + f.version));
    card.appendChild(meta);
    if (f.policy_url) el.privacy.href = pol.href;

    // CONS-1, CONS-2: two equal, unselected choices; silence records nothing.
    var choices = node('div', 'consent-choices');
    var yes = node('button', 'btn btn-choice', T('consent_yes', 'Yes, keep my details'));
    yes.type = 'button';
    yes.setAttribute('data-consent', 'accept');
    var no = node('button', 'btn btn-choice', T('consent_no', 'No thanks'));
    no.type = 'button';
    no.setAttribute('data-consent', 'decline');
    choices.appendChild(yes);
    choices.appendChild(no);
    card.appendChild(choices);
    card.appendChild(node('p', 'consent-decision'));
    state.consent = { purpose: String(f.purpose || ''), card: card, decided: false };
    append(card);
  }

  function decideConsent(granted, card) {
    var c = state.consent;
    if (card && (!c || c.card !== card)) {
      // An older card: answer for its own purpose.
      c = { purpose: card.getAttribute('data-purpose') || '', card: card, decided: false };
    }
    if (!c) return false;
    send({ type: 'consent', purpose: c.purpose, granted: granted });
    c.decided = true;
    // The chosen buttons become disabled; focus moves to the decision text
    // instead of falling to <body> (WCAG 2.4.3).
    var hadFocus = c.card.contains(document.activeElement);
    c.card.setAttribute('data-decision', granted ? 'accepted' : 'declined');
    c.card.querySelectorAll('button[data-consent]').forEach(function (b) {
      b.disabled = true;
      b.setAttribute('aria-pressed', String(b.getAttribute('data-consent') === (granted ? 'accept' : 'decline')));
    });
    var d = c.card.querySelector('.consent-decision');
    d.textContent = granted
      ? T('consent_said_yes', 'You said yes. You can withdraw this at any time.')
      : T('consent_said_no', 'You said no. Nothing is kept for this purpose.');
    if (granted && !c.card.querySelector('button[data-action="withdraw"]')) {
      var w = node('button', 'btn btn-secondary', T('withdraw', 'Withdraw consent'));
      w.type = 'button';
      w.setAttribute('data-action', 'withdraw');
      var box = node('div', 'actions');
      box.appendChild(w);
      c.card.appendChild(box);
    }
    if (granted) {
      // Withdrawal stays one click away for the rest of the session, even after a reload.
      el.withdraw.hidden = false;
      store.set('1', CONSENTED_KEY);
    }
    if (hadFocus) {
      d.tabIndex = -1;
      d.focus();
    }
    if (c === state.consent) state.consent = null;
    return true;
  }

  function onHandover(f) {
    var st = String(f.state || '');
    var agent = f.agent ? String(f.agent) : '';
    var text;
    switch (st) {
      case 'queued':
        text = f.position > 0
          ? T('waiting_position', 'Waiting for a person from our team — you are number {position} in the queue.', { position: f.position })
          : T('waiting', 'Waiting for a person from our team.');
        break;
      case 'joined':
        state.agent = agent;
        text = T('joined', 'You are now chatting with {agent}, a human agent.', { agent: agent || T('team_member', 'a team member') });
        break;
      case 'left':
        text = T('left', '{agent} has left the chat. You are back with the automated assistant.', { agent: agent || state.agent || T('team_member', 'The agent') });
        state.agent = '';
        break;
      case 'offline':
        text = T('offline_desk', 'No one is available right now. The automated assistant can still help, or you can leave a message.');
        break;
      default:
        return;
    }
    el.status.textContent = text;
    el.status.setAttribute('data-state', st);
    el.status.hidden = false;
    document.body.setAttribute('data-handover', st);
  }

  function onError(f) {
    if (f.code === 'too_large') {
      // The server says its limit in the message; believe it over ours.
      var n = /(\d[\d,.]*)/.exec(f.message || '');
      if (n) state.maxBytes = parseInt(n[1].replace(/\D/g, ''), 10) || state.maxBytes;
    }
    if (f.ref && SEND_ERRORS[f.code]) settle(f.ref, 'failed', f.code);
    if (f.code === 'no_session') {
      // The stored session is gone (expired or erased): start a fresh one.
      state.token = null;
      store.clear();
      state.seen.clear();
    }
    var polite = {
      too_large: 'That message is too long. Please shorten it and try again.',
      rate_limited: 'You are sending messages quickly. Please wait a moment and try again.',
      no_session: 'Your previous chat has ended. A new chat is starting.',
      bad_request: 'Sorry, that could not be sent. Please try again.',
      internal: 'Sorry, something went wrong on our side. Please try again.'
    };
    var m = node('div', 'msg msg-system msg-error');
    m.setAttribute('data-code', String(f.code || ''));
    m.appendChild(label('system'));
    // In another language the server's own message is in it (its bad_request
    // messages are for developers, in English: a general apology instead).
    var foreign = I18N && I18N.lang() && I18N.lang() !== 'en';
    var said = foreign && (f.code === 'bad_request' ? T('error', 'Sorry, something went wrong.') : f.message);
    m.appendChild(node('p', 'text', said || polite[f.code] || f.message || T('error', 'Sorry, something went wrong.')));
    append(m);
  }

  // ---- DOM helpers --------------------------------------------------------

  function append(n) {
    el.log.appendChild(n);
    el.log.scrollTop = el.log.scrollHeight;
  }

  function focusInput() {
    // In the widget, only once the customer opened the panel (not when it
    // reopens by itself after the shop's page navigated).
    if (embedded && window.parent !== window && !state.opened) return;
    var a = document.activeElement;
    if (!a || a === document.body || a === el.log) el.input.focus();
  }

  function userLine(text, at) {
    var m = node('div', 'msg msg-user');
    var l = node('div', 'label');
    l.appendChild(node('span', 'name', T('you', 'You')));
    stamp(l, at || new Date().toISOString());
    m.appendChild(l);
    var p = node('p', 'text', text);
    p.dir = 'auto';
    m.appendChild(p);
    append(m);
    return m;
  }

  // ---- delivery -----------------------------------------------------------

  // say shows the customer's line as "sending" and sends it; the server's
  // reply marks it sent, an error frame marks it not sent.
  function say(text, bubble) {
    var m = bubble || userLine(text);
    setDelivery(m, 'sending');
    var item = { bubble: m, text: text, ref: 'r' + (++state.refs) };
    state.pending.push(item);
    send({ type: 'say', text: text, ref: item.ref });
  }

  function settle(ref, how, code) {
    var i = state.pending.findIndex(function (p) { return p.ref === ref; });
    if (i < 0) return;
    var item = state.pending.splice(i, 1)[0];
    setDelivery(item.bubble, how, code);
    if (how === 'failed' && !el.input.value) {
      // The text comes back so nothing typed is lost.
      el.input.value = item.text;
      updateCount();
    }
  }

  function setDelivery(m, how, code) {
    m.setAttribute('data-delivery', how);
    var l = m.querySelector('.label');
    var old = l.querySelector('.delivery');
    if (old) old.remove();
    var retry = m.querySelector('.retry');
    if (retry) retry.remove();
    if (how === 'sent') return;
    l.appendChild(node('span', 'delivery', ' · ' + (how === 'sending' ? T('sending', 'Sending…') : T('not_sent', 'Not sent'))));
    if (how === 'failed' && code !== 'too_large') {
      var b = node('button', 'btn retry', T('retry', 'Retry'));
      b.type = 'button';
      b.setAttribute('aria-label', T('retry_label', 'Retry sending this message'));
      b.addEventListener('click', function () {
        say(m.querySelector('.text').textContent, m);
        if (el.input.value === m.querySelector('.text').textContent) {
          el.input.value = '';
          updateCount();
        }
        el.input.focus();
      });
      m.appendChild(b);
    }
  }

  // updateCount shows the byte count once the text is near the limit.
  function updateCount() {
    var n = byteLen(trimGo(el.input.value)), max = state.maxBytes;
    var near = n >= max * 0.8;
    el.count.hidden = !near;
    el.count.textContent = near ? n.toLocaleString() + ' / ' + max.toLocaleString() + ' bytes' : '';
    el.count.setAttribute('data-over', String(n > max));
    if (n <= max && el.note.getAttribute('data-code') === 'too_large') setNote('');
  }

  function setNote(text, code) {
    el.note.textContent = text;
    el.note.hidden = !text;
    el.note.setAttribute('data-code', code || '');
    el.input.setAttribute('aria-invalid', String(!!text));
  }

  function doAction(name, btn) {
    if (name === DOWNLOAD_EXPORT) {
      downloadExport(btn);
      return;
    }
    if (CONSENT_ACTIONS[name]) {
      var card = btn && btn.closest('.consent');
      if (decideConsent(name === 'consent.accept', card)) return;
    }
    if (name === ARTICLE) {
      var id = btn && btn.getAttribute('data-id');
      if (!id) return;
      // The pick shows as the customer's line, as if they had typed the title.
      setDelivery(userLine(btn.textContent), 'sent');
      send({ type: 'action', name: ARTICLE, id: id });
      return;
    }
    send({ type: 'action', name: name });
  }

  function askClose() {
    window.parent.postMessage({ deskbot: 'close' }, '*');
  }

  // tellParent gives the widget a short preview of each new answer for its
  // unread badge; only to the page that introduced itself, never to '*'.
  function tellParent(from, text) {
    if (!embedded || !state.parentOrigin || window.parent === window) return;
    var preview = String(text || '').replace(/[*_`#>\[\]]+/g, '').replace(/\s+/g, ' ').trim();
    if (preview.length > 90) preview = preview.slice(0, 89).replace(/\s+\S*$/, '') + '…';
    window.parent.postMessage({ deskbot: 'message', from: from, preview: preview }, state.parentOrigin);
  }

  function notice(text, code) {
    var m = node('div', 'msg msg-system' + (code ? ' msg-error' : ''));
    if (code) m.setAttribute('data-code', code);
    m.appendChild(label('system'));
    m.appendChild(node('p', 'text', text));
    append(m);
  }

  // DSR-1: export.js fetches the export with the session token and saves it.
  function downloadExport(btn) {
    window.DeskbotExport.download(state.token, btn, notice, T, EXPORT_FILE);
  }

  // ---- wiring -------------------------------------------------------------

  function init() {
    // The footer's language picker switches the session's language.
    if (I18N) I18N.onPick(function (tag) { send({ type: 'action', name: 'language', value: tag }); });
    el.log = $('log');
    el.input = $('input');
    el.form = $('composer');
    el.status = $('status');
    el.conn = $('conn');
    el.privacy = $('privacy-link');
    el.notice = $('notice-link');
    el.withdraw = $('withdraw-tool');
    el.withdraw.hidden = store.get(CONSENTED_KEY) !== '1';
    el.count = $('count');
    el.note = $('composer-note');
    state.maxBytes = parseInt(el.input.getAttribute('data-max-bytes'), 10) || state.maxBytes;

    el.form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var text = trimGo(el.input.value);
      if (!text) return;
      var n = byteLen(text);
      if (n > state.maxBytes) {
        // Refuse here, with the text left in place, rather than cut it or
        // let the server refuse it after it looked sent.
        setNote(T('too_long_local', 'Not sent: this message is too long ({count} of at most {max} bytes; letters such as é or ж count as two). Please shorten it.',
          { count: n.toLocaleString(), max: state.maxBytes.toLocaleString() }), 'too_large');
        updateCount();
        el.input.focus();
        return;
      }
      setNote('');
      say(text);
      el.input.value = '';
      updateCount();
      el.input.focus();
    });
    // Enter sends, Shift+Enter starts a new line; an IME composition keeps its Enter.
    var sentByEnter = false;
    el.input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
        ev.preventDefault();
        sentByEnter = true;
        el.form.requestSubmit();
      }
    });
    // Some input paths deliver Enter's line break separately from keydown.
    el.input.addEventListener('beforeinput', function (ev) {
      if (sentByEnter && /^insert(LineBreak|Paragraph)$|^insertText$/.test(ev.inputType) && (ev.inputType !== 'insertText' || /^[\r\n]$/.test(ev.data || ''))) {
        ev.preventDefault();
      }
    });
    el.input.addEventListener('keyup', function () { sentByEnter = false; });
    el.input.addEventListener('input', updateCount);

    // Buttons inside the log: offered actions and consent choices.
    el.log.addEventListener('click', function (ev) {
      var b = ev.target.closest('button');
      if (!b || b.disabled) return;
      var c = b.getAttribute('data-consent');
      if (c) {
        decideConsent(c === 'accept', b.closest('.consent'));
        return;
      }
      var name = b.getAttribute('data-action');
      if (name) doAction(name, b);
    });

    // Always-visible tools: "Talk to a person" and the privacy row.
    document.querySelectorAll('button[data-tool]').forEach(function (b) {
      b.addEventListener('click', function () { send({ type: 'action', name: b.getAttribute('data-tool') }); });
    });

    if (embedded) {
      var title = params.get('title');
      if (title) $('embed-title').textContent = title.slice(0, 80);
      var closeBtn = $('close-chat');
      closeBtn.hidden = window.parent === window;
      closeBtn.addEventListener('click', askClose);
      // Escape inside the frame never reaches the host page; ask the widget to close.
      document.addEventListener('keydown', function (ev) {
        if (ev.key === 'Escape' && window.parent !== window) askClose();
      });
      window.addEventListener('message', function (ev) {
        if (ev.source !== window.parent || !ev.data) return;
        if (ev.data.deskbot === 'init' || ev.data.deskbot === 'opened') state.parentOrigin = ev.origin;
        if (ev.data.deskbot === 'opened') {
          state.opened = true;
          if (state.disclosed) el.input.focus();
        }
      });
    }

    connect();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
