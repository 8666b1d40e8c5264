package compliance

import (
	"os"
	"path/filepath"
	"testing"
)

// SEC-1: the scanner finds plaintext in any file, in any of the forms it checks.
func TestScanDir(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "index"), 0o700)
	os.WriteFile(filepath.Join(dir, "a.db"), []byte("xxxxJane@Example.com yyy"), 0o600)
	os.WriteFile(filepath.Join(dir, "index", "seg"), utf16le("call +44 20 7946 0958"), 0o600)
	os.WriteFile(filepath.Join(dir, "clean"), []byte("nothing here"), 0o600)
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
