package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/store"
)

func crypto(t testing.TB, raw string) store.Crypto {
	t.Helper()
	mk, err := compliance.NewMasterKey([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return store.Crypto{
		Wrapper:    mk,
		NewCipher:  func(dk []byte) (store.Cipher, error) { return compliance.NewSealer(dk) },
		NewDataKey: compliance.NewDataKey,
	}
}

const key1 = "0123456789abcdef0123456789abcdef"

func open(t testing.TB, dir, key string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), location(t, dir), store.Options{Crypto: crypto(t, key)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newSession(t testing.TB, s *store.Store, id string) store.Session {
	t.Helper()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	sess := store.Session{ID: id, SubjectID: "subj-" + id, TokenHash: []byte("hash-" + id), Profile: "eu", CreatedAt: now, LastSeen: now, State: []byte(`{"turns":1}`)}
	if err := s.CreateSession(context.Background(), sess); err != nil {
		t.Fatal(err)
	}
	return sess
}

// SEC-1: transcripts round-trip, and no plaintext reaches any file in the
// data dir (database, WAL, journal), before or after a clean close.
func TestTranscriptEncryptedAtRest(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, key1)
	ctx := context.Background()
	sess := newSession(t, s, "s1")
	secret := "my secret phrase is purple-elephant-4711"
	at := sess.CreatedAt.Add(time.Minute)
	if err := s.AppendTurn(ctx, sess.SubjectID, sess.ID, at, []store.Entry{{At: at, Sender: "customer", Body: []byte(secret)}}, []byte(`{"turns":2,"note":"state-marker-9931"}`)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Transcript(ctx, sess.SubjectID, sess.ID)
	if err != nil || len(got) != 1 || string(got[0].Body) != secret || got[0].Sender != "customer" {
		t.Fatalf("transcript = %+v, %v", got, err)
	}
	scan := func(when string) {
		if onPostgres { // what pg_dump would show
			for src, b := range rawContents(t, dir) {
				for _, needle := range []string{"purple-elephant-4711", "state-marker-9931"} {
					if bytes.Contains(b, []byte(needle)) {
						t.Errorf("%s: plaintext %q in %s", when, needle, src)
					}
				}
			}
			return
		}
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() {
				return err
			}
			b, _ := os.ReadFile(p)
			for _, needle := range []string{"purple-elephant-4711", "state-marker-9931"} {
				if i := bytes.Index(b, []byte(needle)); i >= 0 {
					t.Errorf("%s: plaintext %q in %s at offset %d", when, needle, p, i)
				}
			}
			return nil
		})
	}
	scan("while open")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	scan("after close")

	// The session and its state survive a restart.
	s2 := open(t, dir, key1)
	defer s2.Close()
	row, err := s2.SessionByToken(ctx, []byte("hash-s1"))
	if err != nil || row.ID != "s1" || !bytes.Contains(row.State, []byte("state-marker-9931")) {
		t.Fatalf("after reopen: %+v, %v", row, err)
	}
}

// SEC-1: data keys are wrapped by the master key; another key cannot read.
func TestWrongMasterKeyCannotRead(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, key1)
	sess := newSession(t, s, "s1")
	s.Close()
	s2 := open(t, dir, "ffffffffffffffffffffffffffffffff")
	defer s2.Close()
	if _, err := s2.Transcript(context.Background(), sess.SubjectID, sess.ID); err == nil {
		t.Fatal("transcript readable with the wrong master key")
	}
}

func TestUnknownSession(t *testing.T) {
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	if _, err := s.SessionByToken(context.Background(), []byte("nope")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

// Concurrent writers share batched commits; every acknowledged write is there.
func TestConcurrentAppendsAllDurable(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, key1)
	ctx := context.Background()
	const sessions, perSession = 20, 25
	var wg sync.WaitGroup
	for i := 0; i < sessions; i++ {
		sess := newSession(t, s, fmt.Sprintf("s%d", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < perSession; j++ {
				e := store.Entry{At: time.Now(), Sender: "customer", Body: []byte(fmt.Sprintf("m%d", j))}
				if err := s.AppendTurn(ctx, sess.SubjectID, sess.ID, e.At, []store.Entry{e}, nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	s.Close()
	s2 := open(t, dir, key1)
	defer s2.Close()
	for i := 0; i < sessions; i++ {
		id := fmt.Sprintf("s%d", i)
		got, err := s2.Transcript(ctx, "subj-"+id, id)
		if err != nil || len(got) != perSession {
			t.Fatalf("%s: %d entries, %v", id, len(got), err)
		}
		for j, e := range got {
			if string(e.Body) != fmt.Sprintf("m%d", j) {
				t.Fatalf("%s: entry %d = %q, order lost", id, j, e.Body)
			}
		}
	}
}

func TestWriteAfterCloseFails(t *testing.T) {
	s := open(t, t.TempDir(), key1)
	sess := newSession(t, s, "s1")
	s.Close()
	err := s.AppendTurn(context.Background(), sess.SubjectID, sess.ID, time.Now(), nil, nil)
	if !errors.Is(err, store.ErrClosed) {
		t.Fatalf("err = %v, want ErrClosed", err)
	}
}

func BenchmarkAppendTurnParallel(b *testing.B) {
	s := open(b, b.TempDir(), key1)
	defer s.Close()
	sess := newSession(b, s, "bench")
	body := bytes.Repeat([]byte("x"), 200)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			now := time.Now()
			if err := s.AppendTurn(context.Background(), sess.SubjectID, sess.ID, now, []store.Entry{{At: now, Sender: "customer", Body: body}}, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
