package config

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// TLS makes deskbot serve HTTPS itself: from certificate files, or with
// certificates obtained automatically (ACME, HTTP-01) for acme_domains.
type TLS struct {
	CertFile    string   `mapstructure:"cert_file"`
	KeyFile     string   `mapstructure:"key_file"`
	ACMEDomains []string `mapstructure:"acme_domains"`
	ACMEEmail   string   `mapstructure:"acme_email"`
	// HTTPListen serves plain HTTP that redirects to https (and, with ACME,
	// answers the HTTP-01 challenges). Empty: ":80" with ACME, else off.
	HTTPListen string `mapstructure:"http_listen"`
}

// Metrics configures the separate listener for /metrics and pprof.
type Metrics struct {
	// Listen is host:port of the metrics listener; empty disables it.
	Listen string `mapstructure:"listen"`
}

// Enabled reports whether deskbot terminates TLS itself.
func (t TLS) Enabled() bool { return t.CertFile != "" || len(t.ACMEDomains) > 0 }

// ACME reports whether certificates are obtained automatically.
func (t TLS) ACME() bool { return len(t.ACMEDomains) > 0 }

// RedirectListen is the address of the plain-HTTP listener that redirects
// to https: tls.http_listen, or ":80" when ACME is on (HTTP-01 needs it);
// empty when there is none.
func (t TLS) RedirectListen() string {
	if t.HTTPListen != "" {
		return t.HTTPListen
	}
	if t.ACME() {
		return ":80"
	}
	return ""
}

// TrustedProxyPrefixes parses trusted_proxies (CIDRs or single addresses).
// Validate has checked every entry.
func (c Config) TrustedProxyPrefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range c.TrustedProxies {
		if p, err := parsePrefix(s); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// validateNetwork checks trusted_proxies, tls.* and metrics.listen.
func (c Config) validateNetwork(bad func(key, why string) error) error {
	for i, s := range c.TrustedProxies {
		p, err := parsePrefix(s)
		if err != nil {
			return bad(fmt.Sprintf("trusted_proxies[%d]", i), fmt.Sprintf("%q is not an address or CIDR (e.g. \"127.0.0.1\" or \"10.0.0.0/8\")", s))
		}
		if p.Bits() == 0 {
			return bad(fmt.Sprintf("trusted_proxies[%d]", i), fmt.Sprintf("%q trusts every address, so anyone could forge X-Forwarded-For; list only your proxy's addresses", s))
		}
	}
	t := c.TLS
	switch {
	case t.CertFile != "" && t.KeyFile == "":
		return bad("tls.key_file", "must be set when tls.cert_file is set (DESKBOT_TLS_KEY_FILE)")
	case t.KeyFile != "" && t.CertFile == "":
		return bad("tls.cert_file", "must be set when tls.key_file is set (DESKBOT_TLS_CERT_FILE)")
	case t.CertFile != "" && t.ACME():
		return bad("tls.acme_domains", "cannot be combined with tls.cert_file and tls.key_file: use certificate files or automatic certificates, not both")
	}
	for i, d := range t.ACMEDomains {
		if err := checkDomain(d); err != nil {
			return bad(fmt.Sprintf("tls.acme_domains[%d]", i), err.Error())
		}
	}
	if t.ACMEEmail != "" {
		if !t.ACME() {
			return bad("tls.acme_email", "is used only with tls.acme_domains")
		}
		if !strings.Contains(t.ACMEEmail, "@") {
			return bad("tls.acme_email", fmt.Sprintf("%q is not an e-mail address", t.ACMEEmail))
		}
	}
	if t.HTTPListen != "" {
		if !t.Enabled() {
			return bad("tls.http_listen", "redirects to https, so it needs tls.cert_file and tls.key_file or tls.acme_domains")
		}
		if _, _, err := net.SplitHostPort(t.HTTPListen); err != nil {
			return bad("tls.http_listen", fmt.Sprintf("%q is not host:port (e.g. \":80\")", t.HTTPListen))
		}
	}
	if r := t.RedirectListen(); r != "" && r == c.Listen && !anyPort(r) {
		return bad("tls.http_listen", fmt.Sprintf("%q is also listen; the redirect needs its own address", r))
	}
	if m := c.Metrics.Listen; m != "" {
		if _, _, err := net.SplitHostPort(m); err != nil {
			return bad("metrics.listen", fmt.Sprintf("%q is not host:port (e.g. \"127.0.0.1:9090\")", m))
		}
		if !anyPort(m) && (m == c.Listen || m == t.RedirectListen()) {
			return bad("metrics.listen", fmt.Sprintf("%q is already used by listen or tls.http_listen; metrics and pprof need their own address, never the public one", m))
		}
	}
	return nil
}

// checkDomain accepts a plain DNS name an ACME CA can issue for over
// HTTP-01: no scheme, port, path, wildcard or IP address.
func checkDomain(d string) error {
	if d == "" || strings.ContainsAny(d, ":/*@ ") || !strings.Contains(strings.Trim(d, "."), ".") {
		return fmt.Errorf("%q must be a domain name like chat.shop.example (no scheme, port or wildcard)", d)
	}
	if _, err := netip.ParseAddr(d); err == nil {
		return fmt.Errorf("%q is an IP address; automatic certificates need a domain name", d)
	}
	return nil
}

// anyPort reports an address on port 0 (a free port, in tests): two such
// addresses never collide.
func anyPort(addr string) bool { return strings.HasSuffix(addr, ":0") }
