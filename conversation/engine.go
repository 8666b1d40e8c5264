// Package conversation is the engine of the customer conversation: it
// opens and resumes sessions, runs one turn per customer frame (redaction,
// consent, rights requests, small talk, knowledge-base answers and
// suggestions, the decision to bring in a person) and commits each turn
// before its reply is returned. It speaks no HTTP: transports hand it
// protocol.Inbound frames and send back the protocol.Outbound frames it
// returns; frames it produces outside a customer's turn go out through
// Delivery.
package conversation

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/desk"
	"deskbot/intent"
	"deskbot/kb"
	"deskbot/locale"
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

// Store is the persistence the engine needs: sessions and turns, rights
// requests, and what the human side reads and writes (transcripts, left
// messages, consented contacts, audit records).
type Store interface {
	CreateSession(ctx context.Context, s store.Session) error
	SessionByToken(ctx context.Context, tokenHash []byte) (store.Session, error)
	Commit(ctx context.Context, t store.Turn) error
	Export(ctx context.Context, subject string) (store.SubjectData, error)
	Erase(ctx context.Context, subject, actor string, at time.Time) (store.ErasureCounts, error)
	RecordRequest(ctx context.Context, kind, subject, actor string, at time.Time, detail string) error

	Transcript(ctx context.Context, subject, session string) ([]store.Entry, error)
	LeaveMessage(ctx context.Context, m store.OfflineMessage) (int64, error)
	OfflineMessages(ctx context.Context) ([]store.OfflineMessage, error)
	CountOfflineMessages(ctx context.Context) (int, error)
	MarkOfflineHandled(ctx context.Context, id int64, agent string, at time.Time) error
	Contacts(ctx context.Context, subject string) ([]string, error)
	Audit(ctx context.Context, recs ...compliance.AuditRecord) error
	// Rectify replaces kept contact details (DSR-5).
	Rectify(ctx context.Context, r store.Rectification) (store.RectifyResult, error)
	// Note and SetNote keep the agents' private note on a conversation (notes.go).
	Note(ctx context.Context, subject, session string) (store.Note, error)
	SetNote(ctx context.Context, subject, session, text, agent string, at time.Time) error
}

// Delivery takes frames produced outside a customer's own turn (an agent's
// line, a new place in line) to the customer's open connections, or keeps
// them for the session's next HTTP call. The transport implements it
// (web.Hub); the engine never holds a socket.
type Delivery interface {
	Deliver(session string, frames ...protocol.Outbound)
	// Signal sends frames only to the session's open sockets, never kept
	// for later (an agent's typing: stale within seconds).
	Signal(session string, frames ...protocol.Outbound)
	// Forget drops what waits for a session that will not come back.
	Forget(session string)
	// Rename moves a conversation restarted after erasure to its new id
	// and drops what waited for the old one (DSR-4).
	Rename(from, to string)
}

// Notifier tells the shop that a customer left a message (desk.SMTPNotifier,
// or desk.NoNotice when no e-mail is configured).
type Notifier interface {
	Notify(ctx context.Context, n desk.OfflineNotice) error
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
	threshold float64                 // answer.threshold at start; 0 lets the knowledge base use its default
	reloaded  atomic.Pointer[float64] // answer.threshold set by a reload (SetThreshold)
	obs       Observer                // metrics; never nil
	loc       *locale.Catalog         // every sentence, by language (language.go)
	now       func() time.Time
	log       *slog.Logger

	blind func(kind, value string) string // keyed lookup hash for rights requests by e-mail

	// Human handover (HUM-2): live desk, triggers, offline notices.
	desk      *desk.Desk
	escalator *Escalator
	notifier  Notifier
	delivery  Delivery

	mu       sync.Mutex
	sessions map[string]*Session // by token hash (string of bytes)
	byID     map[string]*Session // the same sessions by id, for the desk
}

// Options wires an Engine. Config, KB, Store, Desk, Delivery and Notifier
// are required.
type Options struct {
	Config   config.Config
	KB       Searcher
	Store    Store
	Desk     *desk.Desk
	Delivery Delivery
	Notifier Notifier
	Detector *compliance.Detector // nil: compliance.NewDetector(nil)
	Now      func() time.Time     // injectable clock; nil means time.Now
	Logger   *slog.Logger
	// Blind returns a keyed hash of a personal value (e.g. an e-mail) so a
	// later rights request can find the subject without storing the value
	// in clear. Nil disables lookups by value.
	Blind func(kind, value string) string
	// Observer is told turns, outcomes, handovers, consent decisions and
	// rights requests (metrics); nil: none.
	Observer Observer
	// Locale is the sentence catalog; nil builds it from Config.
	Locale *locale.Catalog
}

