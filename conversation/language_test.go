package conversation

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/desk"
	"deskbot/kb"
	"deskbot/locale"
	"deskbot/protocol"
)

// A German session hears every sentence in German: the disclosure (DISC-1),
// the fallback with its button, and the consent request (CONS-1) whose
// ledger hash is of the German wording shown (CONS-4).
func TestGermanSession(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, out, err := r.e.Start(context.Background(), ConnMeta{AcceptLanguage: "de-DE,de;q=0.9,en;q=0.5"})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := out[0].(protocol.Session)
	if !ok || f.Lang != "de" || f.Dir != "ltr" || f.UI["placeholder"] != r.e.loc.UI("de")["placeholder"] || len(f.Languages) < 4 {
		t.Fatalf("session frame = %+v, want lang de with the German page strings", out[0])
	}
	d := messages(out)[0]
	if !d.Disclosure || !strings.Contains(d.Text, "automatisierter Assistent") || !strings.Contains(d.Text, r.e.cfg.BotName) {
		t.Fatalf("disclosure = %q, want German naming the bot (DISC-1)", d.Text)
	}
	ms := messages(r.say(s, "Wie funktioniert die Quantenverschränkung?"))
	if len(ms) != 1 || ms[0].Text != r.e.loc.Text("de", locale.Fallback) {
		t.Fatalf("fallback = %+v, want the German one", ms)
	}
	if len(ms[0].Actions) != 1 || ms[0].Actions[0].Label != "Mit einer Person sprechen" {
		t.Fatalf("fallback button = %+v, want a German label", ms[0].Actions)
	}
	var req protocol.ConsentRequest
	for _, f := range r.say(s, "meine E-Mail ist robin@example.com, wo ist mein Paket?") {
		if c, ok := f.(protocol.ConsentRequest); ok {
			req = c
		}
	}
	if req.Text != r.e.loc.Text("de", locale.ConsentContact) {
		t.Fatalf("consent request = %q, want the German wording", req.Text)
	}
	yes := true
	r.e.Handle(context.Background(), s, protocol.Inbound{Type: protocol.TypeConsent, Purpose: purposeContact, Granted: &yes})
	want := compliance.NewConsentText(purposeContact, req.Text, r.e.cfg.Consent.Contact.Version, "").Hash
	if h := r.e.contactText(s).Hash; h != want {
		t.Fatalf("ledger hash %q is not of the German text shown (%q) (CONS-4)", h, want)
	}
}

// The page's attribute wins over the browser; an unknown one falls to the
// browser, then to config `language`.
func TestLanguageChoiceOrder(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, func(c *config.Config) { c.Language = "fr" })
	for _, tc := range []struct {
		meta ConnMeta
		want string
	}{
		{ConnMeta{Lang: "es", AcceptLanguage: "de"}, "es"},
		{ConnMeta{Lang: "ja", AcceptLanguage: "de-AT"}, "de"},
		{ConnMeta{AcceptLanguage: "ja"}, "fr"},
		{ConnMeta{}, "fr"},
	} {
		s, _, err := r.e.Start(context.Background(), tc.meta)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.e.lang(s); got != tc.want {
			t.Errorf("%+v: language %q, want %q", tc.meta, got, tc.want)
		}
	}
}

// The customer switches language: a new session frame and the disclosure
// in the new language (DISC-1); a resume keeps it; an unknown language is
// refused in the current one.
func TestSwitchLanguageAndResume(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	out := r.e.Handle(context.Background(), s, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionLanguage, Value: "es"})
	if f, ok := out[0].(protocol.Session); !ok || f.Lang != "es" || f.UI["send"] != "Enviar" {
		t.Fatalf("first frame after the switch = %+v, want a Spanish session frame", out[0])
	}
	if ms := messages(out); len(ms) != 1 || !ms[0].Disclosure || !strings.Contains(ms[0].Text, "automatizado") {
		t.Fatalf("after the switch = %+v, want the Spanish disclosure", ms)
	}
	for _, text := range r.store.storedTexts() {
		if strings.Contains(text, s.Token) {
			t.Fatal("the session token was stored in the transcript")
		}
	}
	bad := r.e.Handle(context.Background(), s, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionLanguage, Value: "tlh"})
	if e, ok := bad[0].(protocol.Error); !ok || e.Code != protocol.ErrBadRequest || e.Message != r.e.loc.Text("es", locale.ErrorLanguage) {
		t.Fatalf("unknown language = %+v, want bad_request in Spanish", bad)
	}
	r.store.mu.Lock()
	last := r.store.turns[len(r.store.turns)-1].State
	r.store.mu.Unlock()
	if !strings.Contains(string(last), `"lang":"es"`) {
		t.Fatalf("stored state %s does not keep the language", last)
	}
	_, back, err := r.e.Resume(context.Background(), s.Token)
	if err != nil {
		t.Fatal(err)
	}
	if f := back[0].(protocol.Session); f.Lang != "es" {
		t.Fatalf("resumed session frame = %+v, want es kept", f)
	}
	if ms := messages(back); !strings.Contains(ms[0].Text, "automatizado") {
		t.Fatalf("welcome back = %q, want Spanish", ms[0].Text)
	}
}

