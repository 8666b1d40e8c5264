package config

import (
	"errors"
	"strings"
	"testing"
)

func TestNetworkKeysRefusedNamingTheKey(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DESKBOT_TLS_CERT_FILE": "/etc/deskbot/cert.pem"}, "tls.key_file: must be set"},
		{map[string]string{"DESKBOT_TLS_KEY_FILE": "/etc/deskbot/key.pem"}, "tls.cert_file: must be set"},
		{map[string]string{"DESKBOT_TLS_CERT_FILE": "c.pem", "DESKBOT_TLS_KEY_FILE": "k.pem", "DESKBOT_TLS_ACME_DOMAINS": "chat.shop.example"}, "tls.acme_domains: cannot be combined"},
		{map[string]string{"DESKBOT_TLS_ACME_DOMAINS": "https://chat.shop.example"}, "tls.acme_domains[0]"},
		{map[string]string{"DESKBOT_TLS_ACME_DOMAINS": "*.shop.example"}, "tls.acme_domains[0]"},
		{map[string]string{"DESKBOT_TLS_ACME_EMAIL": "ops@shop.example"}, "tls.acme_email: is used only with tls.acme_domains"},
		{map[string]string{"DESKBOT_TLS_HTTP_LISTEN": ":80"}, "tls.http_listen: redirects to https"},
		{map[string]string{"DESKBOT_TLS_ACME_DOMAINS": "chat.shop.example", "DESKBOT_LISTEN": ":80"}, "tls.http_listen"},
		{map[string]string{"DESKBOT_TRUSTED_PROXIES": "127.0.0.1,nginx"}, "trusted_proxies[1]"},
		{map[string]string{"DESKBOT_TRUSTED_PROXIES": "0.0.0.0/0"}, "trusts every address"},
		{map[string]string{"DESKBOT_METRICS_LISTEN": "9090"}, "metrics.listen"},
		{map[string]string{"DESKBOT_METRICS_LISTEN": ":8080"}, "metrics.listen"},
	} {
		_, err := Load(Options{NoFile: true, Getenv: env(tc.env)})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error containing %q", tc.env, err, tc.want)
		}
	}
}

func TestNetworkKeysAccepted(t *testing.T) {
	c, err := Load(Options{NoFile: true, Getenv: env(map[string]string{
		"DESKBOT_TLS_ACME_DOMAINS": "chat.shop.example,help.shop.example", "DESKBOT_TLS_ACME_EMAIL": "ops@shop.example",
		"DESKBOT_TRUSTED_PROXIES": "127.0.0.1,10.0.0.0/8,::1", "DESKBOT_METRICS_LISTEN": "127.0.0.1:9090",
		"DESKBOT_PUBLIC_URL": "https://chat.shop.example",
	})})
	if err != nil {
		t.Fatal(err)
	}
	if !c.TLS.ACME() || c.TLS.RedirectListen() != ":80" || len(c.TLS.ACMEDomains) != 2 {
		t.Errorf("acme: %+v, redirect %q", c.TLS, c.TLS.RedirectListen())
	}
	got := c.TrustedProxyPrefixes()
	if len(got) != 3 || got[0].String() != "127.0.0.1/32" || got[1].String() != "10.0.0.0/8" || got[2].String() != "::1/128" {
		t.Errorf("trusted proxies = %v", got)
	}
	files, err := Load(Options{NoFile: true, Getenv: env(map[string]string{"DESKBOT_TLS_CERT_FILE": "c.pem", "DESKBOT_TLS_KEY_FILE": "k.pem"})})
	if err != nil {
		t.Fatal(err)
	}
	if !files.TLS.Enabled() || files.TLS.ACME() || files.TLS.RedirectListen() != "" {
		t.Errorf("files: %+v", files.TLS)
	}
}
