package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/protocol"
)

// Browser checks of issue 11's client side: rendered Markdown, honest
// delivery, text direction, axe-core in light and dark, the console on a
// phone with unread counts, and the widget's options.

// setMedia emulates the colour scheme (and keeps reduced motion, which
// installProbe asks for, so no bubble is mid-fade when axe measures it).
func setMedia(t *testing.T, ctx context.Context, dark bool) {
	t.Helper()
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	features := []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}, {Name: "prefers-color-scheme", Value: scheme}}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features}); err != nil {
		t.Fatalf("emulating %s mode: %v", scheme, err)
	}
}

// axeViolation is one failed axe-core rule with the nodes it failed on.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct {
		Target         []string
		FailureSummary string
	}
}

// checkAxe runs axe-core (assets/testdata/axe.min.js, WCAG 2.1 A and AA
// rules) in the page through DevTools, so the page's CSP stays as served,
// and fails on any violation.
func checkAxe(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "assets", "testdata", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	if !evalJS[bool](t, ctx, `!!window.axe`) {
		evalJS[bool](t, ctx, string(src)+"\n;true")
	}
	vs := evalJS[[]axeViolation](t, ctx, `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
	  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
	    nodes: v.nodes.map(n => ({target: n.target.map(String), failureSummary: n.failureSummary || ''}))})))`, chromedp.EvalAwaitPromise)
	for _, v := range vs {
		for _, n := range v.Nodes {
			t.Errorf("%s: axe %s (%s) %s at %v: %s", what, v.ID, v.Impact, v.Help, n.Target, n.FailureSummary)
		}
	}
}

// openChat opens the chat page and waits until the input has focus.
func openChat(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatalf("opening the chat page: %v", err)
	}
	waitJS(t, ctx, "the input to take focus", `window.__probe.focusAt > 0 && document.body.dataset.connected === 'true'`)
}

// insertText types text as a paste or an IME would, in one go.
func insertText(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		t.Fatal(err)
	}
}

// The returns answer shows its bold text as <strong>, never "**"; the
// Markdown module builds links safely (D1, D14).
func TestBrowserMarkdownAnswer(t *testing.T) {
	l := startBot(t, func(c *config.Config) { c.Limits.Burst = 20 })
	ctx := newBrowser(t)
	console := watchConsole(ctx)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 25*time.Second)
	defer cancel()
	openChat(t, tctx, l.URL)
	if err := chromedp.Do(tctx, typeLine("How do I return an item?")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "a cited answer", lastBotJS+` && `+lastBotJS+`.hrefs.length > 0`)
	type answer struct {
		Text    string
		Strong  []string
		Dir     string
		Sending int
	}
	a := evalJS[answer](t, tctx, `(() => { const m = [...document.querySelectorAll('#log .msg-bot')].pop(), x = m.querySelector('.text');
	  return {Text: x.textContent, Strong: [...x.querySelectorAll('strong')].map(s => s.textContent), Dir: x.getAttribute('dir'),
	    Sending: document.querySelectorAll('#log .msg-user[data-delivery="sending"]').length}; })()`)
	if strings.Contains(a.Text, "**") {
		t.Errorf("answer shows raw Markdown: %q", a.Text)
	}
	if len(a.Strong) == 0 || a.Strong[0] != "30 days of delivery" {
		t.Errorf("bold text %q, want <strong>30 days of delivery</strong>", a.Strong)
	}
	if a.Dir != "auto" || a.Sending != 0 {
		t.Errorf("answer dir=%q; %d lines still sending after the answer", a.Dir, a.Sending)
	}

	// The shared module on hostile and varied input (what agents may type).
	type rendered struct {
		Tags, Links, Text string
		Unsafe            int
	}
	r := evalJS[rendered](t, tctx, `(() => {
	  const d = document.createElement('div');
	  d.appendChild(DeskbotMD.render('# Title\n\nSee https://example.com/a/b. and [home](/articles/x) or [bad](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n- **one**\n- _two_ `+"`code`"+`\n\n1. first\n2. write to help@example.com'));
	  return {Tags: [...d.querySelectorAll('*')].map(e => e.tagName.toLowerCase()).join(','),
	    Links: [...d.querySelectorAll('a')].map(a => a.getAttribute('href') + '|' + (a.target || '-') + '|' + (a.rel || '-') + '|' + a.textContent).join(' ; '),
	    Text: d.textContent, Unsafe: d.querySelectorAll('img,script,[onerror]').length};
	})()`)
	if r.Unsafe != 0 || !strings.Contains(r.Text, "<img src=x onerror=alert(1)>") {
		t.Errorf("HTML in the text became markup: %d elements, text %q", r.Unsafe, r.Text)
	}
	if !strings.Contains(r.Text, "[bad](javascript:alert(1))") || strings.Contains(r.Links, "javascript:") {
		t.Errorf("a javascript: link was not left as text: %s", r.Links)
	}
	for _, want := range []string{
		"https://example.com/a/b|_blank|noopener noreferrer|https://example.com/a/b (opens in a new tab)",
		fmt.Sprintf("%s/articles/x|-|-|home", l.URL),
		"mailto:help@example.com|-|-|help@example.com",
	} {
		if !strings.Contains(r.Links, want) {
			t.Errorf("links %q lack %q", r.Links, want)
		}
	}
	for _, want := range []string{"h3", "p", "ul,li,strong,li,em,code", "ol,li,li,a"} {
		if !strings.Contains(r.Tags, want) {
			t.Errorf("rendered tags %q lack %q", r.Tags, want)
		}
	}
	if ps := console.problems(); len(ps) > 0 {
		t.Errorf("console errors or CSP reports:\n%s", strings.Join(ps, "\n"))
	}
}

