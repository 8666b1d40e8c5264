package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The chat page shows "Anna is typing…" while the agent types and clears it
// when her message arrives.
func TestBrowserAgentTyping(t *testing.T) {
	l := startBot(t, nil)
	anna := agentAtDesk(t, l, "anna", "Anna")
	ctx := newBrowser(t)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	openChat(t, tctx, l.URL)
	if err := chromedp.Do(tctx, typeLine("I want to talk to a person")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the queue", `document.body.dataset.handover === 'queued'`)
	tok := evalJS[string](t, tctx, `JSON.parse(localStorage.getItem('deskbot.session')).v`)
	id := sessionID(t, l, tok)
	if code := anna.take(id); code != http.StatusOK {
		t.Fatalf("take: HTTP %d", code)
	}
	waitJS(t, tctx, "Anna joined", `document.body.dataset.handover === 'joined'`)
	if code := anna.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/typing", map[string]any{}, nil); code != http.StatusNoContent {
		t.Fatalf("typing: HTTP %d", code)
	}
	waitJS(t, tctx, "the typing line", `(() => { const e = document.getElementById('typing'); return e && !e.hidden && e.textContent === 'Anna is typing…'; })()`)
	if code := anna.say(id, "Hello, this is Anna."); code != http.StatusOK {
		t.Fatalf("say: HTTP %d", code)
	}
	waitJS(t, tctx, "the typing line gone with Anna's message", `document.getElementById('typing').hidden && /Hello, this is Anna/.test(document.getElementById('log').textContent)`)
}
