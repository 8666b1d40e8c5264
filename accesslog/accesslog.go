// Package accesslog writes one structured log line per HTTP request:
// method, route pattern, status, duration and bytes written. It never logs
// the path's values, query strings, headers, tokens or the client address,
// so the access log holds no personal data (session tokens travel in a
// header or the socket subprotocol, never in what is logged here).
package accesslog

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Observer receives each request's route pattern, status, duration and
// bytes written (the metrics' HTTP counters).
type Observer interface {
	Request(route string, status int, took time.Duration, bytes int64)
}

// Handler wraps next, which must be (or pass the same *http.Request to) an
// http.ServeMux: the route is the mux pattern that matched (r.Pattern),
// "unmatched" when none did. obs may be nil.
func Handler(log *slog.Logger, obs Observer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			took := time.Since(start)
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			if obs != nil {
				obs.Request(route, status, took, rec.bytes)
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "http request",
				slog.String("method", r.Method), slog.String("route", route), slog.Int("status", status),
				slog.Duration("took", took), slog.Int64("bytes", rec.bytes))
		}()
		next.ServeHTTP(rec, r)
	})
}

// recorder notes the status and bytes; Unwrap lets http.ResponseController
// reach the connection (deadlines, flushing), and Hijack records a socket
// upgrade as 101.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Flush() { http.NewResponseController(r.ResponseWriter).Flush() }

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil && r.status == 0 {
		r.status = http.StatusSwitchingProtocols
	}
	return c, rw, err
}
