package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/desk"
	"deskbot/kb"
	"deskbot/protocol"
	"deskbot/store"
)

// memStore keeps what the engine stores in memory, so engine tests run
// without SQLite, sealing or a server.
type memStore struct {
	mu       sync.Mutex
	sessions map[string]store.Session // by token hash
	turns    []store.Turn
	audit    []compliance.AuditRecord
	offline  []store.OfflineMessage
	contacts map[string][]string // by subject
	erased   map[string]bool     // subjects
	failNext error               // returned by the next Commit
}

func newMemStore() *memStore {
	return &memStore{sessions: map[string]store.Session{}, contacts: map[string][]string{}, erased: map[string]bool{}}
}

func (m *memStore) CreateSession(_ context.Context, s store.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[string(s.TokenHash)] = s
	return nil
}

func (m *memStore) SessionByToken(_ context.Context, h []byte) (store.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[string(h)]
	if !ok {
		return store.Session{}, store.ErrNotFound
	}
	if m.erased[s.SubjectID] {
		return store.Session{}, store.ErrErased
	}
	return s, nil
}

func (m *memStore) Commit(_ context.Context, t store.Turn) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failNext; err != nil {
		m.failNext = nil
		return err
	}
	if m.erased[t.Subject] {
		return store.ErrErased
	}
	m.turns = append(m.turns, t)
	m.audit = append(m.audit, t.Audit...)
	for _, c := range t.Contacts {
		m.contacts[t.Subject] = append(m.contacts[t.Subject], string(c))
	}
	return nil
}

func (m *memStore) Export(_ context.Context, subject string) (store.SubjectData, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.erased[subject] {
		return store.SubjectData{}, store.ErrErased
	}
	d := store.SubjectData{Subject: subject, Transcripts: map[string][]store.Entry{}}
	for _, t := range m.turns {
		if t.Subject == subject {
			d.Transcripts[t.Session] = append(d.Transcripts[t.Session], t.Entries...)
		}
	}
	for id := range d.Transcripts {
		d.Sessions = append(d.Sessions, store.Session{ID: id, SubjectID: subject})
	}
	for _, o := range m.offline {
		if o.Subject == subject {
			d.LeftMessages = append(d.LeftMessages, o)
		}
	}
	return d, nil
}

func (m *memStore) Erase(_ context.Context, subject, _ string, _ time.Time) (store.ErasureCounts, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.erased[subject] = true
	return store.ErasureCounts{}, nil
}

func (m *memStore) RecordRequest(context.Context, string, string, string, time.Time, string) error {
	return nil
}

func (m *memStore) Transcript(_ context.Context, subject, session string) ([]store.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Entry
	for _, t := range m.turns {
		if t.Subject == subject && t.Session == session {
			out = append(out, t.Entries...)
		}
	}
	return out, nil
}

func (m *memStore) LeaveMessage(_ context.Context, o store.OfflineMessage) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o.ID = int64(len(m.offline) + 1)
	m.offline = append(m.offline, o)
	return o.ID, nil
}

func (m *memStore) OfflineMessages(context.Context) ([]store.OfflineMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]store.OfflineMessage(nil), m.offline...), nil
}

func (m *memStore) CountOfflineMessages(context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.offline), nil
}

func (m *memStore) MarkOfflineHandled(context.Context, int64, string, time.Time) error { return nil }

func (m *memStore) Contacts(_ context.Context, subject string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.contacts[subject], nil
}

func (m *memStore) Audit(_ context.Context, recs ...compliance.AuditRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.audit = append(m.audit, recs...)
	return nil
}

// Rectify replaces the subject's kept details with the new value; the
// consent check is the real store's (store/rectify_test.go).
func (m *memStore) Rectify(_ context.Context, r store.Rectification) (store.RectifyResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.contacts[r.Subject])
	m.contacts[r.Subject] = []string{r.New}
	return store.RectifyResult{Replaced: n}, nil
}

// storedTexts returns the customer's stored text of every turn, in order.
func (m *memStore) storedTexts() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, t := range m.turns {
		for _, e := range t.Entries {
			var b map[string]string
			if e.Sender == "customer" && json.Unmarshal(e.Body, &b) == nil && b["text"] != "" {
				out = append(out, b["text"])
			}
		}
	}
	return out
}

