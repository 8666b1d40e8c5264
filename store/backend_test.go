package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"deskbot/internal/pgtest"
)

// The store tests run against both engines: SQLite here, and PostgreSQL
// in a child process of the same test binary (TestPostgres) with
// DESKBOT_TEST_STORE=postgres, where location gives every test folder a
// database of its own. Tests of SQLite's files (WAL, commit mark,
// snapshots, file modes, earlier layouts) say sqliteOnly.
var onPostgres = os.Getenv("DESKBOT_TEST_STORE") == "postgres"

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// location is where the store of a test folder lives.
func location(t testing.TB, dir string) string {
	t.Helper()
	if onPostgres {
		return pgtest.Database(t, dir)
	}
	return filepath.Join(dir, "deskbot.db")
}

func sqliteOnly(t testing.TB) {
	t.Helper()
	if onPostgres {
		t.Skip("SQLite file behaviour")
	}
}

// rawDB opens the test folder's database beside the store, to read or
// change rows as an auditor, a bad disk or a hand edit would.
func rawDB(t testing.TB, dir string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+filepath.Join(dir, "deskbot.db")+"?_pragma=busy_timeout(10000)"
	if onPostgres {
		driver, dsn = "pgx", pgtest.Database(t, dir)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

var placeholder = regexp.MustCompile(`\?`)

// ph numbers a raw query's placeholders for PostgreSQL.
func ph(q string) string {
	if !onPostgres {
		return q
	}
	n := 0
	return placeholder.ReplaceAllStringFunc(q, func(string) string { n++; return "$" + strconv.Itoa(n) })
}

// rawContents is everything the engine keeps for a test folder, as bytes
// by source: SQLite's files (database, WAL, journal), or every table of
// the PostgreSQL database as text — what a stolen disk or a pg_dump shows.
func rawContents(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	if !onPostgres {
		files, _ := filepath.Glob(filepath.Join(dir, "deskbot.db*"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			out[f] = b
		}
		return out
	}
	db := rawDB(t, dir)
	defer db.Close()
	rows, err := db.Query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, table := range tables {
		// Text and the bytes of every bytea, as a dump would hold them.
		rs, err := db.Query(`SELECT convert_from(convert_to(t::text, 'UTF8'), 'UTF8') FROM "` + table + `" t`)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for rs.Next() {
			var line string
			rs.Scan(&line)
			b.WriteString(line + "\n")
		}
		rs.Close()
		out["table "+table] = []byte(b.String())
	}
	return out
}

// TestPostgres runs every store test again against a real PostgreSQL
// (a throwaway cluster, or DESKBOT_TEST_POSTGRES), in a child process.
func TestPostgres(t *testing.T) {
	if onPostgres {
		t.Skip("already on PostgreSQL")
	}
	admin := pgtest.Server(t)
	args := []string{"-test.count=1", "-test.timeout=15m", "-test.run=^Test", "-test.skip=^TestPostgres$"}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	if testing.Verbose() {
		args = append(args, "-test.v")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "DESKBOT_TEST_STORE=postgres", pgtest.EnvServer+"="+admin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("store tests on PostgreSQL failed: %v\n%s", err, out)
	}
	t.Logf("store tests on PostgreSQL:\n%s", out)
}

// zeroBytes is an SQL expression for n zero bytes.
func zeroBytes(n int) string {
	if onPostgres {
		return fmt.Sprintf(`decode(repeat('00', %d), 'hex')`, n)
	}
	return fmt.Sprintf(`zeroblob(%d)`, n)
}

// hexBytes is an SQL literal of the bytes written in hex.
func hexBytes(h string) string {
	if onPostgres {
		return `'\x` + h + `'::bytea`
	}
	return `X'` + h + `'`
}
