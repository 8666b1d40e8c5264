package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"deskbot/app"
	"deskbot/config"
)

const scanToken = "scan-test-admin-token-0123456789"

func scanBot(t *testing.T) *app.Local {
	return startBot(t, func(c *config.Config) { c.AdminToken = config.Secret(scanToken) })
}

func postScan(t *testing.T, l *app.Local, needles ...string) (*http.Response, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(map[string][]string{"needles": needles})
	req, _ := http.NewRequest("POST", l.URL+"/api/v1/admin/scan", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+scanToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

// posixLocks lists this process's POSIX locks on path's inode, from /proc/locks.
func posixLocks(t *testing.T, path string) []string {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("/proc/locks")
	if err != nil {
		t.Skipf("no /proc/locks: %v", err)
	}
	suffix := fmt.Sprintf(":%d", st.Ino)
	pid := fmt.Sprint(os.Getpid())
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) >= 8 && f[1] == "POSIX" && f[4] == pid && strings.HasSuffix(f[5], suffix) {
			out = append(out, strings.Join(f[1:], " "))
		}
	}
	sort.Strings(out)
	return out
}

// lastingShmLocks keeps the -shm locks a SQLite connection holds for as
// long as it is open (the DMS byte at offset 128 and beyond), leaving out
// the write, checkpoint, recovery and read-mark bytes (120–127) that come
// and go with every transaction the server happens to be running. Closing
// a descriptor in the server would drop the lasting ones too.
func lastingShmLocks(locks []string) []string {
	var out []string
	for _, l := range locks {
		f := strings.Fields(l)
		if start, err := strconv.Atoi(f[len(f)-2]); err == nil && start >= 128 {
			out = append(out, l)
		}
	}
	return out
}

// Issue 10 H1 (SEC-1): a scan through the admin API leaves every POSIX lock
// the server's SQLite connections hold on the database and its -shm in
// place: the files are read by a child process, never opened and closed
// in the server's.
func TestAdminScanKeepsServerSQLiteLocks(t *testing.T) {
	l := scanBot(t)
	_, tok := openSession(t, l)
	_ = tok
	dir := l.App.Config.DataDir
	shm := filepath.Join(dir, "deskbot.db-shm")
	db := filepath.Join(dir, "deskbot.db")
	beforeShm, beforeDB := lastingShmLocks(posixLocks(t, shm)), posixLocks(t, db)
	if len(beforeShm) == 0 || len(beforeDB) == 0 {
		t.Fatalf("the server holds no lasting POSIX lock on the database (%v) or its -shm (%v): nothing to check", beforeDB, beforeShm)
	}
	resp, out := postScan(t, l, "robin@example.com")
	if resp.StatusCode != 200 {
		t.Fatalf("scan: HTTP %d %v", resp.StatusCode, out)
	}
	if n, _ := out["files_scanned"].(float64); n < 2 {
		t.Fatalf("the scan read %v files; want the database files among them", out["files_scanned"])
	}
	afterShm, afterDB := lastingShmLocks(posixLocks(t, shm)), posixLocks(t, db)
	if strings.Join(afterShm, "|") != strings.Join(beforeShm, "|") || strings.Join(afterDB, "|") != strings.Join(beforeDB, "|") {
		t.Fatalf("the scan changed the server's SQLite locks:\n-shm before %v\n-shm after  %v\ndb before %v\ndb after  %v", beforeShm, afterShm, beforeDB, afterDB)
	}
}

// Issue 10 H1/F7 (AUD-1, SEC-2): every scan is an audit event with its
// actor and without the needles; the API refuses needles too short to
// prove anything, and limits the rate (429 with Retry-After).
func TestAdminScanAuditedValidatedAndRateLimited(t *testing.T) {
	l := scanBot(t)
	if resp, _ := postScan(t, l, "abc"); resp.StatusCode != 400 {
		t.Errorf("a 3-byte needle: HTTP %d, want 400", resp.StatusCode)
	}
	if resp, _ := postScan(t, l); resp.StatusCode != 400 {
		t.Errorf("no needles: HTTP %d, want 400", resp.StatusCode)
	}
	resp, out := postScan(t, l, "drew@example.com")
	if resp.StatusCode != 200 {
		t.Fatalf("scan: HTTP %d %v", resp.StatusCode, out)
	}
	recs, err := l.App.Store.AuditRecords(ctxT(t), "storage_scan")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Actor != "admin" || strings.Contains(recs[0].Detail, "drew") {
		t.Fatalf("want one storage_scan audit record by admin without the needle, got %+v", recs)
	}
	if n, err := l.App.Store.VerifyAudit(ctxT(t)); err != nil {
		t.Fatalf("audit chain after %d records: %v", n, err)
	}
	// 30 scans asked at once: the bucket (burst 20, already one spent)
	// refuses the rest before any waits for the one scan slot, however
	// slowly the machine runs the scans themselves.
	var wg sync.WaitGroup
	var limited, noRetry atomic.Int32
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _ := json.Marshal(map[string][]string{"needles": {"drew@example.com"}})
			req, _ := http.NewRequest("POST", l.URL+"/api/v1/admin/scan", bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+scanToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err) // never Fatal outside the test's goroutine
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusTooManyRequests {
				limited.Add(1)
				if resp.Header.Get("Retry-After") == "" {
					noRetry.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if limited.Load() < 5 {
		t.Fatalf("30 scans at once: %d rate-limited, want at least 5 (about 10 less what refills while they arrive)", limited.Load())
	}
	if noRetry.Load() > 0 {
		t.Errorf("%d answers 429 without Retry-After", noRetry.Load())
	}
}