// Honest delivery (D3): a message over the byte limit is refused in the
// page with its text kept; one the server refuses is marked "not sent" and
// its text comes back; Shift+Enter is a new line; Arabic resolves to rtl (D6).
func TestBrowserDeliveryAndDirection(t *testing.T) {
	// The server's limit is lower than the page's default, so the server's
	// refusal path is exercised as well as the page's own check.
	l := startBot(t, func(c *config.Config) { c.Limits.Burst = 20; c.Limits.MaxMessageBytes = 1000 })
	ctx := newBrowser(t)
	console := watchConsole(ctx)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	openChat(t, tctx, l.URL)

	// A line is "sending" until the answer, then sent.
	if err := chromedp.Do(tctx, typeLine("What are your opening hours?")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the line marked sent", `(() => { const u = [...document.querySelectorAll('#log .msg-user')].pop();
	  return u && u.dataset.delivery === 'sent' && !u.querySelector('.delivery'); })()`)

	// 1,500 × "ж" is 1,500 characters but 3,000 bytes: over the server's limit.
	// The page says so and sends nothing; the text stays in the input.
	long := strings.Repeat("ж", 1500)
	users := evalJS[int](t, tctx, `document.querySelectorAll('#log .msg-user').length`)
	insertText(t, tctx, long)
	waitJS(t, tctx, "the byte counter", `!document.getElementById('count').hidden && /3,000/.test(document.getElementById('count').textContent)`)
	if err := chromedp.Do(tctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the too-long note", `!document.getElementById('composer-note').hidden && document.getElementById('composer-note').dataset.code === 'too_large'`)
	type composer struct {
		Value, Note, Invalid string
		Users                int
	}
	c := evalJS[composer](t, tctx, `({Value: document.getElementById('input').value, Note: document.getElementById('composer-note').textContent,
	  Invalid: document.getElementById('input').getAttribute('aria-invalid'), Users: document.querySelectorAll('#log .msg-user').length})`)
	if c.Value != long || c.Users != users || c.Invalid != "true" || !strings.Contains(c.Note, "Not sent") {
		t.Errorf("too-long message: input kept=%v, bubbles %d→%d, aria-invalid=%s, note %q", c.Value == long, users, c.Users, c.Invalid, c.Note)
	}
	if got := evalJS[int](t, tctx, `document.getElementById('input').maxLength`); got > 0 {
		t.Errorf("input has maxlength %d: pasted text would be cut silently", got)
	}

	// Under the page's default 2,000 bytes but over this server's 1,000: the
	// session frame's max_message_bytes taught the page the server's limit,
	// so the page refuses it before sending (the server's own refusal, by
	// the line's ref, is TestBrowserRefusedByServer).
	mid := strings.Repeat("й", 600) // 1,200 bytes
	evalJS[bool](t, tctx, `(() => { const i = document.getElementById('input'); i.value = ''; i.dispatchEvent(new Event('input')); return true; })()`)
	insertText(t, tctx, mid)
	waitJS(t, tctx, "the counter at the server's limit", `/1,200 \/ 1,000/.test(document.getElementById('count').textContent)`)
	if err := chromedp.Do(tctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the too-long note at the server's limit", `/1,000/.test(document.getElementById('composer-note').textContent)`)
	if got := evalJS[string](t, tctx, `document.getElementById('input').value`); got != mid {
		t.Errorf("refused text not kept in the input (%d bytes there)", len(got))
	}
	if got := evalJS[int](t, tctx, `document.querySelectorAll('#log .msg-user').length`); got != users {
		t.Errorf("%d customer lines after the refusal, want %d", got, users)
	}

	// Shift+Enter is a new line, not a send.
	evalJS[bool](t, tctx, `(() => { const i = document.getElementById('input'); i.value = ''; i.dispatchEvent(new Event('input')); i.focus(); return true; })()`)
	if err := chromedp.Do(tctx, chromedp.KeyEvent("line one"), chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(kb.ModifierShift)), chromedp.KeyEvent("line two")); err != nil {
		t.Fatal(err)
	}
	if got := evalJS[string](t, tctx, `document.getElementById('input').value`); got != "line one\nline two" {
		t.Errorf("after Shift+Enter the input holds %q", got)
	}
	evalJS[bool](t, tctx, `(() => { const i = document.getElementById('input'); i.value = ''; i.dispatchEvent(new Event('input')); return true; })()`)

	// An Arabic message: its bubble resolves to right-to-left.
	insertText(t, tctx, "طلبي رقم 12345 لم يصل بعد?")
	if err := chromedp.Do(tctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the Arabic line", `[...document.querySelectorAll('#log .msg-user .text')].some(p => p.textContent.startsWith('طلبي'))`)
	type dir struct {
		Attr, Computed string
		RTL, Input     bool
	}
	d := evalJS[dir](t, tctx, `(() => { const p = [...document.querySelectorAll('#log .msg-user .text')].pop();
	  return {Attr: p.getAttribute('dir'), Computed: getComputedStyle(p).direction, RTL: p.matches(':dir(rtl)'),
	    Input: document.getElementById('input').getAttribute('dir') === 'auto'}; })()`)
	if d.Attr != "auto" || !d.RTL || d.Computed != "rtl" || !d.Input {
		t.Errorf("Arabic bubble direction %+v, want dir=auto resolving to rtl and an input with dir=auto", d)
	}
	if ps := console.problems(); len(ps) > 0 {
		t.Errorf("console errors or CSP reports:\n%s", strings.Join(ps, "\n"))
	}
}

// axe-core finds nothing on the chat page (answer, consent card, refused
// line) in light and dark mode, and focus stays put after a consent choice
// (D4, D5, WCAG 1.4.3 and 2.4.3).
func TestBrowserChatPageAxeLightAndDark(t *testing.T) {
	l := startBot(t, func(c *config.Config) { c.Limits.Burst = 20 })
	ctx := newBrowser(t)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	openChat(t, tctx, l.URL)
	if err := chromedp.Do(tctx, typeLine("How do I return an item?")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "a cited answer", lastBotJS+` && `+lastBotJS+`.hrefs.length > 0`)
	if err := chromedp.Do(tctx, typeLine("You can reach me at jane.doe@example.com")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the consent card", `document.querySelector('#consent button[data-consent]')`)
	waitJS(t, tctx, "every line settled", `!document.querySelector('#log .msg-user[data-delivery="sending"]')`)
	insertText(t, tctx, strings.Repeat("ж", 1500))
	if err := chromedp.Do(tctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the too-long note", `!document.getElementById('composer-note').hidden`)
	for _, dark := range []bool{false, true} {
		setMedia(t, tctx, dark)
		checkAxe(t, tctx, fmt.Sprintf("chat page (dark=%v)", dark))
	}
	// The "You" label in dark mode: white on the bubble's blue, no opacity.
	type contrast struct{ Color, Opacity string }
	if got := evalJS[contrast](t, tctx, `(() => { const n = document.querySelector('#log .msg-user .label .name');
	  return {Color: getComputedStyle(n).color, Opacity: getComputedStyle(n.parentNode).opacity}; })()`); got.Color != "rgb(255, 255, 255)" || got.Opacity != "1" {
		t.Errorf("dark-mode You label %+v", got)
	}

	// Accept consent from the keyboard: focus lands on the decision, not <body>.
	if err := chromedp.Do(tctx, chromedp.Focus(chromedp.CSS(`#consent button[data-consent="accept"]`)), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the decision", `document.getElementById('consent').dataset.decision === 'accepted'`)
	if got := evalJS[string](t, tctx, `document.activeElement.className`); got != "consent-decision" {
		t.Errorf("after the consent choice focus is on %q, want the decision text", got)
	}
	setMedia(t, tctx, true)
	checkAxe(t, tctx, "chat page after consent (dark)")
}