// New returns an engine; an answer.threshold of 0 lets the knowledge base
// decide at its calibrated default. It panics when a required dependency
// is missing: that is a wiring mistake, not a condition to run with.
func New(o Options) *Engine {
	switch {
	case o.KB == nil:
		panic("conversation: Options.KB is nil")
	case o.Store == nil:
		panic("conversation: Options.Store is nil")
	case o.Desk == nil:
		panic("conversation: Options.Desk is nil")
	case o.Delivery == nil:
		panic("conversation: Options.Delivery is nil")
	case o.Notifier == nil:
		panic("conversation: Options.Notifier is nil")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Detector == nil {
		o.Detector = compliance.NewDetector(nil)
	}
	if o.Locale == nil {
		cat, warnings, err := o.Config.Catalog()
		if err != nil {
			panic("conversation: " + err.Error()) // Config.Validate refuses it first
		}
		for _, w := range warnings { // an added language's gaps, a disclosure to check by hand (DISC-1)
			o.Logger.Warn(w)
		}
		o.Locale = cat
	}
	return &Engine{
		cfg: o.Config, kb: o.KB, store: o.Store, detector: o.Detector,
		threshold: o.Config.Answer.Threshold, obs: observerOr(o.Observer), now: o.Now, log: o.Logger, blind: o.Blind,
		desk: o.Desk, escalator: NewEscalator(o.Config.Handover), notifier: o.Notifier, delivery: o.Delivery,
		sessions: make(map[string]*Session), byID: make(map[string]*Session), loc: o.Locale,
	}
}

// Desk returns the live agent desk the engine hands conversations to.
func (e *Engine) Desk() *desk.Desk { return e.desk }

// Handle processes one client frame and returns the frames to send back.
// Customer text is stored (redacted as the law requires) and committed
// before the reply is returned.
func (e *Engine) Handle(ctx context.Context, s *Session, in protocol.Inbound) []protocol.Outbound {
	e.touch(s)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.limiter.allow(e.now()) {
		return []protocol.Outbound{e.errorText(s, protocol.ErrRateLimited, locale.ErrorTooFast)}
	}
	e.obs.Turn()
	defer e.observeReply(time.Now())
	var restart []protocol.Outbound
	if s.erased.Load() {
		// DSR-4: the old conversation is gone; carry on in a new one.
		var err error
		if restart, err = e.restart(ctx, s); err != nil {
			e.log.Error("starting a new session after erasure failed", "err", err)
			return []protocol.Outbound{e.errorText(s, protocol.ErrInternal, locale.ErrorInternal)}
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
		e.desk.Forget(s.ID) // DSR-4: nothing of the old conversation stays on the desk
		e.delivery.Forget(s.ID)
	}
	return append(restart, out...)
}

// restart gives an erased session a new identity, token and disclosure.
// Nothing of the old conversation stays reachable: its token, desk entry,
// desk events and waiting frames are dropped (DSR-4).
func (e *Engine) restart(ctx context.Context, s *Session) ([]protocol.Outbound, error) {
	fresh, frames, err := e.Start(ctx, ConnMeta{Profile: s.Profile, GPC: s.st.GPC, TestRun: s.st.TestRun, Lang: e.lang(s)})
	if err != nil {
		return nil, err
	}
	oldID := s.ID
	e.mu.Lock()
	delete(e.sessions, string(hashToken(fresh.Token)))
	delete(e.sessions, string(hashToken(s.Token)))
	delete(e.byID, fresh.ID)
	delete(e.byID, oldID)
	s.ID, s.Token, s.Subject, s.st, s.pendingContact = fresh.ID, fresh.Token, fresh.Subject, fresh.st, nil
	s.erased.Store(false)
	e.sessions[string(hashToken(s.Token))] = s
	e.byID[s.ID] = s
	e.mu.Unlock()
	e.desk.Forget(oldID)
	e.delivery.Rename(oldID, s.ID)
	return frames, nil
}

func (e *Engine) say(ctx context.Context, s *Session, text string) []protocol.Outbound {
	text = strings.TrimSpace(text)
	if text == "" {
		return []protocol.Outbound{errorFrame(protocol.ErrBadRequest, "Empty message.")}
	}
	if len(text) > e.cfg.Limits.MaxMessageBytes {
		return []protocol.Outbound{e.errorText(s, protocol.ErrTooLarge, locale.ErrorTooLarge)}
	}
	if !utf8.ValidString(text) {
		return []protocol.Outbound{errorFrame(protocol.ErrBadRequest, "Message is not valid UTF-8 text.")}
	}
	t := e.newTurn(s)
	findings := e.detector.Find(text)
	granted := s.st.Consent.Granted(compliance.PurposeContact)
	// MIN-1, MIN-2, PCI-1: store contact details only under consent; cards,
	// CVV and health terms never.
	stored := compliance.RedactKeepingHealth(text, findings, func(k compliance.Kind) bool { return isContact(k) && granted }, e.keepHealth(s)) // MIN-3: health.go
	t.customer(map[string]string{"text": stored})
	t.stored = stored
	if kinds := redactedKinds(findings, granted); kinds != "" {
		t.audit(compliance.EventRedaction, "bot", "kinds="+kinds)
	}
	if e.rectifyTurn(ctx, t, findings, text, granted) {
		return t.finish(ctx) // DSR-5: rectify.go
	}
	if granted {
		e.keepContacts(t, findings, text)
	} else if hasContact(findings) {
		s.pendingContact = contactValues(findings, text)
	}
	if hasKind(findings, compliance.KindCard) && s.st.Handover != protocol.HandoverJoined {
		// PCI-1: never echo the number; tell the customer it was not kept.
		t.send(e.botMessage(e.text(s, locale.CardMasked), false))
	}
	e.askHealthConsent(t, findings) // MIN-3: health_mode only, health.go
	// The index and every decision below see only redacted text, but for
	// health words in the words ranked (question.ranked).
	never := func(compliance.Kind) bool { return false }
	q := question{
		ranked: compliance.RedactKeepingHealth(text, findings, never, true),
		stored: compliance.Redact(text, findings, never),
		health: compliance.HasHealth(findings),
	}
	e.reply(ctx, t, text, q, findings)
	if s.erased.Load() {
		return t.out // nothing of an erased customer is written again
	}
	return t.finish(ctx)
}

// question is a customer's question as the knowledge base ranks it and
// as it is recorded.
type question struct {
	// ranked is redacted except for health words, which are what an
	// allergy or coeliac question is about: without them "I'm allergic to
	// hair dye" was answered with the article on hair colour. It is ranked
	// in memory and never stored, logged or sent (MIN-2).
	ranked string
	// stored is fully redacted: what the review list keeps.
	stored string
	// health: the question names health information; the answer points to
	// a person as well (MIN-2: the proper channel).
	health bool
}

// reply decides what the bot says to one customer message.
func (e *Engine) reply(ctx context.Context, t *turn, raw string, q question, findings []compliance.Finding) {
	s := t.s
	// Whether the bot just offered a person: only the next message can accept.
	offered := s.st.OfferedHuman
	s.st.OfferedHuman = false
	// Whether the bot just asked for contact details (a consent decision
	// may come between): only the next message can give them.
	awaiting := s.st.AwaitingContact
	s.st.AwaitingContact = false
	askedConsent, offeredMessage := s.st.AskedConsent, s.st.OfferedMessage
	s.st.AskedConsent, s.st.OfferedMessage = false, false
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
	if contactReply(findings, raw) {
		if awaiting {
			e.contactGiven(t) // "jane@example.com", "it's jane@example.com": the answer, not a question
			return
		}
		// "my number is 07700 900123", unasked: not a question either (it
		// was answered with the article holding the shop's own number).
		t.send(e.botMessage(e.text(s, locale.ContactNoted), false))
		if !s.st.Consent.Granted(compliance.PurposeContact) {
			t.send(e.consentRequest(s)) // CONS-1
		}
		return
	}
	// DISC-4: asked whether it is a person, the bot says what it is.
	if in.AsksIfHuman() {
		m := e.botMessage(e.text(s, locale.Identity), false)
		m.Actions = []protocol.Action{{Name: protocol.ActionHuman, Label: e.text(s, locale.ActionHuman)}}
		s.st.OfferedHuman = true
		t.send(m)
		return
	}
	if in.LeavesMessage() {
		e.startLeaving(t) // HUM-2: typed, as the button
		return
	}
	if in.AsksCallback() {
		e.callback(ctx, t) // HUM-2: handover.go
		return
	}
	if e.autoEscalate(ctx, t, in) {
		return // HUM-2: a sensitive topic goes to a person even if it names a suggestion
	}
	// "yes" or "no" just after the consent request answers it, as its
	// buttons do (CONS-1); it is the last thing the bot asked.
	if askedConsent && len(findings) == 0 {
		switch {
		case in.IsYes():
			e.contactDecision(t, compliance.DecisionGranted)
			return
		case in.IsNo():
			e.contactDecision(t, compliance.DecisionDeclined)
			return
		}
	}
	if offeredMessage && len(findings) == 0 && in.IsYes() {
		e.startLeaving(t) // "yes please" to "you can leave a message"
		return
	}
	// A typed pick ("the first one", a suggested title) answers like the button.
	if id, ok := e.typedPick(s, raw); ok {
		e.pick(t, id)
		return
	}
	if e.unclearPick(t, in) {
		return // "the first one" with nothing shown, "yes" to several
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
	e.answer(ctx, t, q)
	if hasContact(findings) && !s.st.Consent.Granted(compliance.PurposeContact) {
		// After the answer: the customer reads the reply to what they asked
		// first, and the decision asked for is the last thing on screen, next
		// to where they type (CONS-1: still asked before anything is kept).
		t.send(e.consentRequest(s))
	}
}

// answer replies with a vetted article, suggests some, or says it cannot
// confirm (ACC-1), as the knowledge base decides.
func (e *Engine) answer(ctx context.Context, t *turn, q question) {
	s := t.s
	e.unpicked(t) // a new question: the last suggestions were passed over
	d, err := e.kb.Decide(ctx, q.ranked, e.Threshold())
	if err != nil {
		e.log.Error("knowledge-base search failed", "session", s.ID, "err", err)
		d = kb.Decision{Verdict: kb.VerdictNone}
	}
	d = e.byLanguage(s, d) // articles in the customer's language first (language.go)
	conf := confidence(d)
	switch {
	case d.Verdict == kb.VerdictAnswer && len(d.Hits) > 0:
		e.answerWith(t, d.Hits[0].Article, conf)
		if q.health {
			e.healthPointer(t)
		}
		return
	case d.Verdict == kb.VerdictSuggest && len(d.Hits) > 0:
		e.suggest(ctx, t, q, d.Hits, conf)
		return
	}
	s.st.Suggested, s.st.SuggestRounds = nil, 0
	e.miss(ctx, t, q.stored, conf)
}

// healthPointer follows an answer to a question that named the
// customer's health (MIN-2): the article answers it, but what they said
// about their health is for a person to weigh. Not in health_mode, where
// health questions are the business.
func (e *Engine) healthPointer(t *turn) {
	if e.cfg.HealthMode {
		return
	}
	m := e.botMessage(e.text(t.s, locale.HealthPointer), false)
	m.Actions = []protocol.Action{{Name: protocol.ActionHuman, Label: e.text(t.s, locale.ActionHuman)}}
	t.s.st.OfferedHuman = true
	t.send(m)
}

// confidence is the decision's calibrated probability that its first
// article is the right one, rounded to three decimals for the message
// frame's "confidence" (0 when nothing matched).
func confidence(d kb.Decision) *float64 {
	c := 0.0
	if len(d.Hits) > 0 {
		c = math.Round(min(max(d.Hits[0].Confidence, 0), 1)*1000) / 1000
	}
	return &c
}

// answerWith sends an article's own text citing it (ACC-1, ACC-2), with
// the knowledge base's confidence when it chose the article (nil when the
// customer did, by pressing its button).
func (e *Engine) answerWith(t *turn, a *kb.Article, conf *float64) {
	s := t.s
	s.st.Misses, s.st.SuggestRounds, s.st.Suggested = 0, 0, nil
	e.obs.Outcome(OutcomeAnswer)
	e.noteLanguage(t, a) // language.go
	m := e.botMessage(a.Body, false)
	m.Sources = []protocol.Source{{ID: a.ID, Title: a.Title, Version: a.Version, URL: e.articleURL(a)}}
	m.Confidence = conf
	t.send(m)
	e.offerReview(t, a) // HUM-1: review.go
}

// miss counts a question the knowledge base could not answer; after
// answer.misses_before_handover in a row a person is brought in (HUM-2).
func (e *Engine) miss(ctx context.Context, t *turn, query string, conf *float64) {
	s := t.s
	e.obs.Outcome(OutcomeMiss)
	// The owner sees which articles are missing (redacted, sealed, erasable).
	t.rec.Unanswered = append(t.rec.Unanswered, query)
	s.st.Misses++
	if s.st.Misses >= e.cfg.Answer.MissesBeforeHandover {
		s.st.Misses = 0
		e.handover(ctx, t, ReasonMisses)
		return
	}
	m := e.botMessage(e.text(s, locale.Fallback), false)
	m.Actions = []protocol.Action{{Name: protocol.ActionHuman, Label: e.text(s, locale.ActionHuman)}}
	m.Confidence = conf
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
	case protocol.ActionLanguage:
		return e.switchLanguage(ctx, s, in.Value) // language.go
	case ActionRectify:
		// DSR-5: an id other than "email" or "phone" is refused before
		// anything is recorded (RectifyField, rectify.go).
		if _, ok := RectifyField(in.ID); !ok {
			return []protocol.Outbound{errorFrame(protocol.ErrBadRequest, ErrRectifyField)}
		}
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
		e.startLeaving(t)
	case ActionRectify:
		field, _ := RectifyField(in.ID)
		e.rectifyAction(t, field) // DSR-5: rectify.go
	default:
		e.rights(ctx, t, name)
	}
	if s.erased.Load() {
		return t.out // nothing of an erased customer is written again
	}
	return t.finish(ctx)
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
