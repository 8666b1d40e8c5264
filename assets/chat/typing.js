// deskbot chat page: "Anna is typing…" under the log while an agent types.
// The console repeats the typing frame every few seconds, so the line fades
// 6 s after the last one; the agent's message clears it at once. Loaded
// before chat.js, which uses window.DeskbotTyping.
(function () {
  'use strict';

  var line = null;
  var timer = 0;

  function set(text) {
    if (line) {
      line.textContent = text;
      line.hidden = !text;
    }
  }

  // show handles a typing frame; log is the chat log the line goes under,
  // T the page's string lookup.
  function show(log, f, T) {
    if (!f || f.from !== 'agent') return;
    if (!line) {
      line = document.createElement('p');
      line.className = 'typing';
      line.id = 'typing';
      log.parentNode.insertBefore(line, log.nextSibling);
    }
    set(T('typing', '{name} is typing…').replace('{name}', f.name || T('team_member', 'Team member')));
    clearTimeout(timer);
    timer = setTimeout(function () { set(''); }, 6000);
  }

  function clear() {
    clearTimeout(timer);
    set('');
  }

  window.DeskbotTyping = { show: show, clear: clear };
})();
