package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"deskbot/compliance"
	"deskbot/store"
)

// cmdMigrate runs `deskbot migrate --from-sqlite DIR --to URL`: it moves a
// single-instance installation (DIR/deskbot.db) into a new, empty
// PostgreSQL database that several instances can then share. The rows are
// sealed and copied as they are, so the master key is only checked here:
// every instance on the database needs that same key.
func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// Only these two flags: the configuration and its data_dir are not
	// read, so a --data-dir or --config here could only mislead.
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from-sqlite", "", "the data directory of the installation to move (its deskbot.db)")
	to := fs.String("to", "", "the PostgreSQL database to move it to (postgres://…), new and empty")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		return usageError{"usage: deskbot migrate --from-sqlite DIR --to postgres://USER@HOST/DATABASE"}
	}
	if !store.IsDatabaseURL(*to) {
		return usageError{fmt.Sprintf("--to %s: not a PostgreSQL URL (postgres://… or postgresql://…)", store.RedactURL(*to))}
	}
	return migrateToPostgres(ctx, *from, *to, os.Getenv, stdout, stderr)
}

func migrateToPostgres(ctx context.Context, dir, url string, getenv func(string) string, stdout, stderr io.Writer) error {
	db, err := existingDB(dir)
	if err != nil {
		return err
	}
	// Held for the whole copy: a server still writing would add rows the
	// copy never sees, and they would be left behind.
	unlock, err := lockDataDir(dir)
	if errors.Is(err, ErrDataDirBusy) {
		return fmt.Errorf("%w: stop it first, or what it writes after the copy would be left behind", err)
	}
	if err != nil {
		return err
	}
	defer unlock()
	log := commandLogger(stderr)
	mk, src, err := loadMasterKey(getenv, dir, log)
	if err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	where := store.RedactURL(url)
	rep, err := store.CopyToPostgres(ctx, db, url, mk, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "moved %s to %s (schema version %d):\n", db, where, rep.SchemaVersion)
	width := 0
	for _, t := range rep.Tables {
		width = max(width, len(t.Table))
	}
	for _, t := range rep.Tables {
		fmt.Fprintf(stdout, "  %-*s %d\n", width, t.Table, t.Rows)
	}
	fmt.Fprintf(stdout, "audit chain intact: %d records verified on the database\n", rep.AuditRecords)
	fmt.Fprintf(stdout, "master key %s (%s) opens the data: every instance on the database needs this same key; give it to each with %s (a file, mode 0600)\n",
		mk.ID(), keySourceText(src, dir), compliance.EnvMasterKeyFile)
	fmt.Fprintf(stdout, "next steps:\n"+
		"  1. set database_url (or DESKBOT_DATABASE_URL) to %s, with its password, on every instance\n"+
		"  2. start the instances; each one finds the database at schema version %d\n"+
		"  3. keep %s unchanged until you have checked the move: nothing writes it any more, and deskbot backup does not cover PostgreSQL (use pg_dump)\n",
		where, rep.SchemaVersion, db)
	return nil
}

// keySourceText says where the master key was read, for the reminder
// that the instances need it.
func keySourceText(src compliance.KeySource, dir string) string {
	switch src {
	case compliance.KeySourceEnv:
		return "from " + compliance.EnvMasterKey
	case compliance.KeySourceFile:
		return "from the file " + compliance.EnvMasterKeyFile + " names"
	case compliance.KeySourceGenerated:
		return "from " + filepath.Join(dir, compliance.MasterKeyFileName) + ", beside the data it protects: keep it elsewhere"
	}
	return string(src)
}
