// Agent console language. The server sends the console already in the
// agent's language (Accept-Language, else config `language`): <html lang
// dir> and every label marked data-i18n. This file fetches the same
// language's strings for the text the scripts write
// (GET /agent/locale/<lang>.json) and offers t(key, English, params).
// Customers' messages are never translated.
(function () {
  'use strict';

  var strings = {};
  var lang = document.documentElement.lang || 'en';

  // t is the console string key in the page's language, else the English
  // given, with {name} placeholders filled from params.
  function t(key, fallback, params) {
    var s = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : fallback;
    if (params) {
      s = s.replace(/\{([a-z_]+)\}/g, function (m, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m;
      });
    }
    return s;
  }

  // ready resolves once the strings are in (or could not be had: the
  // English fallbacks are used then).
  var ready = fetch('/agent/locale/' + encodeURIComponent(lang) + '.json', {
    headers: { 'Accept': 'application/json' }, credentials: 'same-origin'
  }).then(function (r) {
    return r.ok ? r.json() : {};
  }).then(function (d) {
    if (d && d.strings && typeof d.strings === 'object') { strings = d.strings; }
  }).catch(function () { /* English fallbacks */ });

  // apiError is a refused API call's message in the page's language: the
  // body's code picks the string (console_err_<code>), its English text
  // is the fallback.
  function apiError(body, status) {
    var en = (body && typeof body.error === 'string' && body.error) || ('HTTP ' + status);
    var code = body && typeof body.code === 'string' ? body.code : '';
    return /^[a-z_]+$/.test(code) ? t('err_' + code, en) : en;
  }

  // reason is why a customer was handed over, in the page's language:
  // request, misses, frustration or sensitive:<topic> (the topic is the
  // operator's own name for it and is shown as written).
  function reason(r) {
    r = String(r || '');
    if (r.indexOf('sensitive:') === 0) {
      return t('reason_sensitive', 'Sensitive topic: {topic}', { topic: r.slice('sensitive:'.length) });
    }
    var en = { request: 'Asked for a person', misses: 'The bot could not answer', frustration: 'The customer seems frustrated' };
    return Object.prototype.hasOwnProperty.call(en, r) ? t('reason_' + r, en[r]) : r;
  }

  window.DeskbotConsoleI18n = {
    t: t,
    apiError: apiError,
    reason: reason,
    ready: ready,
    // locale is the page's language for dates and times.
    locale: function () { return lang; }
  };
}());