func (m *memStore) auditEvents(event string) []compliance.AuditRecord {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []compliance.AuditRecord
	for _, a := range m.audit {
		if a.Event == event {
			out = append(out, a)
		}
	}
	return out
}

// delivered records what the engine sends outside a customer's turn.
type delivered struct {
	mu      sync.Mutex
	frames  map[string][]protocol.Outbound
	renamed [][2]string
	forgot  []string
}

func (d *delivered) Deliver(session string, frames ...protocol.Outbound) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.frames == nil {
		d.frames = map[string][]protocol.Outbound{}
	}
	d.frames[session] = append(d.frames[session], frames...)
}

func (d *delivered) Signal(session string, frames ...protocol.Outbound) {
	d.Deliver(session, frames...)
}

func (d *delivered) Forget(session string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.forgot = append(d.forgot, session)
}

func (d *delivered) Rename(from, to string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.renamed = append(d.renamed, [2]string{from, to})
}

// take returns and forgets what was delivered to a session.
func (d *delivered) take(session string) []protocol.Outbound {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.frames[session]
	delete(d.frames, session)
	return out
}

// notices counts offline notices.
type notices struct {
	mu sync.Mutex
	n  int
	ch chan struct{}
}

func (n *notices) Notify(context.Context, desk.OfflineNotice) error {
	n.mu.Lock()
	n.n++
	n.mu.Unlock()
	if n.ch != nil {
		n.ch <- struct{}{}
	}
	return nil
}

// fixedKB decides the same for every question; articles are found by id.
type fixedKB struct {
	decision kb.Decision
	articles map[string]*kb.Article
}

func (f fixedKB) Decide(context.Context, string, float64) (kb.Decision, error) {
	return f.decision, nil
}

func (f fixedKB) Article(id string) (*kb.Article, bool) {
	a, ok := f.articles[id]
	return a, ok
}

// rig is an engine wired to fakes, with a fixed clock.
type rig struct {
	e        *Engine
	store    *memStore
	desk     *desk.Desk
	delivery *delivered
	notices  *notices
	now      time.Time
}

func newRig(t testing.TB, kbase Searcher, edit func(*config.Config)) *rig {
	t.Helper()
	cfg := config.Defaults(t.TempDir())
	if edit != nil {
		edit(&cfg)
	}
	if kbase == nil {
		kbase = fixedKB{decision: kb.Decision{Verdict: kb.VerdictNone}}
	}
	r := &rig{store: newMemStore(), delivery: &delivered{}, notices: &notices{}, now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return r.now }
	hours, err := desk.NewHours(cfg.BusinessHours)
	if err != nil {
		t.Fatal(err)
	}
	r.desk = desk.New(clock, hours)
	r.e = New(Options{Config: cfg, KB: kbase, Store: r.store, Desk: r.desk, Delivery: r.delivery, Notifier: r.notices, Now: clock})
	return r
}

// start opens a session and returns it with its first frames.
func (r *rig) start(t testing.TB) (*Session, []protocol.Outbound) {
	t.Helper()
	s, out, err := r.e.Start(context.Background(), ConnMeta{})
	if err != nil {
		t.Fatal(err)
	}
	return s, out
}

func (r *rig) say(s *Session, text string) []protocol.Outbound {
	return r.e.Handle(context.Background(), s, protocol.Inbound{Type: protocol.TypeSay, Text: text})
}

func (r *rig) press(s *Session, action string) []protocol.Outbound {
	return r.e.Handle(context.Background(), s, protocol.Inbound{Type: protocol.TypeAction, Name: action})
}

// messages returns the message frames among out.
func messages(out []protocol.Outbound) []protocol.Message {
	var ms []protocol.Message
	for _, f := range out {
		if m, ok := f.(protocol.Message); ok {
			ms = append(ms, m)
		}
	}
	return ms
}

// handover returns the handover frame among out, if any.
func handoverFrame(out []protocol.Outbound) (protocol.Handover, bool) {
	for _, f := range out {
		if h, ok := f.(protocol.Handover); ok {
			return h, true
		}
	}
	return protocol.Handover{}, false
}

var errDiskFull = errors.New("disk full")
