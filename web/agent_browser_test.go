package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// SEC-2, DISC-6: the agent console in a real browser: log in, take the
// waiting conversation, reply; the customer's chat page shows the human
// label and the agent's name; hand back returns the customer to the bot.
func TestBrowserAgentConsole(t *testing.T) {
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	bctx := newBrowser(t)
	agentConsole := watchConsole(bctx)
	actx, cancel := context.WithTimeout(bctx, 40*time.Second)
	defer cancel()

	// The agent logs in.
	if err := chromedp.Do(actx, chromedp.Navigate(l.URL+"/agent")); err != nil {
		t.Fatalf("opening the console: %v", err)
	}
	waitJS(t, actx, "the log-in form alone", `getComputedStyle(document.getElementById('login-view')).display !== 'none' &&
	  getComputedStyle(document.getElementById('desk-view')).display === 'none'`)
	if err := chromedp.Do(actx, chromedp.Steps(
		chromedp.SendKeys(chromedp.ID("login-name"), "anna"),
		chromedp.SendKeys(chromedp.ID("login-password"), agentPassword),
		chromedp.Click(chromedp.ID("login-submit")),
	)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the desk alone", `document.body.dataset.view === 'desk' && /anna/.test(document.getElementById('who-name').textContent) &&
	  getComputedStyle(document.getElementById('login-view')).display === 'none'`)

	// A customer in another tab asks for a person.
	cctx, ccancel := chromedp.NewContext(bctx)
	defer ccancel()
	customerConsole := watchConsole(cctx)
	cctx, ccancel2 := context.WithTimeout(cctx, 40*time.Second)
	defer ccancel2()
	if err := chromedp.Do(cctx, chromedp.Navigate(l.URL+"/")); err != nil {
		t.Fatalf("opening the chat page: %v", err)
	}
	waitJS(t, cctx, "the disclosure", `document.querySelector('#log .msg[data-disclosure="true"]')`)
	if err := chromedp.Do(cctx, chromedp.Click(chromedp.ID("human"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, cctx, "the queued status", `document.getElementById('status').dataset.state === 'queued'`)

	// The conversation appears in the agent's live queue; the agent opens,
	// takes and answers it.
	waitJS(t, actx, "the conversation in the queue", `document.querySelector('#queue button[data-conv]')`)
	clickNow(t, actx, "a click on the waiting conversation", `#queue button[data-conv]`)
	waitJS(t, actx, "the transcript so far", `document.querySelectorAll('#transcript .line').length > 0 && !document.getElementById('take').hidden`)
	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("take"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the reply box", `document.body.dataset.conv === 'joined' && !document.getElementById('reply-form').hidden`)
	if err := chromedp.Do(actx, chromedp.Steps(
		chromedp.SendKeys(chromedp.ID("reply"), "Hello, this is Anna from the team."),
		chromedp.Click(chromedp.ID("reply-send")),
	)); err != nil {
		t.Fatal(err)
	}

	// The customer sees that a human has joined, with her name.
	waitJS(t, cctx, "the joined notice", `document.getElementById('status').dataset.state === 'joined' &&
	  [...document.querySelectorAll('#log .msg-system')].some(m => /Anna/.test(m.textContent))`)
	waitJS(t, cctx, "the agent's message with the human label", `[...document.querySelectorAll('#log .msg-agent')].some(m =>
	  m.querySelector('.text').textContent === 'Hello, this is Anna from the team.' &&
	  /Anna/.test(m.querySelector('.label').textContent) && /human/i.test(m.querySelector('.label').textContent))`)

	// The customer answers; the agent sees it live.
	if err := chromedp.Do(cctx, chromedp.Steps(
		chromedp.SendKeys(chromedp.ID("input"), "Thanks Anna, my parcel is late"),
		chromedp.Click(chromedp.ID("send")),
	)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the customer's line in the console", `[...document.querySelectorAll('#transcript .line-customer .text')].some(e => e.textContent === 'Thanks Anna, my parcel is late')`)

	// Hand back: the customer is told the automated assistant is back.
	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("handback"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, cctx, "the left status", `document.getElementById('status').dataset.state === 'left'`)
	for name, w := range map[string]*consoleWatch{"agent console": agentConsole, "chat page": customerConsole} {
		if p := w.problems(); len(p) > 0 {
			t.Errorf("%s: console errors or CSP reports: %v", name, p)
		}
	}
}
