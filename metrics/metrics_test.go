package metrics

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("/metrics: %d %s", res.StatusCode, b)
	}
	return string(b)
}

func TestSeriesAndBoundedLabels(t *testing.T) {
	loaded := time.Unix(1_800_000_000, 0)
	reads := 0
	m := New(Sources{
		QueueLength: func() int { return 2 }, OldestWait: func() time.Duration { return 90 * time.Second },
		Sockets: func() int { return 5 }, LiveSessions: func() int { return 7 },
		KBArticles: func() int { return 32 }, KBLoadedAt: func() time.Time { return loaded },
		Stored: func(context.Context) (Stored, error) {
			reads++
			return Stored{Sessions: 11, AuditRecords: 123, Consents: map[string]int{"granted": 3}, Requests: map[string]int{"erasure": 1}}, nil
		},
	})
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()

	m.Turn()
	m.Turn()
	m.Outcome("answer")
	m.Outcome("anything a customer typed")
	m.Handover("sensitive:medical")
	m.Handover("request")
	m.Consent("contact", "granted")
	m.Rights("erasure")
	m.Reply(3 * time.Millisecond)
	m.Commit(12, 2*time.Millisecond)
	m.Purge(nil)
	m.Request("GET /articles/{id}", 404, time.Millisecond, 10)
	out := scrape(t, srv.URL)
	_ = scrape(t, srv.URL)

	for _, want := range []string{
		"deskbot_turns_total 2",
		`deskbot_replies_total{kind="answer"} 1`,
		`deskbot_replies_total{kind="other"} 1`,
		`deskbot_replies_total{kind="miss"} 0`,
		`deskbot_handovers_total{reason="sensitive"} 1`,
		`deskbot_handovers_total{reason="request"} 1`,
		`deskbot_consent_decisions_total{decision="granted",purpose="contact"} 1`,
		`deskbot_rights_requests_total{kind="erasure"} 1`,
		"deskbot_reply_latency_seconds_count 1",
		"deskbot_commit_batch_size_sum 12",
		"deskbot_commit_latency_seconds_count 1",
		`deskbot_purge_runs_total{result="ok"} 1`,
		`deskbot_http_requests_total{code="4xx",route="GET /articles/{id}"} 1`,
		"deskbot_handover_queue_length 2",
		"deskbot_handover_queue_oldest_wait_seconds 90",
		"deskbot_sockets_open 5",
		"deskbot_sessions_live 7",
		"deskbot_kb_articles 32",
		"deskbot_kb_last_reload_timestamp_seconds 1.8e+09",
		"deskbot_sessions_stored 11",
		"deskbot_audit_chain_length 123",
		`deskbot_consent_records{decision="granted"} 3`,
		`deskbot_rights_request_records{kind="erasure"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(out, want+"\n") && !strings.Contains(out, want+" ") {
			t.Errorf("scrape lacks %q", want)
		}
	}
	if strings.Contains(out, "medical") || strings.Contains(out, "customer typed") {
		t.Errorf("a label carries free text:\n%s", out)
	}
	if reads != 1 {
		t.Errorf("database counts read %d times for two scrapes within the interval, want 1", reads)
	}
	// Every deskbot_ label value comes from a fixed set or a route pattern.
	for _, m := range regexp.MustCompile(`(?m)^deskbot_\w+\{(.*)\} `).FindAllStringSubmatch(out, -1) {
		for _, kv := range strings.Split(m[1], ",") {
			if !regexp.MustCompile(`^(kind|reason|purpose|decision|result|code|route|le)="[A-Za-z0-9_./{} +-]*"$`).MatchString(kv) {
				t.Errorf("unexpected label %s", kv)
			}
		}
	}
	res, err := http.Get(srv.URL + "/debug/pprof/cmdline")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("pprof on the metrics handler: %v %v", err, res)
	}
	res.Body.Close()
}