// An owner who changed disclosure.text wrote it for config `language`: it
// is the disclosure in that language only (config/locale.go).
func TestLegacyDisclosureTextIsForDefaultLanguage(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, func(c *config.Config) {
		c.Language = "de"
		c.Disclosure.Text = "Guten Tag, hier ist {bot}, ein Bot von {business}."
	})
	_, out := r.start(t)
	if d := messages(out)[0].Text; d != "Guten Tag, hier ist "+r.e.cfg.BotName+", ein Bot von "+r.e.cfg.BusinessName+"." {
		t.Fatalf("German disclosure = %q, want the owner's", d)
	}
	_, out, _ = r.e.Start(context.Background(), ConnMeta{Lang: "en"})
	if d := messages(out)[0].Text; strings.Contains(d, "Guten Tag") || !strings.Contains(d, "automated assistant") {
		t.Fatalf("English disclosure = %q, want the shipped English one", d)
	}
}

// listedKB is a fixed decision over articles it can list (as kb.Base can).
type listedKB struct{ fixedKB }

func (l listedKB) Articles() []*kb.Article {
	var out []*kb.Article
	for _, a := range l.articles {
		out = append(out, a)
	}
	return out
}

// Articles in the customer's language answer when there are any; an answer
// that exists only in another language is given with a note saying so.
func TestArticlesInTheCustomersLanguage(t *testing.T) {
	t.Parallel()
	en := &kb.Article{ID: "returns", Title: "Returning an item", Version: "1", Body: "You can return items within 30 days."}
	de := &kb.Article{ID: "rueckgabe", Title: "Artikel zurückgeben", Version: "1", Body: "Sie können Artikel innerhalb von 30 Tagen zurückgeben.", Lang: "de"}
	both := listedKB{fixedKB{decision: kb.Decision{Verdict: kb.VerdictAnswer, Hits: []kb.Hit{{Article: en, Confidence: 0.9}, {Article: de, Confidence: 0.5}}},
		articles: map[string]*kb.Article{en.ID: en, de.ID: de}}}
	r := newRig(t, both, nil)
	s, _, _ := r.e.Start(context.Background(), ConnMeta{Lang: "de"})
	ms := messages(r.say(s, "Rückgabe"))
	if len(ms) != 1 || len(ms[0].Sources) != 0 || len(ms[0].Actions) == 0 || ms[0].Actions[0].ID != de.ID {
		t.Fatalf("German customer, English best answer, a German article among the hits: %+v; want the German article suggested (ACC-1)", ms)
	}
	s, _, _ = r.e.Start(context.Background(), ConnMeta{Lang: "en"})
	if ms := messages(r.say(s, "returns")); len(ms) != 1 || len(ms[0].Sources) != 1 || ms[0].Sources[0].ID != en.ID {
		t.Fatalf("English customer: %+v; want the English answer without a note", ms)
	}

	onlyEN := listedKB{fixedKB{decision: kb.Decision{Verdict: kb.VerdictAnswer, Hits: []kb.Hit{{Article: en, Confidence: 0.9}}},
		articles: map[string]*kb.Article{en.ID: en}}}
	r = newRig(t, onlyEN, nil)
	s, _, _ = r.e.Start(context.Background(), ConnMeta{Lang: "de"})
	ms = messages(r.say(s, "Rückgabe"))
	if len(ms) != 2 || ms[0].Text != r.e.loc.Text("de", locale.OtherLanguage, "language", "Englisch") || len(ms[1].Sources) != 1 || ms[1].Sources[0].ID != en.ID {
		t.Fatalf("German customer, English-only knowledge base: %+v; want the note (other_language) then the English answer", ms)
	}
}

// Outside business hours a German customer is told the hours with German
// day names (HUM-2: the honest "nobody is there" in their language).
func TestClosedHoursInGerman(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, func(c *config.Config) { c.BusinessHours.Enabled = true })
	r.now = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC) // a Sunday
	s, _, _ := r.e.Start(context.Background(), ConnMeta{Lang: "de"})
	ms := messages(r.press(s, protocol.ActionHuman))
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "Mo 09:00") || strings.Contains(ms[0].Text, "Mon ") || len(ms[0].Actions) != 1 || ms[0].Actions[0].Label != "Nachricht hinterlassen" {
		t.Fatalf("closed hours in German: %+v", ms)
	}
}

// An added language that lacks sentences, or whose disclosure deskbot cannot
// read (DISC-1: checked by hand), is named in the log at start.
func TestLocaleWarningsLogged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ja.json"), []byte(`{"small_talk_thanks": "どういたしまして"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults(t.TempDir())
	cfg.Locale.Dir = dir
	var buf bytes.Buffer
	hours, _ := desk.NewHours(cfg.BusinessHours)
	New(Options{Config: cfg, KB: fixedKB{}, Store: newMemStore(), Desk: desk.New(time.Now, hours), Delivery: &delivered{}, Notifier: &notices{},
		Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if !strings.Contains(buf.String(), "locale ja") || !strings.Contains(buf.String(), "DISC-1") {
		t.Fatalf("log = %q, want the ja warnings", buf.String())
	}
}
