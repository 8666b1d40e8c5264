// deskbot chat page language. The session frame carries the session's
// language (lang, dir), the page's own strings (ui) and the languages the
// customer can pick; this file applies them: <html lang dir>, every element
// marked data-i18n, and the language picker in the footer. Messages and the
// input keep dir="auto" so each line follows its own script.
(function () {
  'use strict';

  var ui = {};
  var current = '';
  var onPick = null;

  // t is the page string key in the session's language, or the English
  // fallback written in the page before the first session frame, with
  // {name} placeholders filled from params.
  function t(key, fallback, params) {
    var s = Object.prototype.hasOwnProperty.call(ui, key) ? ui[key] : fallback;
    if (params) {
      s = s.replace(/\{([a-z_]+)\}/g, function (m, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m;
      });
    }
    return s;
  }

  // The page's own attribute: ?lang= on the chat page (the widget passes
  // its data-lang), sent to /ws so it wins over Accept-Language.
  function pageLang() {
    var l = new URLSearchParams(location.search).get('lang') || '';
    return /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(l) ? l : '';
  }

  // query is the /ws query parameter naming the page's language, or ''.
  function query() {
    var l = pageLang();
    return l ? 'lang=' + encodeURIComponent(l) : '';
  }

  function translateStatic() {
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      var key = n.getAttribute('data-i18n');
      if (!Object.prototype.hasOwnProperty.call(ui, key)) continue;
      // The widget's own title (data-title, ?title=) is the owner's words.
      if (n.id === 'embed-title' && new URLSearchParams(location.search).get('title')) continue;
      var attr = n.getAttribute('data-i18n-attr');
      if (attr) {
        n.setAttribute(attr, ui[key]);
        if (attr === 'aria-label' && n.hasAttribute('title')) n.setAttribute('title', ui[key]);
        continue;
      }
      // Keep a screen-reader suffix such as " (opens in a new tab)".
      var vh = n.querySelector('.vh');
      n.textContent = ui[key];
      if (vh) {
        vh.textContent = ' ' + t('new_tab', vh.textContent.trim());
        n.appendChild(vh);
      }
    }
    if (ui.title) document.title = ui.title + ' (' + t('badge', 'Automated assistant') + ')';
  }

  function picker(langs) {
    var sel = document.getElementById('lang-pick');
    if (!sel || !langs || langs.length < 2) return;
    var label = document.getElementById('lang-pick-label');
    if (label) label.textContent = t('language', 'Language');
    sel.textContent = '';
    langs.forEach(function (l) {
      var o = document.createElement('option');
      o.value = l.tag;
      o.textContent = l.name;
      o.lang = l.tag;
      if (l.tag === current) o.selected = true;
      sel.appendChild(o);
    });
    sel.parentNode.hidden = false;
  }

  // apply takes a session frame (or GET /locale/{lang}.json) and sets the
  // page's language.
  function apply(f) {
    if (!f || !f.lang) return;
    current = String(f.lang);
    if (f.ui && typeof f.ui === 'object') ui = f.ui;
    document.documentElement.lang = current;
    document.documentElement.dir = f.dir === 'rtl' ? 'rtl' : 'ltr';
    translateStatic();
    picker(f.languages);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var sel = document.getElementById('lang-pick');
    if (!sel) return;
    sel.addEventListener('change', function () {
      if (sel.value && sel.value !== current && onPick) onPick(sel.value);
    });
  });

  window.DeskbotI18n = {
    t: t,
    apply: apply,
    query: query,
    lang: function () { return current; },
    // onPick(fn): fn(tag) sends {"type":"action","name":"language","value":tag}.
    onPick: function (fn) { onPick = fn; }
  };
})();
