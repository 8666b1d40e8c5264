package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A config file changed under a running server is logged with the advice
// to restart: only kb_dir's articles reload by themselves.
func TestConfigFileChangeSaysRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(file, []byte("answer:\n  threshold: 0\n"), 0o600)
	var logs lockedBuf
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		watchConfigFile(ctx, file, 10*time.Millisecond, nil, slog.New(slog.NewTextHandler(&logs, nil)))
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	if logs.String() != "" {
		t.Fatalf("logged before any change: %s", logs.String())
	}
	// Two steps (write, then touch), as editors save: one warning.
	os.WriteFile(file, []byte("answer:\n  threshold: 0.5\n"), 0o600)
	os.Chtimes(file, time.Now().Add(time.Second), time.Now().Add(time.Second))
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(logs.String(), "restart") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if out := logs.String(); !strings.Contains(out, "level=WARN") || !strings.Contains(out, "restart deskbot") || !strings.Contains(out, file) {
		t.Fatalf("no restart warning after the config file changed:\n%s", out)
	}
	if n := strings.Count(logs.String(), "restart deskbot"); n != 1 {
		t.Fatalf("warned %d times for one change", n)
	}
	cancel()
	<-done
}

// A change a SIGHUP reload has already read is not warned about (the
// reload logged what it applied); a later change is.
func TestConfigFileChangeReadByReloadNotWarned(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(file, []byte("answer:\n  threshold: 0\n"), 0o600)
	var logs lockedBuf
	var mu sync.Mutex
	var readAt time.Time
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		watchConfigFile(ctx, file, 10*time.Millisecond, func() time.Time { mu.Lock(); defer mu.Unlock(); return readAt },
			slog.New(slog.NewTextHandler(&logs, nil)))
		close(done)
	}()
	time.Sleep(30 * time.Millisecond)
	// Changed, and read by a reload just after (set first, so that no
	// tick sees the change before the reload's time).
	changed := time.Now().Add(time.Second)
	mu.Lock()
	readAt = changed.Add(time.Millisecond)
	mu.Unlock()
	os.WriteFile(file, []byte("answer:\n  threshold: 0.5\n"), 0o600)
	os.Chtimes(file, changed, changed)
	time.Sleep(100 * time.Millisecond)
	if out := logs.String(); out != "" {
		t.Fatalf("warned of a change the reload read:\n%s", out)
	}
	later := changed.Add(time.Second)
	os.WriteFile(file, []byte("answer:\n  threshold: 0.6\n"), 0o600)
	os.Chtimes(file, later, later)
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(logs.String(), "restart deskbot") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "restart deskbot") {
		t.Fatal("no warning for a change after the reload")
	}
	cancel()
	<-done
}
