package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/protocol"
	"deskbot/store"
)

// subjectOf finds the subject of the only customer whose audit records
// include event.
func rightsSubject(t *testing.T, st *store.Store, event string) string {
	t.Helper()
	recs, err := st.AuditRecords(context.Background(), event)
	if err != nil || len(recs) == 0 {
		t.Fatalf("no %q audit record: %v", event, err)
	}
	return recs[len(recs)-1].Subject
}

func storedText(t *testing.T, st *store.Store, subject string) string {
	t.Helper()
	d, err := st.Export(context.Background(), subject)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, tr := range d.Transcripts {
		for _, e := range tr {
			b.Write(e.Body)
			b.WriteByte('\n')
		}
	}
	for _, c := range d.Contacts {
		b.Write(c)
		b.WriteByte('\n')
	}
	return b.String()
}

// DSR-5: "I want to correct my email", then the new address, with contact
// consent granted: the kept address is replaced, the old one is gone from
// the contacts and the stored lines, and a rectification is audited.
func TestRectifyEmailInChat(t *testing.T) {
	l := startBot(t, nil)
	c, _ := openSession(t, l)
	ask(t, c, "please reply to old.robin@example.com")
	yes := true
	exchange(t, c, protocol.Inbound{Type: protocol.TypeConsent, Purpose: "contact", Granted: &yes}, "consent")
	if m := lastMessage(ask(t, c, "I want to correct my email")); !strings.Contains(m.Text, "type your correct e-mail address") {
		t.Fatalf("reply to the correction request: %q", m.Text)
	}
	if m := lastMessage(ask(t, c, "robin@example.org")); !strings.Contains(m.Text, "now the one you just typed") {
		t.Fatalf("reply to the new address: %q", m.Text)
	}
	st := l.App.Store
	subject := rightsSubject(t, st, store.EventRectification)
	d, err := st.Export(context.Background(), subject)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Contacts) != 1 || string(d.Contacts[0]) != "robin@example.org" {
		t.Errorf("kept contacts after rectification: %q", d.Contacts)
	}
	if all := storedText(t, st, subject); strings.Contains(all, "old.robin@example.com") || !strings.Contains(all, "robin@example.org") {
		t.Errorf("stored after rectification:\n%s", all)
	}
	// The action "rectify" asks for the new value too.
	m := lastMessage(exchange(t, c, protocol.Inbound{Type: protocol.TypeAction, Name: "rectify", ID: "phone"}, "rectify"))
	if !strings.Contains(m.Text, "type your correct phone number") {
		t.Errorf("reply to the rectify action: %q", m.Text)
	}
}

// HUM-1: an article marked human_review is answered with its source and
// followed by the offer of a person who can review the decision; other
// articles are not.
func TestHumanReviewArticleOffersPerson(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"refund-refused.md": "---\nid: refund-refused\ntitle: Why was my refund refused\nhuman_review: true\n---\nRefunds are refused for items used beyond testing.\n",
		"delivery.md":       "---\nid: delivery\ntitle: How long does delivery take\n---\nDelivery takes 2 to 4 working days.\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	l := startBot(t, func(c *config.Config) { c.KBDir = dir })
	c, _ := openSession(t, l)
	fs := ask(t, c, "Why was my refund refused")
	var cited, offered bool
	for _, f := range fs {
		if f.Type != protocol.TypeMessage {
			continue
		}
		if len(f.Sources) == 1 && f.Sources[0].ID == "refund-refused" && strings.Contains(f.Text, "Refunds are refused") {
			cited = true
		}
		for _, a := range f.Actions {
			if a.Name == protocol.ActionHuman && strings.Contains(f.Text, "can review it") {
				offered = true
			}
		}
	}
	if !cited || !offered {
		t.Fatalf("cited %v, person offered for review %v: %+v", cited, offered, fs)
	}
	if recs, _ := l.App.Store.AuditRecords(context.Background(), "human_review_offered"); len(recs) != 1 || recs[0].Detail != "article=refund-refused" {
		t.Errorf("audit: %+v", recs)
	}
	for _, f := range ask(t, c, "How long does delivery take") {
		for _, a := range f.Actions {
			if a.Name == protocol.ActionHuman {
				t.Errorf("an ordinary article offers a person: %+v", f)
			}
		}
	}
}

