package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBackupKeys(t *testing.T) {
	load := func(env map[string]string) (Config, error) {
		return Load(Options{NoFile: true, Getenv: func(k string) string { return env[k] }, Flags: map[string]string{"data_dir": "/srv/deskbot"}})
	}
	c, err := load(map[string]string{"DESKBOT_BACKUP_EVERY": "24h", "DESKBOT_BACKUP_KEEP": "14"})
	if err != nil || c.Backup.Every != 24*time.Hour || c.Backup.Keep != 14 {
		t.Fatalf("env: %+v %v", c.Backup, err)
	}
	if c.BackupDir() != "/srv/deskbot/backups" || c.ErasureLedgerPath() != "/srv/deskbot/backups/erasures.ledger" {
		t.Fatalf("defaults: %s %s", c.BackupDir(), c.ErasureLedgerPath())
	}
	c, err = load(map[string]string{"DESKBOT_BACKUP_DIR": "/mnt/b", "DESKBOT_BACKUP_ERASURE_LEDGER": "/etc/deskbot/erasures.ledger"})
	if err != nil || c.BackupDir() != "/mnt/b" || c.ErasureLedgerPath() != "/etc/deskbot/erasures.ledger" {
		t.Fatalf("set: %s %s %v", c.BackupDir(), c.ErasureLedgerPath(), err)
	}
	for env, key := range map[string]string{
		"DESKBOT_BACKUP_EVERY": "backup.every",
		"DESKBOT_BACKUP_KEEP":  "backup.keep",
	} {
		val := map[string]string{"DESKBOT_BACKUP_EVERY": "10s", "DESKBOT_BACKUP_KEEP": "0"}[env]
		_, err := load(map[string]string{env: val})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%s: %v; want an error naming %s", env, val, err, key)
		}
	}
	if _, err := load(map[string]string{"DESKBOT_BACKUP_EVERY": "1h", "DESKBOT_BACKUP_DIR": "/srv/deskbot"}); err == nil || !strings.Contains(err.Error(), "backup.dir") {
		t.Errorf("backup.dir = data_dir: %v", err)
	}
}
