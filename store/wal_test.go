package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/store"
)

// walLoad drives the store the way a saturated server does: writers commit
// turns back to back (two transcript lines, the session state and now and
// then an audit record) while readers read transcripts, and the WAL's size
// is sampled with os.Stat (which opens nothing, so no lock is touched).
func walLoad(t testing.TB, s *store.Store, dir string, writers int, d time.Duration) (maxWAL int64, commits int64) {
	t.Helper()
	ctx := context.Background()
	sessions := make([]store.Session, writers)
	for i := range sessions {
		sessions[i] = newSession(t, s, fmt.Sprintf("load%d", i))
	}
	walPath := filepath.Join(dir, "deskbot.db-wal")
	stop := make(chan struct{})
	var wg, sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if fi, err := os.Stat(walPath); err == nil && fi.Size() > maxWAL {
				maxWAL = fi.Size()
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	body := bytes.Repeat([]byte("a customer question and the article's answer "), 8)
	var failed atomic.Bool
	for i, sess := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				now := time.Now()
				turn := store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: now, State: body,
					Entries: []store.Entry{{At: now, Sender: "customer", Body: body}, {At: now, Sender: "bot", Body: body}}}
				if n%10 == 0 {
					turn.Audit = []compliance.AuditRecord{{At: now, Event: compliance.EventRedaction, Subject: sess.SubjectID, Actor: "bot", Detail: "kinds=email"}}
				}
				if err := s.Commit(ctx, turn); err != nil {
					if failed.CompareAndSwap(false, true) {
						t.Error(err)
					}
					return
				}
				atomic.AddInt64(&commits, 1)
				if i%4 == 0 && n%5 == 0 { // readers on the pool, as resumes and exports are
					if _, err := s.Transcript(ctx, sess.SubjectID, sess.ID); err != nil && failed.CompareAndSwap(false, true) {
						t.Error(err)
					}
				}
			}
		}()
	}
	time.Sleep(d)
	close(stop)
	wg.Wait()
	sampler.Wait()
	return maxWAL, commits
}

const walBound = 64 << 20

// H2: the WAL stays bounded while commits never stop. Checkpoints run from
// the writer between batches, so no writer can starve them, and escalate
// to RESTART/TRUNCATE when the WAL grows. DESKBOT_WAL_TEST_DURATION=60s
// runs the full minute the issue asks for.
func TestWALStaysBoundedUnderSaturation(t *testing.T) {
	sqliteOnly(t)
	d := 4 * time.Second
	if v := os.Getenv("DESKBOT_WAL_TEST_DURATION"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil || d > 10*time.Minute {
			t.Fatalf("DESKBOT_WAL_TEST_DURATION=%q: want a duration up to 10m", v)
		}
	}
	dir := t.TempDir()
	s := open(t, dir, key1)
	defer s.Close()
	start := time.Now()
	maxWAL, commits := walLoad(t, s, dir, 100, d)
	el := time.Since(start)
	t.Logf("%s of saturation: %d turns committed (%.0f/s), max WAL %.1f MB", el.Round(time.Millisecond), commits, float64(commits)/el.Seconds(), float64(maxWAL)/(1<<20))
	if maxWAL > walBound {
		t.Fatalf("WAL reached %d bytes (%.1f MB) under load; want at most 64 MB", maxWAL, float64(maxWAL)/(1<<20))
	}
	if commits == 0 {
		t.Fatal("no commits")
	}
}

// BenchmarkSaturationWAL reports throughput and the WAL's high-water mark
// under the same load, per synchronous mode: go test ./store -run XXX
// -bench SaturationWAL -benchtime 1x (DESKBOT_WAL_TEST_DURATION sets the
// length of each run, default 10s).
func BenchmarkSaturationWAL(b *testing.B) {
	sqliteOnly(b)
	d := 10 * time.Second
	if v := os.Getenv("DESKBOT_WAL_TEST_DURATION"); v != "" {
		d, _ = time.ParseDuration(v)
	}
	for _, mode := range []string{store.SyncFull, store.SyncNormal} {
		b.Run(mode, func(b *testing.B) {
			for range b.N {
				dir := b.TempDir()
				s, err := store.Open(context.Background(), filepath.Join(dir, "deskbot.db"), store.Options{Crypto: crypto(b, key1), Sync: mode})
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				maxWAL, commits := walLoad(b, s, dir, 100, d)
				el := time.Since(start)
				s.Close()
				b.ReportMetric(float64(commits)/el.Seconds(), "turns/s")
				b.ReportMetric(float64(maxWAL)/(1<<20), "maxWAL-MB")
			}
		})
	}
}

// H2: a reader that holds a snapshot keeps the WAL from rewinding only
// while it holds it; the writer escalates (RESTART, TRUNCATE, each waiting
// at most 250 ms) and the WAL is back within bounds once the reader left.
func TestWALShrinksAfterPinningReaderLeaves(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	log, buf := captureLog()
	s, err := store.Open(context.Background(), filepath.Join(dir, "deskbot.db"), store.Options{Crypto: crypto(t, key1), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Another connection, through SQLite (never os functions on its files).
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "deskbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	walPath := filepath.Join(dir, "deskbot.db-wal")
	var pinnedMax int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(300 * time.Millisecond)
		tx, err := db.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Error(err)
			return
		}
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM messages`).Scan(&n); err != nil {
			t.Error(err)
		}
		time.Sleep(2 * time.Second) // the snapshot is held
		if fi, err := os.Stat(walPath); err == nil {
			pinnedMax = fi.Size()
		}
		tx.Rollback()
	}()
	maxWAL, commits := walLoad(t, s, dir, 100, 5*time.Second)
	<-done
	fi, err := os.Stat(walPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d turns; WAL %.1f MB while pinned, %.1f MB max, %.1f MB at the end", commits, float64(pinnedMax)/(1<<20), float64(maxWAL)/(1<<20), float64(fi.Size())/(1<<20))
	if fi.Size() > 40<<20 {
		t.Fatalf("WAL still %.1f MB after the reader left", float64(fi.Size())/(1<<20))
	}
	// Well past the RESTART bound while the reader still held on, a
	// RESTART must have found it in the way and said so.
	if pinnedMax > 28<<20 && !strings.Contains(buf.String(), "a reader holds an old snapshot") {
		t.Errorf("the writer did not say why the WAL could not be reset:\n%s", buf.String())
	}
}

// BenchmarkCommitParallel50Normal is BenchmarkCommitParallel50 under
// store.sync=normal, for the price of full.
func BenchmarkCommitParallel50Normal(b *testing.B) {
	sqliteOnly(b)
	s, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "deskbot.db"), store.Options{Crypto: crypto(b, key1), Sync: store.SyncNormal})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	sess := newSession(b, s, "bench")
	body := bytes.Repeat([]byte("x"), 200)
	b.SetParallelism(25)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			now := time.Now()
			if err := s.Commit(context.Background(), store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: now, State: body,
				Entries: []store.Entry{{At: now, Sender: "customer", Body: body}, {At: now, Sender: "bot", Body: body}}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
