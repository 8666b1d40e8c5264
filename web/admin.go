package web

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"deskbot/compliance"
	"deskbot/conversation"
	"deskbot/protocol"
	"deskbot/store"
)

// AdminStore is what the admin API reads.
type AdminStore interface {
	Export(ctx context.Context, subject string) (store.SubjectData, error)
	Consents(ctx context.Context, subject string) ([]compliance.ConsentRecord, error)
	AuditRecords(ctx context.Context, event string) ([]compliance.AuditRecord, error)
	VerifyAudit(ctx context.Context) (int, error)
	CountSubject(ctx context.Context, subject string) (store.SubjectCounts, error)
	Audit(ctx context.Context, recs ...compliance.AuditRecord) error
}

// Admin wires the admin API. It is served only when Token is set.
type Admin struct {
	Token string
	Store AdminStore
	// Scan reads the raw files of the data dir for needles (SEC-1). It must
	// not read the database files inside the server's process (app runs
	// it in a child process, issue 10 H1); nil means no scan endpoint.
	Scan  func(ctx context.Context, needles []string) (compliance.ScanResult, error)
	Purge func(ctx context.Context) (store.PurgeCounts, error)
	// TestRunsReadAll lets a test run's admin reads see every
	// conversation, not only its own test sessions (admin_test_runs.go).
	TestRunsReadAll bool

	scans *scanGate
}

// Scans are rate-limited and run one at a time: each reads the whole data
// dir, and even without key files it answers "is this text on disk?".
const (
	scanBurst    = 20
	scansPerSec  = 2.0
	scanActorAPI = "admin"
)

// scanGate is a token bucket (scansPerSec, scanBurst) plus a one-slot
// semaphore for the admin scan.
type scanGate struct {
	lim *rate.Limiter
	one chan struct{}
}

func newScanGate() *scanGate {
	return &scanGate{lim: rate.NewLimiter(scansPerSec, scanBurst), one: make(chan struct{}, 1)}
}