// The agent console: focus after log-in and hand back, readable events in
// place of markers, timestamps, unread counts for a held conversation that
// is not open (also in the title), no sideways scroll at 375 px, and axe in
// light and dark (D5, D8, D9).
func TestBrowserConsoleUnreadNarrowAxe(t *testing.T) {
	l := startBot(t, func(c *config.Config) { c.Limits.Burst = 20 })
	addAgent(t, l, "anna", "Anna")
	bctx := newBrowser(t)
	console := watchConsole(bctx)
	actx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(actx, chromedp.EmulateViewport(375, 667), chromedp.Navigate(l.URL+"/agent")); err != nil {
		t.Fatalf("opening the console: %v", err)
	}
	waitJS(t, actx, "the log-in form", `document.body.dataset.view === 'login'`)
	for _, dark := range []bool{false, true} {
		setMedia(t, actx, dark)
		checkAxe(t, actx, fmt.Sprintf("console log-in (dark=%v)", dark))
	}
	setMedia(t, actx, false)
	if err := chromedp.Do(actx, chromedp.Steps(
		chromedp.SendKeys(chromedp.ID("login-name"), "anna"),
		chromedp.SendKeys(chromedp.ID("login-password"), agentPassword+kb.Enter),
	)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the desk", `document.body.dataset.view === 'desk'`)
	waitJS(t, actx, "focus on the queue after log-in", `document.activeElement && document.activeElement.id === 'queue-heading'`)

	// Two customers ask for a person; the agent (anna, through the API as
	// well) takes both.
	api := newAgentSim(t, l)
	api.login("anna")
	ids := make([]string, 2)
	custs := make([]*chatclient.Client, 2)
	for i := range ids {
		c, token := openSession(t, l)
		if err := c.Send(ctxT(t), protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman}); err != nil {
			t.Fatal(err)
		}
		if h := nextHandover(t, c); h.State != protocol.HandoverQueued {
			t.Fatalf("customer %d: handover %q, want queued", i, h.State)
		}
		ids[i] = sessionID(t, l, token)
		if code := api.take(ids[i]); code != http.StatusOK {
			t.Fatalf("take: HTTP %d", code)
		}
		nextHandover(t, c)
		custs[i] = c
	}
	waitJS(t, actx, "both in My conversations", `document.querySelectorAll('#mine button[data-conv]').length === 2`)
	clickNow(t, actx, "a click on the first conversation", `#mine button[data-conv="`+ids[0]+`"]`)
	waitJS(t, actx, "the first conversation open", `document.body.dataset.conv === 'joined' && document.querySelector('#mine button[aria-current="true"]')`)
	type transcript struct {
		Text   string
		Events []string
	}
	tr := evalJS[transcript](t, actx, `({Text: document.getElementById('transcript').textContent,
	  Events: [...document.querySelectorAll('#transcript .line-event')].map(e => e.textContent)})`)
	if strings.Contains(tr.Text, "[handover:") || strings.Contains(tr.Text, "[pressed:") || len(tr.Events) == 0 {
		t.Errorf("transcript shows markers or no events: events %q, text %.300q", tr.Events, tr.Text)
	}

	// The second customer writes: its entry counts one unread, and the title says so.
	if err := custs[1].Say(ctxT(t), "Hello from the second customer"); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the unread count", `(() => { const b = document.querySelector('#mine button[data-conv="`+ids[1]+`"]');
	  return b && b.dataset.unread === '1' && /^\(1\) /.test(document.title); })()`)
	// The open conversation's message arrives in place, with its time.
	if err := custs[0].Say(ctxT(t), "Hello from the first customer"); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the open conversation's line with a time", `[...document.querySelectorAll('#transcript .line-customer')].some(l =>
	  l.querySelector('.text').textContent === 'Hello from the first customer' && l.querySelector('time[datetime]'))`)
	if got := evalJS[string](t, actx, `document.querySelector('#mine button[data-conv="`+ids[0]+`"]').dataset.unread || ''`); got != "" {
		t.Errorf("the open conversation counts %s unread", got)
	}

	// A phone's width: nothing scrolls sideways.
	type width struct{ Scroll, Inner int }
	if w := evalJS[width](t, actx, `({Scroll: document.documentElement.scrollWidth, Inner: innerWidth})`); w.Scroll > w.Inner {
		t.Errorf("console at 375 px scrolls sideways: scrollWidth %d > %d", w.Scroll, w.Inner)
	}
	for _, dark := range []bool{false, true} {
		setMedia(t, actx, dark)
		checkAxe(t, actx, fmt.Sprintf("console desk (dark=%v)", dark))
	}
	setMedia(t, actx, false)

	// Opening the second conversation clears its count and the title.
	clickNow(t, actx, "a click on the second conversation", `#mine button[data-conv="`+ids[1]+`"]`)
	waitJS(t, actx, "the count cleared", `document.getElementById('conv').dataset.conv === '`+ids[1]+`' && document.title === 'Agent console' &&
	  [...document.querySelectorAll('#transcript .line-customer .text')].some(e => e.textContent === 'Hello from the second customer')`)

	// Hand back: focus goes to the outcome, not <body>.
	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("handback"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "focus on the outcome after hand back", `document.activeElement && document.activeElement.id === 'conv-empty' &&
	  /handed back/i.test(document.activeElement.textContent)`)
	if p := console.problems(); len(p) > 0 {
		t.Errorf("console errors or CSP reports: %v", p)
	}
}

