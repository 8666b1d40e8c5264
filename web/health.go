package web

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// ReadyCheck is one condition /readyz requires. Check returns nil when it
// holds; otherwise the detail goes to the server log and only Reason (no
// personal data, no internals) to the client.
type ReadyCheck struct {
	Name   string // e.g. "database"
	Reason string // what a client is told, e.g. "database not writable"
	Check  func(ctx context.Context) error
}

// readyTimeout bounds one readiness probe; a check that takes longer (a
// writer stuck behind a full disk) counts as failed.
const readyTimeout = 3 * time.Second

// readyCacheFor is how long one probe's outcome answers /readyz: the
// database check takes the write lock for a moment, and a flood of probes
// must not queue behind (or in front of) customers' commits.
const readyCacheFor = 500 * time.Millisecond

// healthState remembers the last readiness outcome: it is served again for
// readyCacheFor, and a failing check is logged when it starts and stops
// failing, not on every probe.
type healthState struct {
	mu      sync.Mutex // held while checks run: concurrent probes share one run
	at      time.Time
	reasons []string
	failed  map[string]bool
}

// ArticleSet identifies the articles being served (kb.Base.Fingerprint).
// /healthz shows it so that instances behind one load balancer serving
// different article sets (a folder not yet copied, a reload that failed)
// can be told apart from outside.
type ArticleSet interface {
	Fingerprint() (articles int, sha256hex string)
}

// healthBody is /healthz's answer. KB is left out when no article set is
// wired or the knowledge base is closed: liveness does not depend on it.
type healthBody struct {
	Status string    `json:"status"`
	KB     *healthKB `json:"kb,omitempty"`
}

type healthKB struct {
	Articles int    `json:"articles"`
	Checksum string `json:"checksum"` // "sha256:<hex>"
}

// handleHealth is liveness: the process is up and serving HTTP. It says
// nothing about whether a chat could be opened; /readyz does. It reads
// only memory (no database, no files), so it stays 200 and cheap while
// the database is down.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	body := healthBody{Status: "ok"}
	if s.articleSet != nil {
		if n, sum := s.articleSet.Fingerprint(); sum != "" {
			body.KB = &healthKB{Articles: n, Checksum: "sha256:" + sum}
		}
	}
	writeJSON(w, http.StatusOK, body)
}

// handleReady is readiness: 200 {"status":"ready"} when a session can be
// opened now (start-up finished, database writable, index open, free disk
// above limits.min_free_disk_mb), otherwise 503 with the reasons.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	reasons := []string{}
	if !s.ready.Load() {
		reasons = append(reasons, "starting")
	}
	reasons = append(reasons, s.readyReasons(r.Context())...)
	if len(reasons) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "reasons": reasons})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready"})
}

// readyReasons runs the checks (at most once per readyCacheFor) and
// returns the reasons of those that fail.
func (s *Server) readyReasons(ctx context.Context) []string {
	h := &s.health
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.at.IsZero() && time.Since(h.at) < readyCacheFor {
		return h.reasons
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readyTimeout)
	defer cancel()
	errs := make([]error, len(s.checks))
	var wg sync.WaitGroup
	for i, c := range s.checks {
		wg.Go(func() { errs[i] = c.Check(ctx) })
	}
	wg.Wait()
	if h.failed == nil {
		h.failed = map[string]bool{}
	}
	var reasons []string
	for i, c := range s.checks {
		err, was := errs[i], h.failed[c.Name]
		switch {
		case err != nil && !was:
			s.log.Warn("not ready", "check", c.Name, "err", err)
		case err == nil && was:
			s.log.Info("ready again", "check", c.Name)
		}
		h.failed[c.Name] = err != nil
		if err != nil {
			reasons = append(reasons, c.Reason)
		}
	}
	h.at, h.reasons = time.Now(), reasons
	return reasons
}
