package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// The erasure ledger keeps erasures beyond the reach of backups (DSR-4).
// Restoring a backup brings back every customer it holds, including those
// who asked to be erased after it was taken. So every erasure is also
// appended, before its commit, to a small file that no backup contains and
// no restore replaces: one line per erasure with the SHA-256 of the
// pseudonymous subject id (SubjectHash) and the time — nothing that finds
// or describes a customer. `deskbot restore` reads it and erases those
// subjects again in the restored database (ReapplyErasures).

const ledgerFormat = "deskbot-erasure v1 subject_sha256=%s at=%s\n"

var ledgerRe = regexp.MustCompile(`^deskbot-erasure v1 subject_sha256=([0-9a-f]{64}) at=(\S+)$`)

// AppendErasureLedger appends one erasure to the ledger at path (created
// with mode 0600, its folder 0700) and syncs it.
func AppendErasureLedger(path, subject string, at time.Time) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("erasure ledger: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("erasure ledger: %w", err)
	}
	// One short write with O_APPEND: lines from the server and a CLI
	// command never interleave.
	_, err = fmt.Fprintf(f, ledgerFormat, SubjectHash(subject), at.UTC().Format(time.RFC3339Nano))
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("erasure ledger %s: %w", path, err)
	}
	return nil
}

// ReadErasureLedger returns the erasures in the ledger at path, by subject
// hash. A line that is not a ledger line (a torn last write) is counted in
// bad and skipped.
func ReadErasureLedger(path string) (erased map[string]time.Time, bad int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("erasure ledger: %w", err)
	}
	defer f.Close()
	erased = map[string]time.Time{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := ledgerRe.FindStringSubmatch(sc.Text())
		if m == nil {
			if sc.Text() != "" {
				bad++
			}
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, m[2])
		if err != nil {
			bad++
			continue
		}
		if prev, ok := erased[m[1]]; !ok || at.Before(prev) {
			erased[m[1]] = at
		}
	}
	if err := sc.Err(); err != nil {
		return nil, bad, fmt.Errorf("erasure ledger %s: %w", path, err)
	}
	return erased, bad, nil
}

// ledgerErasure records an erasure in the store's ledger, if it has one.
// A failure does not stop the erasure (the customer asked for it); it is
// logged at error level, without the subject, so the operator can act.
func (s *Store) ledgerErasure(subject string, at time.Time) {
	if s.ledger == "" {
		return
	}
	if err := AppendErasureLedger(s.ledger, subject, at); err != nil {
		s.log.Error("store: erasure not recorded in the erasure ledger; restoring an earlier backup would bring this customer back: record it again with `deskbot privacy erase`", "ledger", s.ledger, "subject_sha256", SubjectHash(subject), "err", err)
	}
}

// MergeErasureLedger appends to the ledger at path every erasure of
// erased (by subject hash) that it does not hold yet, e.g. the erasures a
// restore re-applied, so the restored data directory's ledger knows them.
func MergeErasureLedger(path string, erased map[string]time.Time) error {
	have := map[string]time.Time{}
	if _, err := os.Stat(path); err == nil {
		if have, _, err = ReadErasureLedger(path); err != nil {
			return err
		}
	}
	var b []byte
	for h, at := range erased {
		if _, ok := have[h]; !ok {
			b = fmt.Appendf(b, ledgerFormat, h, at.UTC().Format(time.RFC3339Nano))
		}
	}
	if len(b) == 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("erasure ledger: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("erasure ledger: %w", err)
	}
	_, err = f.Write(b)
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("erasure ledger %s: %w", path, err)
	}
	return nil
}
