package web

import (
	"net/http"
	"time"
)

// The HTTP server bounds every phase (timeouts.*: headers, the whole
// request with its body, the response, idle keep-alive), so a stalled or
// trickled body cannot hold a connection (F6). Two routes are exempt:
// the socket clears both deadlines when it upgrades (exemptFromTimeouts;
// afterwards pings and per-frame write deadlines bound it), and the agent
// console's long poll may write up to maxEventsWait later than others.

// Deadlines wraps the handler with the per-route exemptions.
func (s *Server) Deadlines(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/agent/api/events" {
			http.NewResponseController(w).SetWriteDeadline(time.Now().Add(maxEventsWait + s.cfg.Timeouts.Write))
		}
		next.ServeHTTP(w, r)
	})
}

// exemptFromTimeouts clears the connection's read and write deadlines
// before a socket upgrade; the hijacked connection keeps them otherwise.
func exemptFromTimeouts(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	rc.SetWriteDeadline(time.Time{})
}