// take spends a token, or says how long until one is available.
func (g *scanGate) take(now time.Time) (ok bool, wait time.Duration) {
	r := g.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

func (s *Server) adminRoutes(mux *http.ServeMux) {
	if s.admin.Token == "" {
		return // no token, no admin API: the routes do not exist (404)
	}
	h := func(f http.HandlerFunc) http.HandlerFunc { return s.requireAdmin(f) }
	// A test run's reads see its own test sessions only (admin_test_runs.go).
	mux.HandleFunc("GET /api/v1/admin/session", h(s.runScoped(s.sessionSubject, s.adminSession)))
	mux.HandleFunc("GET /api/v1/admin/subject/{subject}", h(s.runScoped(pathSubject, s.adminSubject)))
	mux.HandleFunc("GET /api/v1/admin/consents/{subject}", h(s.runScoped(pathSubject, s.adminConsents)))
	mux.HandleFunc("GET /api/v1/admin/transcript/{subject}", h(s.runScoped(pathSubject, s.adminTranscript)))
	mux.HandleFunc("GET /api/v1/admin/audit", h(s.runScoped(querySubject, s.adminAudit)))
	s.testRunRoutes(mux, h)
	if s.admin.Scan != nil {
		if s.admin.scans == nil {
			s.admin.scans = newScanGate()
		}
		mux.HandleFunc("POST /api/v1/admin/scan", h(s.adminScan))
	}
	mux.HandleFunc("POST /api/v1/admin/purge", h(s.adminPurge))
}

func (s *Server) requireAdmin(next http.HandlerFunc) http.HandlerFunc {
	want := []byte("Bearer " + s.admin.Token)
	return func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="deskbot admin"`)
			writeJSON(w, http.StatusUnauthorized, protocol.AdminError{Error: "admin token required"})
			return
		}
		next(w, r)
	}
}

func (s *Server) adminSession(w http.ResponseWriter, r *http.Request) {
	// The customer's token in a header (preferred: kept out of access
	// logs), or ?session= as protocol v1 clients send it.
	token := r.Header.Get(protocol.SessionHeader)
	if token == "" {
		token = r.URL.Query().Get("session")
	}
	sess, err := s.engine.Lookup(r.Context(), token)
	if err != nil {
		writeJSON(w, http.StatusNotFound, protocol.AdminError{Error: "unknown session"})
		return
	}
	writeJSON(w, http.StatusOK, protocol.AdminSession{Subject: sess.Subject, SessionID: sess.ID, Profile: sess.Profile})
}

func (s *Server) adminSubject(w http.ResponseWriter, r *http.Request) {
	subject := r.PathValue("subject")
	c, err := s.admin.Store.CountSubject(r.Context(), subject)
	if err != nil {
		s.adminError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, protocol.AdminSubject{
		Subject: subject, Exists: c.Exists, Sessions: c.Sessions, Messages: c.Messages,
		Consents: c.Consents, Contacts: c.Contacts, Unanswered: c.Unanswered, Lookups: c.Lookups,
	})
}

func (s *Server) adminConsents(w http.ResponseWriter, r *http.Request) {
	recs, err := s.admin.Store.Consents(r.Context(), r.PathValue("subject"))
	if err != nil {
		s.adminError(w, err)
		return
	}
	out := protocol.AdminConsents{Records: []protocol.ExportConsent{}}
	for _, c := range recs {
		out.Records = append(out.Records, protocol.ExportConsent{Purpose: string(c.Purpose), Decision: string(c.Decision), TextVersion: c.TextVersion, TextHash: c.TextHash, At: c.At})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminTranscript(w http.ResponseWriter, r *http.Request) {
	subject := r.PathValue("subject")
	// SEC-2: every view of a transcript is audited, by agents and admins alike.
	if err := s.admin.Store.Audit(r.Context(), compliance.AuditRecord{At: s.now(), Event: compliance.EventAgentAccess,
		Subject: subject, Actor: "admin", Detail: "channel=admin-api view=transcript"}); err != nil {
		s.adminError(w, err)
		return
	}
	d, err := s.admin.Store.Export(r.Context(), subject)
	if errors.Is(err, store.ErrErased) {
		writeJSON(w, http.StatusOK, protocol.AdminTranscript{Entries: []protocol.ExportEntry{}, Erased: true})
		return
	}
	if err != nil {
		s.adminError(w, err)
		return
	}
	doc := conversation.BuildExport(d, "", time.Now())
	out := protocol.AdminTranscript{Entries: []protocol.ExportEntry{}}
	for _, c := range doc.Conversations {
		out.Entries = append(out.Entries, c.Messages...)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	recs, err := s.admin.Store.AuditRecords(ctx, r.URL.Query().Get("event"))
	if err != nil {
		s.adminError(w, err)
		return
	}
	subject := r.URL.Query().Get("subject")
	keep := s.auditKeep(r) // a test run sees its own customers' records only
	out := protocol.AdminAudit{Records: []protocol.AuditRecord{}}
	for _, a := range recs {
		if (subject != "" && a.Subject != subject) || !keep(a.Subject) {
			continue
		}
		out.Records = append(out.Records, protocol.AuditRecord{Seq: a.Seq, At: a.At, Event: a.Event, Subject: a.Subject, Actor: a.Actor, Detail: a.Detail})
	}
	_, verr := s.admin.Store.VerifyAudit(ctx)
	out.ChainOK = verr == nil
	if verr != nil {
		out.ChainError = verr.Error()
	}
	writeJSON(w, http.StatusOK, out)
}

// adminScan answers whether needles occur in plain text in any file of
// the data dir (SEC-1). Each scan is audited with its actor before it runs
// (AUD-1, SEC-2; the needles themselves are personal data and are not
// recorded), rate-limited, and run by Admin.Scan outside this process.
func (s *Server) adminScan(w http.ResponseWriter, r *http.Request) {
	var req protocol.AdminScanRequest
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, protocol.AdminError{Error: "send {\"needles\":[...]}"})
		return
	}
	if err := compliance.CheckScanNeedles(req.Needles); err != nil {
		writeJSON(w, http.StatusBadRequest, protocol.AdminError{Error: fmt.Sprintf("send 1 to %d needles of %d to %d bytes",
			compliance.MaxScanNeedles, compliance.MinScanNeedleLen, compliance.MaxScanNeedleLen)})
		return
	}
	if ok, wait := s.admin.scans.take(time.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		writeJSON(w, http.StatusTooManyRequests, protocol.AdminError{Error: "too many scans; retry later"})
		return
	}
	select {
	case s.admin.scans.one <- struct{}{}:
		defer func() { <-s.admin.scans.one }()
	case <-r.Context().Done():
		return
	}
	ctx := r.Context()
	if err := s.admin.Store.Audit(ctx, compliance.AuditRecord{At: s.now(), Event: compliance.EventStorageScan,
		Actor: scanActorAPI, Detail: fmt.Sprintf("channel=admin-api needles=%d", len(req.Needles))}); err != nil {
		s.adminError(w, fmt.Errorf("audit storage scan: %w", err))
		return
	}
	res, err := s.admin.Scan(ctx, req.Needles)
	if err != nil {
		s.adminError(w, err)
		return
	}
	s.log.Info("storage scan", "actor", scanActorAPI, "needles", len(req.Needles), "files", res.FilesScanned,
		"bytes", res.BytesScanned, "hits", len(res.Found), "skipped", len(res.Skipped))
	if res.Found == nil {
		res.Found = []compliance.ScanHit{}
	}
	if res.Skipped == nil {
		res.Skipped = []string{}
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) adminPurge(w http.ResponseWriter, r *http.Request) {
	if s.admin.Purge == nil {
		writeJSON(w, http.StatusNotImplemented, protocol.AdminError{Error: "purge not available"})
		return
	}
	n, err := s.admin.Purge(r.Context())
	if err != nil {
		s.adminError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"sessions": n.Sessions, "messages": n.Messages, "contacts": n.Contacts,
		"consents": n.Consents, "unanswered": n.Unanswered, "subjects": n.Subjects})
}

func (s *Server) adminError(w http.ResponseWriter, err error) {
	s.log.Error("admin API", "err", err)
	writeJSON(w, http.StatusInternalServerError, protocol.AdminError{Error: "internal error; see the server log"})
}
