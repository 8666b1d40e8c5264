package conversation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"deskbot/compliance"
	"deskbot/protocol"
	"deskbot/store"
)

// Session is one live conversation.
type Session struct {
	mu      sync.Mutex // serialises turns
	ID      string
	Token   string
	Subject string
	Profile string
	st      sessionState
	limiter *limiter
	erased  atomic.Bool // the customer's data was erased (or purged); the next message starts afresh
	// pendingContact holds contact details typed before a consent decision.
	// They live only in memory and are stored only if consent is granted.
	pendingContact []string
	// lostHandover: the session was queued for or held by an agent before
	// a restart emptied the desk.
	lostHandover bool
	// attached sockets and last activity, guarded by Engine.mu, decide
	// when the in-memory copy may be dropped (its state is on disk).
	attached   int
	lastActive time.Time
}

// sessionState is persisted (sealed) with every turn so a restart resumes.
type sessionState struct {
	Misses   int                     `json:"misses"`
	Handover string                  `json:"handover,omitempty"`
	Consent  compliance.ConsentState `json:"consent,omitempty"` // latest decision per purpose
	Turns    int                     `json:"turns"`
	GPC      bool                    `json:"gpc,omitempty"`
	Leaving  bool                    `json:"leaving,omitempty"`  // the next message is left for the team
	TestRun  string                  `json:"test_run,omitempty"` // opened by a test run with the admin token (test_runs.go)
	// Suggested are the articles of the last "did you mean …?" not yet
	// picked, with the redacted question that produced them, so a resumed
	// session can still pick one (sealed like the rest of the state).
	Suggested *suggestion `json:"suggested,omitempty"`
	// SuggestRounds counts suggestion rounds in a row without a pick; two
	// count as one miss.
	SuggestRounds int `json:"suggest_rounds,omitempty"`
	// OfferedHuman: the last reply asked whether to bring in a person, so
	// a bare "yes" accepts (HUM-2) and is not small talk.
	OfferedHuman bool `json:"offered_human,omitempty"`
	// AskedConsent: the last reply asked consent to keep contact details,
	// so a typed "yes" or "no" answers it (CONS-1: an explicit act, as
	// the buttons are); OfferedMessage: it offered to leave a message, so
	// "yes" starts one (HUM-2). Both are set by turn.send.
	AskedConsent   bool `json:"asked_consent,omitempty"`
	OfferedMessage bool `json:"offered_message,omitempty"`
	// AwaitingContact: the last reply (after a left message) asked for an
	// e-mail address or phone number, so a message that is only one
	// answers it (handover.go) and is not a question for the knowledge base.
	AwaitingContact bool `json:"awaiting_contact,omitempty"`
	// Rectify: the customer asked to correct their "email" or "phone" and
	// the next value of that kind replaces the kept one (DSR-5, rectify.go).
	Rectify string `json:"rectify,omitempty"`
	// Lang is the language the bot speaks in this session (language.go).
	Lang string `json:"lang,omitempty"`
}

