package app_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"deskbot/internal/pgtest"
)

func pgTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(found) == 0 {
		t.Skip("no " + name)
	}
	return found[len(found)-1]
}

// DSR-4 with several instances: a customer erased after a pg_dump comes
// back when the dump is put back; `privacy reapply-erasures` reads the
// erasure ledger the erasing instance wrote and erases them again.
func TestReapplyErasuresAfterDumpPutBack(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir) // a customer who consented to keeping Jane.Doe@Example.com
	db1 := pgtest.Database(t, dir+"/db1")
	if code, out, errOut := run(t, "migrate", "--from-sqlite", dir, "--to", db1); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	dump := filepath.Join(t.TempDir(), "deskbot.dump")
	if out, err := exec.Command(pgTool(t, "pg_dump"), "-Fc", "-f", dump, db1).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v %s", err, out)
	}

	instance := t.TempDir() // the erasing instance's data_dir, where its ledger is
	t.Setenv("DESKBOT_DATABASE_URL", db1)
	if code, out, errOut := run(t, "privacy", "erase", "--email", "Jane.Doe@Example.com", "--data-dir", instance); code != 0 {
		t.Fatalf("erase: %d %s %s", code, out, errOut)
	}

	db2 := pgtest.Database(t, dir+"/db2")
	if out, err := exec.Command(pgTool(t, "pg_restore"), "-d", db2, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v %s", err, out)
	}
	t.Setenv("DESKBOT_DATABASE_URL", db2)
	if code, out, _ := run(t, "privacy", "export", "--email", "Jane.Doe@Example.com", "--data-dir", instance); code != 0 || !strings.Contains(out, "Jane.Doe@Example.com") {
		t.Fatalf("the put-back dump should hold the customer again (exit %d)", code)
	}
	code, out, errOut := run(t, "privacy", "reapply-erasures", "--data-dir", instance)
	if code != 0 || !strings.Contains(out, "1 customers erased again") {
		t.Fatalf("reapply-erasures: exit %d %q %q", code, out, errOut)
	}
	if code, out, _ := run(t, "privacy", "export", "--email", "Jane.Doe@Example.com", "--data-dir", instance); code == 0 && strings.Contains(out, "Jane.Doe") {
		t.Fatalf("the customer is still there after reapply-erasures:\n%s", out)
	}
	if code, _, verr := run(t, "audit", "verify", "--database-url", db2); code != 0 {
		t.Fatalf("audit verify after reapply: %s", verr)
	}
}
