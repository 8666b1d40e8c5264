// deskbot agent console: optional alerts (a short tone and a desktop
// notification) when a customer starts waiting or writes in a conversation
// that is not open, while the console is in the background. Off until the
// agent turns them on; the choice is kept in this browser. A notification
// never carries the customer's words: operating systems keep notifications
// in their own history, outside deskbot's retention and erasure.
(function () {
  'use strict';

  var KEY = 'deskbot.agent.alerts';
  var box = null;
  var audio = null;
  var lastTone = 0;

  function enabled() { return !!(box && box.checked); }

  // T is a console string in the page's language (i18n.js), else English.
  function T(key, fallback, params) {
    if (window.DeskbotConsoleI18n) { return window.DeskbotConsoleI18n.t(key, fallback, params); }
    return params ? fallback.replace(/\{([a-z_]+)\}/g, function (m, n) { return n in params ? String(params[n]) : m; }) : fallback;
  }

  function away() {
    return document.hidden || (typeof document.hasFocus === 'function' && !document.hasFocus());
  }

  function tone() {
    var now = Date.now();
    if (now - lastTone < 2000) return; // a burst of lines is one tone
    lastTone = now;
    try {
      var AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) return;
      audio = audio || new AC();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.05;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.15);
    } catch (e) { /* no sound is not an error */ }
  }

  // alert is called by agent.js; what says which ("waiting" or "message").
  function alert(what) {
    if (!enabled() || !away()) return;
    tone();
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    var body = what === 'waiting' ? T('alert_waiting', 'A customer is waiting for a person.') : T('alert_message', 'New message in one of your conversations.');
    try {
      var n = new Notification(T('title', 'Agent console'), { body: body, tag: 'deskbot-' + what });
      n.onclick = function () { window.focus(); n.close(); };
    } catch (e) { /* some browsers allow notifications only from a service worker */ }
  }

  function setup() {
    box = document.getElementById('alerts');
    if (!box) return;
    try { box.checked = localStorage.getItem(KEY) === 'on'; } catch (e) { /* storage off */ }
    box.addEventListener('change', function () {
      try { localStorage.setItem(KEY, box.checked ? 'on' : 'off'); } catch (e) { /* storage off */ }
      // Permission is asked only on the agent's own click, as browsers require.
      if (box.checked && 'Notification' in window && Notification.permission === 'default') {
        Notification.requestPermission();
      }
    });
  }

  window.DeskbotAlert = { setup: setup, alert: alert };
})();
