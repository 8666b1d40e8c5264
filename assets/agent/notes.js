// The private note on the open conversation (GET/PUT
// /agent/api/conversations/{id}/note): never shown to the customer, saved
// only when the agent presses "Save note". Text is set as values and text
// nodes only.
(function () {
  'use strict';

  var current = null;
  var csrf = '';

  function $(id) { return document.getElementById(id); }

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
        if (!r.ok) { var e = new Error(d.error || ('HTTP ' + r.status)); e.status = r.status; throw e; }
        return d;
      });
    });
  }

  function when(n) {
    return n.updated_at ? ' (' + new Date(n.updated_at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) + (n.updated_by ? ', ' + n.updated_by : '') + ')' : '';
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
      status(n.text ? 'Saved' + when(n) : '', n.text ? 'saved' : '');
    }).catch(function () {
      // Held by another agent (409) or gone: no note to show.
      if (current === id) { $('note-box').hidden = true; }
    });
  }

  function save() {
    var id = current;
    if (!id) { return; }
    status('Saving…', 'saving');
    call('PUT', id, { text: $('note').value }).then(function (n) {
      if (current !== id) { return; }
      $('note').value = n.text || '';
      status(n.text ? 'Saved' + when(n) : 'Note cleared', 'saved');
    }).catch(function (err) {
      status('Not saved: ' + err.message, 'error');
    });
  }

  function boot() {
    $('note-save').addEventListener('click', save);
    $('note').addEventListener('input', function () { status('Not saved yet', 'dirty'); });
  }

  window.DeskbotNotes = { open: open };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', boot);
  } else {
    boot();
  }
}());
