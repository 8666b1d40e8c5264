package app

import (
	"errors"
	"fmt"
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

// dbFile is the database inside the data directory.
func dbFile(dataDir string) string { return filepath.Join(dataDir, "deskbot.db") }

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
		Crypto: store.Crypto{
			Wrapper:    mk,
			NewCipher:  func(dk []byte) (store.Cipher, error) { return compliance.NewSealer(dk) },
			NewDataKey: compliance.NewDataKey,
		},
	}
}