// MIN-3: in health_mode a diagnosis is stored only after consent for
// "health" (asked separately from contact), and withdrawing removes it
// again; without health_mode it is always redacted (MIN-2).
func TestHealthModeKeepsHealthOnlyWithConsent(t *testing.T) {
	l := startBot(t, func(c *config.Config) { c.HealthMode, c.DPIAReference = true, "DPIA-2026-04" })
	c, _ := openSession(t, l)
	fs := ask(t, c, "I have diabetes, which cool bag keeps insulin cold?")
	var asked bool
	for _, f := range fs {
		if f.Type == protocol.TypeConsentRequest && f.Purpose == string(compliance.PurposeHealth) {
			asked = true
		}
	}
	if !asked {
		t.Fatalf("no consent request for health: %+v", fs)
	}
	subject := rightsSubject(t, l.App.Store, compliance.EventDisclosure)
	if all := storedText(t, l.App.Store, subject); strings.Contains(all, "diabetes") {
		t.Fatalf("health stored before consent:\n%s", all)
	}
	yes := true
	exchange(t, c, protocol.Inbound{Type: protocol.TypeConsent, Purpose: "health", Granted: &yes}, "health consent")
	ask(t, c, "my diabetes medicine must stay cold")
	if all := storedText(t, l.App.Store, subject); !strings.Contains(all, "my diabetes medicine") {
		t.Fatalf("health not kept after consent:\n%s", all)
	}
	cs, _ := l.App.Store.Consents(context.Background(), subject)
	st := compliance.StateFrom(cs)
	if !st.Granted(compliance.PurposeHealth) || st.Granted(compliance.PurposeContact) {
		t.Errorf("ledger: %+v; want health granted, contact not", cs)
	}
	ask(t, c, "withdraw consent")
	if all := storedText(t, l.App.Store, subject); strings.Contains(all, "diabetes") {
		t.Errorf("health kept after withdrawal:\n%s", all)
	}

	off := startBot(t, nil)
	c2, _ := openSession(t, off)
	for _, f := range ask(t, c2, "I have diabetes, which cool bag keeps insulin cold?") {
		if f.Type == protocol.TypeConsentRequest && f.Purpose == "health" {
			t.Error("health consent asked without health_mode")
		}
	}
}

// DSR-5 over the socket: the "rectify" action asks for the e-mail address
// without an id or with "email", for the phone number with "phone", and an
// unknown id such as "fax" gets a bad_request error frame; the session goes
// on.
func TestSocketRectifyActionIDs(t *testing.T) {
	l := startBot(t, nil)
	c, _ := openSession(t, l)
	fs := exchange(t, c, protocol.Inbound{Type: protocol.TypeAction, Name: "rectify", ID: "fax"}, "rectify fax")
	if len(fs) != 1 || fs[0].Type != protocol.TypeError || fs[0].Code != protocol.ErrBadRequest {
		t.Fatalf(`reply to {"name":"rectify","id":"fax"}: %+v, want one bad_request error frame`, fs)
	}
	for _, tt := range []struct{ id, want string }{
		{"", "correct e-mail address"},
		{"email", "correct e-mail address"},
		{"phone", "correct phone number"},
	} {
		if m := lastMessage(exchange(t, c, protocol.Inbound{Type: protocol.TypeAction, Name: "rectify", ID: tt.id}, "rectify "+tt.id)); !strings.Contains(m.Text, tt.want) {
			t.Errorf("reply to rectify with id %q: %q, want it to ask for the %s", tt.id, m.Text, tt.want)
		}
	}
}
