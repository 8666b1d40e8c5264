package web

import (
	"context"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/internal/pgtest"
	"deskbot/store"
)

// twoSharedStores opens two stores on one PostgreSQL database, as two
// instances would.
func twoSharedStores(t *testing.T) (*store.Store, *store.Store) {
	t.Helper()
	url := pgtest.Database(t, t.Name())
	mk, err := compliance.NewMasterKey([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	opts := store.Options{Crypto: store.Crypto{Wrapper: mk, NewCipher: func(dk []byte) (store.Cipher, error) { return compliance.NewSealer(dk) }, NewDataKey: compliance.NewDataKey}}
	var out [2]*store.Store
	for i := range out {
		s, err := store.Open(context.Background(), url, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out[0], out[1]
}

// F5, SEC-2: with several instances the new-session allowance of an
// address holds for the cluster: 10 (the burst) in all, not 10 per
// instance; then one more per refill interval; another address has its own.
func TestSharedNewSessionAllowanceAcrossInstances(t *testing.T) {
	a, b := twoSharedStores(t)
	la := newSharedAddrLimiter(a, "new", 60, 10, nil)
	lb := newSharedAddrLimiter(b, "new", 60, 10, nil)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	granted := 0
	var lastWait time.Duration
	for i := range 30 {
		l := la
		if i%2 == 1 {
			l = lb
		}
		ok, wait := l.allow(ctx, "192.0.2.7", now)
		if ok {
			granted++
		} else {
			lastWait = wait
		}
	}
	if granted != 10 {
		t.Errorf("30 new sessions over two instances at one moment: %d granted, want the burst of 10 in all", granted)
	}
	if lastWait <= 0 || lastWait > time.Second {
		t.Errorf("refused with wait %v, want up to the 1 s refill interval", lastWait)
	}
	if ok, _ := lb.allow(ctx, "192.0.2.7", now.Add(1500*time.Millisecond)); !ok {
		t.Error("1.5 s later (60 per minute) one more session is not granted")
	}
	if ok, _ := la.allow(ctx, "192.0.2.7", now.Add(1500*time.Millisecond)); ok {
		t.Error("a second session granted from one refill")
	}
	if ok, _ := la.allow(ctx, "198.51.100.4", now); !ok {
		t.Error("another address is refused")
	}
}

// SEC-2: failed log-ins from one address count on every instance: after
// the free tries on one instance, the next attempt on another must wait;
// a success refunds as on one instance.
func TestSharedLoginBackoffAcrossInstances(t *testing.T) {
	a, b := twoSharedStores(t)
	la := newLoginLimiter(sharedLoginCounts{st: a}, 1)
	lb := newLoginLimiter(sharedLoginCounts{st: b}, 1)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	keys := loginKeys("192.0.2.9", "anna")
	for i := range loginFreeAccountFails {
		l := la
		if i%2 == 1 {
			l = lb
		}
		res, wait, err := l.reserve(ctx, now, keys...)
		if err != nil || res == nil {
			t.Fatalf("attempt %d: refused (wait %v, %v), want it checked", i+1, wait, err)
		}
	}
	res, wait, err := lb.reserve(ctx, now.Add(100*time.Millisecond), keys...)
	if err != nil || res != nil || wait <= 0 {
		t.Fatalf("attempt %d on the other instance: reservation %v wait %v err %v; want a wait after %d failures in the cluster", loginFreeAccountFails+1, res != nil, wait, err, loginFreeAccountFails)
	}
	// After the backoff, a right password resets the account+address on
	// every instance.
	later := now.Add(backoff(0) + time.Second)
	res, _, err = la.reserve(ctx, later, keys...)
	if err != nil || res == nil {
		t.Fatalf("after the backoff: refused (%v)", err)
	}
	res.succeeded(ctx)
	if res, _, err := lb.reserve(ctx, later.Add(time.Millisecond), keys...); err != nil || res == nil {
		t.Fatalf("after a success on the first instance the second still refuses (%v)", err)
	}
}

// The per-process counter behaves the same (the shared one is a drop-in).
func TestMemLoginBackoff(t *testing.T) {
	l := newLoginLimiter(newMemLoginCounts(), 1)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	keys := loginKeys("192.0.2.9", "anna")
	for i := range loginFreeAccountFails {
		if res, _, _ := l.reserve(ctx, now, keys...); res == nil {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if res, wait, _ := l.reserve(ctx, now, keys...); res != nil || wait <= 0 {
		t.Fatalf("attempt %d: reservation %v wait %v; want a wait", loginFreeAccountFails+1, res != nil, wait)
	}
}
