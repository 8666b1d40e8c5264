package features

import (
	"fmt"
	"strings"

	"deskbot/protocol"
)

// Finer checks QA engineers reached for: citing any article or not a given
// one, a button not offered, no handover in this turn, the bot's "I can't
// confirm" recognised by the kind of reply rather than its wording, and an
// article's version.

func moreStepDefs() []stepDef {
	return []stepDef{
		def(`the reply cites an article`, `the reply cites an article`, `Then the reply cites an article`,
			"The reply cites at least one article, each with id, title and version (ACC-1, ACC-2: answers come from vetted articles).",
			func(w *World) any { return w.citesAny }),
		def(`the reply does not cite the article `+q, `the reply does not cite the article "<title or id>"`, `Then the reply does not cite the article "Refunds"`,
			"No source of the reply names the article by title or id.",
			func(w *World) any { return w.citesNot }),
		def(`the reply cites the article `+q+` version `+q, `the reply cites the article "<title or id>" version "<version>"`, `Then the reply cites the article "returns-policy" version "3"`,
			"The reply cites the article in exactly that version (ACC-2: the answer is that version's own text).",
			func(w *World) any { return w.citesVersion }),
		def(`the reply does not offer `+q, `the reply does not offer "<action name or button label>"`, `Then the reply does not offer "Talk to a person"`,
			"No message of the latest turn offers that button (by label or action name).",
			func(w *World) any { return w.offersNot }),
		def(`the bot does not hand over`, `the bot does not hand over`, `Then the bot does not hand over`,
			"The latest turn holds no handover frame (queued, joined or offline): e.g. a suggestion or small talk brings no person in (HUM-2 is for requests, sensitive topics and repeated misses).",
			func(w *World) any { return w.noHandoverNow }),
		def(`the bot makes small talk`, `the bot makes small talk`, `Then the bot makes small talk`,
			"The latest turn is a courteous reply to a greeting, thanks or goodbye, by its kind: bot messages that cite nothing, offer no button, ask no consent and hand nothing over (small talk is never a miss).",
			func(w *World) any { return w.smallTalk }),
		def(`the bot says it cannot confirm`, `the bot says it cannot confirm`, `Then the bot says it cannot confirm`,
			"Checked by the kind of reply, not its wording: in the latest turn no message cites an article or suggests one, and a bot message offers a person (action \"human\") or the turn hands over (ACC-1: no policy claim without an article, human offered).",
			func(w *World) any { return w.cannotConfirm }),
	}
}

func (w *World) citesAny() error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	if len(r.Sources) == 0 {
		return fmt.Errorf("ACC-1: expected the reply to cite an article, but it cites none:\n  %q", r.Text)
	}
	for _, s := range r.Sources {
		if s.ID == "" || s.Title == "" || s.Version == "" {
			return fmt.Errorf("ACC-2: the reply cites %s without its id, title or version", fmtSources([]protocol.Source{s}))
		}
	}
	return nil
}

func (w *World) citesNot(article string) error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	if citesArticle(r.Sources, article) {
		return fmt.Errorf("expected the reply not to cite the article %q, but it cites %s:\n  %q", article, fmtSources(r.Sources), r.Text)
	}
	return nil
}

func (w *World) citesVersion(article, version string) error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	for _, s := range r.Sources {
		if s.ID == article || strings.EqualFold(s.Title, article) {
			if strings.TrimSpace(s.Version) != strings.TrimSpace(version) {
				return fmt.Errorf("ACC-2: expected the reply to cite %q version %q, but it cites version %q", article, version, s.Version)
			}
			return nil
		}
	}
	return fmt.Errorf("expected the reply to cite the article %q version %q, but it cites %s:\n  %q", article, version, fmtSources(r.Sources), r.Text)
}

func (w *World) offersNot(button string) error {
	on, err := w.offersButton(button)
	if err != nil {
		return err
	}
	if on {
		return fmt.Errorf("expected the button %q not to be offered, but the latest turn offers %s", button, w.offered())
	}
	return nil
}

func (w *World) noHandoverNow() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	for _, f := range t.Frames {
		if f.Type == protocol.TypeHandover && f.State != protocol.HandoverLeft {
			return fmt.Errorf("expected the bot not to hand over, but the latest turn sent handover %q:\n%s", f.State, describeTurn(t))
		}
	}
	return nil
}

// cannotConfirm recognises the bot's refusal by kind (ACC-1): nothing
// cited, nothing suggested, a person offered or brought in.
func (w *World) cannotConfirm() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	personOffered := false
	for _, f := range t.Frames {
		if f.Type == protocol.TypeHandover && f.State != protocol.HandoverLeft {
			personOffered = true
		}
	}
	for _, m := range t.Messages() {
		if len(m.Sources) > 0 {
			return fmt.Errorf("expected the bot to say it cannot confirm, but it answered citing %s:\n  %q", fmtSources(m.Sources), m.Text)
		}
		for _, a := range m.Actions {
			if a.Name == protocol.ActionArticle {
				return fmt.Errorf("expected the bot to say it cannot confirm, but it suggested articles (%s)", suggested(t.Messages()))
			}
			if a.Name == protocol.ActionHuman && m.From == protocol.FromBot {
				personOffered = true
			}
		}
	}
	if !personOffered {
		return fmt.Errorf("ACC-1: expected the bot to say it cannot confirm and offer a person, but the latest turn offers no person:\n%s", describeTurn(t))
	}
	return nil
}

// smallTalk recognises a courteous reply by kind: nothing cited, offered,
// asked or handed over.
func (w *World) smallTalk() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	ms := t.Messages()
	if len(ms) == 0 {
		return fmt.Errorf("expected a small-talk reply, but the bot sent no message:\n%s", describeTurn(t))
	}
	for _, f := range t.Frames {
		switch {
		case f.Type == protocol.TypeMessage && f.From != protocol.FromBot:
			return fmt.Errorf("expected small talk from the bot, but a message came from %s: %q", f.From, f.Text)
		case f.Type == protocol.TypeMessage && len(f.Sources) > 0:
			return fmt.Errorf("expected small talk, but the bot answered citing %s", fmtSources(f.Sources))
		case f.Type == protocol.TypeMessage && len(f.Actions) > 0:
			return fmt.Errorf("expected small talk, but the bot offered buttons: %s", w.offered())
		case f.Type == protocol.TypeConsentRequest, f.Type == protocol.TypeHandover, f.Type == protocol.TypeError:
			return fmt.Errorf("expected small talk, but the latest turn was:\n%s", describeTurn(t))
		}
	}
	return nil
}
