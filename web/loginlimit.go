package web

import (
	"context"
	"net/netip"
	"sync"
	"time"
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

// loginLimiter reserves log-in attempts and bounds concurrent hashes.
type loginLimiter struct {
	mu     sync.Mutex
	keys   map[string]*loginKey
	hashes chan struct{}
}

func newLoginLimiter(concurrentHashes int) *loginLimiter {
	return &loginLimiter{keys: map[string]*loginKey{}, hashes: make(chan struct{}, max(1, concurrentHashes))}
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

// reserve counts an attempt against every key before it is checked, or
// says how long the caller must wait.
func (l *loginLimiter) reserve(now time.Time, keys ...string) (*loginReservation, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		if st := l.keys[k]; st != nil && now.Before(st.next) {
			wait = max(wait, st.next.Sub(now))
		}
	}
	if wait > 0 {
		return nil, wait
	}
	if len(l.keys) >= limiterMaxKeys {
		l.pruneLocked(now)
	}
	for _, k := range keys {
		st := l.keys[k]
		if st == nil || now.Sub(st.last) >= loginForget {
			st = &loginKey{}
			l.keys[k] = st
		}
		st.fails++
		st.last = now
		if over := st.fails - freeFails(k); over >= 0 {
			st.next = now.Add(backoff(over))
		}
	}
	return &loginReservation{l: l, keys: keys, now: now}, 0
}

// pruneLocked forgets keys that block nobody; if a spray of addresses
// still fills the table, arbitrary keys go (the hash slots still bound
// the cost of every attempt).
func (l *loginLimiter) pruneLocked(now time.Time) {
	for k, st := range l.keys {
		if now.After(st.next) && now.Sub(st.last) >= loginForget {
			delete(l.keys, k)
		}
	}
	for k := range l.keys {
		if len(l.keys) < limiterMaxKeys*9/10 {
			break
		}
		delete(l.keys, k)
	}
}

// succeeded refunds the attempt: the account+address starts afresh, and
// the address keeps only its other failures.
func (r *loginReservation) succeeded() {
	r.l.mu.Lock()
	defer r.l.mu.Unlock()
	for _, k := range r.keys {
		st := r.l.keys[k]
		if st == nil {
			continue
		}
		if k[:5] == "acct:" {
			delete(r.l.keys, k)
			continue
		}
		st.fails = max(0, st.fails-1)
		if st.fails < freeFails(k) {
			st.next = time.Time{}
		}
	}
}

// cancelled refunds an attempt that was never checked (no hash slot).
func (r *loginReservation) cancelled() {
	r.l.mu.Lock()
	defer r.l.mu.Unlock()
	for _, k := range r.keys {
		if st := r.l.keys[k]; st != nil {
			st.fails = max(0, st.fails-1)
			if over := st.fails - freeFails(k); over >= 0 {
				st.next = st.last.Add(backoff(over))
			} else {
				st.next = time.Time{}
			}
		}
	}
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
