// deskbot chat widget. Paste into a shop page:
//   <script src="https://BOT-HOST/widget.js" async></script>
// It adds a round chat button (bottom right) that opens the chat page of the
// bot host in an iframe. Styles are set through the CSSOM (element.style),
// which a strict host Content-Security-Policy allows; the host only needs the
// bot origin in frame-src (and script-src for this file).
// Optional attributes on the script tag: data-color="#0a7d4f" (launcher),
// data-position="left", data-title="…" (panel title), data-label="…"
// (launcher's accessible name), data-lang="de" (the chat's language).
(function () {
  'use strict';
  if (window.DeskbotWidget) return;

  var script = document.currentScript;
  if (!script) {
    // Fallback for loaders that run the file without currentScript.
    var all = document.querySelectorAll('script[src*="widget.js"]');
    script = all[all.length - 1];
  }
  var origin;
  try {
    origin = new URL(script.src, location.href).origin;
  } catch (e) {
    return;
  }

  var Z = '2147483000';
  var mq = function (q) { return window.matchMedia ? window.matchMedia(q) : { matches: false }; };
  var reduceMotion = mq('(prefers-reduced-motion: reduce)').matches;
  var phone = mq('(max-width: 480px)');
  var data = script.dataset || {};
  var color = /^#[0-9a-f]{6}$/i.test(data.color || '') ? data.color : '#1f5fbf';
  var side = data.position === 'left' ? 'left' : 'right';
  var title = (data.title || '').slice(0, 80);
  // data-lang="de": the chat's language, before the visitor's browser. The
  // launcher and the frame are named in it (or the browser's) when it is a
  // shipped one; everything inside comes from the server's catalog.
  var lang = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(data.lang || '') ? data.lang : '';
  var words = { // launcher, frame title, "automated assistant"
    de: ['Mit unserem automatisierten Assistenten chatten', 'Kundenservice-Chat', 'automatisierter Assistent'],
    fr: ['Discuter avec notre assistant automatisé', 'Chat du service client', 'assistant automatisé'],
    es: ['Chatear con nuestro asistente automatizado', 'Chat de atención al cliente', 'asistente automatizado']
  }[(lang || navigator.language || '').slice(0, 2).toLowerCase()] ||
    ['Chat with our automated assistant', 'Customer service chat', 'automated assistant'];
  var label = (data.label || '').slice(0, 80) || words[0];
  var OPEN_KEY = 'deskbot.widget.open';
  var button = null;
  var frame = null;
  var badge = null;
  var preview = null;
  var unread = 0;
  var isOpen = false;
  var quiet = false; // reopened after a navigation: the shop page keeps focus
  var loaded = false; // until the chat page loads, the frame holds about:blank of the host's origin

  // ink picks black or white text, whichever contrasts more with the brand colour.
  function ink(hex) {
    var l = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    return (y + 0.05) / 0.05 > 1.05 / (y + 0.05) ? '#000000' : '#ffffff';
  }

  function remember(open) {
    try { sessionStorage.setItem(OPEN_KEY, open ? '1' : '0'); } catch (e) { /* storage blocked */ }
  }

  function css(el, styles) {
    Object.keys(styles).forEach(function (k) { el.style[k] = styles[k]; });
  }

  function svg(open) {
    var ns = 'http://www.w3.org/2000/svg';
    var s = document.createElementNS(ns, 'svg');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('width', '28');
    s.setAttribute('height', '28');
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('fill', 'currentColor');
    p.setAttribute('d', open
      ? 'M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z'
      : 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2zm3 6a1.3 1.3 0 1 0 0 2.6A1.3 1.3 0 0 0 7 10zm5 0a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6zm5 0a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6z');
    s.appendChild(p);
    return s;
  }

  function setIcon() {
    while (button.firstChild) button.removeChild(button.firstChild);
    button.appendChild(svg(isOpen));
    badge.textContent = unread > 9 ? '9+' : String(unread);
    badge.style.display = unread && !isOpen ? 'block' : 'none';
    button.setAttribute('aria-label', label + (unread && !isOpen ? ' (' + unread + ' new)' : ''));
    preview.style.display = unread && !isOpen && preview.textContent ? 'block' : 'none';
  }

  // The chat page reports each answer; while the panel is closed the
  // launcher counts them and shows the newest one.
  function onChatMessage(d) {
    if (isOpen || d.from === 'system') return;
    unread++;
    preview.textContent = String(d.preview || '').slice(0, 90);
    setIcon();
  }

  function build() {
    button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', 'deskbot-widget-frame');
    button.title = label;
    var pos = { position: 'fixed', bottom: '20px', zIndex: Z };
    pos[side] = '20px';
    css(button, pos);
    css(button, {
      width: '56px', height: '56px', padding: '0', margin: '0',
      borderRadius: '50%', border: '0', cursor: 'pointer',
      background: color, color: ink(color),
      boxShadow: '0 4px 14px rgba(0,0,0,.25)',
      display: 'flex', alignItems: 'center', justifyContent: 'center',
      outline: 'none', transition: reduceMotion ? 'none' : 'transform .15s ease'
    });
    // Visible focus ring drawn via CSSOM, since the host page's CSS may reset outlines.
    button.addEventListener('focus', function () {
      css(button, { boxShadow: '0 0 0 3px #ffffff, 0 0 0 6px #d4731a, 0 4px 14px rgba(0,0,0,.25)' });
    });
    button.addEventListener('blur', function () {
      css(button, { boxShadow: '0 4px 14px rgba(0,0,0,.25)' });
    });
    button.addEventListener('click', function () { if (isOpen) close(); else open(); });
    // Beside the button, not in it: the count is in the button's name, and
    // text inside it would not match that name (WCAG 2.5.3).
    badge = document.createElement('span');
    badge.setAttribute('aria-hidden', 'true');
    pos = { position: 'fixed', bottom: '62px', zIndex: Z, pointerEvents: 'none' };
    pos[side] = side === 'right' ? '14px' : '62px';
    css(badge, pos);
    css(badge, {
      minWidth: '20px', height: '20px', padding: '0 5px',
      borderRadius: '10px', background: '#b00020', color: '#ffffff', font: 'bold 12px/20px system-ui, sans-serif',
      textAlign: 'center', boxSizing: 'border-box'
    });
    preview = document.createElement('div');
    preview.setAttribute('role', 'status');
    pos = { position: 'fixed', bottom: '84px', zIndex: Z };
    pos[side] = '20px';
    css(preview, pos);
    css(preview, {
      maxWidth: 'min(280px, calc(100vw - 40px))', padding: '10px 12px', borderRadius: '12px',
      background: '#ffffff', color: '#1b1f24', boxShadow: '0 4px 14px rgba(0,0,0,.25)',
      font: '14px/1.4 system-ui, sans-serif', cursor: 'pointer', display: 'none', overflowWrap: 'anywhere'
    });
    preview.addEventListener('click', function () { open(); });
    setIcon();
    document.body.appendChild(preview);
    document.body.appendChild(button);
    document.body.appendChild(badge);

    document.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape' && isOpen) close();
    });
    // The chat page asks to close when Escape is pressed inside the frame.
    window.addEventListener('message', function (ev) {
      if (ev.origin !== origin || !frame || ev.source !== frame.contentWindow) return;
      if (ev.data && ev.data.deskbot === 'close') close();
      if (ev.data && ev.data.deskbot === 'message') onChatMessage(ev.data);
    });
    if (phone.addEventListener) phone.addEventListener('change', function () { if (frame) layout(); });
    var wasOpen = null;
    try { wasOpen = sessionStorage.getItem(OPEN_KEY); } catch (e) { /* storage blocked */ }
    // Reopen after the shop's page navigates, without taking focus from it.
    if (wasOpen === '1') open(true);
  }

  // layout: a floating panel, or the whole screen on phones.
  function layout() {
    var full = phone.matches;
    var p = { position: 'fixed', zIndex: Z, left: 'auto', right: 'auto', top: 'auto' };
    if (full) {
      p.left = p.right = p.top = p.bottom = '0';
      p.width = '100%';
      p.height = '100%';
      p.borderRadius = '0';
      p.border = '0';
    } else {
      p[side] = '20px';
      p.bottom = '88px';
      p.width = 'min(380px, calc(100vw - 24px))';
      p.height = 'min(600px, calc(100vh - 108px))';
      p.borderRadius = '14px';
      p.border = '1px solid rgba(0,0,0,.15)';
    }
    css(frame, p);
    // Full screen hides the launcher; the panel's own close button and Escape remain.
    button.style.display = full && isOpen ? 'none' : 'flex';
  }

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement('iframe');
    frame.id = 'deskbot-widget-frame';
    frame.src = origin + '/?embed=1' + (title ? '&title=' + encodeURIComponent(title) : '') + (lang ? '&lang=' + encodeURIComponent(lang) : '');
    frame.title = (title || words[1]) + ' (' + words[2] + ')';
    frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
    css(frame, {
      boxShadow: '0 10px 30px rgba(0,0,0,.25)',
      background: '#ffffff', display: 'none', colorScheme: 'normal'
    });
    layout();
    frame.addEventListener('load', function () {
      loaded = true;
      // Introduces this page, so the chat sends its previews here only.
      try { frame.contentWindow.postMessage({ deskbot: 'init' }, origin); } catch (e) { /* navigated away */ }
      if (isOpen && !quiet) notifyOpened();
    });
    document.body.appendChild(frame);
  }

  function notifyOpened() {
    // Posting to the initial about:blank would only log an origin mismatch
    // on the shop's console; the load handler posts once the page is there.
    if (!loaded) return;
    try { frame.contentWindow.postMessage({ deskbot: 'opened' }, origin); } catch (e) { /* not loaded yet */ }
  }

  function open(restoring) {
    if (!button) return;
    ensureFrame();
    isOpen = true;
    unread = 0;
    remember(true);
    frame.style.display = 'block';
    button.setAttribute('aria-expanded', 'true');
    setIcon();
    layout();
    quiet = restoring === true;
    if (quiet) return;
    frame.focus();
    notifyOpened();
  }

  function close() {
    if (!button || !isOpen) return;
    isOpen = false;
    remember(false);
    frame.style.display = 'none';
    button.setAttribute('aria-expanded', 'false');
    setIcon();
    layout();
    button.focus();
  }

  window.DeskbotWidget = Object.freeze({ open: function () { open(); }, close: close, origin: origin });

  if (document.body) build();
  else document.addEventListener('DOMContentLoaded', build);
})();
