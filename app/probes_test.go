package app_test

import (
	"strings"
	"testing"
	"time"
)

// /healthz and /readyz are each their own route in the access log and in
// deskbot_http_requests_total, so a load balancer's probes can be told
// from customers' requests; with the database closed /readyz is counted
// as 5xx while /healthz stays 2xx, the log line names the failing check
// with its error, and the client gets only the generic reason.
func TestProbeRoutesInAccessLogAndMetrics(t *testing.T) {
	var logs syncBuffer
	a, lns := serveAll(t, map[string]string{"DESKBOT_METRICS_LISTEN": "127.0.0.1:0"}, &logs)
	public, private := "http://"+lns.Public.Addr().String(), "http://"+lns.Metrics.Addr().String()

	for _, path := range []string{"/healthz", "/readyz"} {
		if code, body := httpGet(t, public+path); code != 200 {
			t.Fatalf("%s = %d %s", path, code, body)
		}
	}
	if err := a.Store.Close(); err != nil {
		t.Fatal(err)
	}
	// One run of the checks answers for half a second: wait for a fresh one.
	var code int
	var body string
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if code, body = httpGet(t, public+"/readyz"); code == 503 {
			break
		}
	}
	if code != 503 || !strings.Contains(body, `"database not writable"`) {
		t.Fatalf("/readyz with the store closed = %d %s, want 503 naming the database", code, body)
	}
	if strings.Contains(body, "closed") || strings.Contains(body, "store:") {
		t.Errorf("/readyz tells the client the internal error: %s", body)
	}
	if code, body := httpGet(t, public+"/healthz"); code != 200 {
		t.Errorf("/healthz with the store closed = %d %s; liveness must stay 200", code, body)
	}

	_, scrape := httpGet(t, private+"/metrics")
	for _, s := range []string{
		`deskbot_http_requests_total{code="2xx",route="GET /healthz"}`,
		`deskbot_http_requests_total{code="2xx",route="GET /readyz"}`,
		`deskbot_http_requests_total{code="5xx",route="GET /readyz"}`,
	} {
		if series(t, scrape, s) < 1 {
			t.Errorf("%s not counted", s)
		}
	}
	out := logs.String()
	for _, want := range []string{
		`msg="http request" method=GET route="GET /healthz" status=200`,
		`msg="http request" method=GET route="GET /readyz" status=200`,
		`msg="http request" method=GET route="GET /readyz" status=503`,
		`msg="not ready" check=database err=`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("server log lacks %s:\n%s", want, out)
		}
	}
}
