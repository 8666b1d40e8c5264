package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"deskbot/config"
	"deskbot/protocol"
)

// An agent whose browser asks for German (Accept-Language: de) gets the
// console in German: <html lang="de">, the log-in form, the desk's
// headings, the queue entry, the transcript's events and the
// conversation's state and buttons; the customer's own words stay as they
// were typed; axe finds nothing in light or dark mode.
func TestBrowserConsoleGerman(t *testing.T) {
	l := startBot(t, func(c *config.Config) { c.Limits.Burst = 20 })
	addAgent(t, l, "anna", "Anna")
	bctx := newBrowser(t)
	console := watchConsole(bctx)
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(bctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": "de-DE,de;q=0.9"}}); err != nil {
		t.Fatal(err)
	}
	actx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()

	// A customer waits for a person (anna is at the desk through the API
	// too), having written in their own words.
	newAgentSim(t, l).login("anna")
	c, token := openSession(t, l)
	const typed = "Where is my parcel? [pressed: human]"
	ask(t, c, typed)
	if err := c.Send(ctxT(t), protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman}); err != nil {
		t.Fatal(err)
	}
	if h := nextHandover(t, c); h.State != protocol.HandoverQueued {
		t.Fatalf("handover %q, want queued", h.State)
	}
	id := sessionID(t, l, token)

	if err := chromedp.Do(actx, chromedp.Navigate(l.URL+"/agent")); err != nil {
		t.Fatal(err)
	}
	type login struct{ Lang, Dir, Title, Heading, Submit, Name string }
	got := evalJS[login](t, actx, `({Lang: document.documentElement.lang, Dir: document.documentElement.dir, Title: document.title,
	  Heading: document.querySelector('#login-form h2').textContent, Submit: document.getElementById('login-submit').textContent,
	  Name: document.querySelector('label[for="login-name"]').textContent})`)
	if got != (login{"de", "ltr", "Agenten-Konsole", "Anmelden", "Anmelden", "Benutzername"}) {
		t.Errorf("log-in form %+v, want German", got)
	}
	for _, dark := range []bool{false, true} {
		setMedia(t, actx, dark)
		checkAxe(t, actx, fmt.Sprintf("German console log-in (dark=%v)", dark))
	}
	setMedia(t, actx, false)
	consoleLogin(t, actx, l.URL, "anna")

	waitJS(t, actx, "the German queue entry", `(() => { const b = document.querySelector('#queue button[data-conv="`+id+`"]');
	  return b && /Möchte eine Person sprechen · seit /.test(b.textContent) && /Kunde online/.test(b.textContent); })()`)
	type desk struct{ Waiting, Mine, Logout, Team, Hours, Presence string }
	d := evalJS[desk](t, actx, `({Waiting: document.querySelector('#queue-heading [data-i18n]').textContent,
	  Mine: document.querySelector('[data-i18n="my_conversations"]').textContent, Logout: document.getElementById('logout').textContent,
	  Team: document.querySelector('#agents li').textContent, Hours: document.getElementById('hours').textContent,
	  Presence: document.querySelector('#presence option[value="away"]').textContent})`)
	if d.Waiting != "Wartend" || d.Mine != "Meine Gespräche" || d.Logout != "Abmelden" || d.Team != "Anna · Online" || d.Presence != "Abwesend" ||
		(d.Hours != "Innerhalb der Geschäftszeiten." && d.Hours != "Außerhalb der Geschäftszeiten: Kunden wird gesagt, dass niemand erreichbar ist.") {
		t.Errorf("desk %+v, want German", d)
	}

	clickNow(t, actx, "a click on the waiting conversation", `#queue button[data-conv="`+id+`"]`)
	waitJS(t, actx, "the waiting conversation open", `document.getElementById('conv').dataset.conv === '`+id+`' && document.body.dataset.conv === 'queued'`)
	type conv struct {
		State, Take, Title string
		Events, Customer   []string
	}
	v := evalJS[conv](t, actx, `({State: document.getElementById('conv-state').textContent, Take: document.getElementById('take').textContent,
	  Title: document.getElementById('conv-title').textContent,
	  Events: [...document.querySelectorAll('#transcript .line-event .text')].map(e => e.textContent),
	  Customer: [...document.querySelectorAll('#transcript .line-customer')].map(e => e.querySelector('.from').textContent + '|' + e.querySelector('.text').textContent)})`)
	if v.State != "Wartend" || v.Take != "Übernehmen" || !regexpMatch(`^Gespräch [0-9a-f]{8} · Möchte eine Person sprechen$`, v.Title) {
		t.Errorf("conversation head %+v, want German", v)
	}
	if !containsStr(v.Events, "Kunde wartet auf einen Mitarbeiter") || !containsStr(v.Events, "Kunde hat „Mit einer Person sprechen“ gedrückt") {
		t.Errorf("events %q, want German", v.Events)
	}
	if !containsStr(v.Customer, "Kunde|"+typed) {
		t.Errorf("customer lines %q, want %q verbatim", v.Customer, typed)
	}

	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("take"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the conversation held", `document.body.dataset.conv === 'joined' &&
	  document.getElementById('conv-state').textContent === 'Sie betreuen dieses Gespräch' && document.getElementById('handback').textContent === 'An den Bot zurückgeben'`)
	if p := evalJS[string](t, actx, `document.getElementById('reply').placeholder`); p != "Ihre Antwort… (Eingabetaste sendet, Umschalt+Eingabetaste für eine neue Zeile)" {
		t.Errorf("reply placeholder %q, want German", p)
	}
	// A refused reply is explained in German (the server's code, not its
	// English text), and the text stays in the box.
	long := strings.Repeat("x", 20000)
	if err := chromedp.Do(actx, chromedp.SetValue(chromedp.ID("reply"), long)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("reply-send"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the German refusal", `document.getElementById('desk-error').textContent === 'Nicht gesendet: Der Text ist leer oder zu lang.' &&
	  document.getElementById('reply').value.length === 20000`)
	evalJS[string](t, actx, `document.getElementById('reply').value = ''`)
	for _, dark := range []bool{false, true} {
		setMedia(t, actx, dark)
		checkAxe(t, actx, fmt.Sprintf("German console desk (dark=%v)", dark))
	}
	setMedia(t, actx, false)
	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("handback"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the German outcome", `document.activeElement && document.activeElement.id === 'conv-empty' &&
	  document.activeElement.textContent === 'Gespräch an den Bot zurückgegeben. Wählen Sie ein Gespräch, um den bisherigen Verlauf zu sehen.'`)
	// The refused reply's 413 is expected; nothing else may fail.
	var problems []string
	for _, p := range console.problems() {
		if !strings.Contains(p, "status of 413") || !strings.Contains(p, "/messages") {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		t.Errorf("console errors or CSP reports: %v", problems)
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
