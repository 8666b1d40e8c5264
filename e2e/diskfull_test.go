package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// readyzWithin polls /readyz until it answers want (outcomes are cached
// for half a second) or 3 s pass.
func readyzWithin(t *testing.T, base string, want int) (int, []string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		code, why := readyz(t, base)
		if code == want || time.Now().After(deadline) {
			return code, why
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func readyz(t *testing.T, base string) (int, []string) {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Reasons []string }
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Reasons
}

// H3, as the issue asks to see it: /readyz fails while the data dir's
// filesystem is full, and recovers when space is freed. The data dir is a
// small tmpfs (needs root; skipped otherwise), filled with a file until
// ENOSPC.
func TestBinaryReadyzFailsWhenDiskFull(t *testing.T) {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() }) // runs after the server is killed
	dir := filepath.Join(mnt, "data")
	s := start(t, dir, freePort(t), "DESKBOT_LIMITS_MIN_FREE_DISK_MB=1")
	if code, why := readyz(t, s.url); code != 200 {
		t.Fatalf("/readyz = %d %v before the disk filled", code, why)
	}

	filler := filepath.Join(mnt, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	f.Close()
	code, why := readyzWithin(t, s.url, 503)
	if code != 503 || len(why) == 0 || why[0] != "free disk space low" {
		t.Fatalf("/readyz with the data dir's filesystem full = %d %v, want 503 [free disk space low]", code, why)
	}
	if resp, err := http.Get(s.url + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Errorf("/healthz with the disk full: %v %v; liveness must stay 200", resp, err)
	}

	os.Remove(filler)
	if code, why := readyzWithin(t, s.url, 200); code != 200 {
		t.Fatalf("/readyz = %d %v after space was freed, want 200", code, why)
	}
}
