// Package bot is the conversation engine and its HTTP and WebSocket
// handlers: it turns customer frames into stored, redacted transcript lines
// and replies taken from knowledge-base articles.
package bot

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/intent"
	"deskbot/kb"
	"deskbot/protocol"
	"deskbot/store"
)

// Searcher is what the engine needs of the knowledge base: one decision
// per question (answer, suggest or refuse at the configured precision) and
// an article by id, for a picked suggestion.
type Searcher interface {
	Decide(ctx context.Context, query string, target float64) (kb.Decision, error)
	Article(id string) (*kb.Article, bool)
}

// Store is the persistence the engine needs.
type Store interface {
	CreateSession(ctx context.Context, s store.Session) error
	SessionByToken(ctx context.Context, tokenHash []byte) (store.Session, error)
	Commit(ctx context.Context, t store.Turn) error
	Export(ctx context.Context, subject string) (store.SubjectData, error)
	Erase(ctx context.Context, subject, actor string, at time.Time) (store.ErasureCounts, error)
	RecordRequest(ctx context.Context, kind, subject, actor string, at time.Time, detail string) error
}

// ErrUnknownSession means a resume token matched no session.
var ErrUnknownSession = errors.New("unknown session")

// Engine runs conversations. It is safe for concurrent use; each session
// is handled by one goroutine at a time.
type Engine struct {
	cfg       config.Config
	kb        Searcher
	store     Store
	detector  *compliance.Detector
	threshold float64 // answer.threshold; 0 lets the knowledge base use its default
	now       func() time.Time
	log       *slog.Logger

	blind func(kind, value string) string // keyed lookup hash for rights requests by e-mail

	// Human handover (HUM-2): live desk, triggers, sealed offline messages.
	desk      *Desk
	escalator *Escalator
	hstore    HandoverStore // nil when the store cannot hold handover data
	notifier  Notifier      // nil: no e-mail when a message is left

	mu       sync.Mutex
	sessions map[string]*Session // by token hash (string of bytes)
	hub      *Hub                // customers' sockets, for agent frames
}

// EngineOptions wires an Engine.
type EngineOptions struct {
	Config   config.Config
	KB       Searcher
	Store    Store
	Detector *compliance.Detector
	Now      func() time.Time // injectable clock; nil means time.Now
	Logger   *slog.Logger
	// Blind returns a keyed hash of a personal value (e.g. an e-mail) so a
	// later rights request can find the subject without storing the value
	// in clear. Nil disables lookups by value.
	Blind func(kind, value string) string
	// Notifier tells the shop a message was left; nil uses smtp.* from the
	// configuration (none when smtp.host is empty).
	Notifier Notifier
}

// NewEngine returns an engine; an answer.threshold of 0 lets the knowledge
// base decide at its calibrated default.
func NewEngine(o EngineOptions) *Engine {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Detector == nil {
		o.Detector = compliance.NewDetector(nil)
	}
	hours, err := NewHours(o.Config.BusinessHours)
	if err != nil {
		o.Logger.Error("business hours unusable; treating the team as always open", "err", err)
	}
	hs, _ := o.Store.(HandoverStore)
	if o.Notifier == nil && o.Config.SMTP.Host != "" {
		o.Notifier = NewSMTPNotifier(o.Config)
	}
	return &Engine{
		cfg: o.Config, kb: o.KB, store: o.Store, detector: o.Detector,
		threshold: o.Config.Answer.Threshold, now: o.Now, log: o.Logger, blind: o.Blind,
		desk: NewDesk(o.Now, hours), escalator: NewEscalator(o.Config.Handover), hstore: hs, notifier: o.Notifier,
		sessions: make(map[string]*Session),
	}
}

// Session is one live conversation.
type Session struct {
	mu      sync.Mutex // serialises turns
	ID      string
	Token   string
	Subject string
	Profile string
	st      sessionState
	limiter *limiter
	gpc     bool        // Sec-GPC: 1 was sent (JUR-1)
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
	Leaving  bool                    `json:"leaving,omitempty"` // the next message is left for the team
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
}

