package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/store"
)

// ErrMasterKeyMissing refuses to generate a master key beside a database
// that an earlier key encrypted (SEC-1): the new key could not open it,
// and a stray key file would be left behind.
var ErrMasterKeyMissing = errors.New("master key missing")

// storeMode says what openDataStore does when the data directory holds no
// database yet.
type storeMode int

const (
	// existingStore: a missing database is an error, so that an offline
	// command given a mistyped --data-dir leaves no empty deskbot behind.
	existingStore storeMode = iota
	// createStore: the first run creates the data directory and database
	// (serve, agent add).
	createStore
)

// openDataStore opens the data directory's store with the master key. The
// server and every command open it here, so that the key checks (SEC-1)
// and the store options cannot differ between them.
func openDataStore(ctx context.Context, cfg config.Config, mode storeMode, getenv func(string) string, log *slog.Logger) (*store.Store, compliance.MasterKey, compliance.KeySource, error) {
	if mode == createStore {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, compliance.MasterKey{}, "", fmt.Errorf("data_dir %s: %w", cfg.DataDir, err)
		}
	} else if _, err := existingDB(cfg.DataDir); err != nil {
		return nil, compliance.MasterKey{}, "", err
	}
	mk, src, err := loadMasterKey(getenv, cfg.DataDir, log)
	if err != nil {
		return nil, mk, src, err
	}
	st, err := store.Open(ctx, dbFile(cfg.DataDir), storeOptions(cfg, mk, log))
	return st, mk, src, err
}

// openStore opens an existing store for an offline command (no knowledge
// base, no server), logging key warnings to stderr.
func openStore(ctx context.Context, cfg config.Config, stderr io.Writer) (*store.Store, compliance.MasterKey, error) {
	st, mk, _, err := openDataStore(ctx, cfg, existingStore, os.Getenv, commandLogger(stderr))
	return st, mk, err
}

// loadStore loads the command's configuration and opens its existing store
// (openStore): the start of every offline command that reads or changes
// the data.
func (c *commonFlags) loadStore(ctx context.Context) (config.Config, *store.Store, error) {
	cfg, err := c.load()
	if err != nil {
		return cfg, nil, err
	}
	st, _, err := openStore(ctx, cfg, c.stderr)
	return cfg, st, err
}

// dbFile is the database inside the data directory.
func dbFile(dataDir string) string { return filepath.Join(dataDir, "deskbot.db") }

// existingDB returns the data directory's database, or an error when there
// is none there (a mistyped --data-dir).
func existingDB(dataDir string) (string, error) {
	db := dbFile(dataDir)
	if _, err := os.Stat(db); err != nil {
		return "", fmt.Errorf("no deskbot database in %s (data_dir / --data-dir)", dataDir)
	}
	return db, nil
}

// loadMasterKey loads the master key like compliance.LoadMasterKey, but
// refuses before anything is written when the key would be generated
// beside an existing database. Only os.Stat touches the database file:
// opening and closing it here could drop a running server's locks.
func loadMasterKey(getenv func(string) string, dataDir string, log *slog.Logger) (compliance.MasterKey, compliance.KeySource, error) {
	if getenv(compliance.EnvMasterKey) == "" && getenv(compliance.EnvMasterKeyFile) == "" && dataDir != "" {
		keyPath := filepath.Join(dataDir, compliance.MasterKeyFileName)
		if _, err := os.Lstat(keyPath); errors.Is(err, os.ErrNotExist) {
			if fi, err := os.Stat(dbFile(dataDir)); err == nil && fi.Size() > 0 {
				return compliance.MasterKey{}, "", fmt.Errorf("%w: the key file %s does not exist but the database %s does; "+
					"a new key could not decrypt it, so none is generated. Restore %s from your key backup (mode 0600), "+
					"or set %s to the file that holds the key (or %s to the key)",
					ErrMasterKeyMissing, keyPath, dbFile(dataDir), keyPath, compliance.EnvMasterKeyFile, compliance.EnvMasterKey)
			}
		}
	}
	return compliance.LoadMasterKey(getenv, dataDir, log)
}

// storeOptions are the store's options from the configuration (store.sync).
func storeOptions(cfg config.Config, mk compliance.MasterKey, log *slog.Logger) store.Options {
	return store.Options{
		Logger: log,
		Sync:   cfg.Store.Sync,
		// Every erasure also goes to the ledger outside the backups, so a
		// restore erases the customer again (DSR-4).
		ErasureLedger: cfg.ErasureLedgerPath(),
		Crypto: store.Crypto{
			Wrapper:    mk,
			NewCipher:  func(dk []byte) (store.Cipher, error) { return compliance.NewSealer(dk) },
			NewDataKey: compliance.NewDataKey,
		},
	}
}
