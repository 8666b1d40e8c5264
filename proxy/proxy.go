// Package proxy makes requests that arrive through a reverse proxy (nginx,
// Caddy, Traefik) look as the customer made them: the client address,
// scheme and host come from X-Forwarded-For, -Proto and -Host, but only when
// the connection's peer is a trusted proxy. From anyone else those headers
// are removed before any handler sees them, so they cannot be forged.
package proxy

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// Forwarded header names this package reads (and strips from untrusted peers).
const (
	HeaderFor   = "X-Forwarded-For"
	HeaderProto = "X-Forwarded-Proto"
	HeaderHost  = "X-Forwarded-Host"
)

// stripped are removed from every request whose peer is not trusted.
var stripped = []string{HeaderFor, HeaderProto, HeaderHost, "Forwarded", "X-Real-Ip"}

// Trust decides which peers may speak for the client.
type Trust struct {
	proxies []netip.Prefix
	public  *url.URL // public_url; nil when unset
}

// New returns a Trust for the trusted proxy prefixes and the public URL
// (empty when unset).
func New(proxies []netip.Prefix, publicURL string) *Trust {
	t := &Trust{proxies: proxies}
	if u, err := url.Parse(publicURL); err == nil && u.Host != "" {
		t.public = u
	}
	return t
}

// Client is what the middleware established about a request.
type Client struct {
	IP       netip.Addr // the client's address (the peer, or the forwarded one)
	Scheme   string     // "https" or "http", as the customer's browser used
	Host     string     // the host the customer addressed
	ViaProxy bool       // the peer was a trusted proxy
}

type ctxKey struct{}

// FromContext returns the Client the middleware stored, if any.
func FromContext(ctx context.Context) (Client, bool) {
	c, ok := ctx.Value(ctxKey{}).(Client)
	return c, ok
}

func (t *Trust) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Handler wraps next. For a request from a trusted proxy it sets
// r.RemoteAddr to the client's address (the rightmost X-Forwarded-For hop
// that is not itself a trusted proxy), r.Host to X-Forwarded-Host and
// X-Forwarded-Proto to one value, "https" or "http" (without
// X-Forwarded-Host, r.Host becomes public_url's host when that is set). For
// any other peer it
// removes the forwarded headers. Either way X-Forwarded-Proto then holds the
// effective scheme ("https" also when public_url is https), and the Client
// is in the request's context.
func (t *Trust) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, t.Apply(r))
	})
}

// Apply does to r what Handler does before calling the next handler and
// returns the request to pass on.
func (t *Trust) Apply(r *http.Request) *http.Request {
	peer, port := peerAddr(r.RemoteAddr)
	c := Client{IP: peer, Scheme: "http", Host: r.Host}
	if r.TLS != nil {
		c.Scheme = "https"
	}
	if peer.IsValid() && t.trusted(peer) {
		c.ViaProxy = true
		c.IP = t.clientFrom(peer, r.Header.Values(HeaderFor))
		if p := strings.ToLower(lastValue(r.Header.Values(HeaderProto))); p == "https" || p == "http" {
			c.Scheme = p
		}
		if h := lastValue(r.Header.Values(HeaderHost)); validHost(h) {
			c.Host = h
		} else if t.public != nil {
			// A proxy that passes neither Host nor X-Forwarded-Host sends
			// its upstream's address; customers addressed public_url.
			c.Host = t.public.Host
		}
	} else {
		for _, h := range stripped {
			r.Header.Del(h)
		}
	}
	if t.public != nil && t.public.Scheme == "https" {
		// The owner says customers use https: cookies are Secure even
		// when a proxy in front does not say so.
		c.Scheme = "https"
	}
	r.Header.Set(HeaderProto, c.Scheme)
	r.Host = c.Host
	if c.IP.IsValid() {
		r.RemoteAddr = net.JoinHostPort(c.IP.String(), port)
	}
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, c))
}

// clientFrom walks X-Forwarded-For from the right: each trusted proxy
// appends the address it received from, so the first hop that is not a
// trusted proxy is the client; hops to its left could be forged by it.
// A malformed hop ends the walk at the last good one.
func (t *Trust) clientFrom(peer netip.Addr, values []string) netip.Addr {
	var hops []string
	for _, v := range values {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break
		}
		client = a
		if !t.trusted(a) {
			break
		}
	}
	return client
}

func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil { // "1.2.3.4:5678", "[::1]:80"
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func peerAddr(remote string) (netip.Addr, string) {
	host, port, err := net.SplitHostPort(remote)
	if err != nil {
		host, port = remote, "0"
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, port
	}
	return a.Unmap(), port
}

// lastValue is the rightmost comma-separated value over all header lines:
// the one the nearest (trusted) proxy set.
func lastValue(values []string) string {
	if len(values) == 0 {
		return ""
	}
	v := values[len(values)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

// validHost accepts host[:port] with the characters a DNS name, an IPv4
// address or a bracketed IPv6 address can have.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-:[]", r)) {
			return false
		}
	}
	return true
}