// ConnMeta is what the transport knows about the customer's connection.
type ConnMeta struct {
	Profile string // requested jurisdiction profile, empty for the configured one
	GPC     bool   // the browser sent Sec-GPC: 1
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
	disclosure := e.botMessage(e.cfg.DisclosureText(), true)
	s.st.Turns = 1
	s.st.GPC = meta.GPC && compliance.LookupProfile(profile).HonourGPC
	state, _ := json.Marshal(s.st)
	if err := e.store.CreateSession(ctx, store.Session{
		ID: s.ID, SubjectID: s.Subject, TokenHash: hashToken(s.Token), Profile: profile,
		CreatedAt: now, LastSeen: now, State: state,
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
	// this conversation any more, and the customer must be told so.
	if s.st.Handover == protocol.HandoverJoined || s.st.Handover == protocol.HandoverQueued {
		s.lostHandover, s.st.Handover = true, ""
	}
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
		if e.hub != nil {
			// Frames kept for an HTTP client that stopped calling go too.
			e.hub.forget(s.ID)
		}
		n++
	}
	return n
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
			if n := e.Evict(idle); n > 0 {
				e.log.Debug("idle sessions released from memory", "count", n)
			}
		}
	}
}

func (e *Engine) sessionFrame(s *Session) protocol.Session {
	return protocol.Session{Type: protocol.TypeSession, Session: s.Token, Profile: s.Profile}
}

func (e *Engine) botMessage(text string, disclosure bool) protocol.Message {
	return protocol.Message{
		Type: protocol.TypeMessage, ID: "m_" + store.NewID(8), From: protocol.FromBot, Name: e.cfg.BotName,
		Text: text, Disclosure: disclosure, Sources: []protocol.Source{}, Actions: []protocol.Action{},
	}
}

func errorFrame(code, msg string) protocol.Error {
	return protocol.Error{Type: protocol.TypeError, Code: code, Message: msg}
}

func entry(at time.Time, sender string, frame protocol.Outbound) store.Entry {
	b, _ := json.Marshal(frame)
	return store.Entry{At: at, Sender: sender, Body: b}
}

// turn collects what one step sends and stores; commit writes it at once.
type turn struct {
	e   *Engine
	s   *Session
	now time.Time
	rec store.Turn
	out []protocol.Outbound
	// stored is the customer's text as stored (redacted), for the agent.
	stored string
	// The session as it was before the turn: a turn that cannot be stored
	// must not leave its changes (e.g. a consent) in memory either.
	savedState   sessionState
	savedPending []string
}

func (e *Engine) newTurn(s *Session) *turn {
	now := e.now()
	saved := s.st
	saved.Consent = maps.Clone(s.st.Consent)
	return &turn{e: e, s: s, now: now, rec: store.Turn{Subject: s.Subject, Session: s.ID, At: now},
		savedState: saved, savedPending: slices.Clone(s.pendingContact)}
}

// customer records what the customer sent (already redacted as needed).
func (t *turn) customer(body map[string]string) {
	t.rec.Entries = append(t.rec.Entries, store.Entry{At: t.now, Sender: "customer", Body: mustJSON(body)})
}

// send queues frames for the customer and the transcript.
func (t *turn) send(frames ...protocol.Outbound) {
	for _, f := range frames {
		t.out = append(t.out, f)
		t.rec.Entries = append(t.rec.Entries, entry(t.now, senderOf(f), f))
	}
}

func (t *turn) audit(event, actor, detail string) {
	t.rec.Audit = append(t.rec.Audit, compliance.AuditRecord{At: t.now, Event: event, Subject: t.s.Subject, Actor: actor, Detail: detail})
}

// commit stores the turn durably and returns what to send. Nothing is sent
// for a turn that could not be stored.
func (t *turn) commit(ctx context.Context) []protocol.Outbound {
	t.s.st.Turns++
	state, err := json.Marshal(t.s.st)
	if err == nil {
		t.rec.State = state
		err = t.e.store.Commit(ctx, t.rec)
	}
	if errors.Is(err, store.ErrErased) {
		// The retention purge removed this conversation meanwhile.
		t.s.erased.Store(true)
		return []protocol.Outbound{t.e.botMessage("This conversation has been deleted under our retention rules, so your last message was not kept. Send it again to start a new conversation.", false)}
	}
	if err != nil {
		t.e.log.Error("storing turn failed", "session", t.s.ID, "err", err)
		t.s.st, t.s.pendingContact = t.savedState, t.savedPending
		return []protocol.Outbound{errorFrame(protocol.ErrInternal, "Sorry, something went wrong on our side and your message was not saved. Please try again.")}
	}
	return t.out
}

