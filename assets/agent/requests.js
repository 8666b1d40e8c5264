// The open data-subject requests (GET /agent/api/requests, DSR-3): the
// count in the side bar, with how many are near their deadline, and the
// list with days left. Read-only; the operator acknowledges and closes
// requests with `deskbot privacy request ack|close`. The list names no
// customer. Text is set as text nodes only.
(function () {
  'use strict';

  var KINDS = { export: 'Export (access)', erasure: 'Erasure', rectification: 'Correction', 'opt-out': 'Opt-out' };

  function $(id) { return document.getElementById(id); }

  // T is a console string in the page's language (i18n.js), else English.
  function T(key, fallback, params) {
    if (window.DeskbotConsoleI18n) { return window.DeskbotConsoleI18n.t(key, fallback, params); }
    return params ? fallback.replace(/\{([a-z_]+)\}/g, function (m, n) { return n in params ? String(params[n]) : m; }) : fallback;
  }
  // LOC is the language dates are written in: the page's.
  var LOC = window.DeskbotConsoleI18n ? window.DeskbotConsoleI18n.locale() : [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function day(s) { return new Date(s).toLocaleDateString(LOC, { dateStyle: 'medium' }); }

  function daysText(r) {
    if (r.overdue) {
      var over = Math.max(1, -r.days_left);
      return over === 1 ? T('overdue_one', 'Overdue by 1 day') : T('overdue_other', 'Overdue by {n} days', { n: over });
    }
    var t = r.days_left === 1 ? T('days_left_one', '1 day left') : T('days_left_other', '{n} days left', { n: r.days_left });
    return r.warn ? t + ' · ' + T('due_soon', 'due soon') : t;
  }

  function row(r) {
    var tr = el('tr', r.overdue ? 'req-overdue' : r.warn ? 'req-warn' : '');
    tr.dataset.request = String(r.id);
    tr.dataset.daysLeft = String(r.days_left);
    tr.dataset.flag = r.overdue ? 'overdue' : r.warn ? 'soon' : '';
    var head = el('th', '', '#' + r.id);
    head.scope = 'row';
    tr.appendChild(head);
    tr.appendChild(el('td', '', Object.prototype.hasOwnProperty.call(KINDS, r.kind) ? T('kind_' + r.kind.replace('-', '_'), KINDS[r.kind]) : r.kind));
    var rec = el('td');
    var t = el('time', '', day(r.received));
    t.dateTime = new Date(r.received).toISOString();
    rec.appendChild(t);
    tr.appendChild(rec);
    tr.appendChild(el('td', '', r.channel));
    tr.appendChild(el('td', '', r.status === 'acknowledged' ? T('status_acknowledged', 'Acknowledged') : T('status_open', 'Open')));
    tr.appendChild(el('td', '', r.due === 'acknowledge' ?
      T('acknowledge_by', 'Acknowledge by {date}; answer by {answer_date}', { date: day(r.due_by), answer_date: day(r.answer_by) }) :
      T('answer_by', 'Answer by {date}', { date: day(r.due_by) })));
    tr.appendChild(el('td', 'req-days', daysText(r)));
    return tr;
  }

  // load asks for the list and shows it; agent.js calls it after log-in
  // and when the agent opens the list. It resolves to the answer.
  function load() {
    return fetch('/agent/api/requests', { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) {
        if (!r.ok) { var e = new Error(window.DeskbotConsoleI18n ? window.DeskbotConsoleI18n.apiError(d, r.status) : (d.error || ('HTTP ' + r.status))); e.status = r.status; throw e; }
        return d;
      });
    }).then(function (d) {
      var reqs = d.requests || [];
      var flagged = reqs.filter(function (r) { return r.warn; });
      var overdue = flagged.filter(function (r) { return r.overdue; }).length;
      $('requests-count').textContent = String(reqs.length);
      $('requests-flag').textContent = T('requests_flag', 'Flagged when the next deadline is {days} days away or less, or has passed.', { days: d.warn_days });
      var note = $('requests-due');
      var parts = [];
      if (overdue) { parts.push(T('n_overdue', '{n} overdue', { n: overdue })); }
      if (flagged.length > overdue) { parts.push(T('n_due_within', '{n} due within {days} days', { n: flagged.length - overdue, days: d.warn_days })); }
      note.textContent = parts.join(', ');
      note.hidden = !flagged.length;
      var list = $('requests-list');
      list.replaceChildren();
      reqs.forEach(function (r) { list.appendChild(row(r)); });
      $('requests-empty').hidden = reqs.length > 0;
      var bases = {};
      reqs.forEach(function (r) { bases[r.basis] = true; });
      $('requests-basis').textContent = Object.keys(bases).join(' · ');
      document.body.dataset.requests = String(reqs.length);
      return d;
    });
  }

  window.DeskbotRequests = { load: load };
}());
