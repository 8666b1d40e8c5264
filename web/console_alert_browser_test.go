package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"deskbot/protocol"
)

// alertRecorderJS stands in for the browser's notification and audio
// objects before the console loads, so the test sees what the console
// asked for; it also makes the console look as if it were in the
// background, where alerts are meant for.
const alertRecorderJS = `(() => {
  window.__alerts = {notes: [], tones: 0, asked: 0};
  function N(title, opts) { window.__alerts.notes.push({title: title, body: (opts && opts.body) || ''}); }
  N.permission = 'default';
  N.requestPermission = function () { window.__alerts.asked++; N.permission = 'granted'; return Promise.resolve('granted'); };
  window.Notification = N;
  function AC() {}
  AC.prototype.createOscillator = function () { window.__alerts.tones++; return {frequency: {}, connect() {}, start() {}, stop() {}}; };
  AC.prototype.createGain = function () { return {gain: {}, connect() {}}; };
  window.AudioContext = AC;
  document.hasFocus = () => false;
})();`

// Issue 11: an agent who turns alerts on gets a tone and a desktop
// notification when a customer starts waiting while the console is in the
// background, without the customer's words in the notification; with
// alerts off nothing is shown.
func TestBrowserConsoleAlerts(t *testing.T) {
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	bctx := newBrowser(t)
	console := watchConsole(bctx)
	if _, err := chromedp.Call(bctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: alertRecorderJS}); err != nil {
		t.Fatal(err)
	}
	actx, cancel := context.WithTimeout(bctx, 40*time.Second)
	defer cancel()
	consoleLogin(t, actx, l.URL, "anna")

	// Alerts off: a waiting customer brings nothing.
	c1, tok1 := openSession(t, l)
	exchange(t, c1, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman}, "human")
	id1 := sessionID(t, l, tok1)
	waitJS(t, actx, "the first waiting conversation", `!!document.querySelector('#queue button[data-conv="`+id1+`"]')`)
	type rec struct {
		Notes []struct{ Title, Body string }
		Tones int
		Asked int
	}
	if got := evalJS[rec](t, actx, `window.__alerts`); len(got.Notes) != 0 || got.Tones != 0 {
		t.Fatalf("alerts off, yet %d notifications and %d tones", len(got.Notes), got.Tones)
	}

	// Alerts on: permission is asked on the click, then a new waiting
	// customer brings one tone and one notification without their words.
	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("alerts"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the permission request", `window.__alerts.asked === 1`)
	c2, tok2 := openSession(t, l)
	exchange(t, c2, protocol.Inbound{Type: protocol.TypeSay, Text: "I want to talk to a person about my order 4411"}, "person")
	id2 := sessionID(t, l, tok2)
	waitJS(t, actx, "the second waiting conversation", `!!document.querySelector('#queue button[data-conv="`+id2+`"]')`)
	waitJS(t, actx, "a notification", `window.__alerts.notes.length >= 1`)
	got := evalJS[rec](t, actx, `window.__alerts`)
	if got.Tones < 1 {
		t.Errorf("no tone with alerts on")
	}
	for _, n := range got.Notes {
		if strings.Contains(n.Body, "4411") || strings.Contains(n.Body, "order") {
			t.Errorf("notification carries the customer's words: %+v", n)
		}
	}
	// The choice is kept in this browser.
	if v := evalJS[string](t, actx, `localStorage.getItem('deskbot.agent.alerts')`); v != "on" {
		t.Errorf("alert choice stored as %q, want on", v)
	}
	if p := console.problems(); len(p) > 0 {
		t.Errorf("console errors or CSP reports: %v", p)
	}
}