// Handle processes one client frame and returns the frames to send back.
// Customer text is stored (redacted as the law requires) and committed
// before the reply is returned.
func (e *Engine) Handle(ctx context.Context, s *Session, in protocol.Inbound) []protocol.Outbound {
	e.touch(s)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.limiter.allow(e.now()) {
		return []protocol.Outbound{errorFrame(protocol.ErrRateLimited, "You are sending messages too quickly. Please wait a moment and try again.")}
	}
	var restart []protocol.Outbound
	if s.erased.Load() {
		// DSR-4: the old conversation is gone; carry on in a new one.
		var err error
		if restart, err = e.restart(ctx, s); err != nil {
			e.log.Error("starting a new session after erasure failed", "err", err)
			return []protocol.Outbound{errorFrame(protocol.ErrInternal, "Sorry, something went wrong on our side. Please reload the page.")}
		}
	}
	var out []protocol.Outbound
	switch in.Type {
	case protocol.TypeSay:
		out = e.say(ctx, s, in.Text)
	case protocol.TypeAction:
		out = e.action(ctx, s, in)
	case protocol.TypeConsent:
		out = e.consent(ctx, s, in)
	default:
		out = []protocol.Outbound{errorFrame(protocol.ErrBadRequest, "Unknown frame type; expected say, consent or action.")}
	}
	if s.erased.Load() {
		e.desk.forget(s.ID) // DSR-4: nothing of the old conversation stays on the desk
		if e.hub != nil {
			e.hub.forget(s.ID)
		}
	}
	return append(restart, out...)
}

// restart gives an erased session a new identity, token and disclosure.
// Nothing of the old conversation stays reachable: its token, desk entry,
// desk events and waiting frames are dropped (DSR-4).
func (e *Engine) restart(ctx context.Context, s *Session) ([]protocol.Outbound, error) {
	fresh, frames, err := e.Start(ctx, ConnMeta{Profile: s.Profile, GPC: s.st.GPC})
	if err != nil {
		return nil, err
	}
	oldID := s.ID
	e.mu.Lock()
	delete(e.sessions, string(hashToken(fresh.Token)))
	delete(e.sessions, string(hashToken(s.Token)))
	s.ID, s.Token, s.Subject, s.st, s.pendingContact = fresh.ID, fresh.Token, fresh.Subject, fresh.st, nil
	s.erased.Store(false)
	e.sessions[string(hashToken(s.Token))] = s
	e.mu.Unlock()
	e.desk.forget(oldID)
	if e.hub != nil {
		e.hub.rename(oldID, s.ID)
	}
	return frames, nil
}

func (e *Engine) say(ctx context.Context, s *Session, text string) []protocol.Outbound {
	text = strings.TrimSpace(text)
	if text == "" {
		return []protocol.Outbound{errorFrame(protocol.ErrBadRequest, "Empty message.")}
	}
	if len(text) > e.cfg.Limits.MaxMessageBytes {
		return []protocol.Outbound{errorFrame(protocol.ErrTooLarge, fmt.Sprintf("That message is too long; please keep it under %d characters.", e.cfg.Limits.MaxMessageBytes))}
	}
	if !utf8.ValidString(text) {
		return []protocol.Outbound{errorFrame(protocol.ErrBadRequest, "Message is not valid UTF-8 text.")}
	}
	t := e.newTurn(s)
	findings := e.detector.Find(text)
	granted := s.st.Consent.Granted(compliance.PurposeContact)
	// MIN-1, MIN-2, PCI-1: store contact details only under consent; cards,
	// CVV and health terms never.
	stored := compliance.Redact(text, findings, func(k compliance.Kind) bool { return isContact(k) && granted })
	t.customer(map[string]string{"text": stored})
	t.stored = stored
	if kinds := redactedKinds(findings, granted); kinds != "" {
		t.audit(compliance.EventRedaction, "bot", "kinds="+kinds)
	}
	if granted {
		e.keepContacts(t, findings, text)
	} else if hasContact(findings) {
		s.pendingContact = contactValues(findings, text)
	}
	if hasKind(findings, compliance.KindCard) && s.st.Handover != protocol.HandoverJoined {
		// PCI-1: never echo the number; tell the customer it was not kept.
		t.send(e.botMessage("For your security, please don't share card numbers in chat. I have masked it and not kept it.", false))
	}
	// The index and every decision below see only redacted text.
	query := compliance.Redact(text, findings, func(compliance.Kind) bool { return false })
	e.reply(ctx, t, text, query, findings)
	if s.erased.Load() {
		return t.out // nothing of an erased customer is written again
	}
	return t.commit(ctx)
}

