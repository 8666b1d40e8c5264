package web

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"

	"deskbot/store"
)

// Agent log-in limits (SEC-2: only authorised staff, and an account cannot
// be locked by someone else).
//
// Every attempt is reserved, counted as a failure, before its password is
// hashed, so parallel requests cannot all slip past the check; a right
// password refunds it. Failures are counted per account+address and per
// address: after a few free tries each further one must wait twice as long
// as the last (1 s, 2 s, 4 s … at most 15 min). Nothing is counted per
// account alone, so failures from one address never lock the right
// password out from another.
//
// Hashes (argon2id, 19 MiB each) run at most loginHashes at a time; a
// log-in that finds no free slot within loginSlotWait is refused with 429
// and Retry-After, so a burst costs neither memory nor a queue.
const (
	loginFreeAccountFails = 3  // per account and address before backoff
	loginFreeAddressFails = 20 // per address over all accounts
	loginBackoffBase      = time.Second
	loginBackoffMax       = 15 * time.Minute
	loginForget           = 15 * time.Minute // quiet time that resets a key
	loginSlotWait         = 500 * time.Millisecond
	limiterMaxKeys        = 10_000
)

type loginKey struct {
	fails int       // failures, counting reserved attempts still being checked
	next  time.Time // no attempt before this
	last  time.Time // last attempt, for forgetting
}

// loginCounter keeps the loginKeys: in this process's memory, or in the
// database when several instances share it (so an address's allowance
// holds for the cluster). update runs fn on the states of keys, in order,
// atomically; an error from fn leaves them as they were.
type loginCounter interface {
	update(ctx context.Context, now time.Time, keys []string, fn func(st []*loginKey) error) error
}

// loginLimiter reserves log-in attempts and bounds concurrent hashes (the
// hash slots are this process's own: they bound its memory).
type loginLimiter struct {
	counts loginCounter
	hashes chan struct{}
}

func newLoginLimiter(counts loginCounter, concurrentHashes int) *loginLimiter {
	return &loginLimiter{counts: counts, hashes: make(chan struct{}, max(1, concurrentHashes))}
}

// loginReservation is one reserved attempt.
type loginReservation struct {
	l    *loginLimiter
	keys []string
	now  time.Time
}

// loginKeys are the limiter keys for an attempt: the address alone and
// the account from that address.
func loginKeys(addr, name string) []string {
	a := addrKey(addr)
	return []string{"addr:" + a, "acct:" + name + "\x00" + a}
}

func freeFails(key string) int {
	if key[:5] == "addr:" {
		return loginFreeAddressFails
	}
	return loginFreeAccountFails
}

func backoff(over int) time.Duration {
	if over > 20 {
		return loginBackoffMax
	}
	return min(loginBackoffMax, loginBackoffBase<<over)
}

// errLoginWait stops an update that found the caller must wait.
var errLoginWait = errors.New("log-in must wait")

// reserve counts an attempt against every key before it is checked, or
// says how long the caller must wait.
func (l *loginLimiter) reserve(ctx context.Context, now time.Time, keys ...string) (*loginReservation, time.Duration, error) {
	var wait time.Duration
	err := l.counts.update(ctx, now, keys, func(st []*loginKey) error {
		for _, k := range st {
			if now.Before(k.next) {
				wait = max(wait, k.next.Sub(now))
			}
		}
		if wait > 0 {
			return errLoginWait
		}
		for i, k := range st {
			if now.Sub(k.last) >= loginForget {
				*k = loginKey{}
			}
			k.fails++
			k.last = now
			if over := k.fails - freeFails(keys[i]); over >= 0 {
				k.next = now.Add(backoff(over))
			}
		}
		return nil
	})
	if errors.Is(err, errLoginWait) {
		return nil, wait, nil
	}
	if err != nil {
		return nil, 0, err
	}
	return &loginReservation{l: l, keys: keys, now: now}, 0, nil
}