// ConnMeta is what the transport knows about the customer's connection.
type ConnMeta struct {
	Profile string // requested jurisdiction profile, empty for the configured one
	GPC     bool   // the browser sent Sec-GPC: 1
	// TestRun is set by the transport only for a client that presented
	// the admin token with a test run's id (test_runs.go).
	TestRun string
	// Lang is the page's or widget's language attribute (?lang=) and
	// AcceptLanguage the browser's header; the first the catalog has wins,
	// else config `language` (language.go).
	Lang           string
	AcceptLanguage string
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Start opens a new session and returns its first frames: the session frame
// then the disclosure message (DISC-1), both before any answer.
func (e *Engine) Start(ctx context.Context, meta ConnMeta) (*Session, []protocol.Outbound, error) {
	now := e.now()
	profile := compliance.LookupProfile(e.cfg.Profile).Name
	if meta.Profile != "" {
		profile = compliance.LookupProfile(meta.Profile).Name
	}
	s := &Session{
		ID:      store.NewID(12),
		Token:   newToken(),
		Subject: store.NewID(12),
		Profile: profile,
		limiter: e.newLimiter(),
	}
	s.st.Lang = e.chooseLanguage(meta)
	disclosure := e.disclosure(s) // DISC-1: in the customer's language
	s.st.Turns = 1
	s.st.GPC = meta.GPC && compliance.LookupProfile(profile).HonourGPC
	s.st.TestRun = meta.TestRun
	state, _ := json.Marshal(s.st)
	if err := e.store.CreateSession(ctx, store.Session{
		ID: s.ID, SubjectID: s.Subject, TokenHash: hashToken(s.Token), Profile: profile,
		CreatedAt: now, LastSeen: now, State: state, TestRun: meta.TestRun,
	}); err != nil {
		return nil, nil, fmt.Errorf("start session: %w", err)
	}
	audit := []compliance.AuditRecord{{At: now, Event: compliance.EventDisclosure, Subject: s.Subject, Actor: "bot", Detail: "profile=" + profile}}
	if s.st.GPC {
		// JUR-1: nothing is sold or shared; the opt-out signal is recorded.
		audit = append(audit, compliance.AuditRecord{At: now, Event: compliance.EventConsent, Subject: s.Subject, Actor: "customer", Detail: "signal=Sec-GPC opt-out=sale,sharing"})
	}
	if err := e.store.Commit(ctx, store.Turn{Subject: s.Subject, Session: s.ID, At: now, Entries: []store.Entry{entry(now, "bot", disclosure)}, Audit: audit}); err != nil {
		return nil, nil, fmt.Errorf("start session: %w", err)
	}
	e.remember(s)
	e.markTest(s)
	return s, []protocol.Outbound{e.sessionFrame(s), disclosure}, nil
}

// Resume reattaches a connection to an existing session. The disclosure is
// repeated first so every connection, not only every session, starts with it.
func (e *Engine) Resume(ctx context.Context, token string) (*Session, []protocol.Outbound, error) {
	s, err := e.Lookup(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	now := e.now()
	s.mu.Lock()
	// DISC-6: the greeting says who the customer is talking to right now.
	msg, extra := e.resumeGreeting(s)
	entries := []store.Entry{entry(now, "bot", msg)}
	for _, f := range extra {
		entries = append(entries, entry(now, senderOf(f), f))
	}
	err = e.store.Commit(ctx, store.Turn{Subject: s.Subject, Session: s.ID, At: now, Entries: entries,
		Audit: []compliance.AuditRecord{{At: now, Event: compliance.EventDisclosure, Subject: s.Subject, Actor: "bot", Detail: "resumed"}}})
	s.mu.Unlock()
	if errors.Is(err, store.ErrErased) {
		// Purged or erased since it was loaded: start afresh (DSR-4, RET-1).
		s.erased.Store(true)
		e.Lookup(ctx, token) // drops the erased copy from memory
		return nil, nil, ErrUnknownSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("resume session: %w", err)
	}
	return s, append([]protocol.Outbound{e.sessionFrame(s), msg}, extra...), nil
}

// Lookup finds a live or stored session by its bearer token.
func (e *Engine) Lookup(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 128 {
		return nil, ErrUnknownSession
	}
	h := hashToken(token)
	e.mu.Lock()
	s, ok := e.sessions[string(h)]
	if ok && s.erased.Load() {
		// DSR-4: an erased conversation cannot be resumed; forget it.
		delete(e.sessions, string(h))
		if e.byID[s.ID] == s {
			delete(e.byID, s.ID)
		}
		ok = false
		s = nil
	}
	e.mu.Unlock()
	if ok {
		return s, nil
	}
	row, err := e.store.SessionByToken(ctx, h)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrErased) {
		return nil, ErrUnknownSession
	}
	if err != nil {
		return nil, err
	}
	s = &Session{ID: row.ID, Token: token, Subject: row.SubjectID, Profile: row.Profile, limiter: e.newLimiter()}
	if len(row.State) > 0 {
		if err := json.Unmarshal(row.State, &s.st); err != nil {
			return nil, fmt.Errorf("session state: %w", err)
		}
	}
	// The desk lives in memory: after a restart no agent holds or queues
	// this conversation any more, and the customer must be told so. With
	// several instances the others' desks may still have it (the instance
	// that held it stopped): it carries on here.
	if s.st.Handover == protocol.HandoverJoined || s.st.Handover == protocol.HandoverQueued {
		if c, ok := e.desk.Conv(s.ID); ok && c.State == s.st.Handover && e.desk.Claim(s.ID) {
			e.log.Info("conversation on the desk moved to this instance", "session", s.ID, "from", c.Owner)
		} else {
			s.lostHandover, s.st.Handover = true, ""
		}
	}
	e.markTest(s)
	return e.remember(s), nil
}

func (e *Engine) remember(s *Session) *Session {
	e.mu.Lock()
	defer e.mu.Unlock()
	key := string(hashToken(s.Token))
	if old, ok := e.sessions[key]; ok {
		old.lastActive = e.now()
		return old
	}
	s.lastActive = e.now()
	e.sessions[key] = s
	e.byID[s.ID] = s
	return s
}

// Attach records that a socket serves s; Detach that it closed.
func (e *Engine) Attach(s *Session) {
	e.mu.Lock()
	s.attached++
	s.lastActive = e.now()
	e.mu.Unlock()
}

// Detach is the counterpart of Attach.
func (e *Engine) Detach(s *Session) {
	e.mu.Lock()
	s.attached--
	s.lastActive = e.now()
	e.mu.Unlock()
}

func (e *Engine) touch(s *Session) {
	e.mu.Lock()
	s.lastActive = e.now()
	e.mu.Unlock()
}

// Evict drops in-memory sessions with no socket, idle since before
// now-idle and not waiting for or talking to an agent (the desk holds
// those). Their state is on disk, so a later resume loads it again.
func (e *Engine) Evict(idle time.Duration) int {
	cutoff := e.now().Add(-idle)
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for key, s := range e.sessions {
		if s.attached > 0 || s.lastActive.After(cutoff) || !s.mu.TryLock() {
			continue
		}
		busy := s.st.Handover == protocol.HandoverQueued || s.st.Handover == protocol.HandoverJoined || s.st.Leaving
		s.mu.Unlock()
		if busy {
			continue
		}
		delete(e.sessions, key)
		delete(e.byID, s.ID)
		// Frames kept for an HTTP client that stopped calling go too.
		e.delivery.Forget(s.ID)
		n++
	}
	return n
}

// RecordLeftSuggestions lists for the owner's review (kb review) the
// question of every session idle since before now-idle that left
// suggestions without a pick: leaving is the commonest way customers pass
// them over, and the owner would otherwise never see those questions.
// Each is listed once (unpicked); it returns how many were.
func (e *Engine) RecordLeftSuggestions(ctx context.Context, idle time.Duration) int {
	cutoff := e.now().Add(-idle)
	e.mu.Lock()
	var left []*Session
	for _, s := range e.byID {
		if s.attached > 0 || s.lastActive.After(cutoff) || !s.mu.TryLock() {
			continue
		}
		if p := s.st.Suggested; p != nil && !p.Recorded && !s.erased.Load() {
			left = append(left, s)
		}
		s.mu.Unlock()
	}
	e.mu.Unlock()
	n := 0
	for _, s := range left {
		err := e.agentTurn(ctx, s, func(t *turn) { e.unpicked(t) }) // once: unpicked marks it recorded
		if err != nil {
			e.log.Error("listing left suggestions for review failed", "session", s.ID, "err", err)
			continue
		}
		n++
	}
	return n
}

// held returns the live session with this id: one on the desk (queued for
// or held by an agent) is never evicted, so it is always in memory.
func (e *Engine) held(id string) (*Session, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.byID[id]
	return s, ok
}

// Janitor evicts idle sessions every interval until ctx ends.
func (e *Engine) Janitor(ctx context.Context, every, idle time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n := e.RecordLeftSuggestions(ctx, idle); n > 0 {
				e.log.Debug("suggestions left without a pick listed for review", "count", n)
			}
			if n := e.Evict(idle); n > 0 {
				e.log.Debug("idle sessions released from memory", "count", n)
			}
			if n := e.DropGone(ctx, e.cfg.Handover.QueueDropAfter); n > 0 { // queue_presence.go
				e.log.Info("customers gone from the queue", "count", n)
			}
		}
	}
}

// Live returns how many sessions are held in memory.
func (e *Engine) Live() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.sessions)
}

// MakeRoom keeps the sessions in memory below limit: when full it releases
// the idlest tenth that have no socket and no agent (as Evict does). It
// reports false when nothing could be released.
func (e *Engine) MakeRoom(limit int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if limit <= 0 || len(e.sessions) < limit {
		return true
	}
	type cand struct {
		key  string
		s    *Session
		last time.Time
	}
	var cs []cand
	for key, s := range e.sessions {
		if s.attached == 0 {
			cs = append(cs, cand{key, s, s.lastActive})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int { return a.last.Compare(b.last) })
	target := len(e.sessions) - limit + 1 + limit/10
	n := 0
	for _, c := range cs {
		if n >= target {
			break
		}
		if !c.s.mu.TryLock() {
			continue
		}
		busy := c.s.st.Handover == protocol.HandoverQueued || c.s.st.Handover == protocol.HandoverJoined || c.s.st.Leaving
		c.s.mu.Unlock()
		if busy {
			continue
		}
		delete(e.sessions, c.key)
		delete(e.byID, c.s.ID)
		e.delivery.Forget(c.s.ID)
		n++
	}
	return len(e.sessions) < limit
}