// reply decides what the bot says to one customer message.
func (e *Engine) reply(ctx context.Context, t *turn, raw, query string, findings []compliance.Finding) {
	s := t.s
	// Whether the bot just offered a person: only the next message can accept.
	offered := s.st.OfferedHuman
	s.st.OfferedHuman = false
	in := intent.Read(raw) // once; every check below reads the same words
	if kind, ok := in.Rights(); ok {
		e.rights(ctx, t, kind)
		return
	}
	// DISC-6: while a person holds the conversation the bot says nothing.
	if s.st.Handover == protocol.HandoverJoined {
		if e.agentPresent(s) {
			e.forwardToAgent(t, t.stored)
			return
		}
		e.agentGone(t) // the agent left without handing back: the bot answers again
	}
	if s.st.Leaving {
		// Stored redacted; contact details typed here are kept only once
		// consent is granted (leaveMessage asks).
		e.leaveMessage(ctx, t, t.stored)
		return
	}
	// DISC-4: asked whether it is a person, the bot says what it is.
	if in.AsksIfHuman() {
		m := e.botMessage("I'm "+e.cfg.BotName+", an automated assistant (a bot), not a human. If you'd like to talk to a person from our team, I can bring one in.", false)
		m.Actions = []protocol.Action{{Name: protocol.ActionHuman, Label: "Talk to a person"}}
		s.st.OfferedHuman = true
		t.send(m)
		return
	}
	if e.autoEscalate(ctx, t, in) {
		return // HUM-2: a sensitive topic goes to a person even if it names a suggestion
	}
	// A typed pick ("the first one", a suggested title) answers like the button.
	if id, ok := e.typedPick(s, raw); ok {
		e.pick(t, id)
		return
	}
	if len(findings) == 0 {
		if kind, ok := in.SmallTalk(); ok {
			if offered && in.IsYes() {
				e.handover(ctx, t, ReasonRequest) // HUM-2: "yes" to "shall I get a person?"
				return
			}
			e.smallTalk(t, kind)
			return
		}
	}
	if hasContact(findings) && !s.st.Consent.Granted(compliance.PurposeContact) {
		t.send(e.consentRequest(s))
	}
	e.answer(ctx, t, query)
}

// answer replies with a vetted article, suggests some, or says it cannot
// confirm (ACC-1), as the knowledge base decides.
func (e *Engine) answer(ctx context.Context, t *turn, query string) {
	s := t.s
	d, err := e.kb.Decide(ctx, query, e.threshold)
	if err != nil {
		e.log.Error("knowledge-base search failed", "session", s.ID, "err", err)
		d = kb.Decision{Verdict: kb.VerdictNone}
	}
	switch {
	case d.Verdict == kb.VerdictAnswer && len(d.Hits) > 0:
		e.answerWith(t, d.Hits[0].Article)
		return
	case d.Verdict == kb.VerdictSuggest && len(d.Hits) > 0:
		e.suggest(ctx, t, query, d.Hits)
		return
	}
	s.st.Suggested, s.st.SuggestRounds = nil, 0
	e.miss(ctx, t, query)
}

