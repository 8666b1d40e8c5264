package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"deskbot/compliance"
)

// CheckWritable reports whether a session could be opened now (readiness):
// it takes the write lock (BEGIN IMMEDIATE) and makes the writes that
// opening a session makes — a subject, a session and an audit record after
// the chain's tail — then rolls back, so nothing reaches the database. A
// closed store, a database that cannot take the write lock, or a damaged
// page on those paths fails it.
func (s *Store) CheckWritable(ctx context.Context) error {
	s.closeMu.RLock()
	closed := s.closed
	s.closeMu.RUnlock()
	if closed {
		return ErrClosed
	}
	var rnd [16]byte
	rand.Read(rnd[:])
	id := "ready-probe-" + hex.EncodeToString(rnd[:])
	now := time.Now()
	tx, err := s.w.BeginTx(ctx, nil) // _txlock=immediate: BEGIN IMMEDIATE
	if err != nil {
		return fmt.Errorf("store: readiness: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO subjects(id, wrapped_key, created_at) VALUES(?,?,?)`, id, rnd[:], unixMilli(now)); err != nil {
		return fmt.Errorf("store: readiness: insert subject: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions(id, token_hash, subject_id, profile, created_at, last_seen, state) VALUES(?,?,?,?,?,?,?)`,
		id, rnd[:], id, "probe", unixMilli(now), unixMilli(now), []byte{}); err != nil {
		return fmt.Errorf("store: readiness: insert session: %w", err)
	}
	if err := appendAudit(ctx, tx, compliance.AuditRecord{At: now, Event: "readiness_probe", Subject: id, Actor: "system"}); err != nil {
		return fmt.Errorf("store: readiness: %w", err)
	}
	if err := tx.Rollback(); err != nil {
		return fmt.Errorf("store: readiness: rollback: %w", err)
	}
	return nil
}
