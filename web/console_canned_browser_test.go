package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"deskbot/protocol"
)

// consoleHolding logs anna into the console in a browser, has a customer
// (over the socket) ask for a person, and takes the conversation. It
// returns the browser context and the conversation's id.
func consoleHolding(t *testing.T, url string, ask func() string) (context.Context, string) {
	t.Helper()
	bctx := newBrowser(t)
	actx, cancel := context.WithTimeout(bctx, 60*time.Second)
	t.Cleanup(cancel)
	consoleLogin(t, actx, url, "anna")
	id := ask()
	waitJS(t, actx, "the conversation in the queue", `document.querySelector('#queue button[data-conv]')`)
	// A click from the page: the queue list is re-rendered as it changes.
	evalJS[bool](t, actx, `document.querySelector('#queue button[data-conv]').click(), true`)
	waitJS(t, actx, "the take button", `!document.getElementById('take').hidden && document.getElementById('conv').dataset.conv`)
	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("take"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the reply box", `document.body.dataset.conv === 'joined' && !document.getElementById('reply-form').hidden`)
	return actx, id
}

// pressEnter presses Enter as a keyboard does: one keyDown that carries
// its text, so a handler's preventDefault keeps the new line out of the box
// (chromedp.KeyEvent sends the character as a separate event).
func pressEnter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter",
			WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Text: "\r", UnmodifiedText: "\r"}
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
		return err
	})
}

// The console lists the owner's canned responses; "/" and a shortcut in
// the reply box offer them as a listbox (arrow keys, Escape, Enter), and
// Enter puts the text in the box for the agent to edit: nothing is sent.
func TestBrowserConsoleCanned(t *testing.T) {
	l := startBot(t, withCanned)
	addAgent(t, l, "anna", "Anna")
	c, tok := openSession(t, l)
	actx, _ := consoleHolding(t, l.URL, func() string {
		c.Send(ctxT(t), protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman})
		return sessionID(t, l, tok)
	})
	waitJS(t, actx, "the list of canned responses", `!document.getElementById('canned').hidden &&
	  [...document.querySelectorAll('#canned-all .canned-shortcut')].map(e => e.textContent).join(' ') === '/refund /hours'`)

	if err := chromedp.Do(actx, chromedp.SendKeys(chromedp.ID("reply"), "Hi! /")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "both offered", `document.getElementById('reply').getAttribute('aria-expanded') === 'true' &&
	  document.querySelectorAll('#canned-list [role=option]').length === 2 &&
	  document.getElementById('reply').getAttribute('aria-activedescendant') === 'canned-opt-0'`)
	checkAxe(t, actx, "console with the canned responses offered") // WCAG 2.1 AA
	if err := chromedp.Do(actx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the second chosen", `document.getElementById('reply').getAttribute('aria-activedescendant') === 'canned-opt-1' &&
	  document.getElementById('canned-opt-1').getAttribute('aria-selected') === 'true'`)
	if err := chromedp.Do(actx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "closed by Escape", `document.getElementById('canned-list').hidden &&
	  document.getElementById('reply').getAttribute('aria-expanded') === 'false' && document.getElementById('reply').value === 'Hi! /'`)

	if err := chromedp.Do(actx, chromedp.SendKeys(chromedp.ID("reply"), "ref")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "only /refund offered", `[...document.querySelectorAll('#canned-list [role=option]')].map(o => o.dataset.shortcut).join() === 'refund'`)
	if err := chromedp.Do(actx, pressEnter()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the text in the box, not sent", `document.getElementById('reply').value === 'Hi! Your refund is on its way: **5 working days**.' &&
	  document.getElementById('canned-list').hidden && document.activeElement.id === 'reply' &&
	  !document.querySelector('#transcript .line-agent')`)
	// The agent edits and sends it: only now does the customer get it.
	if err := chromedp.Do(actx, chromedp.SendKeys(chromedp.ID("reply"), " Anna"+kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if m := nextMessageFrom(t, c, protocol.FromAgent); m.Text != "Hi! Your refund is on its way: **5 working days**. Anna" {
		t.Fatalf("the customer got %q", m.Text)
	}
}