// answerWith sends an article's own text citing it (ACC-1, ACC-2).
func (e *Engine) answerWith(t *turn, a *kb.Article) {
	s := t.s
	s.st.Misses, s.st.SuggestRounds, s.st.Suggested = 0, 0, nil
	m := e.botMessage(a.Body, false)
	m.Sources = []protocol.Source{{ID: a.ID, Title: a.Title, Version: a.Version, URL: e.articleURL(a)}}
	t.send(m)
}

// miss counts a question the knowledge base could not answer; after
// answer.misses_before_handover in a row a person is brought in (HUM-2).
func (e *Engine) miss(ctx context.Context, t *turn, query string) {
	s := t.s
	// The owner sees which articles are missing (redacted, sealed, erasable).
	t.rec.Unanswered = append(t.rec.Unanswered, query)
	s.st.Misses++
	if s.st.Misses >= e.cfg.Answer.MissesBeforeHandover {
		s.st.Misses = 0
		e.handover(ctx, t, ReasonMisses)
		return
	}
	m := e.botMessage("I'm sorry, I can't confirm that from our help articles. Would you like me to get a person from our team? You can also rephrase your question.", false)
	m.Actions = []protocol.Action{{Name: protocol.ActionHuman, Label: "Talk to a person"}}
	s.st.OfferedHuman = true
	t.send(m)
}

func (e *Engine) articleURL(a *kb.Article) string {
	if a.URL != "" {
		return a.URL
	}
	return strings.TrimRight(e.cfg.PublicURL, "/") + "/articles/" + a.ID
}

func (e *Engine) action(ctx context.Context, s *Session, in protocol.Inbound) []protocol.Outbound {
	name := in.Name
	switch name {
	case protocol.ActionConsentAccept, protocol.ActionConsentDecline:
		g := name == protocol.ActionConsentAccept
		return e.consent(ctx, s, protocol.Inbound{Type: protocol.TypeConsent, Purpose: purposeContact, Granted: &g})
	case protocol.ActionArticle:
		return e.articleAction(ctx, s, in.ID)
	case protocol.ActionHuman, protocol.ActionExport, protocol.ActionErase, protocol.ActionWithdraw, protocol.ActionLeaveMessage:
	default:
		return []protocol.Outbound{errorFrame(protocol.ErrBadRequest, "Unknown action.")}
	}
	t := e.newTurn(s)
	t.customer(map[string]string{"action": name})
	switch name {
	case protocol.ActionHuman:
		e.handover(ctx, t, ReasonRequest)
	case protocol.ActionLeaveMessage:
		s.st.Leaving = true
		t.send(e.botMessage("Please type your message for our team. If you include contact details, I will ask for your consent before keeping them.", false))
	default:
		e.rights(ctx, t, name)
	}
	if s.erased.Load() {
		return t.out // nothing of an erased customer is written again
	}
	return t.commit(ctx)
}

func senderOf(f protocol.Outbound) string {
	switch m := f.(type) {
	case protocol.Message:
		return m.From
	default:
		return "bot"
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func hasKind(fs []compliance.Finding, k compliance.Kind) bool {
	for _, f := range fs {
		if f.Kind == k {
			return true
		}
	}
	return false
}

func isContact(k compliance.Kind) bool { return k == compliance.KindEmail || k == compliance.KindPhone }

func hasContact(fs []compliance.Finding) bool {
	for _, f := range fs {
		if isContact(f.Kind) {
			return true
		}
	}
	return false
}

// redactedKinds lists the kinds removed from the stored text, for the audit log.
func redactedKinds(fs []compliance.Finding, contactGranted bool) string {
	seen := map[compliance.Kind]bool{}
	var kinds []string
	for _, f := range fs {
		if (isContact(f.Kind) && contactGranted) || seen[f.Kind] {
			continue
		}
		seen[f.Kind] = true
		kinds = append(kinds, string(f.Kind))
	}
	return strings.Join(kinds, ",")
}

func contactValues(fs []compliance.Finding, text string) []string {
	var out []string
	for _, f := range fs {
		if isContact(f.Kind) {
			out = append(out, text[f.Start:f.End])
		}
	}
	return out
}
