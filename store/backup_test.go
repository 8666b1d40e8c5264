package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"deskbot/store"
)

// A snapshot taken beside live writes is consistent (every turn's state
// matches its transcript), restores into a new folder where the old session
// token resumes with its transcript, and a subject erased after the
// snapshot stays erased once the ledger is re-applied (DSR-4).
func TestSnapshotBesideWritesRestoresAndErasureHolds(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	ledger := filepath.Join(t.TempDir(), "keys", "erasures.ledger")
	s, err := store.Open(ctx, filepath.Join(dir, "deskbot.db"), store.Options{Crypto: crypto(t, key1), ErasureLedger: ledger})
	if err != nil {
		t.Fatal(err)
	}
	kept := newSession(t, s, "kept")
	at := kept.CreatedAt.Add(time.Minute)
	if err := s.AppendTurn(ctx, kept.SubjectID, kept.ID, at, []store.Entry{{At: at, Sender: "customer", Body: []byte("where is parcel 7?")}, {At: at, Sender: "bot", Body: []byte("It ships today.")}}, []byte(`{"turns":2}`)); err != nil {
		t.Fatal(err)
	}
	gone := newSession(t, s, "gone")
	if err := s.AppendTurn(ctx, gone.SubjectID, gone.ID, at, []store.Entry{{At: at, Sender: "customer", Body: []byte("please forget me later")}}, []byte(`{"turns":1}`)); err != nil {
		t.Fatal(err)
	}
	busy := newSession(t, s, "busy")
	// A writer keeps committing turns (one line, and the count in the
	// state) while the snapshots are taken.
	var n atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := s.AppendTurn(ctx, busy.SubjectID, busy.ID, at, []store.Entry{{At: at, Sender: "customer", Body: []byte("line " + strconv.Itoa(i))}}, []byte(`{"turns":`+strconv.Itoa(i)+`}`)); err != nil {
				t.Error(err)
				return
			}
			n.Store(int64(i))
		}
	}()
	for n.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	snapDir := t.TempDir()
	inProcess := filepath.Join(snapDir, "server.db")
	if err := s.Snapshot(ctx, inProcess); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(snapDir, "cli.db")
	if err := store.SnapshotFile(ctx, filepath.Join(dir, "deskbot.db"), other); err != nil {
		t.Fatal(err)
	}
	if err := s.Snapshot(ctx, inProcess); err == nil {
		t.Fatal("a snapshot overwrote an existing file")
	}
	close(stop)
	wg.Wait()
	if _, err := s.Erase(ctx, gone.SubjectID, "operator", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// The live store keeps working after the snapshots (locks intact).
	newSession(t, s, "after")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(other); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot file mode: %v, %v", fi, err)
	}
	erased, bad, err := store.ReadErasureLedger(ledger)
	if err != nil || bad != 0 || len(erased) != 1 {
		t.Fatalf("ledger = %v, bad %d, %v", erased, bad, err)
	}
	if _, ok := erased[store.SubjectHash(gone.SubjectID)]; !ok {
		t.Fatalf("ledger lacks the erased subject: %v", erased)
	}
	b, _ := os.ReadFile(ledger)
	if strings.Contains(string(b), gone.SubjectID) {
		t.Fatal("the ledger holds the subject id in clear")
	}
	for _, snap := range []string{inProcess, other} {
		t.Run(filepath.Base(snap), func(t *testing.T) {
			info, err := store.InspectFile(ctx, snap)
			if err != nil {
				t.Fatal(err)
			}
			if info.SchemaVersion != store.SchemaVersion() || info.Rows["sessions"] != 3 {
				t.Fatalf("snapshot info = %+v", info)
			}
			restored := t.TempDir()
			if err := os.Rename(snap, filepath.Join(restored, "deskbot.db")); err != nil {
				t.Fatal(err)
			}
			r := open(t, restored, key1)
			defer r.Close()
			// Before the ledger: the snapshot still holds the erased subject.
			if ok, _ := r.SubjectExists(ctx, gone.SubjectID); !ok {
				t.Fatal("snapshot taken before the erasure lacks the subject")
			}
			if c, err := r.ReapplyErasures(ctx, erased, "restore", time.Now()); err != nil || c != 1 {
				t.Fatalf("reapplied %d erasures, %v; want 1", c, err)
			}
			if ok, _ := r.SubjectExists(ctx, gone.SubjectID); ok {
				t.Fatal("erased subject's data key is back after restore")
			}
			if _, err := r.Export(ctx, gone.SubjectID); !errors.Is(err, store.ErrErased) {
				t.Fatalf("export of the erased subject after restore: %v, want ErrErased", err)
			}
			if _, err := r.SessionByToken(ctx, gone.TokenHash); err == nil {
				t.Fatal("erased subject's session resumes after restore")
			}
			sess, err := r.SessionByToken(ctx, kept.TokenHash)
			if err != nil {
				t.Fatalf("old token does not resume after restore: %v", err)
			}
			tr, err := r.Transcript(ctx, sess.SubjectID, sess.ID)
			if err != nil || len(tr) != 2 || string(tr[0].Body) != "where is parcel 7?" {
				t.Fatalf("restored transcript = %+v, %v", tr, err)
			}
			// Consistent: the busy session's state counts exactly the lines
			// the snapshot holds.
			bs, err := r.SessionByToken(ctx, busy.TokenHash)
			if err != nil {
				t.Fatal(err)
			}
			btr, err := r.Transcript(ctx, bs.SubjectID, bs.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf(`{"turns":%d}`, len(btr)); string(bs.State) != want || len(btr) < 20 {
				t.Fatalf("inconsistent snapshot: state %s with %d lines", bs.State, len(btr))
			}
			if _, err := r.VerifyAudit(ctx); err != nil {
				t.Fatalf("audit chain after re-applied erasure: %v", err)
			}
		})
	}
}
