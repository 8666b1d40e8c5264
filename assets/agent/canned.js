// Canned responses in the agent console (GET /agent/api/canned): listed
// under the reply box, and offered while the agent types "/" and a
// shortcut. The reply box follows the ARIA combobox pattern with a
// listbox: Arrow keys choose, Enter inserts, Escape closes.
// Inserting puts the text in the box for the agent to edit; nothing is
// sent. Text is set as text nodes only.
(function () {
  'use strict';

  var list = [];
  var open = [];
  var active = -1;

  function $(id) { return document.getElementById(id); }

  // T is a console string in the page's language (i18n.js), else English.
  function T(key, fallback, params) {
    if (window.DeskbotConsoleI18n) { return window.DeskbotConsoleI18n.t(key, fallback, params); }
    return params ? fallback.replace(/\{([a-z_]+)\}/g, function (m, n) { return n in params ? String(params[n]) : m; }) : fallback;
  }

  // The "/shortcut" being typed just before the caret, if any.
  function token() {
    var box = $('reply');
    var before = box.value.slice(0, box.selectionStart);
    var m = /(^|\s)\/([a-z0-9_-]*)$/i.exec(before);
    return m ? { start: before.length - m[2].length - 1, query: m[2].toLowerCase() } : null;
  }

  function close() {
    var box = $('reply');
    open = [];
    active = -1;
    $('canned-list').hidden = true;
    $('canned-list').replaceChildren();
    box.setAttribute('aria-expanded', 'false');
    box.removeAttribute('aria-activedescendant');
  }

  function highlight(i) {
    active = i;
    var opts = $('canned-list').children;
    for (var k = 0; k < opts.length; k++) { opts[k].setAttribute('aria-selected', k === i ? 'true' : 'false'); }
    if (i >= 0 && opts[i]) {
      $('reply').setAttribute('aria-activedescendant', opts[i].id);
      opts[i].scrollIntoView({ block: 'nearest' });
    }
  }

  function insert(r) {
    var box = $('reply');
    var t = token();
    var start = t ? t.start : box.selectionStart;
    var end = box.selectionStart;
    box.value = box.value.slice(0, start) + r.text + box.value.slice(end);
    var caret = start + r.text.length;
    box.focus();
    box.setSelectionRange(caret, caret);
    close();
    $('canned-status').textContent = T('canned_inserted', 'Inserted /{shortcut}. Edit it, then send.', { shortcut: r.shortcut });
  }

  function offer() {
    var t = token();
    if (!t || !list.length) { close(); return; }
    open = list.filter(function (r) { return r.shortcut.indexOf(t.query) === 0; });
    var ul = $('canned-list');
    ul.replaceChildren();
    if (!open.length) { close(); return; }
    open.forEach(function (r, i) {
      var li = document.createElement('li');
      li.id = 'canned-opt-' + i;
      li.setAttribute('role', 'option');
      li.dataset.shortcut = r.shortcut;
      var sc = document.createElement('span');
      sc.className = 'canned-shortcut';
      sc.textContent = '/' + r.shortcut;
      var tx = document.createElement('span');
      tx.className = 'canned-text';
      tx.textContent = r.text;
      li.appendChild(sc);
      li.appendChild(tx);
      // mousedown, not click: the reply box keeps the focus.
      li.addEventListener('mousedown', function (ev) { ev.preventDefault(); insert(r); });
      ul.appendChild(li);
    });
    ul.hidden = false;
    $('reply').setAttribute('aria-expanded', 'true');
    highlight(0);
  }

  function renderAll() {
    var ul = $('canned-all');
    ul.replaceChildren();
    list.forEach(function (r) {
      var li = document.createElement('li');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn canned-item';
      b.dataset.shortcut = r.shortcut;
      var sc = document.createElement('span');
      sc.className = 'canned-shortcut';
      sc.textContent = '/' + r.shortcut;
      var tx = document.createElement('span');
      tx.className = 'canned-text';
      tx.textContent = r.text;
      b.appendChild(sc);
      b.appendChild(tx);
      b.addEventListener('click', function () { insert(r); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    $('canned').hidden = !list.length;
  }

  function load() {
    fetch('/agent/api/canned', { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' }).then(function (r) {
      return r.ok ? r.json() : { responses: [] };
    }).then(function (d) {
      list = d.responses || [];
      renderAll();
    }).catch(function () { /* the console works without them */ });
  }

  function boot() {
    var box = $('reply');
    box.addEventListener('input', offer);
    box.addEventListener('blur', close);
    box.addEventListener('click', offer);
    // Capture phase on the document: runs before agent.js's Enter-sends.
    document.addEventListener('keydown', function (ev) {
      if (ev.target !== box || $('canned-list').hidden || !open.length) { return; }
      var k = ev.key;
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        highlight((active + (k === 'ArrowDown' ? 1 : open.length - 1)) % open.length);
      } else if (k === 'Enter' && !ev.shiftKey) {
        insert(open[Math.max(0, active)]);
      } else if (k === 'Escape') {
        close();
      } else {
        return;
      }
      ev.preventDefault();
      ev.stopPropagation();
    }, true);
  }

  window.DeskbotCanned = { load: load };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', boot);
  } else {
    boot();
  }
}());
