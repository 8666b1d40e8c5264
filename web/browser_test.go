package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"deskbot/config"
)

// chromiumPath is where Debian's chromium lands (.ci/run installs it).
const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium with a throw-away profile and returns
// the context of its first tab. The browser closes when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("no Chromium at %s", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1024, 768),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, _ := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		chromedp.Cancel(cctx)
		acancel()
	})
	// The first Do binds the browser's life to ctx, so it gets no timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// probeJS runs in every document before the page's own scripts. It records
// CSP violations and the order of disclosure and input focus (DISC-2), which
// the page itself cannot be trusted to report.
const probeJS = `(() => {
  if (window.__probe) return;
  const p = window.__probe = {csp: [], disclosureAt: 0, disclosureFirst: false, activeAtDisclosure: '', focusAt: 0};
  document.addEventListener('securitypolicyviolation', e => {
    p.csp.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
  });
  document.addEventListener('focusin', e => {
    if (e.target && e.target.id === 'input' && !p.focusAt) p.focusAt = performance.now();
  }, true);
  const mo = new MutationObserver(() => {
    if (p.disclosureAt) return;
    const d = document.querySelector('#log .msg[data-disclosure="true"]');
    if (!d) return;
    p.disclosureAt = performance.now();
    p.disclosureFirst = document.querySelector('#log > *') === d;
    p.activeAtDisclosure = document.activeElement ? (document.activeElement.id || document.activeElement.tagName) : '';
    mo.disconnect();
  });
  mo.observe(document, {childList: true, subtree: true});
})()`

// installProbe adds probeJS to every document the tab loads from now on, and
// lets the headless tab act as focused so focus events fire as for a customer.
// It also asks for reduced motion: the page then skips its scroll and fade-in
// animations, so a click never lands on an element that is still moving.
func installProbe(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probeJS})
	if err != nil {
		t.Fatalf("installing the page probe: %v", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatalf("emulating focus: %v", err)
	}
	reduce := []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: reduce}); err != nil {
		t.Fatalf("emulating reduced motion: %v", err)
	}
}

// consoleWatch collects console messages of one tab.
type consoleWatch struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

func watchConsole(ctx context.Context) *consoleWatch {
	w := &consoleWatch{}
	msgs := chromedp.Console(ctx) // subscribes now, before any navigation
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			w.mu.Lock()
			w.msgs = append(w.msgs, m)
			w.mu.Unlock()
		}
	}()
	return w
}

// problems lists errors, uncaught exceptions and CSP reports seen so far.
func (w *consoleWatch) problems() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, m := range w.msgs {
		csp := strings.Contains(m.Text, "Content Security Policy") || m.Source == "security"
		if m.Type == chromedp.ConsoleError || m.IsException() || csp {
			out = append(out, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
		}
	}
	return out
}

// clickNow clicks the first element matching sel, finding and clicking it
// in one script run (waiting until there is one): a list the page redraws
// between finding a node and clicking it, as the console's queue is on
// every event, cannot detach the node in between.
func clickNow(t *testing.T, ctx context.Context, what, sel string) {
	t.Helper()
	waitJS(t, ctx, what, `(() => { const e = document.querySelector(`+strconv.Quote(sel)+`); if (!e) { return false; } e.click(); return true; })()`)
}

