package app_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/config"
)

// selfSigned writes a certificate for 127.0.0.1 and localhost and its key.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

// serveAll loads the configuration from env, listens on loopback ports and
// serves like `deskbot serve` until the test ends.
func serveAll(t *testing.T, env map[string]string, logs io.Writer) (*app.App, *app.Listeners) {
	t.Helper()
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	all := map[string]string{"DESKBOT_LISTEN": "127.0.0.1:0", "DESKBOT_DATA_DIR": t.TempDir()}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := config.Load(config.Options{NoFile: true, Getenv: func(k string) string { return all[k] }})
	if err != nil {
		t.Fatal(err)
	}
	lns, err := app.Listen(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if logs == nil {
		logs = io.Discard
	}
	a, err := app.New(context.Background(), cfg, app.Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		lns.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.ServeAll(ctx, lns) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		a.Close()
		lns.Close()
	})
	return a, lns
}

var insecure = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}

// Served with a self-signed tls.cert_file/tls.key_file, /healthz answers
// 200 over HTTPS (curl -k), plain HTTP on that port gets no page, and the
// redirect listener sends plain HTTP to https.
func TestServesHTTPSFromCertificateFiles(t *testing.T) {
	cert, key := selfSigned(t)
	_, lns := serveAll(t, map[string]string{"DESKBOT_TLS_CERT_FILE": cert, "DESKBOT_TLS_KEY_FILE": key, "DESKBOT_TLS_HTTP_LISTEN": "127.0.0.1:0"}, nil)
	addr := lns.Public.Addr().String()
	res, err := insecure.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.TLS == nil {
		t.Fatalf("https /healthz: %d, tls %v", res.StatusCode, res.TLS != nil)
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("HTTPS responses should carry HSTS")
	}
	if res, err := insecure.Get("http://" + addr + "/healthz"); err == nil {
		res.Body.Close()
		if res.StatusCode == 200 {
			t.Error("plain HTTP on the TLS port must not be served")
		}
	}
	res, err = insecure.Get("http://" + lns.Redirect.Addr().String() + "/articles/returns-policy?x=1")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	_, port, _ := net.SplitHostPort(addr)
	if want := "https://127.0.0.1:" + port + "/articles/returns-policy?x=1"; res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
		t.Errorf("redirect: %d %q, want 301 %q", res.StatusCode, res.Header.Get("Location"), want)
	}
}

func TestUnreadableCertificateRefusedNamingTheKeys(t *testing.T) {
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	cfg, err := config.Load(config.Options{NoFile: true, Getenv: func(k string) string {
		return map[string]string{"DESKBOT_LISTEN": "127.0.0.1:0", "DESKBOT_DATA_DIR": t.TempDir(),
			"DESKBOT_TLS_CERT_FILE": "/nonexistent/cert.pem", "DESKBOT_TLS_KEY_FILE": "/nonexistent/key.pem"}[k]
	}})
	if err != nil {
		t.Fatal(err)
	}
	lns, err := app.Listen(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer lns.Close()
	a, err := app.New(context.Background(), cfg, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	err = a.ServeAll(context.Background(), lns)
	if !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), "tls.cert_file/tls.key_file") {
		t.Fatalf("want an error naming tls.cert_file/tls.key_file, got %v", err)
	}
}

// With tls.acme_domains the plain-HTTP listener answers ACME HTTP-01
// challenges itself and redirects everything else to https on an ACME
// domain, whatever Host was asked for (no open redirect).
func TestACMEHTTPListenerAnswersChallengesAndRedirects(t *testing.T) {
	_, lns := serveAll(t, map[string]string{"DESKBOT_TLS_ACME_DOMAINS": "chat.shop.example", "DESKBOT_TLS_ACME_EMAIL": "ops@shop.example",
		"DESKBOT_TLS_HTTP_LISTEN": "127.0.0.1:0"}, nil)
	base := "http://" + lns.Redirect.Addr().String()
	req, _ := http.NewRequest("GET", base+"/orders?x=1", nil)
	req.Host = "evil.example"
	res, err := insecure.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	_, port, _ := net.SplitHostPort(lns.Public.Addr().String())
	if want := "https://chat.shop.example:" + port + "/orders?x=1"; res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
		t.Errorf("redirect: %d %q, want 301 %q", res.StatusCode, res.Header.Get("Location"), want)
	}
	res, err = insecure.Get(base + "/.well-known/acme-challenge/unknown-token")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusMovedPermanently || res.StatusCode == 200 {
		t.Errorf("an unknown challenge token should be answered by the ACME handler (404), got %d", res.StatusCode)
	}
	res, err = insecure.Post(base+"/api/v1/chat", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("a POST over plain HTTP should be refused, got %d", res.StatusCode)
	}
}
