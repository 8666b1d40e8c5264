// Package app wires configuration, keys, store, knowledge base, engine and
// HTTP server in one fixed order, and runs the command line.
package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"deskbot/assets"
	"deskbot/config"
	"deskbot/conversation"
	"deskbot/desk"
	"deskbot/kb"
	"deskbot/metrics"
	"deskbot/store"
	"deskbot/web"
)

// App is a wired deskbot: everything `deskbot serve` runs, without the listener.
type App struct {
	Config config.Config
	Store  *store.Store
	KB     *kb.Base
	Engine *conversation.Engine
	Server *web.Server
	Log    *slog.Logger
	// Metrics are served on metrics.listen (ServeAll); always collected.
	Metrics *metrics.Metrics

	secure atomic.Pointer[secure] // TLS of the public listener, set by ServeAll; nil for plain HTTP

	cancelWatch context.CancelFunc
	configFile  string       // the configuration file in use, for scheduled backups
	configRead  atomic.Int64 // when a reload last read the configuration (UnixNano); 0 for none
	keyID       string       // the master key's id, for backup manifests
	now         func() time.Time
	blind       func(kind, value string) string
}

// Options adjust New for tests and embedding.
type Options struct {
	Logger *slog.Logger
	Getenv func(string) string
	Now    func() time.Time // injectable clock
	KB     fs.FS            // overrides kb_dir (tests, scenarios with their own articles)
}

// New wires an App from cfg. Close releases it.
func New(ctx context.Context, cfg config.Config, o Options) (*App, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	// 1-2. Keys and store: the master key never comes from config.yaml (SEC-1).
	st, mk, src, err := openDataStore(ctx, cfg, createStore, getenv, log)
	if err != nil {
		return nil, err
	}
	log.Info("master key loaded", "source", src, "id", mk.ID()) // the id label key copies carry

	// 3. Knowledge base.
	source := o.KB
	if source == nil {
		if cfg.KBDir != "" {
			if fi, err := os.Stat(cfg.KBDir); err != nil || !fi.IsDir() {
				st.Close()
				return nil, fmt.Errorf("%w: kb_dir: %q is not a readable folder", config.ErrInvalid, cfg.KBDir)
			}
			source = kb.DirFS(cfg.KBDir) // links leading out of kb_dir are skipped
		} else {
			source = kb.DemoFS()
		}
	}
	base, err := kb.Open(ctx, kb.Options{Source: source, IndexDir: filepath.Join(cfg.DataDir, "index"), Logger: log})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	for _, p := range base.Problems() {
		log.Warn("article skipped", "problem", p)
	}
	for _, w := range cfg.MissingPolicyArticles(func(id string) bool { _, ok := base.Article(id); return ok }) {
		log.Warn("policy link points at a missing article: " + w)
	}
	// The owner sees at start-up which confidence answers and which only
	// suggests, and how that was reached from answer.threshold.
	cal := base.Calibration(cfg.Answer.Threshold)
	log.Info("knowledge base calibrated", "articles", len(base.Articles()), "target", cal.Target,
		"answer_at", cal.AnswerAt, "suggest_at", cal.SuggestAt, "method", cal.Method, "calibration", cal.String())
	watchCtx, cancelWatch := context.WithCancel(context.WithoutCancel(ctx))
	if cfg.KBDir != "" && o.KB == nil {
		go base.Watch(watchCtx, cfg.KBWatchInterval)
	}

	// 4. Engine and server.
	lookupKey, err := st.SystemKey(ctx, "lookup")
	if err != nil {
		cancelWatch()
		base.Close()
		st.Close()
		return nil, fmt.Errorf("lookup key: %w", err)
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	a := &App{Config: cfg, Store: st, KB: base, Log: log, cancelWatch: cancelWatch, now: now, blind: blindFunc(lookupKey), keyID: mk.ID()}
	a.Metrics = newMetrics(a) // its gauges read the engine and server at scrape time
	st.ObserveCommits(a.Metrics)
	hours, herr := desk.NewHours(cfg.BusinessHours)
	if herr != nil {
		log.Error("business hours unusable; treating the team as always open", "err", herr)
	}
	dk := desk.New(now, hours)
	hub := web.NewHub() // the engine delivers agent frames through it
	a.Engine = conversation.New(conversation.Options{Config: cfg, KB: base, Store: st, Desk: dk, Delivery: hub,
		Notifier: desk.NewNotifier(cfg), Now: now, Logger: log, Blind: a.blind, Observer: a.Metrics})
	var conversations web.Conversations = a.Engine
	var sharedLimits web.LimitStore // per process on SQLite
	if st.Postgres() {
		// Allowances per client address hold for the cluster, not once
		// per instance (SEC-2, F5).
		sharedLimits = st
		// Several instances on one database share the desk (package cluster).
		c, err := joinCluster(watchCtx, cfg, st, dk, a.Engine, log)
		if err != nil {
			cancelWatch()
			base.Close()
			st.Close()
			return nil, err
		}
		conversations = c
	}
	a.Server = web.NewServer(web.ServerOptions{Config: cfg, Engine: conversations, Hub: hub, Desk: dk, Agents: st, Now: now,
		Articles: base, ArticleSet: base, Assets: assets.FS(), Logger: log,
		Admin: web.Admin{Token: cfg.AdminToken.Reveal(), Store: st, Scan: withDatabaseScan(st, storageScanner(cfg.DataDir, getenv, log)), Purge: a.Purge,
			TestRunsReadAll: cfg.AdminTestRunsReadAll},
		Ready: a.readyChecks(), SharedLimits: sharedLimits, Requests: st})
	a.Server.SetReady(true)
	return a, nil
}

// blindFunc returns a keyed hash for finding a subject by a personal value
// (e.g. an e-mail) without storing the value in clear.
func blindFunc(key []byte) func(kind, value string) string {
	return func(kind, value string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(kind + "\x00" + value))
		return hex.EncodeToString(m.Sum(nil))
	}
}

