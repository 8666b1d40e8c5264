package app

import (
	"context"
	"log/slog"
	"os"
	"time"
)

// watchConfigFile warns, once per change, when the configuration file the
// server started with changes: a reload (SIGHUP, reload.go) applies
// log_level and answer.threshold; every other key takes effect after a
// restart. A change a reload has already read (readAt: when the last one
// read the configuration; nil for none) is not warned about: the reload
// logged what it applied and what needs a restart.
func watchConfigFile(ctx context.Context, path string, every time.Duration, readAt func() time.Time, log *slog.Logger) {
	stamp := func() (time.Time, int64, bool) {
		fi, err := os.Stat(path)
		if err != nil {
			return time.Time{}, 0, false
		}
		return fi.ModTime(), fi.Size(), true
	}
	mod, size, ok := stamp()
	t := time.NewTicker(every)
	defer t.Stop()
	// An editor's save is often several steps (write, then touch or
	// rename); warn once the file has stood still for a tick.
	pending := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		m, s, o := stamp()
		if o != ok || !m.Equal(mod) || s != size {
			mod, size, ok = m, s, o
			pending = true
			continue
		}
		if !pending {
			continue
		}
		pending = false
		if readAt != nil && o && !m.After(readAt()) {
			continue
		}
		log.Warn("configuration file changed; send SIGHUP to apply log_level and answer.threshold (it names the keys that need a restart), or restart deskbot to apply it all", "file", path)
	}
}

// configFileInUse is the file Load read: --config, else ./config.yaml if present.
func configFileInUse(flagFile string) string {
	if flagFile != "" {
		return flagFile
	}
	if _, err := os.Stat("config.yaml"); err == nil {
		return "config.yaml"
	}
	return ""
}

// configReadAt is when a reload last read the configuration (zero for none).
func (a *App) configReadAt() time.Time {
	if n := a.configRead.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}
