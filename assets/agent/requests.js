// The open data-subject requests (GET /agent/api/requests, DSR-3): the
// count in the side bar, with how many are near their deadline, and the
// list with days left. Read-only; the operator acknowledges and closes
// requests with `deskbot privacy request ack|close`. The list names no
// customer. Text is set as text nodes only.
(function () {
  'use strict';

  var KINDS = { export: 'Export (access)', erasure: 'Erasure', rectification: 'Correction', 'opt-out': 'Opt-out' };

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function day(s) { return new Date(s).toLocaleDateString([], { dateStyle: 'medium' }); }

  function daysText(r) {
    if (r.overdue) { return 'Overdue by ' + Math.max(1, -r.days_left) + (-r.days_left === 1 ? ' day' : ' days'); }
    var t = r.days_left + (r.days_left === 1 ? ' day left' : ' days left');
    return r.warn ? t + ' · due soon' : t;
  }

  function row(r) {
    var tr = el('tr', r.overdue ? 'req-overdue' : r.warn ? 'req-warn' : '');
    tr.dataset.request = String(r.id);
    tr.dataset.daysLeft = String(r.days_left);
    tr.dataset.flag = r.overdue ? 'overdue' : r.warn ? 'soon' : '';
    var head = el('th', '', '#' + r.id);
    head.scope = 'row';
    tr.appendChild(head);
    tr.appendChild(el('td', '', KINDS[r.kind] || r.kind));
    var rec = el('td');
    var t = el('time', '', day(r.received));
    t.dateTime = new Date(r.received).toISOString();
    rec.appendChild(t);
    tr.appendChild(rec);
    tr.appendChild(el('td', '', r.channel));
    tr.appendChild(el('td', '', r.status === 'acknowledged' ? 'Acknowledged' : 'Open'));
    tr.appendChild(el('td', '', r.due === 'acknowledge' ? 'Acknowledge by ' + day(r.due_by) + '; answer by ' + day(r.answer_by) : 'Answer by ' + day(r.due_by)));
    tr.appendChild(el('td', 'req-days', daysText(r)));
    return tr;
  }

  // load asks for the list and shows it; agent.js calls it after log-in
  // and when the agent opens the list. It resolves to the answer.
  function load() {
    return fetch('/agent/api/requests', { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) {
        if (!r.ok) { var e = new Error(d.error || ('HTTP ' + r.status)); e.status = r.status; throw e; }
        return d;
      });
    }).then(function (d) {
      var reqs = d.requests || [];
      var flagged = reqs.filter(function (r) { return r.warn; });
      var overdue = flagged.filter(function (r) { return r.overdue; }).length;
      $('requests-count').textContent = String(reqs.length);
      $('requests-warn-days').textContent = String(d.warn_days);
      var note = $('requests-due');
      note.textContent = flagged.length ? (overdue ? overdue + ' overdue' + (flagged.length > overdue ? ', ' : '') : '') +
        (flagged.length > overdue ? (flagged.length - overdue) + ' due within ' + d.warn_days + ' days' : '') : '';
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
