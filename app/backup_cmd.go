package app

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/store"
)

// cmdBackup runs `deskbot backup --output FILE`: a consistent online copy
// of the database (VACUUM INTO through a new connection: safe beside a
// running server, which keeps serving), with the configuration file, the
// knowledge-base folder and a manifest, in one tar.gz.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cf := newFlags("backup", stderr, false)
	output := fs.String("output", "", "the archive to write (tar.gz, mode 0600)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *output == "" || fs.NArg() > 0 {
		return usageError{"usage: deskbot backup --output FILE [--data-dir DIR] [--config FILE]"}
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return fmt.Errorf("database_url is set: %w", store.ErrPostgresBackup)
	}
	db, err := existingDB(cfg.DataDir)
	if err != nil {
		return err
	}
	start := time.Now()
	tmp, err := os.MkdirTemp(filepath.Dir(*output), ".deskbot-backup-")
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "deskbot.db")
	if err := store.SnapshotFile(ctx, db, snap); err != nil {
		return err
	}
	w, closeOut, err := openOutput(*output)
	if err != nil {
		return err
	}
	m, err := writeBackup(ctx, w, snap, backupSource{
		DataDir: cfg.DataDir, ConfigFile: configFileInUse(cf.config), KBDir: cfg.KBDir,
		Ledger: cfg.ErasureLedgerPath(), KeyID: keyIDQuietly(cfg.DataDir),
	}, time.Now())
	if err != nil {
		closeOut()
		os.Remove(*output)
		return err
	}
	if err := closeOut(); err != nil {
		return err
	}
	fi, _ := os.Stat(*output)
	var size int64
	if fi != nil {
		size = fi.Size()
	}
	fmt.Fprintf(stdout, "backup written to %s (%s, %s): schema version %d, %s; audit chain intact (%d records)\n",
		*output, byteSize(size), time.Since(start).Round(time.Millisecond), m.SchemaVersion, rowSummary(m.Rows), m.AuditRecords)
	if m.MasterKeyID != "" {
		fmt.Fprintf(stdout, "encrypted under master key %s. ", m.MasterKeyID)
	}
	fmt.Fprintln(stdout, keyNote)
	fmt.Fprintf(stdout, "Erasures are recorded in %s, never in a backup: keep that file with your backups; `deskbot restore` reads it.\n", cfg.ErasureLedgerPath())
	return nil
}

// keyIDQuietly returns the master key's id for the manifest, or "" when it
// cannot be read here (the backup itself needs no key).
func keyIDQuietly(dataDir string) string {
	mk, _, err := loadMasterKey(os.Getenv, dataDir, slog.New(slog.DiscardHandler))
	if err != nil {
		return ""
	}
	return mk.ID()
}

// cmdRestore runs `deskbot restore --input FILE --data-dir DIR`.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cf := newFlags("restore", stderr, false)
	input := fs.String("input", "", "the backup archive (tar.gz) to restore")
	var ledgers multiFlag
	fs.Var(&ledgers, "erasure-ledger", "an erasure ledger to re-apply (repeatable; default: the configured one, the one the manifest names and erasures.ledger beside the archive)")
	noLedger := fs.Bool("no-erasure-ledger", false, "restore without any erasure ledger (only if no customer was erased since the backup was taken)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *input == "" || cf.dataDir == "" || fs.NArg() > 0 {
		return usageError{"usage: deskbot restore --input FILE --data-dir DIR [--erasure-ledger FILE]... [--config FILE]"}
	}
	target := cf.dataDir
	// The configuration as it was, without --data-dir: where its ledger is.
	cf.dataDir = ""
	old, err := cf.load()
	if err != nil {
		return err
	}
	cf.dataDir = target
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	return restore(ctx, restoreOptions{
		Input: *input, DataDir: target, Cfg: cfg, OldCfg: old, Ledgers: ledgers, NoLedger: *noLedger,
		Getenv: os.Getenv, Log: commandLogger(stderr),
	}, stdout)
}

type restoreOptions struct {
	Input, DataDir string
	Cfg, OldCfg    config.Config
	Ledgers        []string
	NoLedger       bool
	Getenv         func(string) string
	Log            *slog.Logger
}

