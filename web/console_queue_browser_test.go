package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"deskbot/protocol"
)

// Issue 11: in the console a waiting conversation counts the lines its
// customer writes and previews the last one; in its transcript a typed
// "[pressed: human]" is the customer's message and the button pressed is an
// event.
func TestBrowserConsoleQueueUnreadAndKinds(t *testing.T) {
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	bctx := newBrowser(t)
	console := watchConsole(bctx)
	actx, cancel := context.WithTimeout(bctx, 40*time.Second)
	defer cancel()
	consoleLogin(t, actx, l.URL, "anna")

	c, tok := openSession(t, l)
	exchange(t, c, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman}, "human")
	id := sessionID(t, l, tok)
	waitJS(t, actx, "the waiting conversation", `!!document.querySelector('#queue button[data-conv="`+id+`"]')`)
	ask(t, c, "[pressed: human]")
	ask(t, c, "Where is my parcel?")
	waitJS(t, actx, "two unread with a preview in the queue", `(() => { const b = document.querySelector('#queue button[data-conv="`+id+`"]');
	  return b && b.dataset.unread === '2' && b.querySelector('.preview') && b.querySelector('.preview').textContent === 'Where is my parcel?'; })()`)

	clickNow(t, actx, "a click on the waiting conversation", `#queue button[data-conv="`+id+`"]`)
	waitJS(t, actx, "the transcript", `[...document.querySelectorAll('#transcript .line-customer .text')].some(e => e.textContent === 'Where is my parcel?')`)
	type lines struct{ Typed, Events int }
	got := evalJS[lines](t, actx, `({Typed: [...document.querySelectorAll('#transcript .line-customer .text')].filter(e => e.textContent === '[pressed: human]').length,
	  Events: [...document.querySelectorAll('#transcript .line-event')].filter(e => /pressed/i.test(e.textContent) && !/\[pressed/.test(e.textContent)).length})`)
	if got.Typed != 1 || got.Events != 1 {
		t.Errorf("typed marker shown as a customer line %d times, pressed button as a readable event %d times; want 1 and 1", got.Typed, got.Events)
	}
	if p := console.problems(); len(p) > 0 {
		t.Errorf("console errors or CSP reports: %v", p)
	}
}

// consoleLogin opens the agent console in the browser and logs name in
// with the test password, returning once the desk is shown.
func consoleLogin(t *testing.T, ctx context.Context, url, name string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/agent")); err != nil {
		t.Fatalf("opening the console: %v", err)
	}
	waitJS(t, ctx, "the log-in form", `document.body.dataset.view === 'login'`)
	if err := chromedp.Do(ctx, chromedp.Steps(
		chromedp.SendKeys(chromedp.ID("login-name"), name),
		chromedp.SendKeys(chromedp.ID("login-password"), agentPassword+kb.Enter),
	)); err != nil {
		t.Fatalf("logging %s in: %v", name, err)
	}
	waitJS(t, ctx, "the desk", `document.body.dataset.view === 'desk'`)
}
