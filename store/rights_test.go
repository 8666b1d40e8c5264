package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/store"
)

func commitSample(t *testing.T, s *store.Store, sess store.Session, at time.Time) {
	t.Helper()
	err := s.Commit(context.Background(), store.Turn{
		Subject: sess.SubjectID, Session: sess.ID, At: at,
		Entries:    []store.Entry{{At: at, Sender: "customer", Body: []byte("hello")}},
		Consents:   []compliance.ConsentRecord{{Purpose: "contact", Decision: "granted", TextVersion: "1", TextHash: "abc", At: at}},
		Contacts:   [][]byte{[]byte("jane@example.com")},
		Blinds:     []string{"blind-1"},
		Unanswered: []string{"where is [email]"},
		Audit:      []compliance.AuditRecord{{At: at, Event: compliance.EventConsent, Subject: sess.SubjectID, Detail: "purpose=contact decision=granted version=1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// DSR-2: the export covers sessions, transcripts, consents, contacts.
// DSR-4: erasure leaves only the request record and the audit entry.
func TestExportThenErase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, key1)
	defer s.Close()
	sess := newSession(t, s, "s1")
	at := sess.CreatedAt.Add(time.Minute)
	commitSample(t, s, sess, at)

	d, err := s.Export(ctx, sess.SubjectID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sessions) != 1 || len(d.Transcripts["s1"]) != 1 || len(d.Consents) != 1 || len(d.Contacts) != 1 || string(d.Contacts[0]) != "jane@example.com" || len(d.Unanswered) != 1 {
		t.Fatalf("export incomplete: %+v", d)
	}
	if ids, _ := s.SubjectsByBlind(ctx, "blind-1"); len(ids) != 1 || ids[0] != sess.SubjectID {
		t.Fatalf("lookup by blind = %v", ids)
	}

	n, err := s.Erase(ctx, sess.SubjectID, "customer", at.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if n.Sessions != 1 || n.Messages != 1 || n.Consents != 1 || n.Contacts != 1 {
		t.Fatalf("erase counts %+v", n)
	}
	if _, err := s.Transcript(ctx, sess.SubjectID, "s1"); !errors.Is(err, store.ErrErased) {
		t.Fatalf("transcript after erase: %v, want ErrErased", err)
	}
	// Only the request record and audit rows may still name the subject.
	db := rawDB(t, dir)
	defer db.Close()
	for _, table := range []string{"subjects", "sessions", "messages", "consents", "contacts", "lookup", "unanswered"} {
		col := "subject_id"
		if table == "subjects" {
			col = "id"
		}
		var c int
		db.QueryRow(ph("SELECT count(*) FROM "+table+" WHERE "+col+" = ?"), sess.SubjectID).Scan(&c)
		if c != 0 {
			t.Errorf("%s still holds %d rows about the erased subject", table, c)
		}
	}
	var req int
	db.QueryRow(ph("SELECT count(*) FROM requests WHERE kind='erasure' AND subject_ref = ?"), sess.SubjectID).Scan(&req)
	if req != 1 {
		t.Errorf("erasure request record missing")
	}
	recs, _ := s.AuditRecords(ctx, compliance.EventErasure)
	if len(recs) != 1 {
		t.Fatalf("erasure audit records = %d", len(recs))
	}
}

// AUD-1: the chain verifies, and an edited or deleted row is reported.
func TestAuditChainTamperDetected(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, key1)
	at := time.Date(2026, 11, 24, 9, 0, 0, 123456789, time.UTC)
	for i := 0; i < 5; i++ {
		if err := s.Audit(ctx, compliance.AuditRecord{At: at.Add(time.Duration(i) * time.Second), Event: compliance.EventDisclosure, Subject: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n != 5 {
		t.Fatalf("verify = %d, %v", n, err)
	}
	s.Close()
	db := rawDB(t, dir)
	defer db.Close()
	cases := []struct {
		name, sql string
		seq       int64
	}{
		{"edit detail", "UPDATE audit SET detail = 'forged' WHERE seq = 3", 3},
		{"delete row", "DELETE FROM audit WHERE seq = 2", 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tx, _ := db.Begin()
			if _, err := tx.Exec(tc.sql); err != nil {
				t.Fatal(err)
			}
			// Verify against the tampered state inside this transaction's view.
			rows, err := tx.Query("SELECT seq, at, event, subject, actor, detail, prev_hash, hash FROM audit ORDER BY seq")
			if err != nil {
				t.Fatal(err)
			}
			var recs []compliance.AuditRecord
			for rows.Next() {
				var r compliance.AuditRecord
				var a string
				rows.Scan(&r.Seq, &a, &r.Event, &r.Subject, &r.Actor, &r.Detail, &r.PrevHash, &r.Hash)
				r.At, _ = time.Parse(time.RFC3339Nano, a)
				recs = append(recs, r)
			}
			rows.Close()
			tx.Rollback()
			_, err = compliance.VerifyChain(compliance.SliceRecords(recs))
			var ce *compliance.ChainError
			if !errors.As(err, &ce) || ce.Seq != tc.seq {
				t.Fatalf("verify err = %v, want chain broken at %d", err, tc.seq)
			}
		})
	}
	// And through the store itself after a real edit.
	if _, err := db.Exec("UPDATE audit SET event = 'consent' WHERE seq = 4"); err != nil {
		t.Fatal(err)
	}
	s2 := open(t, dir, key1)
	defer s2.Close()
	_, err := s2.VerifyAudit(ctx)
	var ce *compliance.ChainError
	if !errors.As(err, &ce) || ce.Seq != 4 {
		t.Fatalf("store verify after edit: %v", err)
	}
}

// RET-1: a purge on day 31 removes a 30-day transcript and audits it.
func TestPurgeByRetention(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	sess := newSession(t, s, "s1")
	commitSample(t, s, sess, sess.CreatedAt)
	ret := store.Retention{Transcripts: 30 * 24 * time.Hour, Contacts: 90 * 24 * time.Hour, Consents: 730 * 24 * time.Hour}

	n, err := s.Purge(ctx, sess.CreatedAt.Add(29*24*time.Hour), ret)
	if err != nil || n.Total() != 0 {
		t.Fatalf("day 29 purge removed %+v, %v", n, err)
	}
	n, err = s.Purge(ctx, sess.CreatedAt.Add(31*24*time.Hour), ret)
	if err != nil || n.Messages != 1 || n.Sessions != 1 || n.Contacts != 0 {
		t.Fatalf("day 31 purge = %+v, %v", n, err)
	}
	if recs, _ := s.AuditRecords(ctx, compliance.EventPurge); len(recs) != 1 {
		t.Fatalf("purge audit entries = %d", len(recs))
	}
	n, _ = s.Purge(ctx, sess.CreatedAt.Add(91*24*time.Hour), ret)
	if n.Contacts != 1 {
		t.Fatalf("day 91 purge = %+v, want the contact gone", n)
	}
	n, _ = s.Purge(ctx, sess.CreatedAt.Add(731*24*time.Hour), ret)
	if n.Consents != 1 || n.Subjects != 1 {
		t.Fatalf("day 731 purge = %+v, want consent and subject key gone", n)
	}
	if ok, _ := s.SubjectExists(ctx, sess.SubjectID); ok {
		t.Fatal("subject key survived the purge of all its data")
	}
}

// RET-1, AUD-1: old audit records are purged and the rest still verifies.
func TestAuditRetentionKeepsChainVerifiable(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 10; i++ {
		if err := s.Audit(ctx, compliance.AuditRecord{At: start.Add(time.Duration(i) * 24 * time.Hour), Event: compliance.EventDisclosure, Subject: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Purge(ctx, start.Add(12*24*time.Hour), store.Retention{Transcripts: time.Hour, Contacts: time.Hour, Consents: time.Hour, Audit: 7 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if n.Audit != 5 { // days 0..4 are older than 7 days at day 12
		t.Fatalf("purged %d audit records, want 5", n.Audit)
	}
	v, err := s.VerifyAudit(ctx)
	if err != nil || v != 6 { // 5 kept + the purge's own record
		t.Fatalf("verify after audit purge: %d, %v", v, err)
	}
}

// DSR-4: once a subject is erased (here as by another process, with this
// store's key cache still warm), nothing more is written for it.
func TestCommitAfterEraseFails(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, key1)
	defer s.Close()
	sess := newSession(t, s, "s1")
	other := open(t, dir, key1)
	if _, err := other.Erase(ctx, sess.SubjectID, "operator", time.Now()); err != nil {
		t.Fatal(err)
	}
	other.Close()
	err := s.Commit(ctx, store.Turn{Subject: sess.SubjectID, At: time.Now(), Contacts: [][]byte{[]byte("x@example.com")}, Blinds: []string{"b"}, Unanswered: []string{"q"}})
	if !errors.Is(err, store.ErrErased) {
		t.Fatalf("commit after erasure: %v, want ErrErased", err)
	}
	if c, _ := s.CountSubject(ctx, sess.SubjectID); c.Contacts+c.Lookups+c.Unanswered != 0 {
		t.Fatalf("orphan rows written for an erased subject: %+v", c)
	}
}

// CONS-5: withdrawing consent removes the contact details and the lookup
// hashes that find them.
func TestDropContactsDropsLookups(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	sess := newSession(t, s, "s1")
	commitSample(t, s, sess, time.Now())
	if err := s.Commit(ctx, store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: time.Now(), DropContacts: true}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.SubjectsByBlind(ctx, "blind-1"); len(ids) != 0 {
		t.Fatalf("lookup still finds the subject after its contacts were dropped: %v", ids)
	}
}

// SEC-1: the database, its WAL and shared-memory files are private to the service.
func TestDatabaseFilesPrivate(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	s := open(t, dir, key1)
	newSession(t, s, "s1")
	for _, name := range []string{"deskbot.db", "deskbot.db-wal", "deskbot.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, readable by others", name, fi.Mode().Perm())
		}
	}
	s.Close()
}
