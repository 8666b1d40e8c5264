package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 10 H1 (SEC-1): the scan runs in a child process of this very
// binary (here the test binary, whose init runs the child's side), reads
// the database files there, skips key files, and returns findings as JSON.
func TestChildScannerScansInAChildAndSkipsKeys(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "deskbot.db-wal"), []byte("....robin@example.com...."), 0o600)
	os.WriteFile(filepath.Join(dir, "master.key"), []byte("robin@example.com"), 0o600)
	keyFile := filepath.Join(dir, "operator-secret")
	os.WriteFile(keyFile, []byte("robin@example.com"), 0o600)
	scan := childScanner(exe, dir, []string{keyFile})
	res, err := scan(context.Background(), []string{"robin@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Found) != 1 || res.Found[0].File != "deskbot.db-wal" || res.Found[0].Offset != 4 {
		t.Errorf("found %+v, want one hit in deskbot.db-wal at 4", res.Found)
	}
	if res.FilesScanned != 1 || len(res.Skipped) != 2 {
		t.Errorf("scanned %d, skipped %v; want 1 scanned, master.key and the excluded file skipped", res.FilesScanned, res.Skipped)
	}
}

func TestChildScannerErrors(t *testing.T) {
	needles := []string{"robin@example.com"}
	if _, err := childScanner("", t.TempDir(), nil)(context.Background(), needles); !errors.Is(err, ErrScanFailed) {
		t.Errorf("no executable: %v, want ErrScanFailed", err)
	}
	if _, err := childScanner(filepath.Join(t.TempDir(), "nope"), t.TempDir(), nil)(context.Background(), needles); !errors.Is(err, ErrScanFailed) {
		t.Errorf("missing executable: %v, want ErrScanFailed", err)
	}
	exe, _ := os.Executable()
	_, err := childScanner(exe, filepath.Join(t.TempDir(), "missing"), nil)(context.Background(), needles)
	if !errors.Is(err, ErrScanFailed) || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing data dir: %v, want ErrScanFailed naming it", err)
	}
}

// The child's side refuses needles the admin API would refuse.
func TestRunScanChildRefusesBadNeedles(t *testing.T) {
	var out, errw bytes.Buffer
	if code := runScanChild(strings.NewReader(`{"dir":".","needles":["ab"]}`), &out, &errw); code != 2 || out.Len() != 0 {
		t.Errorf("exit %d, output %q; want 2 and nothing", code, out.String())
	}
}
