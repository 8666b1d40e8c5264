package app

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"deskbot/config"
)

// liveKeys change without a restart when the configuration is reloaded
// (SIGHUP); every other changed key is named as needing one. kb_dir's
// articles are re-read on every reload, and certificate files on every
// reload too (same paths), so a renewed certificate needs no restart.
var liveKeys = []string{"log_level", "answer.threshold"}

// reloader re-reads the configuration on SIGHUP and applies what can
// change while running.
type reloader struct {
	a     *App
	load  func() (config.Config, error)
	level *slog.LevelVar // the server logger's level; nil leaves it
	cur   config.Config  // the configuration as applied so far
}

// watchReload applies a reload on each SIGHUP until ctx ends.
func (a *App) watchReload(ctx context.Context, load func() (config.Config, error), level *slog.LevelVar) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	r := &reloader{a: a, load: load, level: level, cur: a.Config}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			r.reload(ctx)
		}
	}
}

// reload reads the configuration again (file, environment, flags as at
// start) and applies live keys; an invalid configuration changes nothing.
func (r *reloader) reload(ctx context.Context) error {
	log := r.a.Log
	r.a.configRead.Store(time.Now().UnixNano()) // the file watcher need not warn of what this reads
	next, err := r.load()
	r.a.Metrics.Reload(err)
	if err != nil {
		log.Error("configuration reload refused; the running configuration stays", "err", err)
		return err
	}
	var applied, restart []string
	for _, key := range config.Changed(r.cur, next) {
		if !slices.Contains(liveKeys, key) || (key == "answer.threshold" && !r.a.setThreshold(next.Answer.Threshold)) {
			restart = append(restart, key)
			continue
		}
		applied = append(applied, key)
		switch key {
		case "log_level":
			if r.level != nil {
				var l slog.Level
				_ = l.UnmarshalText([]byte(next.LogLevel))
				r.level.Set(l)
			}
			r.cur.LogLevel = next.LogLevel
		case "answer.threshold":
			r.cur.Answer.Threshold = next.Answer.Threshold
			cal := r.a.KB.Calibration(next.Answer.Threshold)
			log.Info("answer.threshold applied", "answer_at", cal.AnswerAt, "suggest_at", cal.SuggestAt, "calibration", cal.String())
		}
	}
	if s := r.a.secure.Load(); s != nil && s.files != nil {
		if err := s.files.load(); err != nil {
			log.Error("certificate reload failed; the previous certificate stays", "err", err)
		} else {
			applied = append(applied, "tls certificate files re-read")
		}
	}
	if r.a.Config.KBDir != "" {
		if err := r.a.KB.Reload(ctx); err != nil {
			log.Error("knowledge base reload failed", "err", err)
		} else {
			applied = append(applied, "kb_dir articles re-read")
		}
	}
	log.Info("configuration reloaded", "applied", applied, "restart_needed", restart)
	if len(restart) > 0 {
		log.Warn("changed keys take effect only after a restart", "keys", restart)
	}
	return nil
}

// setThreshold applies a reloaded answer.threshold to the engine; false
// when the engine cannot change it while running.
func (a *App) setThreshold(t float64) bool {
	if e, ok := any(a.Engine).(interface{ SetThreshold(float64) }); ok {
		e.SetThreshold(t)
		return true
	}
	return false
}
