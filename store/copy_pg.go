package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Moving a single-instance installation to PostgreSQL. Every row is
// sealed above the store (per-subject keys wrapped by the master key), so
// rows are copied byte for byte: nothing is decrypted, and the target
// opens with the same master key. The SQLite file is read through its own
// read-only connection, in one read transaction, so the copy is one
// consistent moment of the database; the target receives its schema and
// every row in one transaction, checked (row counts, audit chain) before
// it commits, so a failed copy leaves the target as empty as it was.

// ErrTargetNotEmpty refuses a copy into a database that already holds
// deskbot data: rows would collide, or two histories would mix.
var ErrTargetNotEmpty = errors.New("the target database already holds deskbot data")

// TableCount is the number of rows of one table.
type TableCount struct {
	Table string
	Rows  int64
}

// CopyReport says what CopyToPostgres moved.
type CopyReport struct {
	SchemaVersion int
	Tables        []TableCount // in copy order (parents before children)
	AuditRecords  int          // audit records verified on the target
	KeysChecked   int          // wrapped keys the master key opened before copying
}

// notCopied are the SQLite tables that do not move: schema_migrations is
// written by the target's own migrations, and the durability tables back
// SQLite's commit mark, which PostgreSQL's own durability replaces.
func notCopied(table string) bool {
	return table == "schema_migrations" || strings.HasPrefix(table, "durability")
}

// keySample bounds the subjects' keys unwrapped to confirm the master key:
// a key rotation re-wraps all of them in one transaction, so a sample
// tells a wrong key as surely as all would, at a bounded cost.
const keySample = 100

// CopyToPostgres copies the SQLite database at sqlitePath into the empty
// PostgreSQL database dsn: schema through the normal migrations, then
// every table with explicit ids, identity sequences moved past the copied
// ids, row counts and audit chain verified before the commit. wrapper (the
// master key) only confirms beforehand that the key opens the data, since
// every instance on the target will need it.
func CopyToPostgres(ctx context.Context, sqlitePath, dsn string, wrapper KeyWrapper, log *slog.Logger) (CopyReport, error) {
	var rep CopyReport
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if wrapper == nil {
		return rep, errors.New("store: copy: no master key")
	}
	where := RedactURL(dsn)
	if _, err := os.Stat(sqlitePath); err != nil {
		return rep, fmt.Errorf("store: no deskbot database at %s: %w", sqlitePath, err)
	}
	// The source's chain and commit mark first: a copy must not carry a
	// broken chain, or drop the record of lost acknowledged writes (the
	// durability tables stay behind), without anyone having seen it.
	if _, err := VerifyAuditFile(ctx, sqlitePath); err != nil {
		return rep, fmt.Errorf("store: %s must pass audit verify before it is moved: %w", sqlitePath, err)
	}

	src, err := sql.Open("sqlite", "file:"+filepath.ToSlash(sqlitePath)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return rep, fmt.Errorf("store: %s: %w", sqlitePath, err)
	}
	defer src.Close()
	stx, err := (&DB{DB: src}).BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rep, fmt.Errorf("store: %s: %w", sqlitePath, describeErr(sqlitePath, err))
	}
	defer stx.Rollback()
	version, legacy, err := schemaState(ctx, stx)
	if err != nil {
		return rep, err
	}
	if version != SchemaVersion() || legacy > 0 {
		return rep, fmt.Errorf("store: %s is at schema version %d, this deskbot writes %d: start this deskbot on it once (it upgrades the layout), then move it",
			sqlitePath, version, SchemaVersion())
	}
	rep.SchemaVersion = version
	// The chain as this read transaction sees it, for the comparison
	// with the target (a server still running could have added records
	// since the check above).
	srcAudit, err := verifyChainIn(ctx, stx, false)
	if err != nil {
		return rep, fmt.Errorf("store: %s: %w", sqlitePath, err)
	}
	if rep.KeysChecked, err = checkMasterKey(ctx, stx, wrapper); err != nil {
		return rep, fmt.Errorf("store: %s: %w", sqlitePath, err)
	}
	tables, err := sourceTables(ctx, stx)
	if err != nil {
		return rep, fmt.Errorf("store: %s: %w", sqlitePath, err)
	}

	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		return rep, fmt.Errorf("store: %s: %w", where, err)
	}
	defer raw.Close()
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err = raw.PingContext(pctx)
	cancel()
	if err != nil {
		return rep, fmt.Errorf("store: cannot reach PostgreSQL at %s: %w", where, err)
	}
	ttx, err := (&DB{DB: raw, pg: true}).BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("store: %s: %w", where, err)
	}
	defer ttx.Rollback()
	// The migration lock first, held to the commit: an instance started
	// on the database meanwhile waits, then finds it complete.
	if _, err := ttx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, lockMigrate); err != nil {
		return rep, fmt.Errorf("store: %s: %w", where, err)
	}
	if err := checkTargetEmpty(ctx, ttx); err != nil {
		return rep, fmt.Errorf("store: %s: %w", where, err)
	}
	if _, _, err := migrateTx(ctx, ttx); err != nil {
		return rep, fmt.Errorf("store: %s: %w", where, err)
	}
	start := time.Now()
	for _, t := range tables {
		n, err := copyTable(ctx, stx, ttx, t)
		if err != nil {
			return rep, fmt.Errorf("store: copy %s to %s: %w", t.name, where, err)
		}
		rep.Tables = append(rep.Tables, TableCount{Table: t.name, Rows: n})
		log.Debug("store: table copied", "table", t.name, "rows", n)
	}
	if err := resetIdentities(ctx, ttx); err != nil {
		return rep, fmt.Errorf("store: %s: %w", where, err)
	}
	if err := compareCounts(ctx, stx, ttx, rep.Tables); err != nil {
		return rep, fmt.Errorf("store: copy to %s: %w", where, err)
	}
	if rep.AuditRecords, err = verifyChainIn(ctx, ttx, true); err != nil {
		return rep, fmt.Errorf("store: copy to %s: audit chain on the target: %w", where, err)
	}
	if rep.AuditRecords != srcAudit {
		return rep, fmt.Errorf("store: copy to %s: %d audit records verified on the target, %d in %s", where, rep.AuditRecords, srcAudit, sqlitePath)
	}
	if err := ttx.Commit(); err != nil {
		return rep, fmt.Errorf("store: copy to %s: commit: %w", where, err)
	}
	log.Info("store: copied to PostgreSQL", "from", sqlitePath, "to", where, "tables", len(rep.Tables),
		"audit_records", rep.AuditRecords, "took", time.Since(start).Round(time.Millisecond))
	return rep, nil
}

