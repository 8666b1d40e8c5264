// deskbot chat page: the data export download (DSR-1). Loaded before
// chat.js, which calls window.DeskbotExport.download.
(function () {
  'use strict';

  // DSR-1: the export is fetched with the session token (POST, same origin, so
  // the token never lands in a URL or a log) and saved through a Blob and a
  // temporary <a download>, which the page's CSP allows.
  function download(token, btn, notice, T, EXPORT_FILE) {
    if (!token) {
      notice(T('export_not_ready', 'Your data is not ready yet. Please try again in a moment.'), 'no_session');
      return;
    }
    if (btn) btn.disabled = true;
    document.body.setAttribute('data-export', 'pending');
    fetch('/api/v1/export', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ session: token }),
      credentials: 'same-origin',
      cache: 'no-store'
    }).then(function (r) {
      if (!r.ok) throw new Error('export failed: HTTP ' + r.status);
      return r.blob();
    }).then(function (blob) {
      var url = URL.createObjectURL(new Blob([blob], { type: 'application/json' }));
      var a = document.createElement('a');
      a.href = url;
      a.download = EXPORT_FILE;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      // Revoke later: the download reads the Blob after click() returns.
      setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 10000);
      document.body.setAttribute('data-export', 'done');
      notice(T('export_saved', 'Your data was saved as {file}.', { file: EXPORT_FILE }));
    }).catch(function () {
      document.body.setAttribute('data-export', 'failed');
      notice(T('export_failed', 'Sorry, your data could not be downloaded. Please try again.'), 'export_failed');
    }).then(function () {
      if (btn) btn.disabled = false;
    });
  }

  window.DeskbotExport = { download: download };
})();
