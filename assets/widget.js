// deskbot chat widget. Paste into a shop page:
//   <script src="https://BOT-HOST/widget.js" async></script>
// It adds a round chat button (bottom right) that opens the chat page of the
// bot host in an iframe. Styles are set through the CSSOM (element.style),
// which a strict host Content-Security-Policy allows; the host only needs the
// bot origin in frame-src (and script-src for this file).
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
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  var button = null;
  var frame = null;
  var isOpen = false;
  var loaded = false; // until the chat page loads, the frame holds about:blank of the host's origin

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
  }

  function build() {
    button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('aria-label', 'Chat with our automated assistant');
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', 'deskbot-widget-frame');
    button.title = 'Chat with our automated assistant';
    css(button, {
      position: 'fixed', right: '20px', bottom: '20px', zIndex: Z,
      width: '56px', height: '56px', padding: '0', margin: '0',
      borderRadius: '50%', border: '0', cursor: 'pointer',
      background: '#1f5fbf', color: '#ffffff',
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
    setIcon();
    document.body.appendChild(button);

    document.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape' && isOpen) close();
    });
    // The chat page asks to close when Escape is pressed inside the frame.
    window.addEventListener('message', function (ev) {
      if (ev.origin !== origin || !frame || ev.source !== frame.contentWindow) return;
      if (ev.data && ev.data.deskbot === 'close') close();
    });
  }

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement('iframe');
    frame.id = 'deskbot-widget-frame';
    frame.src = origin + '/?embed=1';
    frame.title = 'Customer service chat (automated assistant)';
    frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
    css(frame, {
      position: 'fixed', right: '20px', bottom: '88px', zIndex: Z,
      width: 'min(380px, calc(100vw - 24px))',
      height: 'min(600px, calc(100vh - 108px))',
      border: '1px solid rgba(0,0,0,.15)', borderRadius: '14px',
      boxShadow: '0 10px 30px rgba(0,0,0,.25)',
      background: '#ffffff', display: 'none', colorScheme: 'normal'
    });
    if (window.innerWidth < 420) css(frame, { right: '12px' });
    frame.addEventListener('load', function () {
      loaded = true;
      if (isOpen) notifyOpened();
    });
    document.body.appendChild(frame);
  }

  function notifyOpened() {
    // Posting to the initial about:blank would only log an origin mismatch
    // on the shop's console; the load handler posts once the page is there.
    if (!loaded) return;
    try { frame.contentWindow.postMessage({ deskbot: 'opened' }, origin); } catch (e) { /* not loaded yet */ }
  }

  function open() {
    if (!button) return;
    ensureFrame();
    isOpen = true;
    frame.style.display = 'block';
    button.setAttribute('aria-expanded', 'true');
    setIcon();
    frame.focus();
    notifyOpened();
  }

  function close() {
    if (!button || !isOpen) return;
    isOpen = false;
    frame.style.display = 'none';
    button.setAttribute('aria-expanded', 'false');
    setIcon();
    button.focus();
  }

  window.DeskbotWidget = Object.freeze({ open: open, close: close, origin: origin });

  if (document.body) build();
  else document.addEventListener('DOMContentLoaded', build);
})();
