package config

import (
	"path/filepath"
	"strings"
	"time"
)

// Backup schedules backups inside the server and says where erasures are
// kept for restores (see README "Backups and restore").
type Backup struct {
	// Every is the interval between scheduled backups; 0 turns them off.
	Every time.Duration `mapstructure:"every"`
	// Keep is how many scheduled backups are kept; older ones are deleted.
	Keep int `mapstructure:"keep"`
	// Dir holds the scheduled backups; empty: DATA_DIR/backups.
	Dir string `mapstructure:"dir"`
	// ErasureLedger is the file every erasure is also written to (the
	// SHA-256 of the pseudonymous subject id and the time), kept outside
	// every backup so a restore erases those customers again; empty:
	// erasures.ledger in the backup folder.
	ErasureLedger string `mapstructure:"erasure_ledger"`
}

// BackupDir is backup.dir, or DATA_DIR/backups when it is empty.
func (c Config) BackupDir() string {
	if strings.TrimSpace(c.Backup.Dir) != "" {
		return c.Backup.Dir
	}
	return filepath.Join(c.DataDir, "backups")
}

// ErasureLedgerPath is backup.erasure_ledger, or erasures.ledger in the
// backup folder when it is empty.
func (c Config) ErasureLedgerPath() string {
	if strings.TrimSpace(c.Backup.ErasureLedger) != "" {
		return c.Backup.ErasureLedger
	}
	return filepath.Join(c.BackupDir(), "erasures.ledger")
}

func (c Config) validateBackup(bad func(key, why string) error) error {
	if c.Backup.Every != 0 && c.Backup.Every < time.Minute {
		return bad("backup.every", "must be 0 (no scheduled backups) or at least 1m, e.g. \"24h\"")
	}
	if c.Backup.Keep < 1 || c.Backup.Keep > 10000 {
		return bad("backup.keep", "must be between 1 and 10000 (the number of scheduled backups kept)")
	}
	if d := c.Backup.Dir; d != "" && !filepath.IsAbs(d) && strings.TrimSpace(d) != d {
		return bad("backup.dir", "must not start or end with spaces")
	}
	if c.Backup.Every > 0 && c.Backup.Dir != "" {
		if rel, err := filepath.Rel(c.Backup.Dir, c.DataDir); err == nil && rel == "." {
			return bad("backup.dir", "must not be the data directory itself (use a folder of its own, ideally on another disk)")
		}
	}
	return nil
}
