package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/conversation"
	"deskbot/protocol"
	"deskbot/store"
)

// CONS-5, MIN-1: contact details typed while consent was granted are
// removed from the stored transcript and from left messages when the
// customer withdraws; the export says so, and neither the export, the
// agents' offline inbox nor the database files hold them afterwards.
func TestWithdrawalReRedactsTranscriptAndLeftMessages(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, token := openSession(t, l)
	ctx := ctxT(t)
	yes := true
	if err := c.Send(ctx, protocol.Inbound{Type: protocol.TypeConsent, Purpose: "contact", Granted: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.NextOf(ctx, protocol.TypeMessage); err != nil {
		t.Fatal(err)
	}
	ask(t, c, "reply to a@b.example or +44 20 7946 0958")
	// Nobody is on duty: leave a message with the address in it.
	ask(t, c, "real person please")
	if err := c.Send(ctx, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionLeaveMessage}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.NextOf(ctx, protocol.TypeMessage); err != nil {
		t.Fatal(err)
	}
	ask(t, c, "my tent pole snapped, write to a@b.example please")
	msgs, err := l.App.Store.OfflineMessages(ctx)
	if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Text, "a@b.example") {
		t.Fatalf("before withdrawal the left message keeps the consented address: %+v, %v", msgs, err)
	}

	m := lastMessage(ask(t, c, "withdraw my consent"))
	if !strings.Contains(strings.ToLower(m.Text), "withdrawn") {
		t.Fatalf("withdrawal not confirmed: %q", m.Text)
	}

	secrets := []string{"a@b.example", "+44 20 7946 0958", "7946 0958"}
	resp, err := http.Post(l.URL+"/api/v1/export", "application/json", strings.NewReader(`{"session":"`+token+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	raw := new(bytes.Buffer)
	raw.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", resp.StatusCode, raw)
	}
	for _, s := range secrets {
		if strings.Contains(raw.String(), s) {
			t.Errorf("CONS-5, MIN-1: export still holds %q after withdrawal:\n%s", s, raw)
		}
	}
	var doc protocol.ExportDoc
	if err := json.Unmarshal(raw.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"reply to [email] or [phone]", "tent pole snapped"} {
		if !strings.Contains(raw.String(), want) {
			t.Errorf("the rest of the conversation must stay: export lacks %q:\n%s", want, raw)
		}
	}
	if len(doc.LeftMessages) != 1 || !strings.Contains(doc.LeftMessages[0].Text, "write to [email] please") {
		t.Errorf("DSR-2: left message missing from the export or not re-redacted: %+v", doc.LeftMessages)
	}
	if len(doc.Notes) == 0 || !strings.Contains(strings.Join(doc.Notes, " "), "removed") {
		t.Errorf("the export must say contact details were removed on withdrawal: %q", doc.Notes)
	}
	// What agents read in the offline inbox is re-redacted too.
	msgs, err = l.App.Store.OfflineMessages(ctx)
	if err != nil || len(msgs) != 1 || strings.Contains(msgs[0].Text, "a@b.example") || !strings.Contains(msgs[0].Text, "[email]") {
		t.Fatalf("left message after withdrawal = %+v, %v", msgs, err)
	}
	// SEC-1: and no file of the data dir holds them in clear.
	c.Close()
	dir := l.App.Config.DataDir
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "deskbot.db*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%q in clear in %s", s, f)
			}
		}
	}
}

// CONS-5, DSR-1: the export claims the re-redaction only for withdrawals
// that did it (an audit entry in the same commit), not for a withdrawal
// recorded before it existed; damaged rows are listed with a note.
func TestExportNotesOnlyWhatWasDone(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	w := compliance.ConsentRecord{Purpose: compliance.PurposeContact, Decision: compliance.DecisionWithdrawn, TextVersion: "1", At: at}
	old := w
	old.At = at.Add(-48 * time.Hour)
	doc := conversation.BuildExport(store.SubjectData{Subject: "s", Consents: []compliance.ConsentRecord{old, w},
		Rescrubbed: []time.Time{at.Add(300 * time.Microsecond)},
		Unreadable: []store.UnreadableRow{{Table: "messages", ID: 7}}}, "Shop", at)
	if len(doc.Notes) != 3 {
		t.Fatalf("notes = %q", doc.Notes)
	}
	if strings.Contains(doc.Notes[0], "removed") || !strings.Contains(doc.Notes[0], "deleted") {
		t.Errorf("a withdrawal without re-redaction must not claim it: %q", doc.Notes[0])
	}
	if !strings.Contains(doc.Notes[1], "removed from the stored conversations and left messages") {
		t.Errorf("re-redaction not stated: %q", doc.Notes[1])
	}
	if len(doc.Unreadable) != 1 || doc.Unreadable[0] != (protocol.UnreadableRow{Table: "messages", ID: 7}) || !strings.Contains(doc.Notes[2], "could not be decrypted") {
		t.Errorf("unreadable = %+v, notes %q", doc.Unreadable, doc.Notes)
	}
}
