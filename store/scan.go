package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"deskbot/compliance"
)

// ErrNotPostgres: ScanRows reads a PostgreSQL database; a SQLite file is
// scanned as files (compliance.ScanDir), WAL included.
var ErrNotPostgres = errors.New("the database scan is for PostgreSQL; scan SQLite's files instead")

// ScanRows looks for needles, as typed and in lower case, in every value
// of every table of the PostgreSQL database — bytea as its raw bytes —
// as a dump would hold them (SEC-1: what reaches the database is sealed).
// A hit names the table and the row's place in it.
func (s *Store) ScanRows(ctx context.Context, needles []string) (compliance.ScanResult, error) {
	res := compliance.ScanResult{Found: []compliance.ScanHit{}, Skipped: []string{}}
	if !s.pg {
		return res, ErrNotPostgres
	}
	var pats [][]byte
	var names []string
	for _, n := range needles {
		if strings.TrimSpace(n) == "" {
			continue
		}
		for _, v := range []string{n, strings.ToLower(n)} {
			if len(names) > 0 && names[len(names)-1] == n && string(pats[len(pats)-1]) == v {
				continue
			}
			pats, names = append(pats, []byte(v)), append(names, n)
		}
	}
	tables, err := queryStrings(ctx, s.r, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return res, fmt.Errorf("store: scan: %w", err)
	}
	for _, table := range tables {
		if err := s.scanTable(ctx, table, pats, names, &res); err != nil {
			return res, err
		}
		res.FilesScanned++
	}
	return res, nil
}

func (s *Store) scanTable(ctx context.Context, table string, pats [][]byte, names []string, res *compliance.ScanResult) error {
	rows, err := s.r.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return fmt.Errorf("store: scan %s: %w", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for row := int64(0); rows.Next(); row++ {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("store: scan %s: %w", table, err)
		}
		for _, v := range vals {
			res.BytesScanned += int64(len(v))
			for i, p := range pats {
				if bytes.Contains(v, p) {
					res.Found = append(res.Found, compliance.ScanHit{Needle: names[i], File: "table " + table, Offset: row})
				}
			}
		}
	}
	return rows.Err()
}
