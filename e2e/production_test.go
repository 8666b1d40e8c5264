package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runBinary starts the binary with args and env and waits until get(url)
// answers 200.
func runBinary(t *testing.T, client *http.Client, url string, args []string, env ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "DESKBOT_MASTER_KEY="+masterKey)
	cmd.Env = append(cmd.Env, env...)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, url: url, logs: logs}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := client.Get(url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not become ready at %s; logs:\n%s", url, logs)
	return nil
}

func writeSelfSigned(t *testing.T) (string, string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	c, k := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(c, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(k, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return c, k
}

func metricValue(t *testing.T, base, name string) float64 {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("/metrics lacks %s:\n%s", name, b)
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// Issue 12 from outside: served with a self-signed tls.cert_file and
// tls.key_file, /healthz answers 200 over HTTPS (curl -k); with metrics on,
// /metrics lists deskbot_ series and the answer counter grows by one after
// a cited answer.
func TestBinaryServesHTTPSAndMetrics(t *testing.T) {
	cert, key := writeSelfSigned(t)
	addr, metrics := freePort(t), freePort(t)
	insecure := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	s := runBinary(t, insecure, "https://"+addr, []string{"serve", "--listen", addr, "--data-dir", t.TempDir()},
		"DESKBOT_TLS_CERT_FILE="+cert, "DESKBOT_TLS_KEY_FILE="+key, "DESKBOT_METRICS_LISTEN="+metrics)
	res, err := insecure.Get(s.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.TLS == nil {
		t.Fatalf("https /healthz: %d", res.StatusCode)
	}
	answers := `deskbot_replies_total{kind="answer"}`
	before := metricValue(t, "http://"+metrics, answers)
	chat := func(body string) map[string]any {
		res, err := insecure.Post(s.url+"/api/v1/chat", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return out
	}
	token, _ := chat(`{}`)["session"].(string)
	reply := chat(`{"session":"` + token + `","text":"How do I return an item?"}`)
	if b, _ := json.Marshal(reply); !bytes.Contains(b, []byte(`"sources":[{`)) {
		t.Fatalf("no cited answer: %s", b)
	}
	if after := metricValue(t, "http://"+metrics, answers); after != before+1 {
		t.Errorf("%s: %v before, %v after one cited answer", answers, before, after)
	}
	if out := s.logs.String(); !strings.Contains(out, `route="POST /api/v1/chat" status=200`) || strings.Contains(out, token) {
		t.Errorf("access log: want a line per request and no token:\n%s", out)
	}
}

// SIGHUP re-reads config.yaml: log_level and answer.threshold apply at
// once, other changed keys are named as needing a restart.
func TestBinarySIGHUPReloadsConfiguration(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	os.WriteFile(file, []byte("log_level: info\n"), 0o600)
	addr := freePort(t)
	s := runBinary(t, http.DefaultClient, "http://"+addr, []string{"serve", "--config", file, "--listen", addr, "--data-dir", t.TempDir()})
	os.WriteFile(file, []byte("log_level: debug\nanswer:\n  threshold: 0.5\nlimits:\n  burst: 7\n"), 0o600)
	s.cmd.Process.Signal(syscall.SIGHUP)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(s.logs.String(), "configuration reloaded") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	out := s.logs.String()
	if !strings.Contains(out, `applied="[log_level answer.threshold]"`) || !strings.Contains(out, "restart_needed=[limits.burst]") {
		t.Fatalf("reload should apply log_level and answer.threshold and name limits.burst:\n%s", out)
	}
	if res, err := http.Get(s.url + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("server not serving after SIGHUP: %v", err)
	}
	os.WriteFile(file, []byte("log_level: loud\n"), 0o600)
	s.cmd.Process.Signal(syscall.SIGHUP)
	deadline = time.Now().Add(10 * time.Second)
	for !strings.Contains(s.logs.String(), "configuration reload refused") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if out := s.logs.String(); !strings.Contains(out, "configuration reload refused") || !strings.Contains(out, "log_level") {
		t.Fatalf("an invalid configuration should be refused naming the key:\n%s", out)
	}
}
