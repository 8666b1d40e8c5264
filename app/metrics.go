package app

import (
	"context"
	"net/http"
	"time"

	"deskbot/accesslog"
	"deskbot/metrics"
	"deskbot/proxy"
)

// newMetrics creates the app's series; the gauges read the engine, hub,
// knowledge base and store at scrape time (none is touched on the hot path).
func newMetrics(a *App) *metrics.Metrics {
	waiting := func() (int, time.Duration) {
		w, _ := a.Engine.Desk().Queue("")
		if len(w) == 0 {
			return 0, 0
		}
		return len(w), a.now().Sub(w[0].Since)
	}
	return metrics.New(metrics.Sources{
		QueueLength:  func() int { n, _ := waiting(); return n },
		OldestWait:   func() time.Duration { _, d := waiting(); return d },
		Sockets:      func() int { return a.Server.Hub().Connected() },
		LiveSessions: func() int { return a.Engine.Live() },
		KBArticles:   func() int { return len(a.KB.Articles()) },
		KBLoadedAt:   a.KB.LoadedAt,
		Stored: func(ctx context.Context) (metrics.Stored, error) {
			s, err := a.Store.Stats(ctx)
			return metrics.Stored{Sessions: s.Sessions, AuditRecords: s.AuditRecords, Consents: s.Consents, Requests: s.Requests}, err
		},
	})
}

// publicHandler is the public server's handler: forwarded headers resolved
// (only from trusted_proxies), one access-log line per request, then the
// routes. The access log sits inside the proxy middleware and directly
// around the mux so that it sees the matched route pattern.
func (a *App) publicHandler() http.Handler {
	trust := proxy.New(a.Config.TrustedProxyPrefixes(), a.Config.PublicURL)
	return trust.Handler(accesslog.Handler(a.Log, a.Metrics, a.Server.Deadlines(a.Server.Handler())))
}
