package web

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"deskbot/locale"
	"deskbot/protocol"
	"deskbot/store"
)

// Limits on opening sessions (F5, M7). Each new session writes a subject,
// a wrapped data key, a session row, the disclosure and an audit record
// (DISC-1, SEC-1), so one client address may open only
// limits.new_sessions_per_minute of them, with a burst, over the socket and
// the HTTP mirror together. Resuming a session is not opening one, but a
// socket resume writes a greeting and an audit record (DISC-6), so resumes
// per address are limited at four times that allowance. In memory at most
// limits.max_live_sessions are held: beyond that the idlest without a
// socket are released; their state is on disk and is read back when they
// return (Engine.Evict does the same after idle_session_minutes).

// Session-limit errors.
var (
	ErrTooManySessions = errors.New("too many new sessions from this address")
	ErrServerFull      = errors.New("no room for another live session")
)

const maxLimitedAddrs = 10_000 // addresses tracked at once

// clientAddr is the address per-client limits count by: the connection's
// peer (RemoteAddr), IPv6 by its /64. A trusted_proxies setting resolves a
// forwarded address in clientIP, and every limit follows it.
func clientAddr(r *http.Request) string { return addrKey(clientIP(r)) }

// addrAllowance is a token bucket per client address: in this process's
// memory (addrLimiter) or shared by every instance on one database
// (sharedAddrLimiter).
type addrAllowance interface {
	allow(ctx context.Context, addr string, now time.Time) (bool, time.Duration)
}

// LimitStore keeps rate-limit state shared by several instances on one
// PostgreSQL database (store.Store.UpdateLimits).
type LimitStore interface {
	UpdateLimits(ctx context.Context, keys []string, fn func(states []store.LimitState) error) error
}

// addrLimiter is a token bucket per client address, with bounded memory.
type addrLimiter struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	addrs map[string]*rate.Limiter
}

func newAddrLimiter(perMinute, burst int) *addrLimiter {
	every, burst := bucketRate(perMinute, burst)
	return &addrLimiter{every: every, burst: burst, addrs: map[string]*rate.Limiter{}}
}

// bucketRate is a configured allowance as a token bucket's rate and burst;
// not configured (zero): no limit.
func bucketRate(perMinute, burst int) (rate.Limit, int) {
	if perMinute <= 0 || burst <= 0 {
		return rate.Inf, 1
	}
	return rate.Limit(float64(perMinute) / 60), burst
}

// allow takes one token for addr, or says how long until one is free.
func (a *addrLimiter) allow(_ context.Context, addr string, now time.Time) (bool, time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l := a.addrs[addr]
	if l == nil {
		if len(a.addrs) >= maxLimitedAddrs {
			a.pruneLocked(now)
		}
		l = rate.NewLimiter(a.every, a.burst)
		a.addrs[addr] = l
	}
	if l.AllowN(now, 1) {
		return true, 0
	}
	missing := 1 - l.TokensAt(now)
	return false, time.Duration(math.Ceil(missing / float64(a.every) * float64(time.Second)))
}

// pruneLocked forgets addresses whose bucket is full again (they would
// start with a full one anyway); a spray of addresses that keeps the table
// full loses arbitrary entries, and max_live_sessions still bounds memory.
func (a *addrLimiter) pruneLocked(now time.Time) {
	for k, l := range a.addrs {
		if l.TokensAt(now) >= float64(a.burst) {
			delete(a.addrs, k)
		}
	}
	for k := range a.addrs {
		if len(a.addrs) < maxLimitedAddrs*9/10 {
			break
		}
		delete(a.addrs, k)
	}
}

// sharedAddrLimiter is the same token bucket kept in the shared database.
// A key's count is the bucket's deficit in thousandths of a token, so a
// key never seen (the zero state) has a full bucket.
type sharedAddrLimiter struct {
	st    LimitStore
	name  string // which allowance: "new" or "resume"
	every rate.Limit
	burst int
	log   *slog.Logger
}

func newSharedAddrLimiter(st LimitStore, name string, perMinute, burst int, log *slog.Logger) *sharedAddrLimiter {
	every, burst := bucketRate(perMinute, burst)
	return &sharedAddrLimiter{st: st, name: name, every: every, burst: burst, log: log}
}

func (a *sharedAddrLimiter) allow(ctx context.Context, addr string, now time.Time) (bool, time.Duration) {
	if a.every == rate.Inf {
		return true, 0
	}
	const unit = 1000 // thousandths of a token
	var ok bool
	var wait time.Duration
	perMilli := float64(a.every) * unit / 1000 // thousandths refilled per ms
	err := a.st.UpdateLimits(ctx, []string{"sessions:" + a.name + ":" + addr}, func(st []store.LimitState) error {
		deficit := st[0].Count
		if !st[0].Last.IsZero() {
			refill := int64(float64(now.Sub(st[0].Last).Milliseconds()) * perMilli)
			deficit = max(0, deficit-max(0, refill))
		}
		if deficit+unit <= int64(a.burst)*unit {
			ok = true
			deficit += unit
		} else {
			missing := deficit + unit - int64(a.burst)*unit
			wait = time.Duration(math.Ceil(float64(missing)/perMilli)) * time.Millisecond
		}
		st[0] = store.LimitState{Count: deficit, Last: now}
		return nil
	})
	if err != nil {
		// The session's own writes need the same database and fail with
		// it; the limit does not add a second refusal.
		a.log.Warn("session limit: shared state unavailable", "err", err)
		return true, 0
	}
	return ok, wait
}

// admitNewSession checks the client address's allowance and makes room in
// memory for one more session. wait says when to retry.
func (s *Server) admitNewSession(r *http.Request) (wait time.Duration, err error) {
	if ok, wait := s.newSessions.allow(r.Context(), clientAddr(r), time.Now()); !ok {
		return wait, ErrTooManySessions
	}
	if !s.engine.MakeRoom(s.cfg.Limits.MaxLiveSessions) {
		return time.Minute, ErrServerFull
	}
	return 0, nil
}

// admitResume checks the address's allowance of socket resumes (each
// writes a greeting and an audit record) and makes room in memory.
func (s *Server) admitResume(r *http.Request) error {
	if ok, _ := s.resumes.allow(r.Context(), clientAddr(r), time.Now()); !ok {
		return ErrTooManySessions
	}
	return s.admitLoad()
}

// admitLoad makes room in memory before a stored session is read back.
func (s *Server) admitLoad() error {
	if !s.engine.MakeRoom(s.cfg.Limits.MaxLiveSessions) {
		return ErrServerFull
	}
	return nil
}

// retryAfter is a Retry-After value in whole seconds, at least 1.
func retryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}

// refuseHTTP answers a call refused by a session limit: 429 for the
// address's allowance, 503 when memory is full.
func (s *Server) refuseHTTP(w http.ResponseWriter, r *http.Request, wait time.Duration, err error) {
	status := http.StatusTooManyRequests
	if errors.Is(err, ErrServerFull) {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Retry-After", retryAfter(wait))
	writeJSON(w, status, s.limitFrame(s.requestLang(r), err))
}

// limitFrame tells the client why it was refused.
func (s *Server) limitFrame(lang string, err error) protocol.Error {
	if errors.Is(err, ErrServerFull) {
		return errorFrame(protocol.ErrRateLimited, s.text(lang, locale.ErrorBusy))
	}
	return errorFrame(protocol.ErrRateLimited, s.text(lang, locale.ErrorTooManyChats))
}