// checkMasterKey unwraps every system key and a sample of subjects' keys,
// so a wrong key is refused before anything is written.
func checkMasterKey(ctx context.Context, tx *Tx, w KeyWrapper) (int, error) {
	n := 0
	for _, q := range []struct{ table, sql, prefix string }{
		{"system_keys", `SELECT name, wrapped_key FROM system_keys ORDER BY name`, "system:"},
		{"subjects", `SELECT id, wrapped_key FROM subjects ORDER BY created_at DESC LIMIT ` + strconv.Itoa(keySample), ""},
	} {
		rows, err := tx.QueryContext(ctx, q.sql)
		if err != nil {
			return n, fmt.Errorf("master key check: %w", err)
		}
		for rows.Next() {
			var id string
			var wrapped []byte
			if err := rows.Scan(&id, &wrapped); err != nil {
				rows.Close()
				return n, fmt.Errorf("master key check: %w", err)
			}
			dk, err := w.Unwrap(wrapped, q.prefix+id)
			if err != nil {
				rows.Close()
				return n, fmt.Errorf("the master key does not open this data (%s %s): %w", q.table, id, err)
			}
			clear(dk)
			n++
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return n, fmt.Errorf("master key check: %w", err)
		}
	}
	return n, nil
}

// checkTargetEmpty refuses a database where deskbot already recorded a
// schema, a session or an audit record.
func checkTargetEmpty(ctx context.Context, tx *Tx) error {
	var found []string
	for _, t := range []string{"schema_migrations", "sessions", "audit"} {
		var have bool
		if err := tx.QueryRowContext(ctx, `SELECT to_regclass(?) IS NOT NULL`, t).Scan(&have); err != nil {
			return err
		}
		if !have {
			continue
		}
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			found = append(found, fmt.Sprintf("%s: %d rows", t, n))
		}
	}
	if len(found) > 0 {
		return fmt.Errorf("%w (%s); nothing was copied: give the move a new, empty database", ErrTargetNotEmpty, strings.Join(found, ", "))
	}
	return nil
}

// srcTable is a table of the SQLite database and its columns, read from
// the file itself so that later migrations are copied without edits here.
type srcTable struct {
	name    string
	cols    []string
	blob    []bool // declared BLOB: sent as bytes (bytea) even if SQLite holds text
	parents []string
}