// waitJS polls a JavaScript expression in the page until it is truthy.
// An exception counts as "not yet": a frame may not have its body yet.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("(() => { try { return !!("+expr+"); } catch (e) { return false; } })()", chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		dumpLog(t, ctx)
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// evalJS evaluates expr in the page and decodes its value.
func evalJS[T any](t *testing.T, ctx context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// dumpLog prints the visible conversation to help read a failure.
func dumpLog(t *testing.T, ctx context.Context) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if s, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.getElementById('log') ? document.getElementById('log').innerText : document.body.innerText`)); err == nil {
		t.Logf("page log:\n%s", s)
	}
}

// typeLine types text into whatever has focus and presses Enter, as a
// keyboard-only customer does.
func typeLine(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.KeyEvent(text), chromedp.KeyEvent(kb.Enter))
}

// botReply is what the page shows for one bot message.
type botReply struct {
	Label   string   `json:"label"`
	Text    string   `json:"text"`
	Hrefs   []string `json:"hrefs"`
	Paths   []string `json:"paths"`
	Same    bool     `json:"same"`
	Actions []string `json:"actions"`
}

// lastBotJS reads the newest bot message after the customer's last line.
const lastBotJS = `(() => {
  const all = [...document.querySelectorAll('#log > .msg')];
  const u = all.map(m => m.classList.contains('msg-user')).lastIndexOf(true);
  const m = all.slice(u + 1).filter(m => m.classList.contains('msg-bot')).pop();
  if (!m) return null;
  const links = [...m.querySelectorAll('.sources a')];
  return {
    label: m.querySelector('.label').textContent,
    text: m.querySelector('.text').textContent,
    hrefs: links.map(a => a.getAttribute('href')),
    paths: links.map(a => new URL(a.href).pathname),
    same: links.every(a => new URL(a.href).origin === location.origin),
    actions: [...m.querySelectorAll('.actions button[data-action]')].map(b => b.dataset.action),
  };
})()`

// The real chat page in a real browser, against a real bot: disclosure first
// (DISC-1, DISC-2), keyboard-only question and a cited answer whose link opens
// the article (ACC-1, ACC-2), the consent card (CONS-1, CONS-2), the offline
// notice for a person (HUM-2), and the export download (DSR-1).
func TestBrowserChatPage(t *testing.T) {
	start := time.Now()
	l := startBot(t, func(c *config.Config) { c.Limits.Burst = 20 })
	ctx := newBrowser(t)
	console := watchConsole(ctx)
	installProbe(t, ctx)

	tctx, cancel := context.WithTimeout(ctx, 25*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(l.URL+"/")); err != nil {
		t.Fatalf("opening the chat page: %v", err)
	}

	// DISC-1: the disclosure is the first entry of the announced log and says
	// in words that this is an automated assistant.
	waitJS(t, tctx, "the disclosure", `document.querySelector('#log .msg[data-disclosure="true"]')`)
	type logInfo struct {
		Role, Live, First, Label, Text string
		Connected                      string
	}
	li := evalJS[logInfo](t, tctx, `(() => {
	  const log = document.getElementById('log'), first = log.firstElementChild;
	  return {Role: log.getAttribute('role'), Live: log.getAttribute('aria-live'),
	    First: first.dataset.disclosure, Label: first.querySelector('.label').textContent,
	    Text: first.querySelector('.text').textContent, Connected: document.body.dataset.connected};
	})()`)
	if li.Role != "log" || li.Live != "polite" {
		t.Errorf("log role=%q aria-live=%q, want an announced log", li.Role, li.Live)
	}
	if li.First != "true" {
		t.Errorf("first log entry is not the disclosure (DISC-1)")
	}
	if !strings.Contains(strings.ToLower(li.Text), "automated assistant") {
		t.Errorf("disclosure text %q does not say automated assistant", li.Text)
	}
	if !strings.Contains(li.Label, "Automated assistant") {
		t.Errorf("disclosure label %q", li.Label)
	}

	// DISC-2: the input gets focus only after the disclosure is in the log.
	waitJS(t, tctx, "focus on the input", `window.__probe.focusAt > 0`)
	type probe struct {
		DisclosureAt, FocusAt float64
		DisclosureFirst       bool
		ActiveAtDisclosure    string
		CSP                   []string
	}
	p := evalJS[probe](t, tctx, `({DisclosureAt: __probe.disclosureAt, FocusAt: __probe.focusAt,
	  DisclosureFirst: __probe.disclosureFirst, ActiveAtDisclosure: __probe.activeAtDisclosure, CSP: __probe.csp})`)
	if !p.DisclosureFirst {
		t.Error("something was in the log before the disclosure (DISC-1)")
	}
	if p.ActiveAtDisclosure == "input" || p.FocusAt < p.DisclosureAt {
		t.Errorf("input focused before the disclosure was shown (DISC-2): disclosure at %.0f ms, focus at %.0f ms", p.DisclosureAt, p.FocusAt)
	}

	// Keyboard only: from the top of the page, Tab reaches the input.
	evalJS[chromedp.Void](t, tctx, `document.activeElement && document.activeElement.blur()`)
	reached := false
	for i := 0; i < 10 && !reached; i++ {
		if err := chromedp.Do(tctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		reached = evalJS[bool](t, tctx, `document.activeElement && document.activeElement.id === 'input'`)
	}
	if !reached {
		t.Fatal("Tab never reached the message input")
	}

	// ACC-1: a typed question and Enter give a labelled, cited answer.
	if err := chromedp.Do(tctx, typeLine("How do I return an item?")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "a cited answer", lastBotJS+` && `+lastBotJS+`.hrefs.length > 0`)
	r := evalJS[botReply](t, tctx, lastBotJS)
	if !strings.Contains(r.Label, "Automated assistant") {
		t.Errorf("answer label %q does not name the automated assistant", r.Label)
	}
	if len(r.Paths) == 0 || r.Paths[0] != "/articles/returns-policy" || !r.Same {
		t.Fatalf("answer sources %v (%v), want /articles/returns-policy on the bot's origin", r.Hrefs, r.Paths)
	}
	if got := evalJS[string](t, tctx, `document.getElementById('input').value`); got != "" {
		t.Errorf("input not cleared after sending: %q", got)
	}

	// ACC-2: the source link opens the article with the same text.
	newTab := chromedp.WaitNewTarget(tctx, func(i *target.Info) bool { return strings.Contains(i.URL, "/articles/") })
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll('#log .msg-bot .sources a')].pop()`))); err != nil {
		t.Fatal(err)
	}
	var tabID target.ID
	select {
	case tabID = <-newTab:
	case <-tctx.Done():
		t.Fatal("the source link opened no page")
	}
	actx, acancel := chromedp.NewContext(ctx, chromedp.WithTargetID(tabID))
	defer acancel()
	actx, atcancel := context.WithTimeout(actx, 10*time.Second)
	defer atcancel()
	waitJS(t, actx, "the article page", `document.readyState === 'complete' && document.querySelector('.article-body')`)
	type articleInfo struct {
		Path, Title, Body string
		Strong            int
	}
	ai := evalJS[articleInfo](t, actx, `({Path: location.pathname, Title: document.querySelector('h1').textContent, Body: document.querySelector('.article-body').textContent,
	  Strong: document.querySelectorAll('.article-body strong').length})`)
	if ai.Path != "/articles/returns-policy" {
		t.Errorf("link opened %q", ai.Path)
	}
	// The answer (rendered in the page) and the article page (rendered on
	// the server) show the same text: compare what is rendered, not the
	// Markdown; neither shows "**".
	if words := func(s string) string { return strings.Join(strings.Fields(s), "") }; words(ai.Body) != words(r.Text) || strings.Contains(ai.Body, "**") || ai.Strong == 0 {
		t.Errorf("article page text differs from the answer, or its bold is not <strong> (%d) (ACC-2):\npage:   %.120q\nanswer: %.120q", ai.Strong, ai.Body, r.Text)
	}
	if a, ok := l.App.KB.Article("returns-policy"); !ok || ai.Title != a.Title {
		t.Errorf("article page title %q", ai.Title)
	}
	acancel()

	// CONS-1, CONS-2: typing an e-mail address brings a consent card whose two
	// choices start unselected.
	if err := chromedp.Do(tctx, chromedp.Focus(chromedp.ID("input")), typeLine("You can reach me at jane.doe@example.com")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the consent card", `document.querySelector('#consent button[data-consent]')`)
	type choice struct {
		Consent, Pressed, Class, Text string
		Disabled                      bool
	}
	type card struct {
		Decision string
		Choices  []choice
	}
	cc := evalJS[card](t, tctx, `(() => { const c = document.getElementById('consent'); return {
	  Decision: c.dataset.decision || '',
	  Choices: [...c.querySelectorAll('button[data-consent]')].map(b => ({Consent: b.dataset.consent,
	    Pressed: b.getAttribute('aria-pressed') || '', Class: b.className, Text: b.textContent, Disabled: b.disabled}))};
	})()`)
	if cc.Decision != "" || len(cc.Choices) != 2 {
		t.Fatalf("consent card %+v: want two choices and no decision", cc)
	}
	for _, c := range cc.Choices {
		if c.Pressed == "true" || c.Disabled {
			t.Errorf("consent choice %q starts selected or disabled: %+v", c.Consent, c)
		}
	}
	if cc.Choices[0].Class != cc.Choices[1].Class {
		t.Errorf("consent choices are styled unequally: %q vs %q", cc.Choices[0].Class, cc.Choices[1].Class)
	}

	// HUM-2: "Talk to a person" with nobody available shows the offline notice.
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.ID("human"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the offline notice", `(() => { const s = document.getElementById('status');
	  return !s.hidden && s.dataset.state === 'offline' && /no one is available/i.test(s.textContent); })()`)

	if ps := console.problems(); len(ps) > 0 {
		t.Errorf("console errors or CSP reports:\n%s", strings.Join(ps, "\n"))
	}
	p = evalJS[probe](t, tctx, `({CSP: __probe.csp})`)
	if len(p.CSP) > 0 {
		t.Errorf("CSP violations: %v", p.CSP)
	}
	assertProbeSeesCSP(t, tctx)
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// assertProbeSeesCSP proves the CSP checks above can fail: an inline style
// attribute, which the page's policy forbids, must be reported.
func assertProbeSeesCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	evalJS[chromedp.Void](t, ctx, `document.body.setAttribute('style', 'outline: 1px solid red')`)
	waitJS(t, ctx, "the probe to report a deliberate CSP violation", `window.__probe.csp.length > 0`)
}

// exportCheck is what the page's own fetch of the export returns.
type exportCheck struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	Schema      string `json:"schema"`
}

// DSR-1: "send me my data" offers a download; the page fetches the export
// with its session token and saves it as my-data.json.
func TestBrowserExportDownload(t *testing.T) {
	l := startBot(t, func(c *config.Config) { c.Limits.Burst = 20 })
	ctx := newBrowser(t)
	console := watchConsole(ctx)
	installProbe(t, ctx)
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: new(true),
	}); err != nil {
		t.Fatalf("allowing downloads: %v", err)
	}
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	begun := chromedp.BrowserEvents(tctx, browser.DownloadWillBegin)
	if err := chromedp.Do(tctx, chromedp.Navigate(l.URL+"/")); err != nil {
		t.Fatalf("opening the chat page: %v", err)
	}
	waitJS(t, tctx, "the input to take focus", `window.__probe.focusAt > 0`)
	if err := chromedp.Do(tctx, typeLine("Please send me my data")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the download offer", `document.querySelector('#log .actions button[data-action="download_export"]')`)

	// The endpoint itself, called as the page calls it (the eu profile keeps
	// the token in localStorage as {"v":token,"exp":ms}).
	got := evalJS[exportCheck](t, tctx, `fetch('/api/v1/export', {method: 'POST', headers: {'Content-Type': 'application/json'},
	    body: JSON.stringify({session: JSON.parse(localStorage.getItem('deskbot.session')).v})})
	  .then(async r => ({status: r.status, type: r.headers.get('Content-Type') || '',
	    disposition: r.headers.get('Content-Disposition') || '', schema: r.ok ? (await r.json()).schema : ''}))`, chromedp.EvalAwaitPromise)
	if got.Status != 200 || !strings.Contains(got.Type, "json") || !strings.HasPrefix(got.Disposition, "attachment") || got.Schema != "deskbot.export/v1" {
		t.Fatalf("export endpoint answered %+v", got)
	}

	// The button saves the file.
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`#log .actions button[data-action="download_export"]`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the page to finish the export", `document.body.dataset.export === 'done' || document.body.dataset.export === 'failed'`)
	if st := evalJS[string](t, tctx, `document.body.dataset.export`); st != "done" {
		t.Fatalf("page reports export %q", st)
	}
	for ev, err := range begun {
		if err != nil {
			t.Fatalf("no download began: %v", err)
		}
		if ev.SuggestedFilename != "my-data.json" {
			t.Errorf("download named %q, want my-data.json", ev.SuggestedFilename)
		}
		break
	}
	path := filepath.Join(dir, "my-data.json")
	var body []byte
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		b, err := os.ReadFile(path)
		if err == nil && json.Valid(b) {
			body = b
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no complete %s in the download folder: %v", path, err)
		}
	}
	var doc struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Schema != "deskbot.export/v1" {
		t.Fatalf("downloaded file: schema %q, %v", doc.Schema, err)
	}
	if ps := console.problems(); len(ps) > 0 {
		t.Errorf("console errors or CSP reports:\n%s", strings.Join(ps, "\n"))
	}
	if csp := evalJS[[]string](t, tctx, `__probe.csp`); len(csp) > 0 {
		t.Errorf("CSP violations: %v", csp)
	}
}
