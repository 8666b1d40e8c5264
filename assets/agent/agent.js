// Agent console: drives the JSON API documented in docs/agent-api.md.
// All server text is set with textContent, never parsed as HTML.
(function () {
  'use strict';

  var state = { me: null, csrf: '', current: null, currentState: '', after: 0, polling: false };

  function $(id) { return document.getElementById(id); }

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
          var err = new Error(data.error || ('HTTP ' + r.status));
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
    refreshQueue();
    if (!state.polling) { state.polling = true; poll(); }
  }

  function convButton(item, label) {
    var li = el('li');
    var b = el('button', 'btn conv-item', label);
    b.type = 'button';
    b.dataset.conv = item.id;
    b.addEventListener('click', function () { openConversation(item.id); });
    li.appendChild(b);
    return li;
  }

  function refreshQueue() {
    return api('GET', 'queue').then(function (q) {
      var list = $('queue');
      list.replaceChildren();
      q.queue.forEach(function (item) {
        list.appendChild(convButton(item, '#' + item.position + ' · ' + item.reason + ' · since ' + new Date(item.since).toLocaleTimeString()));
      });
      $('queue-count').textContent = String(q.queue.length);
      var mine = $('mine');
      mine.replaceChildren();
      q.mine.forEach(function (item) {
        mine.appendChild(convButton(item, item.reason + ' · since ' + new Date(item.since).toLocaleTimeString()));
      });
      $('offline-count').textContent = String(q.offline_messages);
      var agents = $('agents');
      agents.replaceChildren();
      q.agents.forEach(function (a) { agents.appendChild(el('li', 'agent', a.display_name + ' · ' + a.presence)); });
      $('hours').textContent = q.open_hours ? 'Within business hours.' : 'Outside business hours: customers are told no one is available.';
      document.body.dataset.queue = String(q.queue.length);
    }).catch(handleAuthError);
  }

  function handleAuthError(err) {
    if (err && err.status === 401) { showLogin(); return; }
    showError('desk-error', err ? err.message : 'Something went wrong.');
  }

  function lineFor(m) {
    var who = m.from === 'customer' ? 'Customer' : m.from === 'agent' ? (m.name || 'Agent') + ' (agent)' : m.from === 'bot' ? (m.name || 'Bot') + ' (bot)' : 'System';
    var div = el('div', 'line line-' + m.from);
    div.appendChild(el('span', 'from', who));
    div.appendChild(el('span', 'text', m.text));
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
    $('conv-state').textContent = s === 'joined' ? (mine ? 'You hold this conversation' : 'Held by ' + agent) : 'Waiting';
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
      $('offline').hidden = true;
      $('conv-empty').hidden = true;
      $('conv').hidden = false;
      $('conv').dataset.conv = id;
      $('conv-title').textContent = 'Conversation ' + id.slice(0, 8) + ' · ' + v.reason;
      var t = $('transcript');
      t.replaceChildren();
      v.messages.forEach(appendLine);
      setConvState(v.state, v.agent);
    }).catch(handleAuthError);
  }

  function closeView() {
    state.current = null;
    $('conv').hidden = true;
    $('conv-empty').hidden = false;
    document.body.dataset.conv = '';
  }

  function poll() {
    if (!state.me) { state.polling = false; return; }
    api('GET', 'events?after=' + state.after).then(function (r) {
      state.after = r.next;
      var needQueue = false;
      r.events.forEach(function (ev) {
        if (ev.kind === 'message' && ev.id === state.current && ev.message) { appendLine(ev.message); }
        if (ev.kind === 'queue' || ev.kind === 'offline_message') { needQueue = true; }
      });
      if (needQueue) { refreshQueue(); }
      setTimeout(poll, 50);
    }).catch(function (err) {
      if (err && err.status === 401) { state.polling = false; showLogin(); return; }
      setTimeout(poll, 3000);
    });
  }

  function boot() {
    $('login-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      showError('login-error', '');
      api('POST', 'login', { name: $('login-name').value, password: $('login-password').value }).then(function (me) {
        $('login-password').value = '';
        showDesk(me);
      }).catch(function (err) { showError('login-error', err.message); });
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
        appendLine({ from: 'agent', name: state.me.display_name, text: text });
      }).catch(handleAuthError);
    });
    ['handback', 'close'].forEach(function (what) {
      $(what).addEventListener('click', function () {
        api('POST', 'conversations/' + encodeURIComponent(state.current) + '/' + what, {}).then(function () {
          closeView();
          return refreshQueue();
        }).catch(handleAuthError);
      });
    });
    $('show-offline').addEventListener('click', showOffline);
    api('GET', 'session').then(function (me) {
      if (me.name) { showDesk(me); } else { showLogin(); }
    }).catch(function () { showLogin(); });
  }

  function showOffline() {
    api('GET', 'offline').then(function (r) {
      closeView();
      $('conv-empty').hidden = true;
      $('offline').hidden = false;
      var list = $('offline-list');
      list.replaceChildren();
      r.messages.forEach(function (m) {
        var li = el('li');
        li.appendChild(el('div', 'when', new Date(m.at).toLocaleString()));
        li.appendChild(el('div', 'text', m.text));
        li.appendChild(el('div', 'contacts', m.contacts.length ? 'Contact: ' + m.contacts.join(', ') : 'No contact details (not consented).'));
        var b = el('button', 'btn', 'Done');
        b.type = 'button';
        b.addEventListener('click', function () {
          api('POST', 'offline/' + m.id + '/done', {}).then(showOffline).then(refreshQueue).catch(handleAuthError);
        });
        li.appendChild(b);
        list.appendChild(li);
      });
      if (!r.messages.length) { list.appendChild(el('li', 'hint', 'No messages waiting.')); }
    }).catch(handleAuthError);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', boot);
  } else {
    boot();
  }
}());
