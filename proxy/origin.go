package proxy

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// maxLoggedOrigins bounds the memory of which refused origins were logged.
const maxLoggedOrigins = 256

// Origins decides which pages may open the chat socket: the server's own
// origin (the Host the customer addressed, after Trust), public_url's
// origin, and allowed_origins. A listed origin keeps its scheme and port
// ("https://shop.example" admits that origin, not http://shop.example, which
// an on-path attacker could inject into; a default port is dropped, as
// browsers leave it out of Origin). A refusal is logged once per origin with the
// reason and the key that fixes it; without that an owner behind a proxy
// that rewrites Host only sees the chat stuck at "Connecting…".
type Origins struct {
	public  string          // public_url as an origin; "" when unset
	allowed map[string]bool // allowed_origins, normalised
	log     *slog.Logger

	mu     sync.Mutex
	logged map[string]bool
	capped bool
}

// NewOrigins returns the socket origin policy.
func NewOrigins(publicURL string, allowed []string, log *slog.Logger) *Origins {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	o := &Origins{public: NormalOrigin(publicURL), allowed: map[string]bool{}, log: log, logged: map[string]bool{}}
	for _, a := range allowed {
		if n := NormalOrigin(a); n != "" {
			o.allowed[n] = true
		}
	}
	return o
}

// Allow reports whether r's Origin may open a socket. A request without
// Origin is not from a browser page and is allowed, as the socket library
// does.
func (o *Origins) Allow(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	n := NormalOrigin(origin)
	if n != "" && (o.allowed[n] || n == o.public) {
		return true
	}
	if u, err := url.Parse(origin); err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host) {
		return true // same origin
	}
	o.refused(origin, r.Host)
	return false
}

func (o *Origins) refused(origin, host string) {
	if len(origin) > 200 {
		origin = origin[:200]
	}
	o.mu.Lock()
	if o.logged[origin] {
		o.mu.Unlock()
		return
	}
	if len(o.logged) >= maxLoggedOrigins {
		first := !o.capped
		o.capped = true
		o.mu.Unlock()
		if first {
			o.log.Warn("websocket origin refused; further refused origins are not logged", "distinct_origins", maxLoggedOrigins)
		}
		return
	}
	o.logged[origin] = true
	o.mu.Unlock()
	var reason, fix string
	if o.public == "" {
		reason = fmt.Sprintf("the page's origin is not this server's host %q, and public_url and allowed_origins do not name it", host)
		fix = fmt.Sprintf("if customers reach deskbot at %s through a reverse proxy, set public_url: %q (or have the proxy pass the Host header, or list it in trusted_proxies and send X-Forwarded-Host); if a page on that origin opens the chat itself, add it to allowed_origins", origin, origin)
	} else {
		reason = fmt.Sprintf("the page's origin is neither public_url (%s) nor in allowed_origins", o.public)
		fix = fmt.Sprintf("if customers reach deskbot at %s, set public_url to it; if a page on that origin opens the chat itself, add it to allowed_origins", origin)
	}
	o.log.Warn("websocket origin refused (logged once per origin)", "origin", origin, "reason", reason, "fix", fix)
}

// NormalOrigin is scheme://host[:port] in lower case without a default
// port; "" when s is not an http(s) URL.
func NormalOrigin(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Host)
	if (u.Scheme == "https" && strings.HasSuffix(host, ":443")) || (u.Scheme == "http" && strings.HasSuffix(host, ":80")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return u.Scheme + "://" + host
}
