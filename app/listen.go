package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"

	"deskbot/config"
	"deskbot/proxy"
)

// Listeners are the sockets `deskbot serve` opens before the slow parts of
// start-up, so a taken port fails fast and names its key.
type Listeners struct {
	Public   net.Listener // listen (plain TCP; ServeAll adds TLS when tls.* is set)
	Redirect net.Listener // tls.http_listen (":80" with ACME), or nil
	Metrics  net.Listener // metrics.listen, or nil
}

// Listen opens listen, the https redirect listener and the metrics listener.
func Listen(cfg config.Config) (*Listeners, error) {
	l := &Listeners{}
	var err error
	if l.Public, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	if addr := cfg.TLS.RedirectListen(); addr != "" {
		if l.Redirect, err = net.Listen("tcp", addr); err != nil {
			l.Close()
			key := "tls.http_listen"
			if cfg.TLS.HTTPListen == "" {
				key += " (\":80\" by default with tls.acme_domains: HTTP-01 challenges arrive there)"
			}
			return nil, fmt.Errorf("%s: %w", key, err)
		}
	}
	if addr := cfg.Metrics.Listen; addr != "" {
		if l.Metrics, err = net.Listen("tcp", addr); err != nil {
			l.Close()
			return nil, fmt.Errorf("metrics.listen: %w", err)
		}
	}
	return l, nil
}

// Close closes every listener.
func (l *Listeners) Close() {
	for _, ln := range []net.Listener{l.Public, l.Redirect, l.Metrics} {
		if ln != nil {
			ln.Close()
		}
	}
}

// certFiles holds the certificate from tls.cert_file/tls.key_file; a reload
// (SIGHUP) reads the files again, so a renewed certificate needs no restart.
type certFiles struct {
	cert, key string
	cur       atomic.Pointer[tls.Certificate]
}

func (c *certFiles) load() error {
	crt, err := tls.LoadX509KeyPair(c.cert, c.key)
	if err != nil {
		return fmt.Errorf("%w: tls.cert_file/tls.key_file: %v", config.ErrInvalid, err)
	}
	c.cur.Store(&crt)
	return nil
}

// secure is what serving HTTPS needs: the TLS configuration, the handler
// of the plain-HTTP listener, and the certificate files to reload.
type secure struct {
	tls      *tls.Config
	redirect http.Handler
	files    *certFiles // nil with ACME
}

// newSecure builds TLS from certificate files or ACME (autocert, HTTP-01,
// cache in DATA_DIR/acme); nil when tls.* is not set. port is the public
// listener's, where the redirect points.
func newSecure(cfg config.Config, port string) (*secure, error) {
	t := cfg.TLS
	if !t.Enabled() {
		return nil, nil
	}
	redirect := redirectHandler(cfg, port)
	if !t.ACME() {
		files := &certFiles{cert: t.CertFile, key: t.KeyFile}
		if err := files.load(); err != nil {
			return nil, err
		}
		return &secure{files: files, redirect: redirect, tls: &tls.Config{
			MinVersion: tls.VersionTLS12,
			NextProtos: []string{"http/1.1"}, // sockets upgrade over HTTP/1.1
			GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
				return files.cur.Load(), nil
			},
		}}, nil
	}
	m := &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      autocert.DirCache(filepath.Join(cfg.DataDir, "acme")),
		HostPolicy: autocert.HostWhitelist(t.ACMEDomains...),
		Email:      t.ACMEEmail,
	}
	tc := m.TLSConfig()
	tc.MinVersion = tls.VersionTLS12
	tc.NextProtos = []string{"http/1.1", acme.ALPNProto}
	// m.HTTPHandler answers /.well-known/acme-challenge/ and passes the
	// rest to the redirect.
	return &secure{tls: tc, redirect: m.HTTPHandler(redirect)}, nil
}

