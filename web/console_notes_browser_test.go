package web_test

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"deskbot/protocol"
)

// The open conversation has a private note field: saved with its button
// (a "saved" status), shown again after a reload, and never sent to the
// customer (DSR-1: it is theirs only through the export).
func TestBrowserConsoleNote(t *testing.T) {
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	c, tok := openSession(t, l)
	actx, id := consoleHolding(t, l.URL, func() string {
		c.Send(ctxT(t), protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman})
		return sessionID(t, l, tok)
	})
	waitJS(t, actx, "the empty note field", `!document.getElementById('note-box').hidden && document.getElementById('note').value === ''`)
	const note = "Wants a call back after 17:00 — order 5521."
	if err := chromedp.Do(actx, chromedp.SendKeys(chromedp.ID("note"), note)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the unsaved status", `/not saved/i.test(document.getElementById('note-status').textContent)`)
	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("note-save"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the saved status", `document.getElementById('note-box').dataset.state === 'saved' && /^Saved/.test(document.getElementById('note-status').textContent)`)
	checkAxe(t, actx, "console with a saved note") // WCAG 2.1 AA

	// After a reload the note is there again.
	if err := chromedp.Do(actx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the held conversation", `document.querySelector('#mine button[data-conv="`+id+`"]')`)
	evalJS[bool](t, actx, `document.querySelector('#mine button[data-conv]').click(), true`)
	waitJS(t, actx, "the note after a reload", `!document.getElementById('note-box').hidden && document.getElementById('note').value === `+jsString(note)+` &&
	  /^Saved/.test(document.getElementById('note-status').textContent)`)
	v, code := func() (protocol.ConversationView, int) {
		a := newAgentSim(t, l)
		a.login("anna")
		return a.view(id)
	}()
	if code != 200 {
		t.Fatalf("view: %d", code)
	}
	for _, m := range v.Messages {
		if m.Text == note {
			t.Fatalf("the note is a transcript line: %+v", m)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
