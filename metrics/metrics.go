// Package metrics exposes what deskbot is doing in the Prometheus text
// format: counters the engine, the store and the app report through small
// interfaces they declare themselves, and gauges read from existing state
// at scrape time. Labels carry bounded, fixed values only (kinds, reasons,
// decisions, route patterns), never personal data, tokens or free text.
package metrics

import (
	"context"
	"net/http"
	"net/http/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Label values the counters accept; anything else is counted as "other",
// so a label can never take an unbounded set of values.
var (
	outcomeKinds    = []string{"answer", "suggestion", "miss", "small_talk"}
	handoverReasons = []string{"request", "misses", "sensitive", "frustration"}
	consentPurposes = []string{"contact", "health"}
	consentChoices  = []string{"granted", "declined", "withdrawn"}
	rightsKinds     = []string{"export", "erasure"}
)

// Sources are read at scrape time; a nil func leaves its series out.
type Sources struct {
	QueueLength  func() int           // conversations waiting for an agent
	OldestWait   func() time.Duration // how long the first in the queue has waited
	Sockets      func() int           // open customer sockets
	LiveSessions func() int           // sessions held in memory
	KBArticles   func() int
	KBLoadedAt   func() time.Time // last (re)load of the knowledge base
	// Stored counts rows in the database; it is called at most once per
	// StoredEvery (default 30 s), as counting a large table takes time.
	Stored      func(ctx context.Context) (Stored, error)
	StoredEvery time.Duration
}

// Stored are counts read from the database.
type Stored struct {
	Sessions     int
	AuditRecords int            // length of the audit hash chain kept
	Consents     map[string]int // consent ledger records by decision
	Requests     map[string]int // data-subject request records by kind
}

// Metrics holds deskbot's series and serves them.
type Metrics struct {
	reg *prometheus.Registry

	turns         prometheus.Counter
	outcomes      *prometheus.CounterVec
	handovers     *prometheus.CounterVec
	reply         prometheus.Histogram
	commitBatch   prometheus.Histogram
	commitLatency prometheus.Histogram
	consents      *prometheus.CounterVec
	rights        *prometheus.CounterVec
	purges        *prometheus.CounterVec
	requests      *prometheus.CounterVec
	reloads       *prometheus.CounterVec
}

// New registers every series, the Go runtime and process collectors, and
// the gauges of src.
func New(src Sources) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg}
	f := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "deskbot_" + name, Help: help}, labels)
		reg.MustRegister(c)
		return c
	}
	m.turns = prometheus.NewCounter(prometheus.CounterOpts{Name: "deskbot_turns_total", Help: "Customer frames handled by the engine (messages, button presses, consent decisions)."})
	reg.MustRegister(m.turns)
	m.outcomes = f("replies_total", "Replies to customer questions by kind: answer (cited article), suggestion (did you mean), miss (cannot confirm), small_talk.", "kind")
	m.handovers = f("handovers_total", "Handovers to a person by reason (request, misses, sensitive, frustration).", "reason")
	m.consents = f("consent_decisions_total", "Consent decisions taken in chat, by purpose and decision.", "purpose", "decision")
	m.rights = f("rights_requests_total", "Data-subject requests answered (export, erasure).", "kind")
	m.purges = f("purge_runs_total", "Retention purge runs by result (ok, error).", "result")
	m.requests = f("http_requests_total", "HTTP requests by route pattern and status code class.", "route", "code")
	m.reloads = f("config_reloads_total", "Configuration reloads (SIGHUP) by result (ok, error).", "result")
	hist := func(name, help string, buckets []float64) prometheus.Histogram {
		h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "deskbot_" + name, Help: help, Buckets: buckets})
		reg.MustRegister(h)
		return h
	}
	m.reply = hist("reply_latency_seconds", "Time from a customer frame to its reply being ready (committed).",
		[]float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5})
	m.commitBatch = hist("commit_batch_size", "Writes committed together in one database transaction.",
		[]float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512})
	m.commitLatency = hist("commit_latency_seconds", "Time to commit one batch (transaction and fsync).",
		[]float64{.0002, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1})
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.gauges(src)
	// Every labelled series starts at zero, so a rate() works from the
	// first scrape and dashboards show the whole bounded set.
	for _, k := range append(slices.Clone(outcomeKinds), "other") {
		m.outcomes.WithLabelValues(k)
	}
	for _, r := range append(slices.Clone(handoverReasons), "other") {
		m.handovers.WithLabelValues(r)
	}
	for _, k := range rightsKinds {
		m.rights.WithLabelValues(k)
	}
	for _, r := range []string{"ok", "error"} {
		m.purges.WithLabelValues(r)
		m.reloads.WithLabelValues(r)
	}
	return m
}

