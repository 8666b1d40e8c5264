package conversation

import (
	"context"
	"strings"

	"deskbot/kb"
	"deskbot/locale"
	"deskbot/protocol"
)

// Every sentence the bot says comes from the catalog in the session's
// language (locale package). The language is chosen when the session
// opens (ConnMeta: the page's or widget's attribute, else Accept-Language,
// else config `language`), kept in the sealed session state so a resume
// keeps it, and switched by the "language" action.

// lang is the session's language; a session stored before languages
// existed speaks the default.
func (e *Engine) lang(s *Session) string {
	if s.st.Lang != "" && e.loc.Has(s.st.Lang) {
		return s.st.Lang
	}
	return e.loc.Default()
}

// text is key in the session's language with {bot} and {business} filled
// in, and any further name/value pairs.
func (e *Engine) text(s *Session, key locale.Key, pairs ...string) string {
	return e.loc.Text(e.lang(s), key, append([]string{"bot", e.cfg.BotName, "business", e.cfg.BusinessName}, pairs...)...)
}

// errorText is an error frame whose message is in the session's language.
func (e *Engine) errorText(s *Session, code string, key locale.Key) protocol.Error {
	return errorFrame(code, e.text(s, key))
}

// disclosure is the first message of a session in its language (DISC-1).
func (e *Engine) disclosure(s *Session) protocol.Message {
	return e.botMessage(e.text(s, locale.Disclosure), true)
}

// Locale is the sentence catalog the engine speaks from, for the
// transport's own customer-facing strings.
func (e *Engine) Locale() *locale.Catalog { return e.loc }

// chooseLanguage picks a new session's language (ConnMeta order).
func (e *Engine) chooseLanguage(meta ConnMeta) string {
	return e.loc.Choose(meta.Lang, meta.AcceptLanguage)
}

// languageFrame fills the session frame's language fields.
func (e *Engine) languageFrame(f *protocol.Session, s *Session) {
	lang := e.lang(s)
	f.Lang, f.Dir, f.UI = lang, locale.Direction(lang), e.loc.UI(lang)
	for _, l := range e.loc.Languages() {
		f.Languages = append(f.Languages, protocol.Language{Tag: l, Name: locale.Name(l, l)})
	}
}

// switchLanguage is the "language" action: the session speaks value from
// now on. The reply is a new session frame and the disclosure in the new
// language, so the customer is told again, in words they read, that this
// is an automated assistant (DISC-1).
func (e *Engine) switchLanguage(ctx context.Context, s *Session, value string) []protocol.Outbound {
	lang, ok := e.loc.Match(value)
	if !ok {
		return []protocol.Outbound{e.errorText(s, protocol.ErrBadRequest, locale.ErrorLanguage)}
	}
	t := e.newTurn(s)
	t.customer(map[string]string{"action": protocol.ActionLanguage, "value": lang})
	s.st.Lang = lang
	t.send(e.disclosure(s))
	out := t.finish(ctx)
	if s.st.Lang != lang {
		return out // not stored: the session keeps its language
	}
	// The session frame carries the token: it goes to the customer, never
	// into the transcript.
	return append([]protocol.Outbound{e.sessionFrame(s)}, out...)
}

// Articles carry a language (front matter `lang:`, unmarked = config
// `language`). When the knowledge base has articles in the customer's
// language, only those answer; a confident answer in another language
// becomes a suggestion of the customer's-language articles among the hits
// (ACC-1: a suggestion is not an answer). When the answer exists only in
// another language, it is given with a note saying so (other_language).

// articleLang is an article's language.
func (e *Engine) articleLang(a *kb.Article) string {
	if a == nil || a.Lang == "" {
		return e.loc.Default()
	}
	return a.Lang
}

func sameLang(a, b string) bool {
	pa, _, _ := strings.Cut(a, "-")
	pb, _, _ := strings.Cut(b, "-")
	return strings.EqualFold(pa, pb)
}

// kbHas reports whether any article is in lang; a knowledge base that
// cannot list its articles is taken to have none marked otherwise.
func (e *Engine) kbHas(lang string) bool {
	l, ok := e.kb.(interface{ Articles() []*kb.Article })
	if !ok {
		return sameLang(lang, e.loc.Default())
	}
	for _, a := range l.Articles() {
		if sameLang(e.articleLang(a), lang) {
			return true
		}
	}
	return false
}

// byLanguage narrows a decision to the customer's language (see above).
func (e *Engine) byLanguage(s *Session, d kb.Decision) kb.Decision {
	lang := e.lang(s)
	if len(d.Hits) == 0 || d.Verdict == kb.VerdictNone || !e.kbHas(lang) {
		return d
	}
	var mine []kb.Hit
	for _, h := range d.Hits {
		if h.Article != nil && sameLang(e.articleLang(h.Article), lang) {
			mine = append(mine, h)
		}
	}
	switch {
	case d.Verdict == kb.VerdictAnswer && sameLang(e.articleLang(d.Hits[0].Article), lang):
		return d
	case len(mine) > 0:
		return kb.Decision{Verdict: kb.VerdictSuggest, Hits: mine[:min(len(mine), kb.MaxSuggestions)], Reason: "in the customer's language"}
	}
	return d // only in another language: answered (or suggested) as it is
}

// noteLanguage tells the customer, in their language, that the answer that
// follows is in another language (locale key other_language).
func (e *Engine) noteLanguage(t *turn, a *kb.Article) {
	lang, in := e.lang(t.s), e.articleLang(a)
	if sameLang(lang, in) {
		return
	}
	// A system line: it says something about the answer, it is not one (ACC-1).
	t.send(e.systemMessage(e.text(t.s, locale.OtherLanguage, "language", locale.Name(in, lang))))
}

// weekdays are the short day names in the session's language, Sunday
// first, for business hours (locale key weekdays_short).
func (e *Engine) weekdays(s *Session) [7]string {
	names := [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	if parts := strings.Split(e.text(s, locale.WeekdaysShort), ","); len(parts) == 7 {
		for i, p := range parts {
			names[i] = strings.TrimSpace(p)
		}
	}
	return names
}
