package store_test

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/store"
)

// CONS-5, MIN-1: withdrawing consent for contact details removes the
// details typed while consent was granted from every stored line of the
// subject (customer lines, an agent quoting them, left messages) in the
// same commit, while the shop's own address in an article stays.
func TestWithdrawalReRedactsStoredText(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, key1)
	sess := newSession(t, s, "s1")
	at := sess.CreatedAt.Add(time.Minute)
	granted := compliance.ConsentRecord{Purpose: "contact", Decision: "granted", TextVersion: "1", TextHash: "abc", At: at}
	if err := s.Commit(ctx, store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: at,
		Consents: []compliance.ConsentRecord{granted},
		Entries: []store.Entry{
			{At: at, Sender: "customer", Body: []byte(`{"text":"reply to a@b.example or +44 20 7946 0958"}`)},
			{At: at, Sender: "bot", Body: []byte(`{"type":"message","from":"bot","text":"Write to help@shop.example or call +44 20 7000 0001."}`)},
			{At: at, Sender: "agent", Body: []byte(`{"type":"message","from":"agent","text":"I will write to A@B.example or call 020 7946 0958 today."}`)},
		},
		Contacts: [][]byte{[]byte("a@b.example"), []byte("+44 20 7946 0958")},
		Blinds:   []string{"blind-a"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LeaveMessage(ctx, store.OfflineMessage{Subject: sess.SubjectID, Session: sess.ID, At: at, Text: "tent pole snapped, write to a@b.example"}); err != nil {
		t.Fatal(err)
	}

	withdrawn := granted
	withdrawn.Decision, withdrawn.At = "withdrawn", at.Add(time.Minute)
	if err := s.Commit(ctx, store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: withdrawn.At,
		Consents:     []compliance.ConsentRecord{withdrawn},
		Entries:      []store.Entry{{At: withdrawn.At, Sender: "customer", Body: []byte(`{"text":"withdraw consent for a@b.example"}`)}},
		DropContacts: true, Redactor: compliance.NewDetector(nil),
		// A contact typed in the withdrawing turn is not kept either.
		Contacts: [][]byte{[]byte("a@b.example")}, Blinds: []string{"blind-a"},
	}); err != nil {
		t.Fatal(err)
	}

	d, err := s.Export(ctx, sess.SubjectID)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, e := range d.Transcripts[sess.ID] {
		all.Write(e.Body)
		all.WriteByte('\n')
	}
	for _, m := range d.LeftMessages {
		all.WriteString(m.Text + "\n")
	}
	got := all.String()
	secrets := []string{"a@b.example", "A@B.example", "7946 0958"}
	for _, sec := range secrets {
		if strings.Contains(got, sec) {
			t.Errorf("CONS-5, MIN-1: %q still stored after withdrawal:\n%s", sec, got)
		}
	}
	for _, want := range []string{
		"reply to [email] or [phone]", "withdraw consent for [email]",
		"I will write to [email] or call [phone] today.",
		"help@shop.example or call +44 20 7000 0001", // not the customer's: stays
		"tent pole snapped, write to [email]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("stored text lacks %q:\n%s", want, got)
		}
	}
	if len(d.Contacts) != 0 || len(d.Unreadable) != 0 {
		t.Errorf("contacts %q, unreadable %v after withdrawal", d.Contacts, d.Unreadable)
	}
	if ids, _ := s.SubjectsByBlind(ctx, "blind-a"); len(ids) != 0 {
		t.Errorf("lookup hash kept after withdrawal: %v", ids)
	}
	recs, err := s.AuditRecords(ctx, compliance.EventRedaction)
	if err != nil || len(recs) != 1 || recs[0].Detail != "reason=withdrawal purpose=contact messages=3 left_messages=1 unanswered=0 unreadable=0" {
		t.Errorf("AUD-1: withdrawal redaction audit = %+v, %v", recs, err)
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
	// SEC-1: sealed anyway; nothing in clear in any database file.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for f, b := range rawContents(t, dir) {
		for _, sec := range secrets {
			if bytes.Contains(b, []byte(sec)) {
				t.Errorf("%q in clear in %s", sec, f)
			}
		}
	}
}

