package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"deskbot/compliance"
)

// Durability without silence (H4; AUD-1, DSR-4). SQLite recovers from a
// damaged or missing WAL by opening the database as of its last
// checkpoint: acknowledged turns, consent records and erasure records in
// the WAL vanish without a word. So every commit also counts, in the same
// transaction, the writes it acknowledges and the highest audit seq, and
// after the commit (before anyone is answered) the writer copies those
// two numbers to a small file beside the database, the commit mark
// DATA_DIR/deskbot.db.commit — never the database, WAL or shm file, whose
// descriptors must not be opened and closed (POSIX locks). Under
// store.sync=full each batch's mark is also synced, by a second goroutine
// within one fsync of the reply (commitMark).
//
// At Open the mark is read before the database; if the database holds
// fewer writes or a lower audit seq than the mark, the difference was
// acknowledged and lost. Open logs "N acknowledged records missing" at
// error level and records the loss in the database (durability_loss), so
// `deskbot audit verify` keeps failing and naming the gap after the mark
// has moved on.

const durabilitySchema = `CREATE TABLE IF NOT EXISTS durability (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		writes INTEGER NOT NULL,
		audit_seq INTEGER NOT NULL
	);
	CREATE TABLE IF NOT EXISTS durability_loss (
		id INTEGER PRIMARY KEY,
		detected_at INTEGER NOT NULL,
		writes INTEGER NOT NULL,
		audit_from INTEGER NOT NULL,
		audit_to INTEGER NOT NULL,
		mark TEXT NOT NULL
	);
	CREATE TABLE IF NOT EXISTS durability_loss_accepted (
		loss_id INTEGER PRIMARY KEY REFERENCES durability_loss(id),
		at INTEGER NOT NULL,
		actor TEXT NOT NULL,
		note TEXT NOT NULL
	);`

// markVals are the counts a commit mark holds.
type markVals struct {
	Writes   int64 // acknowledged writes committed since the database was created
	AuditSeq int64 // highest audit seq ever committed
}

// Loss describes acknowledged writes found missing at start.
type Loss struct {
	Writes             int64 // acknowledged writes (turns, sessions, consents, erasures…) missing
	AuditFrom, AuditTo int64 // audit seqs acknowledged but missing; 0 when none
	DetectedAt         time.Time
	Mark               string // the commit mark file
}

func (l Loss) String() string {
	s := fmt.Sprintf("%d acknowledged records missing", l.Writes)
	if l.AuditTo > 0 {
		s += fmt.Sprintf(" (audit seq %d..%d lost; later records reuse those numbers)", l.AuditFrom, l.AuditTo)
	}
	if !l.DetectedAt.IsZero() {
		s += ", detected at start " + l.DetectedAt.UTC().Format(time.RFC3339)
	}
	return s + " against the commit mark " + l.Mark
}

// Loss returns what Open found missing against the commit mark, or nil.
func (s *Store) Loss() *Loss { return s.openLoss }

// MarkPath returns the commit mark file of the database at dbPath.
func MarkPath(dbPath string) string { return dbPath + ".commit" }

const markFormat = "deskbot-commit-mark v1 writes=%020d audit_seq=%020d"

var markRe = regexp.MustCompile(`^deskbot-commit-mark v1 writes=(\d{20}) audit_seq=(\d{20}) crc32=([0-9a-f]{8})\n$`)

func encodeMark(m markVals) []byte {
	body := fmt.Sprintf(markFormat, m.Writes, m.AuditSeq)
	return []byte(fmt.Sprintf("%s crc32=%08x\n", body, crc32.ChecksumIEEE([]byte(body))))
}

// readMark reads a commit mark; ok is false when there is none.
func readMark(path string) (m markVals, ok bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("commit mark %s: %w", path, err)
	}
	p := markRe.FindSubmatch(b)
	if p == nil {
		return m, false, fmt.Errorf("commit mark %s: unreadable (%d bytes)", path, len(b))
	}
	body := fmt.Sprintf(markFormat, atoi(p[1]), atoi(p[2]))
	if fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(body))) != string(p[3]) {
		return m, false, fmt.Errorf("commit mark %s: checksum mismatch", path)
	}
	return markVals{Writes: atoi(p[1]), AuditSeq: atoi(p[2])}, true, nil
}

