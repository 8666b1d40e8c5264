package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deskbot/store"
)

// An agent's private note on a conversation is sealed with the customer's
// data key (SEC-1: no plaintext in any file of the data dir), exported with
// the customer's data (DSR-1, DSR-2), audited without its text, and erased
// with the subject (DSR-4: crypto-shredding).
func TestAgentNoteSealedExportedErased(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, key1)
	ctx := context.Background()
	sess := newSession(t, s, "n1")
	other := newSession(t, s, "n2")
	at := sess.CreatedAt.Add(time.Minute)

	if _, err := s.Note(ctx, sess.SubjectID, sess.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("no note yet: %v, want ErrNotFound", err)
	}
	const text = "customer prefers calls; parcel lost twice (note-marker-5521)"
	if err := s.SetNote(ctx, sess.SubjectID, sess.ID, "first draft note-marker-0001", "anna", at); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNote(ctx, sess.SubjectID, sess.ID, text, "ben", at.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	n, err := s.Note(ctx, sess.SubjectID, sess.ID)
	if err != nil || n.Text != text || n.UpdatedBy != "ben" || !n.UpdatedAt.Equal(at.Add(time.Second)) || n.Session != sess.ID {
		t.Fatalf("note = %+v, %v", n, err)
	}
	// Another subject's key cannot be used for it; another session has none.
	if _, err := s.Note(ctx, other.SubjectID, sess.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("note under another subject: %v", err)
	}
	if err := s.SetNote(ctx, other.SubjectID, sess.ID, "x", "anna", at); err == nil {
		t.Fatal("a note written under another subject's session")
	}

	// SEC-1: the raw files never hold the text.
	s.Close()
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte("note-marker-5521")) || bytes.Contains(b, []byte("note-marker-0001")) {
			t.Errorf("plaintext note in %s", p)
		}
		return nil
	})
	s = open(t, dir, key1)

	// The audit log says who saved a note on which session, never its text.
	recs, err := s.AuditRecords(ctx, store.EventAgentNote)
	if err != nil || len(recs) != 2 || recs[1].Actor != "ben" || recs[1].Subject != sess.SubjectID {
		t.Fatalf("audit = %+v, %v", recs, err)
	}
	for _, r := range recs {
		if strings.Contains(r.Detail, "marker") || strings.Contains(r.Detail, "parcel") {
			t.Errorf("audit detail holds the note: %q", r.Detail)
		}
	}

	// DSR-1, DSR-2: exported.
	d, err := s.Export(ctx, sess.SubjectID)
	if err != nil || len(d.Notes) != 1 || d.Notes[0].Text != text || d.Notes[0].Session != sess.ID {
		t.Fatalf("export notes = %+v, %v", d.Notes, err)
	}
	if d, _ := s.Export(ctx, other.SubjectID); len(d.Notes) != 0 {
		t.Fatalf("another subject's export has notes: %+v", d.Notes)
	}

	// Clearing deletes it (and is audited).
	if err := s.SetNote(ctx, other.SubjectID, other.ID, "short-lived", "anna", at); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNote(ctx, other.SubjectID, other.ID, "", "anna", at); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Note(ctx, other.SubjectID, other.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("cleared note: %v", err)
	}

	// DSR-4: erased with the subject; nothing can be written for it again.
	if _, err := s.Erase(ctx, sess.SubjectID, "customer", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Note(ctx, sess.SubjectID, sess.ID); !errors.Is(err, store.ErrErased) {
		t.Fatalf("note after erasure: %v, want ErrErased", err)
	}
	if err := s.SetNote(ctx, sess.SubjectID, sess.ID, "again", "anna", at.Add(2*time.Minute)); err == nil {
		t.Fatal("a note written for an erased subject")
	}
	s.Close()
	db := rawDB(t, dir)
	defer db.Close()
	var rows int
	if err := db.QueryRow(ph(`SELECT count(*) FROM agent_notes WHERE subject_id = ?`), sess.SubjectID).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("%d agent_notes rows left after erasure (%v)", rows, err)
	}
}