// DSR-1, DSR-2: one row that cannot be decrypted does not fail the export:
// the rest is exported, the row is listed (table and id) and the operator
// log names it without content.
func TestUnreadableRowIsolated(t *testing.T) {
	ctx := context.Background()
	s, dir, logBuf := openLogged(t)
	defer s.Close()
	sess := newSession(t, s, "s1")
	at := sess.CreatedAt.Add(time.Minute)
	var entries []store.Entry
	for _, text := range []string{"first line", "second line secret-words", "third line"} {
		entries = append(entries, store.Entry{At: at, Sender: "customer", Body: []byte(`{"text":"` + text + `"}`)})
	}
	if err := s.Commit(ctx, store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: at, Entries: entries,
		Contacts: [][]byte{[]byte("jane@example.com")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LeaveMessage(ctx, store.OfflineMessage{Subject: sess.SubjectID, Session: sess.ID, At: at, Text: "left words"}); err != nil {
		t.Fatal(err)
	}
	// Damage the second line and the contact as a bad disk would.
	db := rawDB(t, dir)
	var msgID, contactID int64
	if err := db.QueryRow(ph(`SELECT id FROM messages WHERE subject_id = ? ORDER BY id LIMIT 1 OFFSET 1`), sess.SubjectID).Scan(&msgID); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ph(`SELECT id FROM contacts WHERE subject_id = ?`), sess.SubjectID).Scan(&contactID); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE messages SET body = substr(body, 1, 20) || ` + zeroBytes(16) + ` WHERE id = ?`,
		`UPDATE contacts SET body = ` + hexBytes("00112233445566778899aabbccddeeff00112233445566778899") + ` WHERE id = ?`,
	} {
		id := msgID
		if strings.Contains(q, "contacts") {
			id = contactID
		}
		if _, err := db.Exec(ph(q), id); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	d, err := s.Export(ctx, sess.SubjectID)
	if err != nil {
		t.Fatalf("DSR-1: one damaged row failed the whole export: %v", err)
	}
	tr := d.Transcripts[sess.ID]
	if len(tr) != 2 || !strings.Contains(string(tr[0].Body), "first line") || !strings.Contains(string(tr[1].Body), "third line") {
		t.Errorf("readable lines not exported: %+v", tr)
	}
	if len(d.LeftMessages) != 1 || d.LeftMessages[0].Text != "left words" {
		t.Errorf("left messages = %+v", d.LeftMessages)
	}
	want := []store.UnreadableRow{{Table: "messages", ID: msgID}, {Table: "contacts", ID: contactID}}
	if len(d.Unreadable) != 2 || d.Unreadable[0] != want[0] || d.Unreadable[1] != want[1] {
		t.Errorf("unreadable = %+v, want %+v", d.Unreadable, want)
	}
	// The transcript alone (agent console, admin) also keeps the rest.
	if tr, err := s.Transcript(ctx, sess.SubjectID, sess.ID); err != nil || len(tr) != 2 {
		t.Errorf("Transcript = %d lines, %v", len(tr), err)
	}
	log := logBuf.String()
	if !strings.Contains(log, "table=messages id="+itoa(msgID)) || !strings.Contains(log, "table=contacts id="+itoa(contactID)) {
		t.Errorf("operator log does not name the rows:\n%s", log)
	}
	for _, secret := range []string{"secret-words", "jane@example.com", "first line"} {
		if strings.Contains(log, secret) {
			t.Errorf("log holds content %q:\n%s", secret, log)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// openLogged opens a store in a fresh folder with its operator log in a
// buffer, for the tests that damage rows and check what the log names.
func openLogged(t *testing.T) (*store.Store, string, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	logBuf := &bytes.Buffer{}
	s, err := store.Open(context.Background(), location(t, dir), store.Options{Crypto: crypto(t, key1),
		Logger: slog.New(slog.NewTextHandler(logBuf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s, dir, logBuf
}

// DSR-1, SEC-2: the agents' offline inbox, a subject's contact details and
// the owner's review list also skip a damaged row (logged by table and id)
// instead of failing for everyone.
func TestUnreadableRowSkippedInInboxContactsAndReview(t *testing.T) {
	ctx := context.Background()
	s, dir, logBuf := openLogged(t)
	defer s.Close()
	sess := newSession(t, s, "s1")
	at := sess.CreatedAt.Add(time.Minute)
	if err := s.Commit(ctx, store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: at,
		Contacts:   [][]byte{[]byte("a@b.example"), []byte("+44 20 7946 0958")},
		Unanswered: []string{"first question", "second question"}}); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"first left", "second left"} {
		if _, err := s.LeaveMessage(ctx, store.OfflineMessage{Subject: sess.SubjectID, Session: sess.ID, At: at, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	db := rawDB(t, dir)
	for _, table := range []string{"offline_messages", "contacts", "unanswered"} {
		if _, err := db.Exec(`UPDATE ` + table + ` SET body = ` + zeroBytes(48) + ` WHERE id = (SELECT min(id) FROM ` + table + `)`); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if msgs, err := s.OfflineMessages(ctx); err != nil || len(msgs) != 1 || msgs[0].Text != "second left" {
		t.Errorf("offline inbox = %+v, %v; want the readable message", msgs, err)
	}
	if cs, err := s.Contacts(ctx, sess.SubjectID); err != nil || len(cs) != 1 || cs[0] != "+44 20 7946 0958" {
		t.Errorf("contacts = %q, %v; want the readable one", cs, err)
	}
	if qs, err := s.ReviewQuestions(ctx, time.Time{}, 0); err != nil || len(qs) != 1 || qs[0].Question != "second question" {
		t.Errorf("review questions = %+v, %v; want the readable one", qs, err)
	}
	for _, table := range []string{"offline_messages", "contacts", "unanswered"} {
		if !strings.Contains(logBuf.String(), "table="+table+" id=1") {
			t.Errorf("log does not name %s row 1:\n%s", table, logBuf.String())
		}
	}
}
