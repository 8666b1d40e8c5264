package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"deskbot/app"
	"deskbot/config"
)

// shopPage is a shop's own page with the one-line widget snippet and the
// widget's data- attributes attrs, under a strict CSP of its own that allows
// only the bot origin (assets/README.md).
func shopPage(botURL, attrs string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", fmt.Sprintf(
			"default-src 'self'; script-src 'self' %[1]s; frame-src %[1]s; style-src 'self'; img-src 'self' data:", botURL))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Northwind Outfitters</title><link rel="icon" href="data:,"></head>
<body><h1>Northwind Outfitters</h1><p>Tents, packs and boots.</p>
<script src="%s/widget.js" %s async></script>
</body></html>`, botURL, attrs)
	})
}

// startShopAndBot serves shopPage on "localhost", which makes the shop
// another site than the bot at 127.0.0.1, as a real shop is, so the browser
// isolates the frame; and starts a bot that the shop may frame and open the
// socket from, with edit's further changes.
func startShopAndBot(t *testing.T, attrs string, edit func(*config.Config)) (shopOrigin string, l *app.Local) {
	var botURL string
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { shopPage(botURL, attrs).ServeHTTP(w, r) }))
	t.Cleanup(shop.Close)
	su, _ := url.Parse(shop.URL)
	shopOrigin = "http://localhost:" + su.Port()
	l = startBot(t, func(c *config.Config) {
		c.FrameAncestors = []string{shopOrigin}
		c.AllowedOrigins = []string{shopOrigin}
		if edit != nil {
			edit(c)
		}
	})
	botURL = l.URL
	return shopOrigin, l
}

// frameTarget finds the out-of-process iframe showing url's origin.
func frameTarget(t *testing.T, ctx context.Context, origin string) target.ID {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatalf("listing targets: %v", err)
		}
		for _, i := range infos {
			if i.Type == "iframe" && strings.HasPrefix(i.URL, origin+"/") {
				return i.TargetID
			}
		}
	}
	t.Fatalf("no iframe of %s appeared", origin)
	return ""
}

// The widget on a shop's page (another site): the bubble opens the chat in
// an iframe, and the disclosure comes first inside it (DISC-1).
func TestBrowserWidgetOnShopPage(t *testing.T) {
	shopOrigin, l := startShopAndBot(t, "", nil)

	ctx := newBrowser(t)
	console := watchConsole(ctx)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(shopOrigin+"/")); err != nil {
		t.Fatalf("opening the shop page: %v", err)
	}
	const bubble = `button[aria-label="Chat with our automated assistant"]`
	waitJS(t, tctx, "the chat bubble", `window.DeskbotWidget && document.querySelector('`+bubble+`')`)
	if got := evalJS[string](t, tctx, `DeskbotWidget.origin`); got != l.URL {
		t.Errorf("widget origin %q, want the bot's %q", got, l.URL)
	}
	if got := evalJS[string](t, tctx, `document.querySelector('`+bubble+`').getAttribute('aria-expanded')`); got != "false" {
		t.Errorf("bubble aria-expanded=%q before opening", got)
	}

	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(bubble))); err != nil {
		t.Fatal(err)
	}
	type frameInfo struct {
		Expanded, Src, Title, Display string
	}
	fi := evalJS[frameInfo](t, tctx, `(() => { const f = document.getElementById('deskbot-widget-frame');
	  return {Expanded: document.querySelector('`+bubble+`').getAttribute('aria-expanded'),
	    Src: f ? f.src : '', Title: f ? f.title : '', Display: f ? getComputedStyle(f).display : ''}; })()`)
	if fi.Expanded != "true" || fi.Src != l.URL+"/?embed=1" || fi.Display == "none" || !strings.Contains(fi.Title, "automated assistant") {
		t.Fatalf("after a click on the bubble: %+v", fi)
	}

	// Inside the frame: the real chat page, disclosure first.
	fctx, fcancel := chromedp.NewContext(ctx, chromedp.WithTargetID(frameTarget(t, tctx, l.URL)))
	defer fcancel()
	fctx, ftcancel := context.WithTimeout(fctx, 10*time.Second)
	defer ftcancel()
	waitJS(t, fctx, "the disclosure inside the frame", `document.querySelector('#log .msg[data-disclosure="true"]')`)
	type inside struct {
		Embed, First bool
		Text         string
	}
	in := evalJS[inside](t, fctx, `(() => { const first = document.querySelector('#log').firstElementChild;
	  return {Embed: document.documentElement.classList.contains('embed'), First: first.dataset.disclosure === 'true',
	    Text: first.querySelector('.text').textContent}; })()`)
	if !in.Embed || !in.First || !strings.Contains(strings.ToLower(in.Text), "automated assistant") {
		t.Errorf("inside the frame: %+v", in)
	}
	waitJS(t, fctx, "the socket inside the frame", `document.body.dataset.connected === 'true'`)

	// Escape on the shop page closes the chat and gives focus back to the bubble.
	if err := chromedp.Do(tctx, chromedp.Focus(chromedp.CSS(bubble)), chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the chat to close", `document.querySelector('`+bubble+`').getAttribute('aria-expanded') === 'false' &&
	  getComputedStyle(document.getElementById('deskbot-widget-frame')).display === 'none'`)

	if ps := console.problems(); len(ps) > 0 {
		t.Errorf("shop page console errors or CSP reports:\n%s", strings.Join(ps, "\n"))
	}
	if csp := evalJS[[]string](t, tctx, `__probe.csp`); len(csp) > 0 {
		t.Errorf("the widget breaks the shop's CSP: %v", csp)
	}
}
