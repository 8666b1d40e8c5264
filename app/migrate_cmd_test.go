package app_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"deskbot/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// `deskbot migrate` moves a real installation to PostgreSQL, says what it
// moved, and refuses to move it a second time into the same database;
// the URL's password is never printed.
func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir) // a consented e-mail: sessions, messages, consents, contacts, audit
	u, err := url.Parse(pgtest.Database(t, dir+"/migrate-target"))
	if err != nil {
		t.Fatal(err)
	}
	// The test cluster trusts local connections, so a password is
	// accepted and ignored: it is there to be kept out of the output.
	u.User = url.UserPassword(u.User.Username(), "pw-s3cret-771")
	target := u.String()

	if code, _, errOut := run(t, "migrate", "--from-sqlite", t.TempDir(), "--to", target); code == 0 || !strings.Contains(errOut, "no deskbot database in") {
		t.Fatalf("migrate from an empty folder: exit %d, %q", code, errOut)
	}
	unreachable := "postgres://deskbot:pw-s3cret-771@127.0.0.1:1/deskbot?sslmode=disable"
	code, out, errOut := run(t, "migrate", "--from-sqlite", dir, "--to", unreachable)
	if code == 0 || !strings.Contains(errOut, "cannot reach PostgreSQL at postgres://deskbot:xxxxx@127.0.0.1:1/deskbot") || strings.Contains(out+errOut, "s3cret") {
		t.Fatalf("migrate to an unreachable database: exit %d, %q %q", code, out, errOut)
	}

	code, out, errOut = run(t, "migrate", "--from-sqlite", dir, "--to", target)
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("deskbot migrate printed:\n%s%s", out, errOut)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`moved .*deskbot\.db to postgres://postgres:xxxxx@`),
		regexp.MustCompile(`(?m)^  sessions +1$`),
		regexp.MustCompile(`(?m)^  contacts +1$`),
		regexp.MustCompile(`(?m)^  consents +1$`),
		regexp.MustCompile(`(?m)^  messages +[1-9][0-9]*$`),
		regexp.MustCompile(`audit chain intact: [1-9][0-9]* records verified on the database`),
		regexp.MustCompile(`master key [0-9a-f]+ .*DESKBOT_MASTER_KEY_FILE`),
		regexp.MustCompile(`set database_url`),
	} {
		if !want.MatchString(out) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out+errOut, "s3cret") || strings.Contains(out, "durability") || strings.Contains(out, "schema_migrations") {
		t.Errorf("output shows the password or tables that are not moved:\n%s", out)
	}
	if code, vout, verr := run(t, "audit", "verify", "--database-url", target); code != 0 {
		t.Errorf("audit verify on the database: exit %d, %q %q", code, vout, verr)
	}

	// Again into the same database: refused, naming it (without password).
	code, out, errOut = run(t, "migrate", "--from-sqlite", dir, "--to", target)
	if code == 0 || !strings.Contains(errOut, "already holds deskbot data") || !strings.Contains(errOut, "postgres://postgres:xxxxx@") ||
		strings.Contains(out+errOut, "s3cret") {
		t.Fatalf("second migrate: exit %d, %q %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "deskbot.db")); err != nil {
		t.Errorf("the SQLite database is gone: %v", err)
	}
}
