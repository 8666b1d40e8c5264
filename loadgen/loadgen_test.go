package loadgen_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/compliance"
	"deskbot/config"
	"deskbot/loadgen"
)

// The generator refuses to load anything but this machine: pointed at a
// shop's live deskbot by mistake it would open sessions by the hundred.
func TestRunRefusesNonLoopbackTargets(t *testing.T) {
	for _, target := range []string{"http://example.com", "http://10.0.0.1:8080", "http://0.0.0.0:8080"} {
		_, err := loadgen.Run(context.Background(), loadgen.Options{Target: target, Sessions: 1, Duration: time.Millisecond})
		if err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("Run(%s) = %v; want a refusal naming loopback", target, err)
		}
	}
}

// A short closed-loop run against an in-process bot gets every question
// answered, with latencies in order.
func TestRunAgainstLocalBot(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a bot")
	}
	_, key, err := compliance.GenerateMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults(t.TempDir())
	// As `deskbot load` does: the default per-session limits would answer
	// most of a closed loop with rate_limited errors.
	cfg.Limits.MessagesPerMinute = 6000
	cfg.Limits.Burst = 200
	l, err := app.StartLocal(context.Background(), cfg, app.Options{Getenv: func(k string) string {
		if k == compliance.EnvMasterKey {
			return key
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	res, err := loadgen.Run(context.Background(), loadgen.Options{Target: l.URL, Sessions: 2, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sessions != 2 || res.Answered == 0 || res.ConnectFailures != 0 || res.Errors != 0 || res.P50 > res.P99 || res.P99 > res.Max {
		t.Errorf("unexpected result: %s", res)
	}
}