func (m *Metrics) gauges(src Sources) {
	gauge := func(name, help string, fn func() float64) {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "deskbot_" + name, Help: help}, fn))
	}
	if f := src.QueueLength; f != nil {
		gauge("handover_queue_length", "Conversations waiting for an agent.", func() float64 { return float64(f()) })
	}
	if f := src.OldestWait; f != nil {
		gauge("handover_queue_oldest_wait_seconds", "How long the first conversation in the queue has waited (0 when none waits).", func() float64 { return f().Seconds() })
	}
	if f := src.Sockets; f != nil {
		gauge("sockets_open", "Customer WebSockets open now.", func() float64 { return float64(f()) })
	}
	if f := src.LiveSessions; f != nil {
		gauge("sessions_live", "Sessions held in memory.", func() float64 { return float64(f()) })
	}
	if f := src.KBArticles; f != nil {
		gauge("kb_articles", "Articles in the knowledge base.", func() float64 { return float64(f()) })
	}
	if f := src.KBLoadedAt; f != nil {
		gauge("kb_last_reload_timestamp_seconds", "Unix time of the last knowledge-base (re)load.", func() float64 {
			if t := f(); !t.IsZero() {
				return float64(t.UnixNano()) / 1e9
			}
			return 0
		})
	}
	if src.Stored != nil {
		every := src.StoredEvery
		if every <= 0 {
			every = 30 * time.Second
		}
		m.reg.MustRegister(&storedCollector{read: src.Stored, every: every})
	}
}

// Turn counts one customer frame handled.
func (m *Metrics) Turn() { m.turns.Inc() }

// Reply records how long a customer frame took until its reply was ready.
func (m *Metrics) Reply(d time.Duration) { m.reply.Observe(d.Seconds()) }

// Outcome counts a reply by kind: answer, suggestion, miss or small_talk.
func (m *Metrics) Outcome(kind string) { m.outcomes.WithLabelValues(bounded(kind, outcomeKinds)).Inc() }

// Handover counts a handover by reason; "sensitive:<topic>" counts as
// "sensitive" (the topic may be a special category and is not exported).
func (m *Metrics) Handover(reason string) {
	if strings.HasPrefix(reason, "sensitive") {
		reason = "sensitive"
	}
	m.handovers.WithLabelValues(bounded(reason, handoverReasons)).Inc()
}

// Consent counts a consent decision for a purpose.
func (m *Metrics) Consent(purpose, decision string) {
	m.consents.WithLabelValues(bounded(purpose, consentPurposes), bounded(decision, consentChoices)).Inc()
}

// Rights counts an answered data-subject request (export, erasure).
func (m *Metrics) Rights(kind string) { m.rights.WithLabelValues(bounded(kind, rightsKinds)).Inc() }

// Commit records one database commit of batch writes.
func (m *Metrics) Commit(batch int, took time.Duration) {
	m.commitBatch.Observe(float64(batch))
	m.commitLatency.Observe(took.Seconds())
}

// Purge counts a retention purge run.
func (m *Metrics) Purge(err error) { m.purges.WithLabelValues(result(err)).Inc() }

// Reload counts a configuration reload.
func (m *Metrics) Reload(err error) { m.reloads.WithLabelValues(result(err)).Inc() }

// Request counts an HTTP request by its route pattern ("" when no route
// matched) and status.
func (m *Metrics) Request(route string, status int, _ time.Duration, _ int64) {
	if route == "" {
		route = "unmatched"
	}
	code := "other"
	if status >= 100 && status < 600 {
		code = string(rune('0'+status/100)) + "xx"
	}
	m.requests.WithLabelValues(route, code).Inc()
}

func result(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

func bounded(v string, allowed []string) string {
	if slices.Contains(allowed, v) {
		return v
	}
	return "other"
}

// Handler serves /metrics and Go's pprof under /debug/pprof/, for the
// metrics listener only: never mount it on the public server.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// Registry returns the registry (tests, extra collectors).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// storedCollector reads database counts at most once per interval.
type storedCollector struct {
	read  func(ctx context.Context) (Stored, error)
	every time.Duration

	mu   sync.Mutex
	at   time.Time
	last Stored
	ok   bool
}

var (
	descSessions = prometheus.NewDesc("deskbot_sessions_stored", "Sessions kept in the database.", nil, nil)
	descAudit    = prometheus.NewDesc("deskbot_audit_chain_length", "Records in the audit hash chain kept (since its retention anchor).", nil, nil)
	descConsents = prometheus.NewDesc("deskbot_consent_records", "Consent ledger records kept, by decision.", []string{"decision"}, nil)
	descRequests = prometheus.NewDesc("deskbot_rights_request_records", "Data-subject request records kept, by kind.", []string{"kind"}, nil)
)

func (c *storedCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descSessions
	ch <- descAudit
	ch <- descConsents
	ch <- descRequests
}

func (c *storedCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	if time.Since(c.at) >= c.every {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s, err := c.read(ctx)
		cancel()
		c.at = time.Now()
		if err == nil {
			c.last, c.ok = s, true
		}
	}
	s, ok := c.last, c.ok
	c.mu.Unlock()
	if !ok {
		return
	}
	ch <- prometheus.MustNewConstMetric(descSessions, prometheus.GaugeValue, float64(s.Sessions))
	ch <- prometheus.MustNewConstMetric(descAudit, prometheus.GaugeValue, float64(s.AuditRecords))
	for _, d := range consentChoices {
		ch <- prometheus.MustNewConstMetric(descConsents, prometheus.GaugeValue, float64(s.Consents[d]), d)
	}
	for _, k := range rightsKinds {
		ch <- prometheus.MustNewConstMetric(descRequests, prometheus.GaugeValue, float64(s.Requests[k]), k)
	}
}
