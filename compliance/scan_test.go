package compliance

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SEC-1: the scanner finds plaintext in any file, in any of the forms it checks.
func TestScanDir(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "index"), 0o700))
	must(t, os.WriteFile(filepath.Join(dir, "a.db"), []byte("xxxxJane@Example.com yyy"), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "index", "seg"), utf16le("call +44 20 7946 0958"), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "clean"), []byte("nothing here"), 0o600))
	res, err := ScanDir(dir, []string{"Jane@Example.com", "+44 20 7946 0958", "absent", ""})
	if err != nil {
		t.Fatal(err)
	}
	if res.FilesScanned != 3 {
		t.Errorf("files scanned = %d, want 3", res.FilesScanned)
	}
	want := map[string]string{"Jane@Example.com": "a.db", "+44 20 7946 0958": filepath.Join("index", "seg")}
	got := map[string]string{}
	for _, h := range res.Found {
		got[h.Needle] = h.File
		if h.Needle == "Jane@Example.com" && h.Offset != 4 {
			t.Errorf("offset = %d, want 4", h.Offset)
		}
	}
	for n, f := range want {
		if got[n] != f {
			t.Errorf("needle %q found in %q, want %q", n, got[n], f)
		}
	}
	if _, ok := got["absent"]; ok {
		t.Error("found a needle that is not there")
	}
}

// SEC-1 (issue 10, H1/F7): key files are never read, so a scan is no
// oracle for the master key; they are named as skipped.
func TestScanDirSkipsKeyFiles(t *testing.T) {
	dir := t.TempDir()
	secret := "c2VjcmV0LW1hc3Rlci1rZXktbWF0ZXJpYWw="
	for _, name := range []string{"master.key", ".master.key-123", "tls.key", "server.pem", "custom-key.bin"} {
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(secret), 0o600))
	}
	must(t, os.WriteFile(filepath.Join(dir, "deskbot.db"), []byte("sealed"), 0o600))
	res, err := ScanDir(dir, []string{secret, secret[:6]}, filepath.Join(dir, "custom-key.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Found) != 0 {
		t.Errorf("found key material: %+v", res.Found)
	}
	if res.FilesScanned != 1 || len(res.Skipped) != 5 {
		t.Errorf("scanned %d, skipped %v; want 1 scanned and 5 key files skipped", res.FilesScanned, res.Skipped)
	}
}

func TestCheckScanNeedles(t *testing.T) {
	for _, bad := range [][]string{nil, {"abc"}, {"    x   "}, {strings.Repeat("a", MaxScanNeedleLen+1)}, make([]string, MaxScanNeedles+1)} {
		if err := CheckScanNeedles(bad); !errors.Is(err, ErrScanNeedles) {
			t.Errorf("CheckScanNeedles(%d needles) = %v, want ErrScanNeedles", len(bad), err)
		}
	}
	if err := CheckScanNeedles([]string{"4111111111111111", "robin@example.com"}); err != nil {
		t.Error(err)
	}
}

// Large files are streamed in chunks; a needle across a chunk boundary is
// found at its offset (SEC-1: nothing escapes the scan by position).
func TestScanDirAcrossChunkBoundary(t *testing.T) {
	dir := t.TempDir()
	b := bytes.Repeat([]byte{0}, 3*scanChunk)
	needle := "jane.doe@example.com"
	at := scanChunk - 7
	copy(b[at:], needle)
	copy(b[2*scanChunk-3:], utf16le("robin hood 0117 496 0000"))
	must(t, os.WriteFile(filepath.Join(dir, "big.db"), b, 0o600))
	res, err := ScanDir(dir, []string{needle, "robin hood 0117 496 0000"})
	if err != nil {
		t.Fatal(err)
	}
	if res.BytesScanned != int64(len(b)) {
		t.Errorf("bytes scanned = %d, want %d", res.BytesScanned, len(b))
	}
	got := map[string]int64{}
	for _, h := range res.Found {
		got[h.Needle] = h.Offset
	}
	if off, ok := got[needle]; !ok || off != int64(at) {
		t.Errorf("needle across the first boundary: %v, want offset %d", res.Found, at)
	}
	if off, ok := got["robin hood 0117 496 0000"]; !ok || off != int64(2*scanChunk-3) {
		t.Errorf("UTF-16 needle across the second boundary: %v, want offset %d", res.Found, 2*scanChunk-3)
	}
}

// must stops the test when setting up its files fails.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