func atoi(b []byte) int64 { n, _ := strconv.ParseInt(string(b), 10, 64); return n }

// commitMark is the open mark file, written by the writer goroutine only.
// The write itself (into the page cache, which outlives a process crash)
// happens before the batch is answered; under store.sync=full a second
// goroutine then syncs it to the disk, overlapping the next batch instead
// of adding a second fsync to every commit (it cost a third of the
// store's commit rate). Each batch's mark is synced within one fsync of
// its reply; a power loss in that window cannot lose the batch itself
// (its WAL frames were synced), only shorten what a later WAL loss would
// be measured against.
type commitMark struct {
	f       *os.File
	path    string
	sync    bool
	written markVals
	pending markVals // set by runTx after a commit
	failing bool

	syncReq  chan struct{} // capacity 1: one request covers every write before it
	syncDone chan struct{}
	log      func(msg string, args ...any)
}

func newCommitMark(f *os.File, path string, sync bool, log func(string, ...any)) *commitMark {
	m := &commitMark{f: f, path: path, sync: sync, log: log}
	if sync {
		m.syncReq, m.syncDone = make(chan struct{}, 1), make(chan struct{})
		go m.syncer()
	}
	return m
}

func (m *commitMark) syncer() {
	defer close(m.syncDone)
	failing := false
	for range m.syncReq {
		err := syncData(m.f)
		if err != nil && !failing {
			m.log("store: cannot sync the commit mark; after a power loss, records lost with the WAL could go unreported", "file", m.path, "err", err)
		}
		failing = err != nil
	}
}

func (m *commitMark) close() error {
	if m == nil || m.f == nil {
		return nil
	}
	var err error
	if m.sync {
		close(m.syncReq)
		<-m.syncDone
		err = syncData(m.f)
	}
	err = errors.Join(err, m.f.Close())
	m.f = nil
	return err
}

// writeMark copies the counts of the last commit to the mark file before
// the batch's writers are answered, and asks for it to be synced.
func (s *Store) writeMark() {
	if s.pg {
		return
	}
	m := s.mark
	if m == nil || m.f == nil || m.pending == m.written {
		return
	}
	if _, err := m.f.WriteAt(encodeMark(m.pending), 0); err != nil {
		// The commit itself stands; only the check at the next start is
		// weaker until the mark can be written again.
		if !m.failing {
			s.log.Error("store: cannot write the commit mark; lost acknowledged records would go unreported", "file", m.path, "err", err)
		}
		m.failing = true
		return
	}
	if m.failing {
		s.log.Info("store: commit mark written again", "file", m.path)
	}
	m.failing = false
	m.written = m.pending
	if m.sync {
		select {
		case m.syncReq <- struct{}{}:
		default: // a sync is already due; it will cover this write
		}
	}
}

// bumpCommitCount counts n acknowledged writes in tx and returns the new
// counts for the mark.
func bumpCommitCount(ctx context.Context, tx *Tx, n int) (markVals, error) {
	var m markVals
	// An upsert, so a missing row (deleted by hand) cannot fail every commit.
	err := tx.QueryRowContext(ctx, `INSERT INTO durability(id, writes, audit_seq) VALUES(1, ?1, coalesce((SELECT max(seq) FROM audit), 0))
		ON CONFLICT(id) DO UPDATE SET writes = writes + ?1, audit_seq = max(audit_seq, excluded.audit_seq)
		RETURNING writes, audit_seq`, n).
		Scan(&m.Writes, &m.AuditSeq)
	if err != nil {
		return m, fmt.Errorf("store: commit count: %w", err)
	}
	return m, nil
}