// sourceTables lists the tables to copy, parents before the tables whose
// foreign keys point at them.
func sourceTables(ctx context.Context, tx *Tx) ([]srcTable, error) {
	names, err := queryStrings(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var tables []srcTable
	for _, name := range names {
		if notCopied(name) {
			continue
		}
		t := srcTable{name: name}
		rows, err := tx.QueryContext(ctx, `SELECT name, type FROM pragma_table_info(?) ORDER BY cid`, name)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		for rows.Next() {
			var col, typ string
			if err := rows.Scan(&col, &typ); err != nil {
				rows.Close()
				return nil, fmt.Errorf("columns of %s: %w", name, err)
			}
			t.cols = append(t.cols, col)
			t.blob = append(t.blob, strings.Contains(strings.ToUpper(typ), "BLOB"))
		}
		rows.Close()
		if t.parents, err = queryStrings(ctx, tx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?) ORDER BY 1`, name); err != nil {
			return nil, fmt.Errorf("foreign keys of %s: %w", name, err)
		}
		tables = append(tables, t)
	}
	return parentsFirst(tables)
}

// parentsFirst orders tables so that each comes after every table its
// foreign keys reference (a table referencing itself is allowed), keeping
// the alphabetical order otherwise.
func parentsFirst(tables []srcTable) ([]srcTable, error) {
	var out []srcTable
	placed := map[string]bool{}
	for len(out) < len(tables) {
		progress := false
		for _, t := range tables {
			if placed[t.name] {
				continue
			}
			ready := true
			for _, p := range t.parents {
				if p != t.name && !placed[p] && !notCopied(p) {
					ready = false
					break
				}
			}
			if ready {
				out = append(out, t)
				placed[t.name] = true
				progress = true
			}
		}
		if !progress {
			var left []string
			for _, t := range tables {
				if !placed[t.name] {
					left = append(left, t.name)
				}
			}
			return nil, fmt.Errorf("foreign keys form a cycle among %s", strings.Join(left, ", "))
		}
	}
	return out, nil
}

// maxParams stays below PostgreSQL's 65535 parameters per statement.
const maxParams = 60000

// copyTable copies every row of t, in rowid order, in multi-row inserts
// with the source's own ids.
func copyTable(ctx context.Context, src, dst *Tx, t srcTable) (int64, error) {
	quoted := make([]string, len(t.cols))
	for i, c := range t.cols {
		quoted[i] = `"` + c + `"`
	}
	colList := strings.Join(quoted, ", ")
	rows, err := src.QueryContext(ctx, `SELECT `+colList+` FROM "`+t.name+`"`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	perStmt := max(1, min(500, maxParams/len(t.cols)))
	batch := make([]any, 0, perStmt*len(t.cols))
	var n int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		q := insertSQL(t.name, colList, len(t.cols), len(batch)/len(t.cols))
		if _, err := dst.Tx.ExecContext(ctx, q, batch...); err != nil {
			return err
		}
		batch = batch[:0]
		return nil
	}
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			batch = append(batch, pgValue(v, t.blob[i]))
		}
		n++
		if len(batch) >= perStmt*len(t.cols) {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// insertSQL is INSERT INTO table(cols) VALUES ($1, …), (…) for rows rows.
func insertSQL(table, colList string, ncols, rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO "` + table + `" (` + colList + `) VALUES `)
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range ncols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// pgValue passes a SQLite value on as PostgreSQL's column expects it.
// SQLite keeps whatever type was written; a BLOB column holding text
// must still reach bytea as its bytes, and a text column never gets
// bytes (pgx would send them as bytea).
func pgValue(v any, blob bool) any {
	switch x := v.(type) {
	case string:
		if blob {
			return []byte(x)
		}
	case []byte:
		if !blob {
			return string(x)
		}
	}
	return v
}

// resetIdentities moves every identity sequence of the target past the
// ids copied into its column, so the next insert gets a fresh id; an
// empty table starts at 1.
func resetIdentities(ctx context.Context, tx *Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name`)
	if err != nil {
		return fmt.Errorf("identity columns: %w", err)
	}
	type ident struct{ table, col string }
	var ids []ident
	for rows.Next() {
		var i ident
		if err := rows.Scan(&i.table, &i.col); err != nil {
			rows.Close()
			return fmt.Errorf("identity columns: %w", err)
		}
		ids = append(ids, i)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("identity columns: %w", err)
	}
	for _, i := range ids {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), coalesce(max("%s"), 1), max("%s") IS NOT NULL) FROM "%s"`,
			i.table, i.col, i.col, i.col, i.table)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sequence of %s.%s: %w", i.table, i.col, err)
		}
	}
	return nil
}

// compareCounts checks that every copied table holds on the target as
// many rows as the source's read transaction sees.
func compareCounts(ctx context.Context, src, dst *Tx, tables []TableCount) error {
	var diff []string
	for _, t := range tables {
		var s, d int64
		if err := src.QueryRowContext(ctx, `SELECT count(*) FROM "`+t.Table+`"`).Scan(&s); err != nil {
			return fmt.Errorf("count %s: %w", t.Table, err)
		}
		if err := dst.QueryRowContext(ctx, `SELECT count(*) FROM "`+t.Table+`"`).Scan(&d); err != nil {
			return fmt.Errorf("count %s on the target: %w", t.Table, err)
		}
		if s != d || s != t.Rows {
			diff = append(diff, fmt.Sprintf("%s: %d in SQLite, %d copied, %d in PostgreSQL", t.Table, s, t.Rows, d))
		}
	}
	if len(diff) > 0 {
		slices.Sort(diff)
		return fmt.Errorf("row counts differ: %s", strings.Join(diff, "; "))
	}
	return nil
}
