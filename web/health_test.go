package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/config"
)

type readiness struct {
	code    int
	Status  string   `json:"status"`
	Reasons []string `json:"reasons"`
}

func getReady(t *testing.T, l *app.Local) readiness {
	t.Helper()
	resp, err := http.Get(l.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := readiness{code: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("/readyz body: %v", err)
	}
	return r
}

// readyWithin polls /readyz until ok accepts it (outcomes are cached for
// half a second) or 3 s pass, and returns the last answer.
func readyWithin(t *testing.T, l *app.Local, ok func(readiness) bool) readiness {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		r := getReady(t, l)
		if ok(r) || time.Now().After(deadline) {
			return r
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// liveness is /healthz's JSON answer.
type liveness struct {
	code   int
	Status string `json:"status"`
	KB     *struct {
		Articles int    `json:"articles"`
		Checksum string `json:"checksum"`
	} `json:"kb"`
}

// getLiveness asks /healthz; an answer that is not its JSON fails the test.
func getLiveness(t *testing.T, l *app.Local) liveness {
	t.Helper()
	resp, err := http.Get(l.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	h := liveness{code: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatalf("/healthz body: %v", err)
	}
	return h
}

func getHealth(t *testing.T, l *app.Local) int {
	t.Helper()
	return getLiveness(t, l).code
}

// H3: /healthz is liveness (the process serves HTTP), /readyz readiness
// (a session can be opened now), and /readyz tells the truth when the
// database cannot be written or the index is closed.
func TestReadyzFailsWhenStoreOrIndexClosed(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	if code := getHealth(t, l); code != 200 {
		t.Fatalf("/healthz = %d, want 200", code)
	}
	if r := getReady(t, l); r.code != 200 || r.Status != "ready" {
		t.Fatalf("/readyz = %d %+v, want 200 ready", r.code, r)
	}
	// Readiness writes nothing: no audit record, no subject (AUD-1 chain unchanged).
	before, err := l.App.Store.AuditRecords(ctxT(t), "")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		getReady(t, l)
	}
	after, _ := l.App.Store.AuditRecords(ctxT(t), "")
	if len(after) != len(before) {
		t.Errorf("readiness probes wrote %d audit records", len(after)-len(before))
	}

	if err := l.App.Store.Close(); err != nil {
		t.Fatal(err)
	}
	r := readyWithin(t, l, func(r readiness) bool { return r.code != 200 })
	if r.code != 503 || r.Status != "unavailable" || !hasReason(r.Reasons, "database not writable") {
		t.Fatalf("/readyz with the store closed = %d %+v, want 503 naming the database", r.code, r)
	}
	if h := getLiveness(t, l); h.code != 200 || h.Status != "ok" || h.KB == nil || h.KB.Articles == 0 {
		t.Errorf("/healthz with the store closed = %d %+v; liveness must stay 200 and still name the articles", h.code, h)
	}
	l.App.KB.Close()
	r = readyWithin(t, l, func(r readiness) bool { return hasReason(r.Reasons, "knowledge base index not open") })
	if !hasReason(r.Reasons, "knowledge base index not open") {
		t.Errorf("/readyz with the index closed: %+v", r)
	}
	if h := getLiveness(t, l); h.code != 200 || h.KB != nil {
		t.Errorf("/healthz with the index closed = %d %+v; want 200 without a kb part", h.code, h.KB)
	}
}

// H3: below limits.min_free_disk_mb of free space in the data dir /readyz
// is 503, with a reason that names no path and no personal data.
func TestReadyzFailsBelowFreeDiskFloor(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) { c.Limits.MinFreeDiskMB = 1 << 40 }) // 1 EiB: above any real free space
	r := getReady(t, l)
	if r.code != 503 || !hasReason(r.Reasons, "free disk space low") {
		t.Fatalf("/readyz with a floor above the free space = %d %+v, want 503 free disk space low", r.code, r)
	}
	for _, why := range r.Reasons {
		if strings.Contains(why, "/") {
			t.Errorf("reason %q leaks a path", why)
		}
	}
	if code := getHealth(t, l); code != 200 {
		t.Errorf("/healthz = %d, want 200", code)
	}
}

func hasReason(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Probes share one run of the checks for half a second, so a flood of
// /readyz cannot queue behind or in front of customers' commits on the
// write lock.
func TestReadyzFloodStaysCheap(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	start := time.Now()
	for range 200 {
		if r := getReady(t, l); r.code != 200 {
			t.Fatalf("/readyz = %d %+v", r.code, r)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("200 probes took %v", d)
	}
}
