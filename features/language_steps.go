package features

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"deskbot/chatclient"
	"deskbot/locale"
	"deskbot/protocol"
)

// Steps about the customer's language: how the chat is opened (the
// browser's Accept-Language, the page's lang attribute), switching, and
// that the session and its disclosure are in a language (DISC-1: the
// disclosure is in the customer's language).

func languageStepDefs() []stepDef {
	return []stepDef{
		def(`a customer whose browser asks for `+q+` opens the chat`, `a customer whose browser asks for "<Accept-Language>" opens the chat`, `Given a customer whose browser asks for "de-DE,de;q=0.9" opens the chat`,
			"Connects a new customer whose browser sends that Accept-Language header; the session speaks the first language deskbot has, else config `language`.",
			func(w *World) any {
				return func(ctx context.Context, accept string) error {
					return w.open(ctx, chatclient.Options{Header: map[string][]string{"Accept-Language": {accept}}})
				}
			}),
		def(`a customer opens the chat in `+q, `a customer opens the chat in "<language>"`, `Given a customer opens the chat in "fr"`,
			"Connects a new customer from a page (or widget, data-lang) that names its language: /ws?lang=<language>, which wins over the browser's Accept-Language.",
			func(w *World) any {
				return func(ctx context.Context, lang string) error {
					return w.open(ctx, chatclient.Options{Query: map[string][]string{"lang": {lang}}})
				}
			}),
		def(`the customer switches the language to `+q, `the customer switches the language to "<language>"`, `When the customer switches the language to "es"`,
			"Sends the language picker's action {\"type\":\"action\",\"name\":\"language\",\"value\":\"<language>\"}; the reply is a new session frame and the disclosure in that language.",
			func(w *World) any {
				return func(ctx context.Context, lang string) error {
					_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionLanguage, Value: lang})
					return err
				}
			}),
		def(`the customer's language is `+q, `the customer's language is "<language>"`, `Then the customer's language is "de"`,
			"The latest session frame says the session speaks that language (\"lang\"), with the page's strings for it (\"ui\").",
			func(w *World) any { return w.languageIs }),
		def(`the disclosure is in `+q, `the disclosure is in "<language>"`, `Then the disclosure is in "de"`,
			"The latest disclosure is deskbot's shipped disclosure in that language (the bot's and business's names filled in) and says in words that this is an automated assistant (DISC-1). An owner's own wording (locale.dir, locale.overrides) is not the shipped one: check it with `the bot's 1st message contains \"<text>\"`.",
			func(w *World) any { return w.disclosureIn }),
		def(`the customer is told the answer is in another language`, `the customer is told the answer is in another language`, `Then the customer is told the answer is in another language`,
			"The latest turn holds the system line (locale key other_language, in the session's language) that the answer which follows is in another language: the knowledge base had no article in the customer's language that answers.",
			func(w *World) any { return w.toldOtherLanguage }),
	}
}

func (w *World) latestSessionFrame() (protocol.Frame, bool) {
	for i := len(w.transcript) - 1; i >= 0; i-- {
		if l := w.transcript[i]; !l.Outbound && l.Frame.Type == protocol.TypeSession {
			return l.Frame, true
		}
	}
	return protocol.Frame{}, false
}

func (w *World) languageIs(lang string) error {
	f, ok := w.latestSessionFrame()
	if !ok {
		return ErrNoChat
	}
	if f.Lang != lang {
		return fmt.Errorf("expected the session's language to be %q, but the session frame says %q", lang, f.Lang)
	}
	if len(f.UI) == 0 {
		return fmt.Errorf("expected the session frame to carry the page's strings in %q (\"ui\"), but it has none", lang)
	}
	return nil
}

func (w *World) disclosureIn(lang string) error {
	var d *protocol.Frame
	for i := len(w.transcript) - 1; i >= 0 && d == nil; i-- {
		if l := w.transcript[i]; !l.Outbound && l.Frame.Type == protocol.TypeMessage && l.Frame.Disclosure {
			f := l.Frame
			d = &f
		}
	}
	if d == nil {
		return errors.New("expected a disclosure, but the customer has received none")
	}
	shipped, _, err := locale.New(locale.Options{})
	if err != nil {
		return err
	}
	if !shipped.Has(lang) {
		return fmt.Errorf("deskbot ships no %q; shipped: %s", lang, strings.Join(shipped.Languages(), ", "))
	}
	pattern := regexp.QuoteMeta(shipped.Text(lang, locale.Disclosure))
	for _, p := range []string{"bot", "business"} {
		pattern = strings.ReplaceAll(pattern, regexp.QuoteMeta("{"+p+"}"), ".+?")
	}
	if !regexp.MustCompile("^" + pattern + "$").MatchString(d.Text) {
		return fmt.Errorf("expected the disclosure in %q:\n  %q\nbut it says:\n  %q", lang, shipped.Text(lang, locale.Disclosure), d.Text)
	}
	if !reAutomated.MatchString(d.Text) {
		return fmt.Errorf("expected the disclosure to say in words that this is an automated assistant (DISC-1), but it says:\n  %q", d.Text)
	}
	return nil
}

func (w *World) toldOtherLanguage() error {
	f, ok := w.latestSessionFrame()
	if !ok || len(w.turns) == 0 {
		return ErrNoChat
	}
	shipped, _, err := locale.New(locale.Options{})
	if err != nil {
		return err
	}
	text := shipped.Text(f.Lang, locale.OtherLanguage)
	re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(text), regexp.QuoteMeta("{language}"), ".+") + "$")
	var seen []string
	for _, m := range w.turns[len(w.turns)-1].Frames {
		if m.Type != protocol.TypeMessage {
			continue
		}
		if m.From == protocol.FromSystem && re.MatchString(m.Text) {
			return nil
		}
		seen = append(seen, fmtFrame(m))
	}
	return fmt.Errorf("expected the system line %q in the latest turn, but it held:\n  %s", text, strings.Join(seen, "\n  "))
}

// langLine is an article's front matter line for its language, or nothing
// for the default language.
func langLine(lang string) string {
	if lang == "" {
		return ""
	}
	return "lang: " + yamlQuote(lang) + "\n"
}
