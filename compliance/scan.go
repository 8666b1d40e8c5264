package compliance

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
	// Skipped names the key files that were not read (SEC-1: the scan is
	// no oracle for key material).
	Skipped []string `json:"skipped"`
}

// EventStorageScan is the audit event of one raw storage scan (AUD-1,
// SEC-2): who asked, how many needles, what was read and found.
const EventStorageScan = "storage_scan"

// Limits on what a scan may be asked, so it stays a check for personal
// data and not a probe for arbitrary bytes.
const (
	MaxScanNeedles   = 256
	MinScanNeedleLen = 4
	MaxScanNeedleLen = 4096
)

// ErrScanNeedles means the needles were not acceptable (none, too many,
// too short or too long).
var ErrScanNeedles = errors.New("scan: unacceptable needles")

// CheckScanNeedles reports whether needles are acceptable for a scan:
// 1..MaxScanNeedles needles of MinScanNeedleLen..MaxScanNeedleLen bytes.
func CheckScanNeedles(needles []string) error {
	if len(needles) == 0 || len(needles) > MaxScanNeedles {
		return fmt.Errorf("%w: send 1 to %d needles", ErrScanNeedles, MaxScanNeedles)
	}
	for _, n := range needles {
		if l := len(strings.TrimSpace(n)); l < MinScanNeedleLen || len(n) > MaxScanNeedleLen {
			return fmt.Errorf("%w: each needle must be %d to %d bytes", ErrScanNeedles, MinScanNeedleLen, MaxScanNeedleLen)
		}
	}
	return nil
}

// IsKeyFile reports whether a file name is key material the scan must
// never read: master.key (and its temporary files), any *.key, and TLS or
// keystore files.
func IsKeyFile(name string) bool {
	n := strings.ToLower(filepath.Base(name))
	if strings.Contains(n, MasterKeyFileName) || strings.Contains(n, ".key-") {
		return true
	}
	for _, ext := range []string{".key", ".pem", ".p12", ".pfx", ".jks", ".keystore", ".p8"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// ScanDir reads every file under dir as raw bytes and reports where any
// needle occurs in plain text, as typed, lower-cased, or UTF-16 encoded
// (SEC-1: no plaintext personal data in the database, its WAL or journal,
// the index, logs or temp files). Empty needles are ignored. Key files
// (IsKeyFile) and the paths in exclude are never opened; they are listed
// in Skipped.
//
// ScanDir must not run in a process that has the SQLite database open:
// closing a descriptor on deskbot.db, -wal or -shm drops every POSIX lock
// the process holds on that file, and another process may then unlink the
// live WAL (issue 10, H1). The server runs it in a child process
// (`deskbot` re-executed, app/scan_cmd.go).
func ScanDir(dir string, needles []string, exclude ...string) (ScanResult, error) {
	res := ScanResult{Found: []ScanHit{}, Skipped: []string{}}
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
	skip := map[string]bool{}
	for _, p := range exclude {
		if p == "" {
			continue
		}
		if abs, err := filepath.Abs(p); err == nil {
			skip[abs] = true
		}
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		abs, _ := filepath.Abs(p)
		if IsKeyFile(p) || skip[abs] {
			res.Skipped = append(res.Skipped, rel)
			return nil
		}
		pats := make([][]byte, len(forms))
		for i, f := range forms {
			pats[i] = f.b
		}
		n, at, err := scanFile(p, pats)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed while walking (a temp file, a checkpointed WAL)
		}
		if err != nil {
			return fmt.Errorf("scan %s: %w", p, err)
		}
		res.FilesScanned++
		res.BytesScanned += n
		for i, f := range forms {
			if at[i] >= 0 {
				res.Found = append(res.Found, ScanHit{Needle: f.needle, File: rel, Offset: at[i]})
			}
		}
		return nil
	})
	return res, err
}

// scanChunk is how much of a file is in memory at once: a database of
// hundreds of MB is streamed, not read whole.
const scanChunk = 4 << 20

// scanFile streams the file at path and returns its size and, for each
// pattern, the offset of its first occurrence or -1. Consecutive chunks
// overlap by the longest pattern's length minus one, so no occurrence
// across a chunk boundary is missed.
func scanFile(path string, pats [][]byte) (int64, []int64, error) {
	at := make([]int64, len(pats))
	longest := 1
	for i, p := range pats {
		at[i] = -1
		longest = max(longest, len(p))
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	buf := make([]byte, 0, scanChunk+longest)
	var base, total int64 // base: file offset of buf[0]
	for {
		m, err := io.ReadFull(f, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		total += int64(m)
		for i, p := range pats {
			if at[i] < 0 && len(p) > 0 {
				if j := bytes.Index(buf, p); j >= 0 {
					at[i] = base + int64(j)
				}
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return total, at, nil
		}
		if err != nil {
			return total, at, err
		}
		keep := min(longest-1, len(buf))
		base += int64(len(buf) - keep)
		copy(buf, buf[len(buf)-keep:])
		buf = buf[:keep]
	}
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u))
	for _, r := range u {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