// redirectHandler sends plain-HTTP GET and HEAD requests to the same path
// on https. The host is public_url's, else one the server serves (an ACME
// domain, or the Host asked for when certificate files are used), so the
// redirect cannot be pointed at another site.
func redirectHandler(cfg config.Config, port string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "use https", http.StatusBadRequest)
			return
		}
		host := redirectHost(cfg, r.Host)
		if host == "" {
			http.Error(w, "use https", http.StatusBadRequest)
			return
		}
		if port != "" && port != "443" && !strings.Contains(host, ":") {
			host = net.JoinHostPort(host, port)
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusMovedPermanently)
	})
}

func redirectHost(cfg config.Config, asked string) string {
	if o := proxy.NormalOrigin(cfg.PublicURL); strings.HasPrefix(o, "https://") {
		return strings.TrimPrefix(o, "https://")
	}
	h := asked
	if hh, _, err := net.SplitHostPort(asked); err == nil {
		h = hh
	}
	h = strings.ToLower(h)
	if cfg.TLS.ACME() {
		for _, d := range cfg.TLS.ACMEDomains {
			if strings.EqualFold(d, h) {
				return d
			}
		}
		return cfg.TLS.ACMEDomains[0]
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return ""
		}
	}
	return h
}

// quietTLSErrors drops net/http's "TLS handshake error from ADDR" lines:
// scanners cause them all day, and they name the client's address.
type quietTLSErrors struct{ log *slog.Logger }

func (q quietTLSErrors) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	if strings.Contains(msg, "TLS handshake error") {
		q.log.Debug("TLS handshake failed")
		return len(p), nil
	}
	q.log.Warn(msg)
	return len(p), nil
}

// ServeAll serves l until ctx ends: the public listener (over TLS when
// tls.* is set, behind the proxy and access-log middleware), the https
// redirect and the metrics listener.
func (a *App) ServeAll(ctx context.Context, l *Listeners) error {
	_, port, _ := net.SplitHostPort(l.Public.Addr().String())
	sec, err := newSecure(a.Config, port)
	if err != nil {
		return err
	}
	a.secure.Store(sec)
	public := l.Public
	if sec != nil {
		public = tls.NewListener(l.Public, sec.tls)
	}
	var side []*http.Server
	start := func(ln net.Listener, h http.Handler, what string) {
		hs := &http.Server{Handler: h, ReadHeaderTimeout: a.Config.Timeouts.ReadHeader, ReadTimeout: a.Config.Timeouts.Read,
			IdleTimeout: a.Config.Timeouts.Idle, ErrorLog: log.New(quietTLSErrors{a.Log}, "", 0)}
		side = append(side, hs)
		go func() {
			if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.Log.Error(what+" listener stopped", "err", err)
			}
		}()
		a.Log.Info("serving "+what, "addr", ln.Addr().String())
	}
	if l.Redirect != nil && sec != nil {
		start(l.Redirect, sec.redirect, "https redirect")
	}
	if l.Metrics != nil {
		if ip := addrIP(l.Metrics.Addr()); ip == nil || !ip.IsLoopback() {
			a.Log.Warn("metrics.listen is reachable from other hosts: /metrics and /debug/pprof/ have no authentication; bind it to 127.0.0.1 or firewall it", "addr", l.Metrics.Addr().String())
		}
		start(l.Metrics, a.Metrics.Handler(), "metrics and pprof")
	}
	err = a.Serve(ctx, public)
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for _, hs := range side {
		hs.Shutdown(sctx)
	}
	return err
}

func addrIP(a net.Addr) net.IP {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP
	}
	return nil
}

// scheme is "https" when deskbot terminates TLS itself.
func scheme(cfg config.Config) string {
	if cfg.TLS.Enabled() {
		return "https"
	}
	return "http"
}

// newLevelLogger is newLogger with its level held in level, so a reload can
// change it.
func newLevelLogger(w io.Writer, name string, level *slog.LevelVar) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(name))
	level.Set(l)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
