// Agent console: drives the JSON API documented in docs/agent-api.md.
// All server text is set as text nodes (md.js builds the Markdown subset
// from DOM nodes), never parsed as HTML.
(function () {
  'use strict';

  var state = { me: null, csrf: '', current: null, currentState: '', after: 0, instance: '', polling: false, unread: {}, preview: {}, mine: [] };
  var TITLE = document.title;

  function $(id) { return document.getElementById(id); }

  // T is a console string in the page's language (i18n.js), else English.
  var I18N = window.DeskbotConsoleI18n;
  function T(key, fallback, params) {
    if (I18N) { return I18N.t(key, fallback, params); }
    return params ? fallback.replace(/\{([a-z_]+)\}/g, function (m, n) { return n in params ? String(params[n]) : m; }) : fallback;
  }
  // LOC is the language dates and times are written in.
  var LOC = I18N ? I18N.locale() : [];
  var ready = I18N ? I18N.ready : Promise.resolve();

  function api(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (state.csrf) { headers['X-CSRF-Token'] = state.csrf; }
    }
    return fetch('/agent/api/' + path, {
      method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) {
          var err = new Error(I18N ? I18N.apiError(data, r.status) : (data.error || ('HTTP ' + r.status)));
          err.status = r.status;
          throw err;
        }
        return data;
      });
    });
  }

  function showError(id, msg) {
    var el = $(id);
    el.textContent = msg || '';
    el.hidden = !msg;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function showLogin() {
    state.me = null;
    document.body.dataset.view = 'login';
    $('login-view').hidden = false;
    $('desk-view').hidden = true;
    $('who').hidden = true;
  }

  function showDesk(me) {
    state.me = me;
    state.csrf = me.csrf;
    document.body.dataset.view = 'desk';
    $('login-view').hidden = true;
    $('desk-view').hidden = false;
    $('who').hidden = false;
    $('who-name').textContent = me.display_name + ' (' + me.name + ')';
    $('presence').value = me.presence === 'away' ? 'away' : 'online';
    refreshQueue().then(function () {
      // After log-in focus goes to the queue, not to <body> (WCAG 2.4.3).
      if (!document.activeElement || document.activeElement === document.body || document.activeElement.id === 'login-submit') {
        $('queue-heading').focus();
      }
    });
    if (!state.polling) { state.polling = true; poll(); }
    if (window.DeskbotCanned) { window.DeskbotCanned.load(); } // canned.js
    loadRequests();
  }

  // The open data-subject requests (requests.js, DSR-3): the count on
  // log-in, the list when asked for.
  function loadRequests() {
    if (!window.DeskbotRequests) { return Promise.resolve(); }
    return window.DeskbotRequests.load().catch(handleAuthError);
  }

  function showRequests() {
    closeView();
    $('conv-empty').hidden = true;
    $('offline').hidden = true;
    $('requests').hidden = false;
    $('requests-heading').focus();
    return loadRequests();
  }

  function convButton(item, label) {
    var li = el('li');
    var b = el('button', 'btn conv-item', label);
    b.type = 'button';
    b.dataset.conv = item.id;
    if (item.id === state.current) { b.setAttribute('aria-current', 'true'); }
    var n = state.unread[item.id] || 0;
    if (n) {
      b.dataset.unread = String(n);
      b.appendChild(el('span', 'unread', T('unread', '{n} unread', { n: n })));
    }
    if (item.customer) {
      // Whether the customer still has the chat open (issue 11, D7).
      var gone = item.customer === 'left' && item.gone_since ? Math.max(1, Math.round((Date.now() - new Date(item.gone_since).getTime()) / 60000)) : 0;
      var ps = el('span', 'presence presence-' + item.customer, item.customer === 'left' ?
        (gone ? T('customer_left_ago', 'Customer left {minutes} min ago', { minutes: gone }) : T('customer_left', 'Customer left')) :
        T('customer_online', 'Customer online'));
      b.dataset.customer = item.customer;
      b.appendChild(ps);
    }
    if (n && state.preview[item.id]) {
      var pv = el('span', 'preview', state.preview[item.id]);
      pv.dir = 'auto';
      b.appendChild(pv);
    }
    b.addEventListener('click', function () { openConversation(item.id); });
    li.appendChild(b);
    return li;
  }

  function renderMine() {
    var mine = $('mine');
    mine.replaceChildren();
    state.mine.forEach(function (item) {
      mine.appendChild(convButton(item, since(item)));
    });
    var total = 0;
    Object.keys(state.unread).forEach(function (id) { total += state.unread[id]; });
    $('unread-total').textContent = total ? T('unread_total', '({n} unread)', { n: total }) : '';
    $('unread-total').hidden = !total;
    document.title = total ? '(' + total + ') ' + TITLE : TITLE;
    document.body.dataset.unread = String(total);
  }

  function since(item) {
    return T('since', '{reason} · since {time}', { reason: I18N ? I18N.reason(item.reason) : item.reason, time: new Date(item.since).toLocaleTimeString(LOC) });
  }

  function refreshQueue() {
    return api('GET', 'queue').then(function (q) {
      var list = $('queue');
      list.replaceChildren();
      q.queue.forEach(function (item) {
        list.appendChild(convButton(item, '#' + item.position + ' · ' + since(item)));
      });
      $('queue-count').textContent = String(q.queue.length);
      state.mine = q.mine;
      // Unread counts only for conversations this agent holds or that wait.
      var held = {};
      q.mine.concat(q.queue).forEach(function (item) { held[item.id] = true; });
      Object.keys(state.unread).forEach(function (id) { if (!held[id]) { delete state.unread[id]; delete state.preview[id]; } });
      renderMine();
      $('offline-count').textContent = String(q.offline_messages);
      var agents = $('agents');
      agents.replaceChildren();
      q.agents.forEach(function (a) {
        var p = a.presence === 'online' ? T('online', 'Online') : a.presence === 'away' ? T('away', 'Away') : a.presence;
        agents.appendChild(el('li', 'agent', a.display_name + ' · ' + p));
      });
      $('hours').textContent = q.open_hours ? T('hours_open', 'Within business hours.') : T('hours_closed', 'Outside business hours: customers are told no one is available.');
      document.body.dataset.queue = String(q.queue.length);
    }).catch(handleAuthError);
  }

  function handleAuthError(err) {
    if (err && err.status === 401) { showLogin(); return; }
    showError('desk-error', err ? err.message : T('error', 'Something went wrong.'));
  }

  // The transcript stores a few events as markers such as "[handover: queued]";
  // agents read them as sentences.
  var HANDOVER = { queued: 'Customer is waiting for an agent', joined: 'An agent joined', left: 'Handed back to the bot', offline: 'Customer was told no one is available' };
  var PRESSED = { human: 'Talk to a person', export: 'Get my data', erase: 'Delete my data', withdraw: 'Withdraw consent', leave_message: 'Leave a message', article: 'a suggested article' };
  var CONSENT = { granted: 'Customer gave consent: {purpose}', withdrawn: 'Customer withdrew consent: {purpose}', declined: 'Customer declined consent: {purpose}' };
  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  // Markers are plain text in the API (no field tells them from typed text),
  // so only the sender that writes each kind may produce it.
  function eventText(text, from) {
    var m = /^\[(handover|pressed|consent requested|consent ([\w.-]+)): ?(.*)\]$/.exec(text || '');
    if (!m || (from === 'customer') !== (m[1] === 'pressed' || !!m[2]) || (from !== 'customer' && from !== 'system')) { return ''; }
    if (m[1] === 'handover') {
      return own(HANDOVER, m[3]) ? T('ev_' + m[3], HANDOVER[m[3]]) : T('ev_handover', 'Handover: {state}', { state: m[3] });
    }
    if (m[1] === 'pressed') {
      var p = m[3].split(' ');
      var button = own(PRESSED, p[0]) ? T('pressed_' + p[0], PRESSED[p[0]]) : p[0];
      return T('ev_pressed', 'Customer pressed “{button}”', { button: button }) + (p[1] ? ' (' + p.slice(1).join(' ') + ')' : '');
    }
    if (m[1] === 'consent requested') { return T('ev_consent_requested', 'Consent asked for: {purpose}', { purpose: m[3] }); }
    if (own(CONSENT, m[3])) { return T('ev_consent_' + m[3], CONSENT[m[3]], { purpose: m[2] }); }
    return T('ev_consent_other', 'Customer consent {state}: {purpose}', { state: m[3], purpose: m[2] });
  }

  function lineFor(m) {
    var who = m.from === 'customer' ? T('from_customer', 'Customer') :
      m.from === 'agent' ? T('from_agent', '{name} (agent)', { name: m.name || T('agent', 'Agent') }) :
      m.from === 'bot' ? T('from_bot', '{name} (bot)', { name: m.name || T('bot', 'Bot') }) : T('from_system', 'System');
    // Only the server's kind says a line is an event: a customer who types
    // "[pressed: human]" wrote a message.
    var ev = m.kind === 'event' ? (eventText(m.text, m.from) || m.text) : '';
    var div = el('div', 'line line-' + (ev ? 'event' : m.from));
    var head = el('div', 'head');
    var at = m.at ? new Date(m.at) : null;
    if (ev) {
      div.dataset.marker = m.text;
      head.appendChild(el('span', 'text', ev));
    } else {
      head.appendChild(el('span', 'from', who));
    }
    if (at && !isNaN(at.getTime())) {
      var t = el('time', 'at', at.toLocaleTimeString(LOC, { hour: '2-digit', minute: '2-digit' }));
      t.dateTime = at.toISOString();
      t.title = at.toLocaleString(LOC);
      head.appendChild(t);
    }
    div.appendChild(head);
    if (!ev) {
      // Customers' own words stay verbatim; bot and agent text is Markdown.
      var body = el('div', 'text' + (m.from === 'customer' ? '' : ' md'));
      body.dir = 'auto';
      if (m.from === 'customer' || !window.DeskbotMD) { body.textContent = m.text; } else { body.appendChild(window.DeskbotMD.render(m.text, 3)); }
      div.appendChild(body);
    }
    return div;
  }

  function appendLine(m) {
    var t = $('transcript');
    t.appendChild(lineFor(m));
    t.scrollTop = t.scrollHeight;
  }

  function setConvState(s, agent) {
    state.currentState = s;
    var mine = s === 'joined' && state.me && agent === state.me.name;
    $('conv-state').textContent = s === 'joined' ? (mine ? T('you_hold', 'You hold this conversation') : T('held_by', 'Held by {agent}', { agent: agent })) : T('waiting', 'Waiting');
    $('take').hidden = s === 'joined';
    $('handback').hidden = !mine;
    $('close').hidden = !mine;
    $('reply-form').hidden = !mine;
    document.body.dataset.conv = s;
    if (mine) { $('reply').focus(); }
  }

  function openConversation(id) {
    showError('desk-error', '');
    return api('GET', 'conversations/' + encodeURIComponent(id)).then(function (v) {
      state.current = id;
      delete state.unread[id];
      delete state.preview[id];
      renderMine();
      $('offline').hidden = true;
      $('requests').hidden = true;
      $('conv-empty').hidden = true;
      $('conv').hidden = false;
      $('conv').dataset.conv = id;
      $('conv-title').textContent = T('conv_title', 'Conversation {id} · {reason}', { id: id.slice(0, 8), reason: I18N ? I18N.reason(v.reason) : v.reason });
      var t = $('transcript');
      t.replaceChildren();
      v.messages.forEach(appendLine);
      setConvState(v.state, v.agent);
      if (window.DeskbotNotes) { window.DeskbotNotes.open(id, state.csrf); } // notes.js
    }).catch(handleAuthError);
  }

  // reloadTranscript redraws the open conversation's transcript without
  // moving the focus (after a poll reached another instance).
  function reloadTranscript() {
    var id = state.current;
    if (!id) { return; }
    api('GET', 'conversations/' + encodeURIComponent(id)).then(function (v) {
      if (state.current !== id) { return; }
      var t = $('transcript');
      t.replaceChildren();
      v.messages.forEach(appendLine);
    }).catch(handleAuthError);
  }

  function closeView(note) {
    state.current = null;
    $('conv').hidden = true;
    $('requests').hidden = true;
    $('conv-empty').hidden = false;
    $('conv-empty').textContent = (note ? note + ' ' : '') + T('select_conversation', 'Select a conversation to see the transcript so far.');
    document.body.dataset.conv = '';
    renderMine();
  }

  function poll() {
    if (!state.me) { state.polling = false; return; }
    api('GET', 'events?after=' + state.after + '&instance=' + encodeURIComponent(state.instance)).then(function (r) {
      state.after = r.next;
      state.instance = r.instance || '';
      var needQueue = false;
      if (r.reset) {
        // The poll reached another instance (several behind one address):
        // its events are numbered apart, so reload what may have been missed.
        needQueue = true;
        reloadTranscript();
      }
      r.events.forEach(function (ev) {
        if (ev.kind === 'message' && ev.message) {
          if (ev.id === state.current) {
            appendLine(ev.message);
          } else {
            // A held or waiting conversation that is not open: count it, keep
            // the line as its preview (and show the count in the title).
            state.unread[ev.id] = (state.unread[ev.id] || 0) + 1;
            var txt = String(ev.message.text || '').replace(/\s+/g, ' ').trim();
            state.preview[ev.id] = txt.length > 80 ? txt.slice(0, 79) + '…' : txt;
            renderMine();
            if (window.DeskbotAlert) { window.DeskbotAlert.alert('message'); }
            if (!state.mine.some(function (c) { return c.id === ev.id; })) { needQueue = true; }
          }
        }
        if (ev.kind === 'queue' || ev.kind === 'offline_message') { needQueue = true; }
        if (ev.kind === 'queue' && window.DeskbotAlert) { window.DeskbotAlert.alert('waiting'); }
        if (ev.kind === 'queue_dropped') {
          // A waiting customer was gone too long and left the queue.
          needQueue = true;
          $('queue-notice').textContent = T('queue_dropped', 'A waiting customer left the chat and was removed from the queue ({time}).',
            { time: new Date().toLocaleTimeString(LOC, { hour: '2-digit', minute: '2-digit' }) });
          $('queue-notice').hidden = false;
        }
      });
      if (needQueue) { refreshQueue(); }
      setTimeout(poll, 50);
    }).catch(function (err) {
      if (err && err.status === 401) { state.polling = false; showLogin(); return; }
      setTimeout(poll, 3000);
    });
  }

  function boot() {
    if (window.DeskbotAlert) { window.DeskbotAlert.setup(); } // alert.js
    $('login-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      showError('login-error', '');
      api('POST', 'login', { name: $('login-name').value, password: $('login-password').value }).then(function (me) {
        $('login-password').value = '';
        return ready.then(function () { showDesk(me); });
      }).catch(function (err) { showError('login-error', err.status === 401 ? T('login_failed', 'Wrong name or password.') : err.message); });
    });
    $('logout').addEventListener('click', function () {
      api('POST', 'logout', {}).finally(function () { closeView(); showLogin(); });
    });
    $('presence').addEventListener('change', function () {
      api('POST', 'presence', { presence: $('presence').value }).then(refreshQueue).catch(handleAuthError);
    });
    $('take').addEventListener('click', function () {
      var id = state.current;
      api('POST', 'conversations/' + encodeURIComponent(id) + '/take', {}).then(function () {
        return openConversation(id);
      }).then(refreshQueue).catch(handleAuthError);
    });
    $('reply-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var text = $('reply').value.trim();
      if (!text || !state.current) { return; }
      api('POST', 'conversations/' + encodeURIComponent(state.current) + '/messages', { text: text }).then(function () {
        $('reply').value = '';
        appendLine({ from: 'agent', name: state.me.display_name, text: text, at: new Date().toISOString() });
      }).catch(handleAuthError);
    });
    ['handback', 'close'].forEach(function (what) {
      $(what).addEventListener('click', function () {
        api('POST', 'conversations/' + encodeURIComponent(state.current) + '/' + what, {}).then(function () {
          // Focus goes to the outcome, not to <body> (WCAG 2.4.3).
          closeView(what === 'close' ? T('closed', 'Conversation closed.') : T('handed_back', 'Conversation handed back to the bot.'));
          $('conv-empty').focus();
          return refreshQueue();
        }).catch(handleAuthError);
      });
    });
    // While the agent types, the customer sees "… is typing" (the server
    // relays at most one frame every 2 s; this sends at most one every 3 s).
    var typingSent = 0;
    $('reply').addEventListener('input', function () {
      var now = Date.now();
      if (!state.current || state.currentState !== 'joined' || !$('reply').value.trim() || now - typingSent < 3000) return;
      typingSent = now;
      api('POST', 'conversations/' + encodeURIComponent(state.current) + '/typing', {}).catch(function () { /* best effort */ });
    });
    $('reply').addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
        ev.preventDefault();
        $('reply-form').requestSubmit();
      }
    });
    $('show-offline').addEventListener('click', showOffline);
    $('show-requests').addEventListener('click', showRequests);
    // The desk is drawn once the console's strings are in (i18n.js).
    ready.then(function () { return api('GET', 'session'); }).then(function (me) {
      if (me.name) { showDesk(me); } else { showLogin(); }
    }).catch(function () { showLogin(); });
  }

  function showOffline() {
    api('GET', 'offline').then(function (r) {
      closeView();
      $('conv-empty').hidden = true;
      $('requests').hidden = true;
      $('offline').hidden = false;
      var list = $('offline-list');
      list.replaceChildren();
      r.messages.forEach(function (m) {
        var li = el('li');
        li.appendChild(el('div', 'when', new Date(m.at).toLocaleString(LOC)));
        li.appendChild(el('div', 'text', m.text));
        li.appendChild(el('div', 'contacts', m.contacts.length ? T('contact', 'Contact: {contacts}', { contacts: m.contacts.join(', ') }) : T('no_contact', 'No contact details (not consented).')));
        var b = el('button', 'btn', T('done', 'Done'));
        b.type = 'button';
        b.addEventListener('click', function () {
          api('POST', 'offline/' + m.id + '/done', {}).then(showOffline).then(refreshQueue).catch(handleAuthError);
        });
        li.appendChild(b);
        list.appendChild(li);
      });
      if (!r.messages.length) { list.appendChild(el('li', 'hint', T('no_messages', 'No messages waiting.'))); }
    }).catch(handleAuthError);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', boot);
  } else {
    boot();
  }
}());