// succeeded refunds the attempt: the account+address starts afresh, and
// the address keeps only its other failures. A refund that cannot be
// stored leaves the attempt counted as a failure.
func (r *loginReservation) succeeded(ctx context.Context) {
	_ = r.l.counts.update(ctx, r.now, r.keys, func(st []*loginKey) error {
		for i, k := range st {
			if r.keys[i][:5] == "acct:" {
				*k = loginKey{}
				continue
			}
			k.fails = max(0, k.fails-1)
			if k.fails < freeFails(r.keys[i]) {
				k.next = time.Time{}
			}
		}
		return nil
	})
}

// cancelled refunds an attempt that was never checked (no hash slot).
func (r *loginReservation) cancelled(ctx context.Context) {
	_ = r.l.counts.update(ctx, r.now, r.keys, func(st []*loginKey) error {
		for i, k := range st {
			k.fails = max(0, k.fails-1)
			if over := k.fails - freeFails(r.keys[i]); over >= 0 {
				k.next = k.last.Add(backoff(over))
			} else {
				k.next = time.Time{}
			}
		}
		return nil
	})
}

// memLoginCounts keeps the loginKeys in memory, bounded.
type memLoginCounts struct {
	mu   sync.Mutex
	keys map[string]*loginKey
}

func newMemLoginCounts() *memLoginCounts { return &memLoginCounts{keys: map[string]*loginKey{}} }

func (m *memLoginCounts) update(_ context.Context, now time.Time, keys []string, fn func(st []*loginKey) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.keys) >= limiterMaxKeys {
		m.pruneLocked(now)
	}
	st := make([]*loginKey, len(keys))
	saved := make([]loginKey, len(keys))
	for i, k := range keys {
		if m.keys[k] == nil {
			m.keys[k] = &loginKey{}
		}
		st[i], saved[i] = m.keys[k], *m.keys[k]
	}
	if err := fn(st); err != nil {
		for i := range st {
			*st[i] = saved[i]
		}
		return err
	}
	return nil
}

// pruneLocked forgets keys that block nobody; if a spray of addresses
// still fills the table, arbitrary keys go (the hash slots still bound
// the cost of every attempt).
func (m *memLoginCounts) pruneLocked(now time.Time) {
	for k, st := range m.keys {
		if now.After(st.next) && now.Sub(st.last) >= loginForget {
			delete(m.keys, k)
		}
	}
	for k := range m.keys {
		if len(m.keys) < limiterMaxKeys*9/10 {
			break
		}
		delete(m.keys, k)
	}
}

// sharedLoginCounts keeps the loginKeys in the database shared by every
// instance (store.UpdateLimits; only keyed hashes of the keys are stored).
type sharedLoginCounts struct{ st LimitStore }

func (s sharedLoginCounts) update(ctx context.Context, _ time.Time, keys []string, fn func(st []*loginKey) error) error {
	prefixed := make([]string, len(keys))
	for i, k := range keys {
		prefixed[i] = "login:" + k
	}
	return s.st.UpdateLimits(ctx, prefixed, func(ls []store.LimitState) error {
		st := make([]*loginKey, len(ls))
		for i, v := range ls {
			st[i] = &loginKey{fails: int(v.Count), next: v.Next, last: v.Last}
		}
		if err := fn(st); err != nil {
			return err
		}
		for i, k := range st {
			ls[i] = store.LimitState{Count: int64(k.fails), Next: k.next, Last: k.last}
		}
		return nil
	})
}

// acquireHash takes a hash slot, waiting at most loginSlotWait.
func (l *loginLimiter) acquireHash(ctx context.Context) bool {
	select {
	case l.hashes <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(loginSlotWait)
	defer t.Stop()
	select {
	case l.hashes <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (l *loginLimiter) releaseHash() { <-l.hashes }

// addrKey is the part of a client address limits count by: the address
// itself for IPv4, its /64 network for IPv6 (one customer line usually
// holds a whole /64).
func addrKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
