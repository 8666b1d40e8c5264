package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"deskbot/desk"
	"deskbot/store"
)

// AgentStore holds agent accounts and log-in sessions.
type AgentStore interface {
	AgentByName(ctx context.Context, name string) (store.Agent, error)
	CreateAgentSession(ctx context.Context, as store.AgentSession) error
	AgentSessionByHash(ctx context.Context, tokenHash []byte, now time.Time) (store.AgentSession, error)
	DeleteAgentSession(ctx context.Context, tokenHash []byte) error
}

// Log-in errors.
var (
	ErrBadLogin    = errors.New("wrong name or password")
	ErrLoginLocked = errors.New("too many log-in attempts; try again later")
)

const agentSessionTTL = 12 * time.Hour

// agentAuth logs agents in and out and checks their sessions.
type agentAuth struct {
	st      AgentStore
	now     func() time.Time
	limiter *loginLimiter
	dummy   string // compared against for unknown names, so timing does not tell
}

func newAgentAuth(st AgentStore, counts loginCounter, now func() time.Time, concurrentHashes int) *agentAuth {
	dummy, _ := desk.HashPassword("not-a-real-password-for-timing")
	return &agentAuth{st: st, now: now, limiter: newLoginLimiter(counts, concurrentHashes), dummy: dummy}
}

// login checks a password and opens a session; it returns the cookie
// token, or with ErrLoginLocked how long to wait. addr is the client
// address (see clientIP).
func (a *agentAuth) login(ctx context.Context, addr, name, pw string) (store.Agent, string, time.Duration, error) {
	now := a.now()
	res, wait, err := a.limiter.reserve(ctx, now, loginKeys(addr, strings.ToLower(name))...)
	if err != nil {
		return store.Agent{}, "", 0, fmt.Errorf("agent log-in: %w", err)
	}
	if res == nil {
		return store.Agent{}, "", wait, ErrLoginLocked
	}
	if !a.limiter.acquireHash(ctx) {
		res.cancelled(context.WithoutCancel(ctx))
		return store.Agent{}, "", time.Second, ErrLoginLocked
	}
	ag, err := a.st.AgentByName(ctx, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		a.limiter.releaseHash()
		res.cancelled(context.WithoutCancel(ctx))
		return store.Agent{}, "", 0, fmt.Errorf("agent log-in: %w", err)
	}
	hash := ag.PasswordHash
	if err != nil || ag.Disabled {
		hash = a.dummy
	}
	ok := desk.CheckPassword(hash, pw) && err == nil && !ag.Disabled
	// The hash's 19 MiB are garbage now; collecting them before the next
	// hash starts keeps a burst of log-ins from stacking them up until the
	// collector's own pace gets there (a few ms, only on log-in).
	runtime.GC()
	a.limiter.releaseHash()
	if !ok {
		return store.Agent{}, "", 0, ErrBadLogin // the reservation stays counted as a failure
	}
	res.succeeded(context.WithoutCancel(ctx))
	token := newToken()
	if err := a.st.CreateAgentSession(ctx, store.AgentSession{TokenHash: hashToken(token), Agent: ag.Name, CreatedAt: now, ExpiresAt: now.Add(agentSessionTTL)}); err != nil {
		return store.Agent{}, "", 0, fmt.Errorf("agent log-in: %w", err)
	}
	return ag, token, 0, nil
}

// session resolves a cookie token to its agent.
func (a *agentAuth) session(ctx context.Context, token string) (store.Agent, error) {
	if token == "" || len(token) > 128 {
		return store.Agent{}, store.ErrNotFound
	}
	as, err := a.st.AgentSessionByHash(ctx, hashToken(token), a.now())
	if err != nil {
		return store.Agent{}, err
	}
	return a.st.AgentByName(ctx, as.Agent)
}

// newToken is a random agent session token; hashToken is what is stored.
func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// csrfToken is derived from the session token: a page on another site
// cannot read the cookie, so it cannot compute it.
func csrfToken(sessionToken string) string {
	h := sha256.Sum256([]byte("deskbot-csrf\x00" + sessionToken))
	return base64.RawURLEncoding.EncodeToString(h[:24])
}
