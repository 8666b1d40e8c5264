package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"deskbot/chatclient"
	"deskbot/compliance"
	"deskbot/config"
	"deskbot/protocol"
)

const adminToken = "test-admin-token-0123456789"

func withAdmin(c *config.Config) { c.AdminToken = config.Secret(adminToken) }

func adminGet(t testing.TB, base, path string, out any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func adminPost(t testing.TB, base, path string, body, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func subjectOf(t testing.TB, base, token string) string {
	t.Helper()
	var s struct{ Subject string }
	if code := adminGet(t, base, "/api/v1/admin/session?session="+token, &s); code != 200 || s.Subject == "" {
		t.Fatalf("admin session lookup: %d %+v", code, s)
	}
	return s.Subject
}

// CONS-1, MIN-1, PCI-1, SEC-1: personal data typed in chat triggers a consent
// request, the card is never echoed, only redacted text is stored, and a raw
// scan of the whole data dir after a clean shutdown finds none of it.
func TestPersonalDataNeverOnDiskInClear(t *testing.T) {
	t.Parallel()
	l := startBot(t, withAdmin)
	c, token := openSession(t, l)
	subject := subjectOf(t, l.URL, token)
	secrets := []string{"jane.doe@example.com", "+44 20 7946 0958", "4111 1111 1111 1111"}
	lines := []string{
		"my email is jane.doe@example.com",
		"call me on +44 20 7946 0958",
		"my card is 4111 1111 1111 1111",
		"the tent pegs arrived bent and orange",
	}
	var all []protocol.Frame
	for _, line := range lines {
		all = append(all, ask(t, c, line)...)
	}
	sawConsent := false
	for _, f := range all {
		if f.Type == protocol.TypeConsentRequest {
			sawConsent = f.Purpose == "contact" && f.PolicyURL != "" && f.Version != ""
		}
		raw, _ := json.Marshal(f)
		for _, digits := range []string{"4111 1111 1111 1111", "4111111111111111"} {
			if strings.Contains(string(raw), digits) {
				t.Fatalf("PCI-1: card number echoed back in %s", raw)
			}
		}
	}
	if !sawConsent {
		t.Fatal("CONS-1: no consent_request after contact details were typed")
	}
	// What is stored is the redacted text.
	var tr struct{ Entries []protocol.ExportEntry }
	adminGet(t, l.URL, "/api/v1/admin/transcript/"+subject, &tr)
	stored := ""
	for _, e := range tr.Entries {
		stored += string(e.Content) + "\n"
	}
	for _, want := range []string{"[email]", "[phone]", "[card ****1111]", "tent pegs arrived bent"} {
		if !strings.Contains(stored, want) {
			t.Errorf("MIN-1: stored transcript lacks %q:\n%s", want, stored)
		}
	}
	// SEC-2: reading the transcript through the admin API is audited.
	var access struct{ Records []struct{ Actor string } }
	adminGet(t, l.URL, "/api/v1/admin/audit?event=agent_access&subject="+subject, &access)
	if len(access.Records) != 1 || access.Records[0].Actor != "admin" {
		t.Errorf("SEC-2: admin transcript view not audited: %+v", access.Records)
	}
	// Silence is not consent (CONS-1): no ledger row.
	var cons struct{ Records []protocol.ExportConsent }
	adminGet(t, l.URL, "/api/v1/admin/consents/"+subject, &cons)
	if len(cons.Records) != 0 {
		t.Fatalf("CONS-1: consent recorded without an answer: %+v", cons.Records)
	}
	c.Close()
	dir := l.App.Config.DataDir
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := compliance.ScanDir(dir, append(secrets, "tent pegs arrived bent and orange", "4111111111111111"))
	if err != nil {
		t.Fatal(err)
	}
	if res.FilesScanned < 2 {
		t.Fatalf("scan read only %d files", res.FilesScanned)
	}
	for _, h := range res.Found {
		t.Errorf("SEC-1: %q in plain text in %s at offset %d", h.Needle, h.File, h.Offset)
	}
}

// CONS-4, CONS-5, CONS-3: the ledger records the decision with text version
// and hash; withdrawal takes effect at once; answering works throughout.
func TestConsentGrantWithdrawLedger(t *testing.T) {
	t.Parallel()
	l := startBot(t, withAdmin)
	c, token := openSession(t, l)
	subject := subjectOf(t, l.URL, token)
	ask(t, c, "please reply to jane.doe@example.com")
	ctx := ctxT(t)
	yes := true
	c.Send(ctx, protocol.Inbound{Type: protocol.TypeConsent, Purpose: "contact", Granted: &yes})
	if m, _ := c.NextOf(ctx, "message"); !m.HasAction(protocol.ActionWithdraw) {
		t.Fatalf("grant confirmation lacks a withdraw action: %+v", m)
	}
	ask(t, c, "or jane.work@example.com")
	var tr struct{ Entries []protocol.ExportEntry }
	adminGet(t, l.URL, "/api/v1/admin/transcript/"+subject, &tr)
	raw, _ := json.Marshal(tr.Entries)
	if !strings.Contains(string(raw), "jane.work@example.com") {
		t.Errorf("after consent the contact detail should be kept (sealed): %s", raw)
	}
	if strings.Contains(string(raw), "jane.doe@example.com") {
		t.Errorf("text typed before consent must stay redacted: %s", raw)
	}
	m := lastMessage(ask(t, c, "withdraw my consent"))
	if !strings.Contains(strings.ToLower(m.Text), "withdrawn") {
		t.Fatalf("withdrawal not confirmed: %q", m.Text)
	}
	var cons struct{ Records []protocol.ExportConsent }
	adminGet(t, l.URL, "/api/v1/admin/consents/"+subject, &cons)
	if len(cons.Records) != 2 || cons.Records[0].Decision != "granted" || cons.Records[1].Decision != "withdrawn" {
		t.Fatalf("ledger = %+v", cons.Records)
	}
	want := compliance.NewConsentText("contact", l.App.Config.Consent.Contact.Text, l.App.Config.Consent.Contact.Version, "")
	if cons.Records[0].TextHash != want.Hash || cons.Records[0].TextVersion != "1" {
		t.Errorf("CONS-4: ledger text hash/version %+v, want hash %s", cons.Records[0], want.Hash)
	}
	var counts map[string]any
	adminGet(t, l.URL, "/api/v1/admin/subject/"+subject, &counts)
	if counts["contacts"].(float64) != 0 {
		t.Errorf("CONS-5: contact details kept after withdrawal: %v", counts)
	}
	if m := lastMessage(ask(t, c, "What is your warranty?")); len(m.Sources) == 0 {
		t.Error("CONS-3: answering stopped after withdrawal")
	}
}

// DSR-1, DSR-2: export in chat and as a JSON download; DSR-4: erasure in chat
// leaves nothing about the subject but the request record.
func TestExportAndEraseInChat(t *testing.T) {
	t.Parallel()
	l := startBot(t, withAdmin)
	c, token := openSession(t, l)
	subject := subjectOf(t, l.URL, token)
	ask(t, c, "How do I return an item?")
	m := lastMessage(ask(t, c, "send me my data"))
	if !m.HasAction(protocol.ActionDownloadExport) {
		t.Fatalf("export offer lacks the download action: %+v", m)
	}
	resp, err := http.Post(l.URL+"/api/v1/export", "application/json", strings.NewReader(`{"session":"`+token+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var doc protocol.ExportDoc
	json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if doc.Schema != protocol.ExportSchema || len(doc.Conversations) != 1 || len(doc.Conversations[0].Messages) < 4 {
		t.Fatalf("export document incomplete: %+v", doc)
	}
	m = lastMessage(ask(t, c, "delete my data"))
	if !strings.Contains(strings.ToLower(m.Text), "deleted") {
		t.Fatalf("erasure not confirmed: %q", m.Text)
	}
	var counts struct {
		Exists                                 bool
		Sessions, Messages, Consents, Contacts int
	}
	adminGet(t, l.URL, "/api/v1/admin/subject/"+subject, &counts)
	if counts.Exists || counts.Sessions+counts.Messages+counts.Consents+counts.Contacts != 0 {
		t.Fatalf("DSR-4: data remains after erasure: %+v", counts)
	}
	var audit struct {
		Records []struct{ Event string }
		ChainOK bool `json:"chain_ok"`
	}
	adminGet(t, l.URL, "/api/v1/admin/audit?subject="+subject, &audit)
	events := map[string]bool{}
	for _, r := range audit.Records {
		events[r.Event] = true
	}
	for _, e := range []string{"disclosure", "export", "erasure"} {
		if !events[e] {
			t.Errorf("AUD-1: audit lacks %q: %+v", e, audit.Records)
		}
	}
	if !audit.ChainOK {
		t.Error("AUD-1: audit chain broken")
	}
	// The conversation continues in a fresh session (new token, disclosure first).
	ctx := ctxT(t)
	c.Say(ctx, "What is your warranty?")
	f, _ := c.Next(ctx)
	if f.Type != "session" || f.Session == token {
		t.Fatalf("after erasure expected a new session frame, got %+v", f)
	}
	if d, _ := c.Next(ctx); !d.Disclosure {
		t.Fatalf("new session must start with the disclosure, got %+v", d)
	}
}

// DISC-4: asked whether it is human, the bot says it is automated.
func TestAsksIfHumanAnsweredTruthfully(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, _ := openSession(t, l)
	for _, q := range []string{"are you a human?", "Am I talking to a real person?", "are you a bot"} {
		m := lastMessage(ask(t, c, q))
		low := strings.ToLower(m.Text)
		if !strings.Contains(low, "automated assistant") || !strings.Contains(low, "not a human") {
			t.Errorf("%q answered %q", q, m.Text)
		}
	}
}

func TestAdminAPIRequiresToken(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil) // no token configured: no admin API
	resp, _ := http.Get(l.URL + "/api/v1/admin/audit")
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("admin API without a configured token: %d, want 404", resp.StatusCode)
	}
	l2 := startBot(t, withAdmin)
	req, _ := http.NewRequest("GET", l2.URL+"/api/v1/admin/audit", nil)
	req.Header.Set("Authorization", "Bearer wrong")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong admin token: %d, want 401", resp.StatusCode)
	}
}

// JUR-1: a California customer gets the us-ca profile; Sec-GPC is recorded.
func TestCaliforniaProfileAndGPC(t *testing.T) {
	t.Parallel()
	l := startBot(t, withAdmin)
	ctx := ctxT(t)
	c := dial(t, l, chatclientOptions("California", true))
	f, _ := c.Next(ctx)
	if f.Profile != "us-ca" {
		t.Fatalf("profile = %q, want us-ca", f.Profile)
	}
	c.Next(ctx)
	subject := subjectOf(t, l.URL, f.Session)
	var audit struct {
		Records []struct{ Event, Detail string }
	}
	adminGet(t, l.URL, "/api/v1/admin/audit?subject="+subject, &audit)
	found := false
	for _, r := range audit.Records {
		found = found || strings.Contains(r.Detail, "Sec-GPC")
	}
	if !found {
		t.Errorf("GPC signal not recorded: %+v", audit.Records)
	}
	c.Say(ctx, "my email is cal@example.com")
	cr, _ := c.NextOf(ctx, protocol.TypeConsentRequest)
	if cr.PolicyURL != l.App.Config.NoticeAtCollectionURL {
		t.Errorf("NOTC-2: consent request should link the notice at collection, got %q", cr.PolicyURL)
	}
}

// DSR-4, RET-1: resuming an erased or purged conversation starts a new one.
func TestResumeAfterErasureOrPurgeStartsAfresh(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	l := startBotWithClock(t, clock, withAdmin)
	for _, how := range []string{"erase", "purge"} {
		c, token := openSession(t, l)
		ask(t, c, "What is your warranty?")
		if how == "erase" {
			ask(t, c, "delete my data")
		} else {
			clock.Set(clock.Now().Add(31 * 24 * time.Hour))
			var counts map[string]int64
			if code := adminPost(t, l.URL, "/api/v1/admin/purge", map[string]string{}, &counts); code != 200 || counts["sessions"] < 1 {
				t.Fatalf("purge: %d %v", code, counts)
			}
		}
		c.Close()
		c2 := dial(t, l, chatclient.Options{Session: token})
		ctx := ctxT(t)
		f, err := c2.Next(ctx)
		if err != nil || f.Type != "session" || f.Session == token {
			t.Fatalf("%s: resume gave %+v, %v; want a new session", how, f, err)
		}
		if d, _ := c2.Next(ctx); !d.Disclosure {
			t.Fatalf("%s: new session must start with the disclosure, got %+v", how, d)
		}
	}
}

// DSR-4: after erasure the old token opens nothing, not even the new
// conversation that the same socket continued in.
func TestErasedTokenIsDead(t *testing.T) {
	t.Parallel()
	l := startBot(t, withAdmin)
	c, oldToken := openSession(t, l)
	ask(t, c, "delete my data")
	ctx := ctxT(t)
	c.Say(ctx, "What is your warranty?") // continues in a new conversation
	f, _ := c.NextOf(ctx, "session")
	if f.Session == "" || f.Session == oldToken {
		t.Fatalf("no new session after erasure: %+v", f)
	}
	c.NextOf(ctx, "message")
	resp, err := http.Post(l.URL+"/api/v1/chat", "application/json", strings.NewReader(`{"session":"`+oldToken+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || body["session"] == f.Session {
		t.Fatalf("old token after erasure: HTTP %d %v; want 404 and no access to the new conversation", resp.StatusCode, body)
	}
}
