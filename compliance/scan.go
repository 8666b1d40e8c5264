package compliance

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// ScanHit is one plaintext occurrence found on disk.
type ScanHit struct {
	Needle string `json:"needle"`
	File   string `json:"file"` // relative to the scanned folder
	Offset int64  `json:"offset"`
}

// ScanResult is what ScanDir read and found.
type ScanResult struct {
	FilesScanned int       `json:"files_scanned"`
	BytesScanned int64     `json:"bytes_scanned"`
	Found        []ScanHit `json:"found"`
}

// ScanDir reads every file under dir as raw bytes and reports where any
// needle occurs in plain text, as typed, lower-cased, or UTF-16 encoded
// (SEC-1: no plaintext personal data in the database, its WAL or journal,
// the index, logs or temp files). Empty needles are ignored.
func ScanDir(dir string, needles []string) (ScanResult, error) {
	var res ScanResult
	type form struct {
		needle string
		b      []byte
	}
	var forms []form
	for _, n := range needles {
		if strings.TrimSpace(n) == "" {
			continue
		}
		seen := map[string]bool{}
		for _, v := range []string{n, strings.ToLower(n)} {
			if seen[v] {
				continue
			}
			seen[v] = true
			forms = append(forms, form{n, []byte(v)})
			forms = append(forms, form{n, utf16le(v)})
		}
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("scan %s: %w", p, err)
		}
		rel, _ := filepath.Rel(dir, p)
		res.FilesScanned++
		res.BytesScanned += int64(len(b))
		for _, f := range forms {
			if i := bytes.Index(b, f.b); i >= 0 {
				res.Found = append(res.Found, ScanHit{Needle: f.needle, File: rel, Offset: int64(i)})
			}
		}
		return nil
	})
	return res, err
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u))
	for _, r := range u {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
