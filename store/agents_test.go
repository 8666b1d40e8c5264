package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"deskbot/store"
)

func TestAgentAccountsAndSessions(t *testing.T) {
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	a := store.Agent{Name: "anna", DisplayName: "Anna", PasswordHash: "$argon2id$x", CreatedAt: now}
	if err := s.CreateAgent(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAgent(ctx, a); !errors.Is(err, store.ErrExists) {
		t.Fatalf("second CreateAgent = %v, want ErrExists", err)
	}
	got, err := s.AgentByName(ctx, "anna")
	if err != nil || got.DisplayName != "Anna" || got.PasswordHash != "$argon2id$x" {
		t.Fatalf("AgentByName = %+v, %v", got, err)
	}
	if _, err := s.AgentByName(ctx, "bob"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown agent: %v", err)
	}
	list, err := s.Agents(ctx)
	if err != nil || len(list) != 1 || list[0].PasswordHash != "" {
		t.Fatalf("Agents = %+v, %v (hashes must not be listed)", list, err)
	}
	h := []byte("token-hash-0000000000000000000000")
	if err := s.CreateAgentSession(ctx, store.AgentSession{TokenHash: h, Agent: "anna", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if as, err := s.AgentSessionByHash(ctx, h, now.Add(time.Minute)); err != nil || as.Agent != "anna" {
		t.Fatalf("live session = %+v, %v", as, err)
	}
	if _, err := s.AgentSessionByHash(ctx, h, now.Add(2*time.Hour)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired session: %v, want ErrNotFound", err)
	}
	// A new password ends every session.
	if err := s.SetAgentPassword(ctx, "anna", "$argon2id$y"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AgentSessionByHash(ctx, h, now.Add(time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("session after password change: %v, want ErrNotFound", err)
	}
}

// SEC-1, DSR-4: offline messages are sealed at rest and go with erasure.
func TestOfflineMessagesSealedAndErased(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, key1)
	ctx := context.Background()
	sess := newSession(t, s, "off1")
	other := newSession(t, s, "off2")
	secret := "please call me about order tangerine-9981"
	id, err := s.LeaveMessage(ctx, store.OfflineMessage{Subject: sess.SubjectID, Session: sess.ID, At: sess.CreatedAt, Text: secret})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LeaveMessage(ctx, store.OfflineMessage{Subject: other.SubjectID, Session: other.ID, At: sess.CreatedAt, Text: "second"}); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.OfflineMessages(ctx)
	if err != nil || len(msgs) != 2 || msgs[0].Text != secret || msgs[0].ID != id {
		t.Fatalf("OfflineMessages = %+v, %v", msgs, err)
	}
	if err := s.MarkOfflineHandled(ctx, msgs[1].ID, "anna", sess.CreatedAt); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountOfflineMessages(ctx); n != 1 {
		t.Fatalf("open offline messages = %d, want 1", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte("tangerine-9981")) {
			t.Fatalf("offline message in clear in %s (SEC-1)", filepath.Base(f))
		}
	}
	s = open(t, dir, key1)
	defer s.Close()
	if _, err := s.Erase(ctx, sess.SubjectID, "customer", sess.CreatedAt); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountOfflineMessages(ctx); n != 0 {
		t.Fatalf("offline messages after erasure = %d, want 0 (DSR-4)", n)
	}
}
