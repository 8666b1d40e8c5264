package bot

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

// healthState remembers the last readiness outcome, so a failing check is
// logged when it starts and ends failing, not on every probe.
type healthState struct {
	mu     sync.Mutex
	failed map[string]bool
}

// handleHealth is liveness: the process is up and serving HTTP. It says
// nothing about whether a chat could be opened; /readyz does.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
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
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	type result struct {
		c   ReadyCheck
		err error
	}
	results := make([]result, len(s.checks))
	var wg sync.WaitGroup
	for i, c := range s.checks {
		wg.Go(func() { results[i] = result{c, c.Check(ctx)} })
	}
	wg.Wait()
	s.health.mu.Lock()
	if s.health.failed == nil {
		s.health.failed = map[string]bool{}
	}
	for _, res := range results {
		was := s.health.failed[res.c.Name]
		switch {
		case res.err != nil && !was:
			s.log.Warn("not ready", "check", res.c.Name, "err", res.err)
		case res.err == nil && was:
			s.log.Info("ready again", "check", res.c.Name)
		}
		s.health.failed[res.c.Name] = res.err != nil
		if res.err != nil {
			reasons = append(reasons, res.c.Reason)
		}
	}
	s.health.mu.Unlock()
	if len(reasons) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "reasons": reasons})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready"})
}
