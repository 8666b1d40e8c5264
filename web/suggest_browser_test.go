package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The chat page shows a "did you mean …?" suggestion as buttons without
// the article's text or a source (ACC-1); pressing one shows the article's
// own text with its source link (ACC-2), in the announced log, under the
// page's strict CSP.
func TestBrowserSuggestionPicked(t *testing.T) {
	l := startBotKB(t, smallKB, nil)
	q, hits := suggestedQuery(t, l, 1, "returns", "warranty", "gift")
	want := hits[0].Article
	ctx := newBrowser(t)
	console := watchConsole(ctx)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(l.URL+"/")); err != nil {
		t.Fatalf("opening the chat page: %v", err)
	}
	waitJS(t, tctx, "the input to take focus", `window.__probe.focusAt > 0`)
	if err := chromedp.Do(tctx, typeLine(q)); err != nil {
		t.Fatal(err)
	}
	sel := `#log .actions button[data-action="article"]`
	waitJS(t, tctx, "a suggestion button", `document.querySelector('`+sel+`')`)
	type button struct{ ID, Label string }
	b := evalJS[button](t, tctx, `(() => { const b = document.querySelector('`+sel+`'); return {ID: b.dataset.id, Label: b.textContent}; })()`)
	if b.ID != want.ID || b.Label != want.Title {
		t.Fatalf("suggestion button %+v, want id %q label %q", b, want.ID, want.Title)
	}
	sug := evalJS[botReply](t, tctx, lastBotJS)
	if len(sug.Hrefs) != 0 || strings.Contains(sug.Text, want.Body[:20]) {
		t.Fatalf("the suggestion shows a source or the article's text (ACC-1): %+v", sug)
	}

	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the picked article's answer", `(() => { const r = `+lastBotJS+`; return r && r.hrefs.length > 0; })()`)
	got := evalJS[botReply](t, tctx, lastBotJS)
	if got.Text != want.Body {
		t.Errorf("answer text %q, want the article's own text %q (ACC-2)", got.Text, want.Body)
	}
	if len(got.Paths) != 1 || got.Paths[0] != "/articles/"+want.ID || !got.Same {
		t.Errorf("source links %v, want /articles/%s on the chat's origin", got.Hrefs, want.ID)
	}
	if live := evalJS[string](t, tctx, `document.getElementById('log').getAttribute('aria-live')`); live != "polite" {
		t.Errorf("log aria-live=%q", live)
	}
	if ps := console.problems(); len(ps) > 0 {
		t.Errorf("console errors or CSP reports:\n%s", strings.Join(ps, "\n"))
	}
	if csp := evalJS[[]string](t, tctx, `__probe.csp`); len(csp) > 0 {
		t.Errorf("CSP violations: %v", csp)
	}
}
