package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func chatCall(t *testing.T, base string, body map[string]any, header map[string]string) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+"/api/v1/chat", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func series(t *testing.T, scrape, name string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindStringSubmatch(scrape)
	if m == nil {
		t.Fatalf("no series %s in the scrape", name)
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// With metrics on, /metrics lists deskbot_ series on its own listener, the
// answer counter grows by one after a cited answer, pprof is there and
// neither is on the public listener; every request is one access-log line.
func TestMetricsListenerAndAccessLog(t *testing.T) {
	var logs syncBuffer
	_, lns := serveAll(t, map[string]string{"DESKBOT_METRICS_LISTEN": "127.0.0.1:0"}, &logs)
	public, private := "http://"+lns.Public.Addr().String(), "http://"+lns.Metrics.Addr().String()

	_, before := httpGet(t, private+"/metrics")
	for _, name := range []string{"deskbot_turns_total", "deskbot_sockets_open", "deskbot_kb_articles", "deskbot_handover_queue_length", "deskbot_audit_chain_length"} {
		if !strings.Contains(before, "\n"+name+" ") {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	answers := `deskbot_replies_total{kind="answer"}`
	n0 := series(t, before, answers)
	_, start := chatCall(t, public, map[string]any{}, nil)
	token, _ := start["session"].(string)
	code, reply := chatCall(t, public, map[string]any{"session": token, "text": "How do I return an item?"}, nil)
	if code != 200 || !strings.Contains(mustMarshal(reply), `"sources":[{`) {
		t.Fatalf("no cited answer: %d %v", code, reply)
	}
	_, after := httpGet(t, private+"/metrics")
	if n1 := series(t, after, answers); n1 != n0+1 {
		t.Errorf("%s went from %v to %v after one cited answer", answers, n0, n1)
	}
	if series(t, after, "deskbot_turns_total") < 1 {
		t.Error("turns not counted")
	}
	if code, _ := httpGet(t, private+"/debug/pprof/cmdline"); code != 200 {
		t.Errorf("pprof on the metrics listener: %d", code)
	}
	for _, path := range []string{"/metrics", "/debug/pprof/", "/debug/pprof/cmdline"} {
		if code, _ := httpGet(t, public+path); code == 200 {
			t.Errorf("%s must not be served on the public listener", path)
		}
	}
	out := logs.String()
	if !strings.Contains(out, `msg="http request" method=POST route="POST /api/v1/chat" status=200`) {
		t.Errorf("no access-log line for the chat call:\n%s", out)
	}
	if strings.Contains(out, token) || strings.Contains(out, "return an item") || strings.Contains(out, "127.0.0.1:") && strings.Contains(out, "remote") {
		t.Errorf("access log leaks a token, text or address:\n%s", out)
	}
}

func mustMarshal(v any) string { b, _ := json.Marshal(v); return string(b) }

// Behind a trusted proxy each customer's forwarded address has its own
// new-session allowance; from an untrusted peer X-Forwarded-For is ignored.
func TestForwardedClientAddressCountsForLimits(t *testing.T) {
	limits := map[string]string{"DESKBOT_LIMITS_NEW_SESSIONS_BURST": "1", "DESKBOT_LIMITS_NEW_SESSIONS_PER_MINUTE": "1"}
	trusted := map[string]string{"DESKBOT_TRUSTED_PROXIES": "127.0.0.1"}
	for k, v := range limits {
		trusted[k] = v
	}
	_, lns := serveAll(t, trusted, nil)
	base := "http://" + lns.Public.Addr().String()
	first := map[string]string{"X-Forwarded-For": "203.0.113.1"}
	if code, _ := chatCall(t, base, map[string]any{}, first); code != 200 {
		t.Fatalf("first session: %d", code)
	}
	if code, _ := chatCall(t, base, map[string]any{}, first); code != http.StatusTooManyRequests {
		t.Fatalf("second session from the same customer: %d, want 429", code)
	}
	if code, _ := chatCall(t, base, map[string]any{}, map[string]string{"X-Forwarded-For": "203.0.113.2"}); code != 200 {
		t.Fatalf("another customer behind the proxy was limited: %d", code)
	}

	_, lns = serveAll(t, limits, nil) // no trusted_proxies: the header is ignored
	base = "http://" + lns.Public.Addr().String()
	chatCall(t, base, map[string]any{}, first)
	if code, _ := chatCall(t, base, map[string]any{}, map[string]string{"X-Forwarded-For": "203.0.113.2"}); code != http.StatusTooManyRequests {
		t.Fatalf("a forged X-Forwarded-For from an untrusted peer bought a new allowance: %d", code)
	}
}
