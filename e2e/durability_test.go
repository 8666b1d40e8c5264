package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// H4 from outside: turns acknowledged over HTTP, then kill -9 and the WAL
// deleted (the server is dead; nothing of it holds a lock). The next start
// says at error level how many acknowledged records are missing, and
// `deskbot audit verify` exits non-zero naming the gap, instead of both
// passing in silence.
func TestBinaryReportsAcknowledgedRecordsLostWithWAL(t *testing.T) {
	dir, addr := t.TempDir(), freePort(t)
	s := start(t, dir, addr)
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			session := ""
			for {
				select {
				case <-stop:
					return
				default:
				}
				body, _ := json.Marshal(map[string]string{"session": session, "text": "How do I return an item?"})
				resp, err := http.Post(s.url+"/api/v1/chat", "application/json", bytes.NewReader(body))
				if err != nil {
					return
				}
				var out struct{ Session string }
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 {
					return
				}
				session = out.Session
				acked.Add(1)
			}
		}()
	}
	time.Sleep(700 * time.Millisecond) // commits keep coming: the WAL holds the latest
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
	close(stop)
	wg.Wait()
	if acked.Load() < 10 {
		t.Fatalf("only %d turns acknowledged before the kill", acked.Load())
	}
	db := filepath.Join(dir, "deskbot.db")
	if err := os.Remove(db + "-wal"); err != nil {
		t.Fatalf("no WAL after kill -9: %v", err)
	}

	s2 := start(t, dir, freePort(t))
	logs := s2.logs.String()
	m := regexp.MustCompile(`level=ERROR msg="store: (\d+) acknowledged records missing"`).FindStringSubmatch(logs)
	if m == nil {
		t.Fatalf("the start after the WAL was lost says nothing at error level:\n%s", logs)
	}
	s2.cmd.Process.Signal(syscall.SIGTERM)
	s2.cmd.Wait()

	out, err := exec.Command(binary, "audit", "verify", "--data-dir", dir).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "acknowledged records missing") {
		t.Fatalf("audit verify after the loss: err %v, output %s", err, out)
	}
	t.Logf("%d turns acknowledged; start: %s; audit verify: %s", acked.Load(), m[0], strings.TrimSpace(string(out)))
}

// H2 from outside: `deskbot load --sessions 100` against the served binary
// (limits raised) keeps the WAL at most 64 MB; the size is read with stat
// only. 8 s here; DESKBOT_WAL_TEST_DURATION=60s runs the minute.
func TestBinaryWALBoundedUnderLoad(t *testing.T) {
	d := 8 * time.Second
	if v := os.Getenv("DESKBOT_WAL_TEST_DURATION"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil || d > 10*time.Minute {
			t.Fatalf("DESKBOT_WAL_TEST_DURATION=%q: want a duration up to 10m", v)
		}
	}
	dir := t.TempDir()
	s := start(t, dir, freePort(t), "DESKBOT_LIMITS_MESSAGES_PER_MINUTE=600000", "DESKBOT_LIMITS_BURST=10000",
		"DESKBOT_LIMITS_NEW_SESSIONS_PER_MINUTE=100000", "DESKBOT_LIMITS_NEW_SESSIONS_BURST=100000")
	var maxWAL atomic.Int64
	done := make(chan struct{})
	go func() {
		for {
			if fi, err := os.Stat(filepath.Join(dir, "deskbot.db-wal")); err == nil && fi.Size() > maxWAL.Load() {
				maxWAL.Store(fi.Size())
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	out, err := exec.Command(binary, "load", "--target", s.url, "--sessions", "100", "--duration", d.String()).CombinedOutput()
	close(done)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	t.Logf("%s; max WAL %.1f MB", lines[len(lines)-1], float64(maxWAL.Load())/(1<<20))
	if maxWAL.Load() > 64<<20 {
		t.Fatalf("WAL reached %.1f MB under load; want at most 64 MB", float64(maxWAL.Load())/(1<<20))
	}
	if !strings.Contains(lines[len(lines)-1], "errors=0") {
		t.Errorf("load saw errors: %s", lines[len(lines)-1])
	}
}
