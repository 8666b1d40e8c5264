// The private note on the open conversation (GET/PUT
// /agent/api/conversations/{id}/note): never shown to the customer, saved
// only when the agent presses "Save note". Text is set as values and text
// nodes only.
(function () {
  'use strict';

  var current = null;
  var csrf = '';

  function $(id) { return document.getElementById(id); }

  // T is a console string in the page's language (i18n.js), else English.
  function T(key, fallback, params) {
    if (window.DeskbotConsoleI18n) { return window.DeskbotConsoleI18n.t(key, fallback, params); }
    return params ? fallback.replace(/\{([a-z_]+)\}/g, function (m, n) { return n in params ? String(params[n]) : m; }) : fallback;
  }
  // LOC is the language dates are written in: the page's.
  var LOC = window.DeskbotConsoleI18n ? window.DeskbotConsoleI18n.locale() : [];

  function status(msg, state) {
    $('note-status').textContent = msg;
    $('note-box').dataset.state = state || '';
  }

  function call(method, id, body) {
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET') { headers['Content-Type'] = 'application/json'; headers['X-CSRF-Token'] = csrf; }
    return fetch('/agent/api/conversations/' + encodeURIComponent(id) + '/note', {
      method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) {
        if (!r.ok) { var e = new Error(window.DeskbotConsoleI18n ? window.DeskbotConsoleI18n.apiError(d, r.status) : (d.error || ('HTTP ' + r.status))); e.status = r.status; throw e; }
        return d;
      });
    });
  }

  function when(n) {
    return n.updated_at ? ' (' + new Date(n.updated_at).toLocaleString(LOC, { dateStyle: 'short', timeStyle: 'short' }) + (n.updated_by ? ', ' + n.updated_by : '') + ')' : '';
  }

  // open loads the note of the conversation just opened; agent.js calls it.
  function open(id, token) {
    current = id;
    csrf = token || csrf;
    $('note').value = '';
    $('note-box').hidden = true;
    status('');
    call('GET', id).then(function (n) {
      if (current !== id) { return; }
      $('note').value = n.text || '';
      $('note-box').hidden = false;
      status(n.text ? T('note_saved', 'Saved') + when(n) : '', n.text ? 'saved' : '');
    }).catch(function () {
      // Held by another agent (409) or gone: no note to show.
      if (current === id) { $('note-box').hidden = true; }
    });
  }

  function save() {
    var id = current;
    if (!id) { return; }
    status(T('note_saving', 'Saving…'), 'saving');
    call('PUT', id, { text: $('note').value }).then(function (n) {
      if (current !== id) { return; }
      $('note').value = n.text || '';
      status(n.text ? T('note_saved', 'Saved') + when(n) : T('note_cleared', 'Note cleared'), 'saved');
    }).catch(function (err) {
      status(T('note_not_saved', 'Not saved: {error}', { error: err.message }), 'error');
    });
  }

  function boot() {
    $('note-save').addEventListener('click', save);
    $('note').addEventListener('input', function () { status(T('note_dirty', 'Not saved yet'), 'dirty'); });
  }

  window.DeskbotNotes = { open: open };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', boot);
  } else {
    boot();
  }
}());
