package app

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"deskbot/config"
)

// A reload applies log_level and answer.threshold at once, names the
// changed keys that need a restart, and an invalid configuration changes
// nothing.
func TestReloadAppliesLiveKeysAndNamesTheRest(t *testing.T) {
	t.Setenv("DESKBOT_MASTER_KEY", base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")))
	var logs lockedBuf
	level := new(slog.LevelVar)
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: level}))
	cfg := config.Defaults(t.TempDir())
	a, err := New(context.Background(), cfg, Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	next := cfg
	next.LogLevel = "debug"
	next.Answer.Threshold = 0.42
	next.Listen = "127.0.0.1:9999"
	var loadErr error
	r := &reloader{a: a, level: level, cur: a.Config, load: func() (config.Config, error) { return next, loadErr }}
	if err := r.reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if level.Level() != slog.LevelDebug {
		t.Errorf("log level %v after reload, want debug", level.Level())
	}
	if got := a.Engine.Threshold(); got != 0.42 {
		t.Errorf("engine threshold %v after reload, want 0.42", got)
	}
	out := logs.String()
	if !strings.Contains(out, "applied=\"[log_level answer.threshold]\"") || !strings.Contains(out, "restart_needed=[listen]") ||
		!strings.Contains(out, "changed keys take effect only after a restart") {
		t.Errorf("reload log should name applied keys and listen as needing a restart:\n%s", out)
	}

	loadErr = errors.New("invalid configuration: log_level: must be one of debug, info, warn, error")
	next.LogLevel, next.Answer.Threshold = "warn", 0.9
	if err := r.reload(context.Background()); err == nil {
		t.Fatal("an invalid configuration should be refused")
	}
	if level.Level() != slog.LevelDebug || a.Engine.Threshold() != 0.42 {
		t.Errorf("a refused reload changed the running configuration")
	}
	if !strings.Contains(logs.String(), "configuration reload refused") {
		t.Errorf("refusal not logged:\n%s", logs.String())
	}
}
