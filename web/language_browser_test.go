package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"deskbot/config"
)

// A browser that asks for German (Accept-Language: de) gets the chat in
// German: <html lang="de">, the disclosure (DISC-1: in the customer's
// language), the input's placeholder and the consent card (CONS-1); the
// language picker switches to French.
func TestBrowserGermanChat(t *testing.T) {
	l := startBot(t, nil)
	ctx := newBrowser(t)
	installProbe(t, ctx)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": "de-DE,de;q=0.9"}}); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 25*time.Second)
	defer cancel()
	openChat(t, tctx, l.URL)
	waitJS(t, tctx, `<html lang="de">`, `document.documentElement.lang === 'de' && document.documentElement.dir === 'ltr'`)
	d := evalJS[string](t, tctx, `document.querySelector('#log .msg[data-disclosure="true"] .text').textContent`)
	if !strings.Contains(d, "automatisierter Assistent") {
		t.Errorf("disclosure %q, want German (DISC-1)", d)
	}
	if p := evalJS[string](t, tctx, `document.getElementById('input').placeholder`); p != "Ihre Frage…" {
		t.Errorf("placeholder %q, want German", p)
	}
	if l := evalJS[string](t, tctx, `document.getElementById('log').getAttribute('aria-label') + '|' + document.getElementById('input-hint').textContent`); l != "Gespräch|Eingabetaste sendet, Umschalt+Eingabetaste beginnt eine neue Zeile." {
		t.Errorf("log label and input hint %q, want German", l)
	}
	if dir := evalJS[string](t, tctx, `document.getElementById('input').getAttribute('dir')`); dir != "auto" {
		t.Errorf("input dir %q, want auto", dir)
	}
	insertText(t, tctx, "meine E-Mail ist robin@example.com, wo ist mein Paket?")
	if err := chromedp.Do(tctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the consent card", `document.querySelector('#consent button[data-consent="accept"]')`)
	type card struct{ Title, Text, Yes, No string }
	c := evalJS[card](t, tctx, `(() => { const c = document.getElementById('consent'); return {
	  title: c.querySelector('.consent-title').textContent, text: c.querySelector('.text').textContent,
	  yes: c.querySelector('[data-consent="accept"]').textContent, no: c.querySelector('[data-consent="decline"]').textContent}; })()`)
	if c.Title != "Ihre Entscheidung" || c.Yes != "Ja, meine Daten speichern" || c.No == "No thanks" {
		t.Errorf("consent card %+v, want German", c)
	}
	if !strings.Contains(c.Text, "Kontaktdaten") {
		t.Errorf("consent text %q, want German", c.Text)
	}
	setMedia(t, tctx, false)
	checkAxe(t, tctx, "the German chat with its language picker")
	setMedia(t, tctx, true)
	checkAxe(t, tctx, "the German chat in dark mode")
	// The footer's picker switches the conversation to French.
	evalJS[bool](t, tctx, `(() => { const s = document.getElementById('lang-pick'); s.value = 'fr'; return s.dispatchEvent(new Event('change')); })()`)
	waitJS(t, tctx, `<html lang="fr">`, `document.documentElement.lang === 'fr' && document.getElementById('send').textContent === 'Envoyer'`)
	waitJS(t, tctx, "the French disclosure", `[...document.querySelectorAll('#log .msg[data-disclosure="true"] .text')].some(e => e.textContent.includes('assistant automatisé'))`)
}

// The widget's data-lang names the chat's language: the launcher and the
// frame are named in it and the chat inside is German (DISC-1: the
// disclosure in the customer's language), whatever the browser prefers.
func TestBrowserWidgetLanguage(t *testing.T) {
	shopOrigin, l := startShopAndBot(t, `data-lang="de"`, nil)
	ctx := newBrowser(t)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(shopOrigin+"/")); err != nil {
		t.Fatal(err)
	}
	const launcher = `button[aria-controls="deskbot-widget-frame"]`
	waitJS(t, tctx, "the launcher", `window.DeskbotWidget && document.querySelector('`+launcher+`')`)
	if got := evalJS[string](t, tctx, `document.querySelector('`+launcher+`').getAttribute('aria-label')`); got != "Mit unserem automatisierten Assistenten chatten" {
		t.Errorf("launcher label %q, want German", got)
	}
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(launcher))); err != nil {
		t.Fatal(err)
	}
	if got := evalJS[string](t, tctx, `document.getElementById('deskbot-widget-frame').src`); !strings.Contains(got, "lang=de") {
		t.Errorf("frame src %q, want lang=de", got)
	}
	fctx, fcancel := chromedp.NewContext(ctx, chromedp.WithTargetID(frameTarget(t, tctx, l.URL)))
	defer fcancel()
	fctx, ftcancel := context.WithTimeout(fctx, 20*time.Second)
	defer ftcancel()
	waitJS(t, fctx, "the German chat inside the frame", `document.documentElement.lang === 'de' &&
	  [...document.querySelectorAll('#log .msg[data-disclosure="true"] .text')].some(e => e.textContent.includes('automatisierter Assistent'))`)
}

// In a German chat the page's own marks on a line and on a link are German
// too: a line the server refuses says "Nicht gesendet", and a link to
// another site in an answer tells a screen reader it opens a new tab in
// German (the strings ui_not_sent and ui_new_tab of the locale files).
func TestBrowserGermanDeliveryAndLinkMarks(t *testing.T) {
	l := startBot(t, func(c *config.Config) { c.Limits.MessagesPerMinute = 1; c.Limits.Burst = 1 })
	ctx := newBrowser(t)
	installProbe(t, ctx)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": "de"}}); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	openChat(t, tctx, l.URL)
	waitJS(t, tctx, `<html lang="de">`, `document.documentElement.lang === 'de'`)
	insertText(t, tctx, "Wann haben Sie geöffnet?")
	if err := chromedp.Do(tctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the first line marked sent", `document.querySelector('#log .msg-user').dataset.delivery === 'sent'`)
	insertText(t, tctx, "und am Sonntag?")
	if err := chromedp.Do(tctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the refused line", `[...document.querySelectorAll('#log .msg-user')].pop().dataset.delivery === 'failed'`)
	if got := evalJS[string](t, tctx, `[...document.querySelectorAll('#log .msg-user')].pop().querySelector('.label .delivery').textContent`); got != " · Nicht gesendet" {
		t.Errorf("refused line marked %q, want \" · Nicht gesendet\"", got)
	}
	if got := evalJS[string](t, tctx, `(() => { const d = document.createElement('div'); d.appendChild(DeskbotMD.render('Siehe https://example.com/a'));
	  return d.querySelector('a .vh').textContent; })()`); got != " (öffnet in einem neuen Tab)" {
		t.Errorf("link to another site says %q, want \" (öffnet in einem neuen Tab)\"", got)
	}
}