// The widget's options and polish (D15): colour, side, title and label from
// data- attributes; a close button inside the panel that gives focus back;
// an unread badge with a preview while closed; open again after the shop's
// page navigates; full screen on a phone.
func TestBrowserWidgetOptionsAndBadge(t *testing.T) {
	shopOrigin, l := startShopAndBot(t, `data-color="#0a7d4f" data-position="left" data-title="Northwind help" data-label="Ask Northwind"`,
		func(c *config.Config) { c.Limits.Burst = 20 })

	ctx := newBrowser(t)
	console := watchConsole(ctx)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(shopOrigin+"/")); err != nil {
		t.Fatal(err)
	}
	const launcher = `button[aria-controls="deskbot-widget-frame"]`
	waitJS(t, tctx, "the launcher", `window.DeskbotWidget && document.querySelector('`+launcher+`')`)
	type look struct {
		Label, Background, Color string
		Left                     float64
	}
	lk := evalJS[look](t, tctx, `(() => { const b = document.querySelector('`+launcher+`'), s = getComputedStyle(b);
	  return {Label: b.getAttribute('aria-label'), Background: s.backgroundColor, Color: s.color, Left: b.getBoundingClientRect().left}; })()`)
	if lk.Label != "Ask Northwind" || lk.Background != "rgb(10, 125, 79)" || lk.Color != "rgb(255, 255, 255)" || lk.Left > 40 {
		t.Errorf("launcher %+v, want label, brand colour and the left side from data- attributes", lk)
	}

	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(launcher))); err != nil {
		t.Fatal(err)
	}
	type panel struct {
		Src, Title string
		Left       float64
	}
	pn := evalJS[panel](t, tctx, `(() => { const f = document.getElementById('deskbot-widget-frame');
	  return {Src: f.src, Title: f.title, Left: f.getBoundingClientRect().left}; })()`)
	if !strings.Contains(pn.Src, "title=Northwind%20help") || !strings.HasPrefix(pn.Title, "Northwind help") || pn.Left > 40 {
		t.Errorf("panel %+v", pn)
	}
	fctx, fcancel := chromedp.NewContext(ctx, chromedp.WithTargetID(frameTarget(t, tctx, l.URL)))
	defer fcancel()
	fctx, ftcancel := context.WithTimeout(fctx, 20*time.Second)
	defer ftcancel()
	waitJS(t, fctx, "the chat inside the frame", `document.body.dataset.connected === 'true' && document.querySelector('#log .msg[data-disclosure="true"]')`)
	if got := evalJS[string](t, fctx, `document.getElementById('embed-title').textContent + '|' + !document.getElementById('close-chat').hidden`); got != "Northwind help|true" {
		t.Errorf("inside the panel: title and close button %q", got)
	}

	for _, dark := range []bool{false, true} {
		setMedia(t, fctx, dark)
		checkAxe(t, fctx, fmt.Sprintf("chat in the widget (dark=%v)", dark))
	}

	// The close button inside the panel closes it and focus returns to the launcher.
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("close-chat"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the panel closed with focus on the launcher", `document.querySelector('`+launcher+`').getAttribute('aria-expanded') === 'false' &&
	  getComputedStyle(document.getElementById('deskbot-widget-frame')).display === 'none' && document.activeElement === document.querySelector('`+launcher+`')`)

	// An answer arriving while closed: badge, count in the name, preview.
	evalJS[bool](t, fctx, `(() => { document.getElementById('input').value = 'How do I return an item?';
	  document.getElementById('composer').requestSubmit(); return true; })()`)
	waitJS(t, tctx, "the unread badge and preview", `(() => { const b = document.querySelector('`+launcher+`');
	  const p = [...document.querySelectorAll('[role="status"]')].find(e => /return/i.test(e.textContent));
	  const badge = [...document.querySelectorAll('span[aria-hidden="true"]')].find(e => e.textContent === '1');
	  return /\(1 new\)/.test(b.getAttribute('aria-label')) && badge && getComputedStyle(badge).display !== 'none' && p && getComputedStyle(p).display !== 'none'; })()`)

	checkAxe(t, tctx, "shop page with the badge and preview")

	// Opened, then the shop navigates: the panel is open again on the next page.
	evalJS[bool](t, tctx, `(DeskbotWidget.open(), true)`)
	waitJS(t, tctx, "the badge cleared", `!/new/.test(document.querySelector('`+launcher+`').getAttribute('aria-label'))`)
	if err := chromedp.Do(tctx, chromedp.Navigate(shopOrigin+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the panel open after navigation", `window.DeskbotWidget && document.querySelector('`+launcher+`') &&
	  document.querySelector('`+launcher+`').getAttribute('aria-expanded') === 'true' &&
	  getComputedStyle(document.getElementById('deskbot-widget-frame')).display === 'block'`)

	// A phone: the open panel covers the screen and the launcher steps aside.
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(375, 667)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the full-screen panel", `(() => { const r = document.getElementById('deskbot-widget-frame').getBoundingClientRect();
	  return r.left === 0 && r.top === 0 && r.width === innerWidth && r.height === innerHeight &&
	    getComputedStyle(document.querySelector('`+launcher+`')).display === 'none'; })()`)

	if ps := console.problems(); len(ps) > 0 {
		t.Errorf("shop page console errors or CSP reports:\n%s", strings.Join(ps, "\n"))
	}
	if csp := evalJS[[]string](t, tctx, `__probe.csp`); len(csp) > 0 {
		t.Errorf("the widget breaks the shop's CSP: %v", csp)
	}
}

// A message frame with "at" shows its time in a <time datetime> element.
func TestBrowserMessageTimes(t *testing.T) {
	l := startBot(t, nil)
	ctx := newBrowser(t)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	before := time.Now().Add(-2 * time.Second)
	openChat(t, tctx, l.URL)
	type stamp struct{ DateTime, Text string }
	s := evalJS[stamp](t, tctx, `(() => { const e = document.querySelector('#log .msg[data-disclosure="true"] .label time');
	  return e ? {DateTime: e.dateTime, Text: e.textContent} : {}; })()`)
	at, err := time.Parse(time.RFC3339, s.DateTime)
	if err != nil || at.Before(before) || at.After(time.Now().Add(2*time.Second)) || s.Text == "" {
		t.Errorf("disclosure time %+v (%v), want <time datetime> of the server's \"at\" (about now) with a visible time", s, err)
	}
}
