package e2e

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// startUntil runs the binary as an operator would and waits until path
// (/readyz, or /healthz for a server expected not to be ready) answers 200.
func startUntil(t *testing.T, path, dataDir, addr string, extraEnv ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, "--listen", addr, "--data-dir", dataDir)
	cmd.Dir = t.TempDir() // no config.yaml: embedded defaults
	cmd.Env = append(os.Environ(), "DESKBOT_MASTER_KEY="+masterKey, "DESKBOT_ADMIN_TOKEN="+admin,
		"DESKBOT_LIMITS_MESSAGES_PER_MINUTE=6000", "DESKBOT_LIMITS_BURST=500")
	cmd.Env = append(cmd.Env, extraEnv...)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, url: "http://" + addr, logs: logs}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.url + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not answer 200 on %s; logs:\n%s", path, logs)
	return nil
}

// readyzBody is /readyz's JSON answer.
type readyzBody struct {
	Status  string   `json:"status"`
	Reasons []string `json:"reasons"`
}

// getReadyz asks base's /readyz and returns its status code and answer; an
// answer that is not that JSON fails the test.
func getReadyz(t *testing.T, base string) (int, readyzBody) {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body readyzBody
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// H3 from outside: with less free space in the data dir than
// limits.min_free_disk_mb, the process is live (/healthz 200) but not
// ready (/readyz 503 with a JSON reason and no path); the server log
// names the directory and the figures.
func TestBinaryReadyzFailsBelowDiskFloor(t *testing.T) {
	s := startUntil(t, "/healthz", t.TempDir(), freePort(t), "DESKBOT_LIMITS_MIN_FREE_DISK_MB=1099511627776")
	code, body := getReadyz(t, s.url)
	if code != 503 || body.Status != "unavailable" || len(body.Reasons) != 1 || body.Reasons[0] != "free disk space low" {
		t.Fatalf("/readyz = %d %+v, want 503 [free disk space low]", code, body)
	}
	// The log line travels through a pipe; give it a moment.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(s.logs.String(), "free disk space below limits.min_free_disk_mb"); {
		if time.Now().After(deadline) {
			t.Fatalf("the server log should say why it is not ready:\n%s", s.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// H3 from outside, the reliability run's case: with the audit table's root
// page zeroed, the server starts and /healthz answers 200 (the process is
// up), but no chat can be opened, and /readyz says so (503, "database not
// writable") instead of sending customers to it.
func TestBinaryReadyzFailsOnDamagedDatabase(t *testing.T) {
	dir, addr := t.TempDir(), freePort(t)
	s := start(t, dir, addr)
	tok := chatHTTP(t, s.url, "", "")
	chatHTTP(t, s.url, tok, "How do I return an item?")
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait() // a clean stop checkpoints everything into deskbot.db

	dbPath := filepath.Join(dir, "deskbot.db")
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = 'audit'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	db.Close()
	f, err := os.OpenFile(dbPath, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, pageSize), (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()

	s2 := startUntil(t, "/healthz", dir, addr)
	resp, err := http.Post(s2.url+"/api/v1/chat", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == 200 {
		t.Fatal("a chat opened on the damaged database: the test's premise does not hold")
	}
	code, body := getReadyz(t, s2.url)
	if code != 503 || len(body.Reasons) == 0 || body.Reasons[0] != "database not writable" {
		t.Fatalf("/readyz on a damaged database = %d %+v, want 503 [database not writable]", code, body)
	}
}
