package app

import (
	"context"
	"encoding/base64"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/store"
)

// DSR-3: the hourly job warns in the log about each open request within
// compliance.RequestWarnDays of its next deadline or past it, naming the
// request, its kind and the days left but not the customer; at most once
// per request per day (an hour later it is quiet, the next day it warns
// again); requests far from their deadline and closed ones are never named.
func TestRequestDeadlineWarningsOncePerDay(t *testing.T) {
	t.Setenv("DESKBOT_MASTER_KEY", base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")))
	var logs lockedBuf
	var mu sync.Mutex
	clock := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
	a, err := New(context.Background(), config.Defaults(t.TempDir()), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := context.Background()
	const subject = "subj-DSR3-warn-ref"
	add := func(kind string, received time.Time) int64 {
		t.Helper()
		id, err := a.Store.AddRequest(ctx, store.Request{Kind: kind, Subject: subject, Received: received, Profile: "eu", Channel: "email"}, "operator")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	start := now()
	overdue := add(compliance.RequestErasure, start.AddDate(0, 0, -35))    // answer by 3 March: 7 days late
	soon := add(compliance.RequestRectification, start.AddDate(0, 0, -25)) // answer by 13 March: 3 days left
	far := add(compliance.RequestExport, start.AddDate(0, 0, -2))          // answer by 8 April
	closed := add(compliance.RequestOptOut, start.AddDate(0, 0, -30))      // answer by 8 March: late, but answered
	if err := a.Store.UpdateRequest(ctx, closed, store.RequestClosed, "operator", start); err != nil {
		t.Fatal(err)
	}
	warnings := func() map[int64]string {
		t.Helper()
		out := map[int64]string{}
		for _, line := range strings.Split(logs.String(), "\n") {
			if !strings.Contains(line, "DSR-3") {
				continue
			}
			if strings.Contains(line, subject) {
				t.Errorf("the warning names the customer: %s", line)
			}
			for _, id := range []int64{overdue, soon, far, closed} {
				if strings.Contains(line, " request="+itoa(id)+" ") {
					out[id] = line
				}
			}
		}
		logs.mu.Lock()
		logs.b.Reset()
		logs.mu.Unlock()
		return out
	}
	run := func() {
		t.Helper()
		if err := a.warnRequestsOnce(ctx, time.Hour); err != nil {
			t.Fatal(err)
		}
	}

	run()
	w := warnings()
	if len(w) != 2 {
		t.Fatalf("warned about %d requests, want %d (overdue) and %d (3 days left) only: %v", len(w), overdue, soon, w)
	}
	if l := w[overdue]; !strings.Contains(l, "level=WARN") || !strings.Contains(l, "overdue") || !strings.Contains(l, "kind=erasure") || !strings.Contains(l, "days_left=-7") {
		t.Errorf("overdue warning: %s", l)
	}
	if l := w[soon]; !strings.Contains(l, "level=WARN") || !strings.Contains(l, "deadline near") || !strings.Contains(l, "kind=rectification") || !strings.Contains(l, "days_left=3") {
		t.Errorf("near-deadline warning: %s", l)
	}

	// The next hourly run, the same day: nothing again.
	advance(time.Hour)
	run()
	if w := warnings(); len(w) != 0 {
		t.Errorf("warned again the same day: %v", w)
	}
	// The next day: both again, with a day less.
	advance(23 * time.Hour)
	run()
	w = warnings()
	if len(w) != 2 || !strings.Contains(w[overdue], "days_left=-8") || !strings.Contains(w[soon], "days_left=2") {
		t.Errorf("the next day's warnings: %v", w)
	}
	// Closed in the meantime: no longer warned.
	if err := a.Store.UpdateRequest(ctx, soon, store.RequestClosed, "operator", now()); err != nil {
		t.Fatal(err)
	}
	advance(24 * time.Hour)
	run()
	if w := warnings(); len(w) != 1 || w[overdue] == "" {
		t.Errorf("after closing %d: warnings %v, want only %d", soon, w, overdue)
	}
}