// openDurability compares the commit mark with the database, reports and
// records a loss, and opens the mark for writing.
func (s *Store) openDurability(ctx context.Context) error {
	markPath := MarkPath(s.path)
	mark, haveMark, merr := readMark(markPath)
	if merr != nil {
		s.log.Error("store: the commit mark cannot be read; acknowledged records lost from the WAL would go unreported; it is rewritten now", "file", markPath, "err", merr)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: durability: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, durabilitySchema); err != nil {
		return fmt.Errorf("store: durability: %w", err)
	}
	var db markVals
	err = tx.QueryRowContext(ctx, `SELECT writes, audit_seq FROM durability WHERE id = 1`).Scan(&db.Writes, &db.AuditSeq)
	if errors.Is(err, sql.ErrNoRows) {
		if err = tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM audit`).Scan(&db.AuditSeq); err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO durability(id, writes, audit_seq) VALUES(1, 0, ?)`, db.AuditSeq)
		}
	}
	if err != nil {
		return fmt.Errorf("store: durability: %w", err)
	}
	if haveMark && (mark.Writes > db.Writes || mark.AuditSeq > db.AuditSeq) {
		loss := &Loss{Writes: mark.Writes - db.Writes, DetectedAt: time.Now().UTC(), Mark: markPath}
		if mark.AuditSeq > db.AuditSeq {
			loss.AuditFrom, loss.AuditTo = db.AuditSeq+1, mark.AuditSeq
		}
		if loss.Writes < 0 {
			loss.Writes = 0
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO durability_loss(detected_at, writes, audit_from, audit_to, mark) VALUES(?,?,?,?,?)`,
			unixMilli(loss.DetectedAt), loss.Writes, loss.AuditFrom, loss.AuditTo, markPath); err != nil {
			return fmt.Errorf("store: durability: %w", err)
		}
		// Count on from the mark, so a later loss is measured from here.
		db = markVals{Writes: max(db.Writes, mark.Writes), AuditSeq: max(db.AuditSeq, mark.AuditSeq)}
		if _, err := tx.ExecContext(ctx, `UPDATE durability SET writes = ?, audit_seq = ? WHERE id = 1`, db.Writes, db.AuditSeq); err != nil {
			return fmt.Errorf("store: durability: %w", err)
		}
		s.openLoss = loss
		s.log.Error(fmt.Sprintf("store: %d acknowledged records missing", loss.Writes),
			"database", s.path, "mark", markPath, "mark_writes", mark.Writes, "database_writes", mark.Writes-loss.Writes,
			"audit_from", loss.AuditFrom, "audit_to", loss.AuditTo,
			"cause", "the WAL ("+filepath.Base(s.walPath)+") that held them was lost or damaged, or an older copy of the database was restored",
			"next", "restore the data directory from a backup taken after the loss, or keep this database: `deskbot audit verify` reports the gap from now on")
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: durability: %w", err)
	}
	f, err := os.OpenFile(markPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("store: commit mark: %w", err)
	}
	s.mark = newCommitMark(f, markPath, s.sync == SyncFull, s.log.Error)
	s.mark.pending = db
	if !haveMark || mark != db {
		s.writeMark()
	} else {
		s.mark.written = db
	}
	return nil
}

// checkDurability fails with ErrAcknowledgedMissing when db holds a loss
// recorded at a start, or (markPath not empty) fewer writes than the
// commit mark. The mark is read first: a live server writes it after its
// commits, so it can only trail the database.
func checkDurability(ctx context.Context, db *DB, path, markPath string) error {
	if db.pg {
		return nil // PostgreSQL keeps what it acknowledged; there is no mark
	}
	var mark markVals
	haveMark := false
	if markPath != "" {
		var err error
		if mark, haveMark, err = readMark(markPath); err != nil {
			return fmt.Errorf("store: %s: %w", path, err)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'durability_loss'`).Scan(&n); err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	if n == 0 { // written before commit marks existed
		return nil
	}
	q := `SELECT detected_at, writes, audit_from, audit_to, mark FROM durability_loss ORDER BY id`
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'durability_loss_accepted'`).Scan(&n); err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	if n > 0 { // losses an operator accepted (AcceptLoss) no longer fail
		q = `SELECT detected_at, writes, audit_from, audit_to, mark FROM durability_loss
			WHERE id NOT IN (SELECT loss_id FROM durability_loss_accepted) ORDER BY id`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("store: %s: durability: %w", path, err)
	}
	var losses []error
	for rows.Next() {
		var l Loss
		var at int64
		if err := rows.Scan(&at, &l.Writes, &l.AuditFrom, &l.AuditTo, &l.Mark); err != nil {
			rows.Close()
			return fmt.Errorf("store: %s: durability: %w", path, err)
		}
		l.DetectedAt = fromMilli(at)
		losses = append(losses, fmt.Errorf("%w: %s", ErrAcknowledgedMissing, l.String()))
	}
	rows.Close()
	if haveMark {
		var cur markVals
		err := db.QueryRowContext(ctx, `SELECT writes, audit_seq FROM durability WHERE id = 1`).Scan(&cur.Writes, &cur.AuditSeq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: %s: durability: %w", path, err)
		}
		if mark.Writes > cur.Writes || mark.AuditSeq > cur.AuditSeq {
			l := Loss{Writes: max(0, mark.Writes-cur.Writes), Mark: markPath}
			if mark.AuditSeq > cur.AuditSeq {
				l.AuditFrom, l.AuditTo = cur.AuditSeq+1, mark.AuditSeq
			}
			losses = append(losses, fmt.Errorf("%w: %s (not yet seen by a start)", ErrAcknowledgedMissing, l.String()))
		}
	}
	if len(losses) == 0 {
		return nil
	}
	return fmt.Errorf("store: %s: %w", path, errors.Join(losses...))
}

// describe turns SQLite's corruption errors into ErrCorrupt naming the
// file and the restore procedure; other errors pass unchanged.
func (s *Store) describe(err error) error { return describeErr(s.path, err) }

func describeErr(path string, err error) error {
	if err == nil || errors.Is(err, ErrCorrupt) {
		return err
	}
	var ce interface{ Code() int }
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Code() & 0xff {
	case 11, 26: // SQLITE_CORRUPT, SQLITE_NOTADB
	default:
		return err
	}
	return fmt.Errorf("%w: %s: %w; to restore: stop deskbot; move %s and its -wal and -shm files aside (keep them for analysis); "+
		"copy your latest backup of the database to %s; start deskbot, which reports at error level how many acknowledged records "+
		"the backup lacks (commit mark %s); check with `deskbot audit verify` (README: Backups and restore)",
		ErrCorrupt, path, err, filepath.Base(path), path, filepath.Base(MarkPath(path)))
}

// EventLossAccepted is the audit event of an operator accepting recorded
// losses of acknowledged records.
const EventLossAccepted = "acknowledged_loss_accepted"

// AcceptLoss marks every recorded, not yet accepted loss of acknowledged
// records as accepted by actor (e.g. after restoring a backup and
// re-applying what could be), with a note such as a ticket reference
// (never personal data: it goes into the audit log). The losses stay in
// the database and the acceptance is an audit event (AUD-1); `audit
// verify` stops failing on them. It returns the losses accepted.
func (s *Store) AcceptLoss(ctx context.Context, actor, note string, at time.Time) ([]Loss, error) {
	if s.pg {
		return nil, nil // no commit mark, no recorded losses
	}
	var out []Loss
	err := s.write(ctx, func(ctx context.Context, tx *Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT id, detected_at, writes, audit_from, audit_to, mark FROM durability_loss
			WHERE id NOT IN (SELECT loss_id FROM durability_loss_accepted) ORDER BY id`)
		if err != nil {
			return fmt.Errorf("store: accept loss: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var l Loss
			var id, at int64
			if err := rows.Scan(&id, &at, &l.Writes, &l.AuditFrom, &l.AuditTo, &l.Mark); err != nil {
				rows.Close()
				return fmt.Errorf("store: accept loss: %w", err)
			}
			l.DetectedAt = fromMilli(at)
			ids = append(ids, id)
			out = append(out, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: accept loss: %w", err)
		}
		var recs []compliance.AuditRecord
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO durability_loss_accepted(loss_id, at, actor, note) VALUES(?,?,?,?)`, id, unixMilli(at), actor, note); err != nil {
				return fmt.Errorf("store: accept loss: %w", err)
			}
			l := out[i]
			recs = append(recs, compliance.AuditRecord{At: at, Event: EventLossAccepted, Actor: actor,
				Detail: fmt.Sprintf("writes=%d audit_seq=%d..%d detected_at=%s note=%s", l.Writes, l.AuditFrom, l.AuditTo, l.DetectedAt.Format(time.RFC3339), note)})
		}
		return appendAudit(ctx, tx, recs...)
	})
	return out, err
}