// Retention converts the configured periods (RET-1).
func Retention(c config.Config) store.Retention {
	day := 24 * time.Hour
	return store.Retention{
		Transcripts: time.Duration(c.Retention.TranscriptsDays) * day,
		Contacts:    time.Duration(c.Retention.ContactDays) * day,
		Consents:    time.Duration(c.Retention.ConsentDays) * day,
		Audit:       time.Duration(c.Retention.AuditDays) * day,
		Requests:    time.Duration(c.Retention.RequestsDays) * day,
	}
}

// Purge removes what is past its retention period, by the app's clock (RET-1).
func (a *App) Purge(ctx context.Context) (store.PurgeCounts, error) {
	n, err := a.Store.Purge(ctx, a.now(), Retention(a.Config))
	a.Metrics.Purge(err)
	if err != nil {
		return n, fmt.Errorf("purge: %w", err)
	}
	if n.Total() > 0 {
		a.Log.Info("retention purge", "sessions", n.Sessions, "messages", n.Messages, "left_messages", n.LeftMessages, "contacts", n.Contacts, "consents", n.Consents, "subjects", n.Subjects, "requests", n.Requests)
	}
	return n, nil
}

// purgeLoop runs the purge and the request deadline warnings (DSR-3,
// request_warn.go) at start and then every interval until ctx ends.
func (a *App) purgeLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := a.purgeOnce(ctx, every); err != nil && ctx.Err() == nil {
			a.Log.Error("retention purge failed", "err", err)
		}
		if err := a.warnRequestsOnce(ctx, every); err != nil && ctx.Err() == nil {
			a.Log.Error("request deadline warnings failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// purgeOnce runs the purge; on a database shared by several instances only
// one of them runs it per period (RET-1 once, not once per instance).
func (a *App) purgeOnce(ctx context.Context, every time.Duration) error {
	if !a.Store.Postgres() {
		_, err := a.Purge(ctx)
		return err
	}
	ran, err := a.Store.RunOnce(ctx, "retention_purge", every, a.now(), func(ctx context.Context) error {
		if _, err := a.Purge(ctx); err != nil {
			return err
		}
		// Shared rate-limit keys quiet for an hour are back to a full
		// allowance (log-in backoff and forgetting take at most 30 min).
		_, err := a.Store.PruneLimits(ctx, a.now().Add(-time.Hour))
		return err
	})
	if err == nil && !ran {
		a.Log.Debug("retention purge left to another instance (ran within the hour or running now)")
	}
	return err
}

// Close stops the watcher and closes the index and the store (flushing writes).
func (a *App) Close() error {
	a.cancelWatch()
	return errors.Join(a.KB.Close(), a.Store.Close())
}

// Serve listens on cfg.Listen until ctx ends, then shuts down gracefully:
// every socket is closed with "going away", in-flight turns finish, and
// the store flushes before Serve returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	baseCtx, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	hs := &http.Server{
		Handler:     a.publicHandler(), // trusted proxies, access log, routes
		BaseContext: func(net.Listener) context.Context { return baseCtx },
		// Every phase is bounded (F6); a socket is exempt once upgraded
		// (web.Server.Deadlines), it has pings and per-frame write deadlines.
		ReadHeaderTimeout: a.Config.Timeouts.ReadHeader,
		ReadTimeout:       a.Config.Timeouts.Read,
		WriteTimeout:      a.Config.Timeouts.Write,
		IdleTimeout:       a.Config.Timeouts.Idle,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          log.New(quietTLSErrors{a.Log}, "", 0),
	}
	a.Server.Start(baseCtx)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	go a.purgeLoop(baseCtx, time.Hour)
	go a.backupLoop(baseCtx)
	go a.Engine.Janitor(baseCtx, time.Minute, time.Duration(a.Config.Limits.IdleSessionMinutes)*time.Minute)
	a.Log.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	start := time.Now()
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.Timeouts.Shutdown)
	defer cancel()
	// Stop listening and let HTTP calls finish, while sockets finish their
	// turns in flight and get every reply before a 1001 close (M5).
	herr := make(chan error, 1)
	go func() { herr <- hs.Shutdown(sctx) }()
	if err := a.Server.Shutdown(sctx); err != nil {
		a.Log.Warn("shutdown: sockets not flushed in time", "err", err, "timeout", a.Config.Timeouts.Shutdown)
	}
	var err error
	select {
	case err = <-herr:
	case <-time.After(time.Second):
		// Calls still open a second after the sockets are done are long
		// polls (the agent console's events): cancelling ends them.
		cancelBase()
		err = <-herr
	}
	cancelBase() // whatever is left closes now
	a.Server.Wait(sctx)
	a.Log.Info("connections closed", "took", time.Since(start).Round(time.Millisecond))
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		a.Log.Warn("shutdown: HTTP calls still running at the timeout", "timeout", a.Config.Timeouts.Shutdown)
		err = nil
	}
	return err
}

// hasArticle reports whether arts holds an article with the given id.
func hasArticle(arts []kb.Article) func(id string) bool {
	return func(id string) bool {
		for _, a := range arts {
			if a.ID == id {
				return true
			}
		}
		return false
	}
}