func restore(ctx context.Context, o restoreOptions, stdout io.Writer) (err error) {
	start := time.Now()
	entries, err := os.ReadDir(o.DataDir)
	if err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty; restore only into a new or empty folder (nothing there is replaced)", o.DataDir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("--data-dir: %w", err)
	}
	created := err != nil // the folder did not exist: a failed restore removes it again
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return fmt.Errorf("--data-dir: %w", err)
	}
	unlock, err := lockDataDir(o.DataDir)
	if err != nil {
		return err
	}
	// Whatever fails, leave the folder as it was found: empty, or absent.
	defer func() {
		unlock()
		if err != nil {
			if entries, e := os.ReadDir(o.DataDir); e == nil {
				for _, en := range entries {
					os.RemoveAll(filepath.Join(o.DataDir, en.Name()))
				}
			}
			if created {
				os.Remove(o.DataDir)
			}
		}
	}()
	in, err := os.Open(o.Input)
	if err != nil {
		return fmt.Errorf("--input: %w", err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return fmt.Errorf("%s: not a deskbot backup (tar.gz): %w", o.Input, err)
	}
	tr := tar.NewReader(zr)
	m, err := readManifest(tr)
	if err != nil {
		return fmt.Errorf("%s: %w", o.Input, err)
	}
	if m.SchemaVersion > store.SchemaVersion() {
		return fmt.Errorf("%s: %w", o.Input, &store.SchemaNewerError{Database: m.SchemaVersion, Binary: store.SchemaVersion()})
	}
	// The key is never in a backup: without one given, say so before
	// anything is unpacked (a key generated here could not open the data).
	if o.Getenv(compliance.EnvMasterKey) == "" && o.Getenv(compliance.EnvMasterKeyFile) == "" {
		id := ""
		if m.MasterKeyID != "" {
			id = " " + m.MasterKeyID
		}
		return fmt.Errorf("%w: this backup is encrypted under master key%s, which is never in a backup: set %s to the file that holds it (or %s to the key)",
			ErrMasterKeyMissing, id, compliance.EnvMasterKeyFile, compliance.EnvMasterKey)
	}
	// Erasures first: without a ledger a restore could bring back customers
	// erased after the backup was taken (DSR-4).
	erased, used, err := readLedgers(o, m)
	if err != nil {
		return err
	}
	if _, err := extractBackup(ctx, tr, m, o.DataDir); err != nil {
		return fmt.Errorf("%s: %w", o.Input, err)
	}
	db := dbFile(o.DataDir)
	info, err := store.InspectFile(ctx, db)
	if err != nil {
		return fmt.Errorf("restored database: %w", err)
	}
	for table, n := range m.Rows {
		if info.Rows[table] != n {
			return fmt.Errorf("restored database: table %s has %d rows, the manifest says %d", table, info.Rows[table], n)
		}
	}
	mk, _, err := loadMasterKey(o.Getenv, o.DataDir, o.Log)
	if err != nil {
		return fmt.Errorf("master key: %w (the key is never in a backup: set %s to your key file)", err, compliance.EnvMasterKeyFile)
	}
	if m.MasterKeyID != "" && m.MasterKeyID != mk.ID() {
		return fmt.Errorf("this backup is encrypted under master key %s, but the key given is %s: set %s to the key that was in use when the backup was taken",
			m.MasterKeyID, mk.ID(), compliance.EnvMasterKeyFile)
	}
	opts := storeOptions(o.Cfg, mk, o.Log)
	st, err := store.Open(ctx, db, opts) // migrates an older backup
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	if _, err := st.SystemKey(ctx, "lookup"); err != nil {
		return fmt.Errorf("the master key does not open this backup: %w", err)
	}
	now := time.Now()
	n, err := st.ReapplyErasures(ctx, erased, "restore", now)
	if err != nil {
		return err
	}
	// The new data directory's ledger starts with every erasure known, so a
	// later restore of an older backup erases them too.
	if err := store.MergeErasureLedger(opts.ErasureLedger, erased); err != nil {
		return err
	}
	if err := st.Audit(ctx, compliance.AuditRecord{At: now, Event: "restore", Actor: "operator",
		Detail: fmt.Sprintf("backup_taken=%s schema=%d erasures_reapplied=%d", m.CreatedAt.Format(time.RFC3339), m.SchemaVersion, n)}); err != nil {
		return err
	}
	audit, err := st.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit chain after restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored the backup taken %s by %s into %s in %s:\n", m.CreatedAt.Format(time.RFC3339), m.DeskbotVersion, o.DataDir, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "  database: schema version %d (now %d), %s; checksums match the manifest\n", m.SchemaVersion, store.SchemaVersion(), rowSummary(m.Rows))
	fmt.Fprintf(stdout, "  audit chain intact: %d records (with this restore's own record)\n", audit)
	if len(used) > 0 {
		fmt.Fprintf(stdout, "  erasures re-applied: %d of %d recorded in %s\n", n, len(erased), strings.Join(used, ", "))
	} else {
		fmt.Fprintln(stdout, "  erasures re-applied: none (--no-erasure-ledger)")
	}
	if m.ConfigFile != "" {
		fmt.Fprintf(stdout, "  configuration (was %s): %s\n", m.ConfigFile, filepath.Join(o.DataDir, "restored", "config"))
	}
	if m.KBDir != "" {
		fmt.Fprintf(stdout, "  knowledge base (was %s): %s — point kb_dir at it, or copy it back\n", m.KBDir, filepath.Join(o.DataDir, "restored", "kb"))
	}
	fmt.Fprintf(stdout, "  master key %s: not in the backup; start deskbot with %s set to it\n", mk.ID(), compliance.EnvMasterKeyFile)
	return nil
}

