package app

import (
	"context"
	"os"

	"deskbot/compliance"
	"deskbot/config"
)

// StartLocalForLoad starts an in-process bot on a temporary data dir with a
// throwaway master key and limits raised for load.
func StartLocalForLoad(ctx context.Context) (*Local, error) {
	dir, err := os.MkdirTemp("", "deskbot-load-")
	if err != nil {
		return nil, err
	}
	_, key, err := compliance.GenerateMasterKey()
	if err != nil {
		return nil, err
	}
	cfg := config.Defaults(dir)
	cfg.Limits.MessagesPerMinute = 6000
	cfg.Limits.Burst = 200
	// Every load session comes from this one address.
	cfg.Limits.NewSessionsPerMinute = 1_000_000
	cfg.Limits.NewSessionsBurst = 100_000
	cfg.Limits.MaxLiveSessions = 1_000_000
	l, err := StartLocal(ctx, cfg, Options{Getenv: func(k string) string {
		if k == compliance.EnvMasterKey {
			return key
		}
		return ""
	}})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return l, nil
}
