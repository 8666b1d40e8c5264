// deskbot chat page: where the session token is kept. Loaded before
// chat.js, which uses window.DeskbotStore.
(function () {
  'use strict';

  var TOKEN_KEY = 'deskbot.session';
  var CONSENTED_KEY = 'deskbot.consented';

  // The session frame says where the token lives: "local" (localStorage,
  // shared by tabs and by the widget across the shop's pages, expiring after
  // the server's idle time) or "session" (this tab only, the strict
  // profile). Storage can be unavailable (privacy modes, blocked third-party
  // storage in frames); the chat still works, it just cannot resume.
  var store = {
    kind: 'session',
    ttl: 0,
    get: function (k) {
      k = k || TOKEN_KEY;
      try {
        var v = sessionStorage.getItem(k);
        if (v != null) return v;
        var l = JSON.parse(localStorage.getItem(k) || 'null');
        if (l && typeof l.v === 'string' && l.exp > Date.now()) return l.v;
        localStorage.removeItem(k);
      } catch (e) { /* ignore */ }
      return null;
    },
    set: function (v, k) {
      k = k || TOKEN_KEY;
      try {
        if (store.kind === 'local') {
          localStorage.setItem(k, JSON.stringify({ v: v, exp: Date.now() + store.ttl * 1000 }));
          sessionStorage.removeItem(k);
        } else {
          sessionStorage.setItem(k, v);
          localStorage.removeItem(k);
        }
      } catch (e) { /* ignore */ }
    },
    // touch moves the expiry on while the conversation is active.
    touch: function () {
      if (store.kind !== 'local') return;
      [TOKEN_KEY, CONSENTED_KEY].forEach(function (k) { var v = store.get(k); if (v != null) store.set(v, k); });
    },
    clear: function () {
      [TOKEN_KEY, CONSENTED_KEY].forEach(function (k) {
        try { sessionStorage.removeItem(k); localStorage.removeItem(k); } catch (e) { /* ignore */ }
      });
    }
  };

  window.DeskbotStore = store;
})();