// readLedgers reads every erasure ledger it can find: the ones given, the
// configured one, the one the manifest names and erasures.ledger beside the
// archive. Finding none is an error unless NoLedger is set.
func readLedgers(o restoreOptions, m backupManifest) (map[string]time.Time, []string, error) {
	var candidates []string
	for _, p := range o.Ledgers {
		if _, err := os.Stat(p); err != nil {
			return nil, nil, fmt.Errorf("--erasure-ledger: %w", err)
		}
		candidates = append(candidates, p)
	}
	candidates = append(candidates, o.OldCfg.ErasureLedgerPath(), m.ErasureLedger, filepath.Join(filepath.Dir(o.Input), "erasures.ledger"))
	all := map[string]time.Time{}
	var used []string
	for _, p := range candidates {
		if p == "" || slices.Contains(used, absPath(p)) {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			continue
		}
		erased, bad, err := store.ReadErasureLedger(p)
		if err != nil {
			return nil, nil, err
		}
		if bad > 0 {
			o.Log.Warn("erasure ledger: lines skipped (not ledger lines)", "ledger", p, "lines", bad)
		}
		for h, at := range erased {
			if prev, ok := all[h]; !ok || at.Before(prev) {
				all[h] = at
			}
		}
		used = append(used, absPath(p))
	}
	if len(used) == 0 && !o.NoLedger {
		var looked []string
		for _, p := range candidates {
			if p != "" {
				looked = append(looked, p)
			}
		}
		return nil, nil, fmt.Errorf("no erasure ledger found (looked for %s): restoring without it would bring back customers erased "+
			"after the backup was taken. Give --erasure-ledger FILE, or --no-erasure-ledger if nobody was erased since", strings.Join(looked, ", "))
	}
	sort.Strings(used)
	return all, used, nil
}

// runScheduledBackup writes one backup of the running server into
// backup.dir through the store's own connection (VACUUM INTO; the live
// database files are never opened here) and deletes the oldest beyond
// backup.keep.
func (a *App) runScheduledBackup(ctx context.Context) (string, error) {
	dir := a.Config.BackupDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup.dir: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".snapshot-")
	if err != nil {
		return "", fmt.Errorf("backup.dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "deskbot.db")
	if err := a.Store.Snapshot(ctx, snap); err != nil {
		return "", err
	}
	now := a.now()
	out := filepath.Join(dir, backupName(now))
	w, closeOut, err := openOutput(out)
	if err != nil {
		return "", err
	}
	if _, err := writeBackup(ctx, w, snap, backupSource{
		DataDir: a.Config.DataDir, ConfigFile: a.configFile, KBDir: a.Config.KBDir,
		Ledger: a.Config.ErasureLedgerPath(), KeyID: a.keyID,
	}, now); err != nil {
		closeOut()
		os.Remove(out)
		return "", err
	}
	if err := closeOut(); err != nil {
		return "", err
	}
	removed, err := pruneBackups(dir, a.Config.Backup.Keep)
	if err != nil {
		return out, fmt.Errorf("backup.keep: deleting old backups: %w", err)
	}
	if len(removed) > 0 {
		a.Log.Info("old backups deleted", "count", len(removed), "keep", a.Config.Backup.Keep)
	}
	return out, nil
}

// backupLoop runs a scheduled backup every backup.every until ctx ends.
func (a *App) backupLoop(ctx context.Context) {
	every := a.Config.Backup.Every
	if every <= 0 {
		return
	}
	a.Log.Info("scheduled backups on", "every", config.FormatDuration(every), "keep", a.Config.Backup.Keep, "dir", a.Config.BackupDir())
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		out, err := a.runScheduledBackup(ctx)
		if err != nil {
			if ctx.Err() == nil {
				a.Log.Error("scheduled backup failed", "err", err)
			}
			continue
		}
		a.Log.Info("backup written", "file", out, "took", time.Since(start).Round(time.Millisecond))
	}
}

func rowSummary(rows map[string]int64) string {
	var parts []string
	for _, t := range []string{"sessions", "messages", "subjects", "consents", "audit"} {
		if n, ok := rows[t]; ok {
			parts = append(parts, fmt.Sprintf("%d %s", n, t))
		}
	}
	return strings.Join(parts, ", ")
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
