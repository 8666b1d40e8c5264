package features

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/cucumber/godog"

	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/kb"
	"deskbot/protocol"
)

// Errors a step reports when the run cannot do what it asks.
var (
	// ErrUnavailable marks a step that needs something this run does not
	// have (e.g. the admin API against a --target without a token).
	ErrUnavailable = errors.New("unavailable in this run")
	// ErrNoChat means a step needs an open chat but none was opened.
	ErrNoChat = errors.New(`no chat is open: start with "Given a customer opens the chat"`)
)

// replyTimeout bounds every wait for the bot.
const replyTimeout = 10 * time.Second

// Clock is the scenario's controllable clock: real time shifted by an
// offset, so rate limits and timeouts still see time pass while a scenario
// can jump to a date or move days ahead.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now returns the scenario time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Set makes Now return t (and move on from there).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = time.Until(t)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// Line is one frame of the scenario's conversation, as the customer's
// browser saw it.
type Line struct {
	At       time.Time
	Outbound bool             // sent by the customer
	In       protocol.Inbound // when Outbound
	Frame    protocol.Frame   // when received
	Raw      string           // a raw frame the customer sent
	Turn     int              // index into World.turns
}

// Turn is one customer input and everything the bot sent back for it.
type Turn struct {
	In      protocol.Inbound
	Opening bool // the connection was opened; In is empty
	Frames  []protocol.Frame
	Latency time.Duration // until the first message frame
	Subject string        // pseudonymous subject the input was stored under
	Granted bool          // contact consent was granted when the input was typed
	// HealthGranted: consent for "health" was granted when the input was
	// typed (health_mode, MIN-3): health terms may then be stored.
	HealthGranted bool
}

// Messages returns the message frames of the turn.
func (t *Turn) Messages() []protocol.Frame {
	var out []protocol.Frame
	for _, f := range t.Frames {
		if f.Type == protocol.TypeMessage {
			out = append(out, f)
		}
	}
	return out
}

// Has reports whether the turn holds a frame of the type.
func (t *Turn) Has(typ string) bool {
	for _, f := range t.Frames {
		if f.Type == typ {
			return true
		}
	}
	return false
}

type sessionInfo struct {
	token   string
	subject string
	profile string
	turn    int // turn whose frames carried the session frame
}

type article struct {
	title, body       string
	questions         []string
	id, version, lang string // lang: front matter lang: (empty: config language)
	humanReview       bool   // front matter human_review: true (HUM-1)
}

// World is one scenario: its bot (in-process or a --target), its customer
// connection and everything seen so far. Steps of one scenario run one
// after the other, so it needs no lock.
type World struct {
	suite *Suite
	clock *Clock

	uri, name string
	pickleID  string         // godog's id of the running scenario
	lines     map[string]int // pickle step id ("" for the scenario) -> line in the feature file
	step      *godog.Step    // the step running now
	started   time.Time

	articles []article
	cfgEdits map[string]string // configuration overrides of the scenario
	cfgErr   error             // why those overrides are invalid
	tmp      string
	local    *LocalBot
	base     string
	admin    *adminClient
	adminWhy string // why admin is nil
	hash     func(string) (string, error)

	conn        *chatclient.Client
	barriers    int
	httpSession string // the customer uses the HTTP mirror with this token
	httpFrames  bool   // … and sends each client frame as {"frame":{…}} (frame_steps.go)
	transcript  []Line
	turns       []*Turn
	sessions    []sessionInfo
	granted     bool  // contact consent granted, as the customer knows it
	erasures    []int // turns after which the customer's data was erased or purged
	agents      map[string]*agentSim
	exported    []byte
	operatorOut string // what the last operator command printed (operator_steps.go)

	healthGranted bool // consent for "health" granted (health_mode, MIN-3)

	asked          []asked  // answer-quality steps: each question and what the bot did
	qualityArticle string   // the article the questions should be answered from
	qualityNot     []string // articles no question may be answered from ("none is answered from the article")
	// the results and report of earlier "asks each question" steps of the
	// scenario, kept when a later one asks anew
	questionsDone []questionResult
	askedDone     string
	variants      []variant // after "says one of": each phrasing's place, checked one by one
}

// DefaultStartTime is where an in-process scenario's clock starts unless
// Suite.StartTime or "Given the time is" say otherwise: a Wednesday at
// 10:00 UTC, inside the default business hours, so a scenario passes or
// fails the same at any time of day.
var DefaultStartTime = time.Date(2026, time.December, 2, 10, 0, 0, 0, time.UTC)

func newWorld(s *Suite) *World {
	w := &World{suite: s, clock: &Clock{}, agents: map[string]*agentSim{}, hash: s.HashPassword}
	start := s.StartTime
	if start.IsZero() {
		start = DefaultStartTime
	}
	w.clock.Set(start)
	return w
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// inProcess reports whether the scenario runs its own bot.
func (w *World) inProcess() bool { return w.suite.Target == "" }

// ensureBot starts the scenario's isolated bot on first use (or points at
// the target).
func (w *World) ensureBot(ctx context.Context) error {
	if w.base != "" {
		return nil
	}
	if !w.inProcess() {
		w.base = strings.TrimRight(w.suite.Target, "/")
		if w.suite.AdminToken != "" {
			w.admin = newAdminClient(w.base, w.suite.AdminToken)
		} else {
			w.adminWhy = "storage, ledger and audit checks need the admin API of the target: pass --admin-token or set DESKBOT_ADMIN_TOKEN"
		}
		return nil
	}
	dir, err := os.MkdirTemp("", "deskbot-scenario-")
	if err != nil {
		return fmt.Errorf("scenario temp dir: %w", err)
	}
	w.tmp = dir
	if w.cfgErr != nil {
		return fmt.Errorf("the scenario's configuration is invalid: %w", w.cfgErr)
	}
	cfg := w.suite.BotConfig
	if cfg.DataDir == "" {
		cfg = config.Defaults(filepath.Join(dir, "data"))
	}
	if len(w.cfgEdits) > 0 {
		if cfg, err = w.suite.botConfig(w.cfgEdits, filepath.Join(dir, "data")); err != nil {
			return fmt.Errorf("the scenario's configuration is invalid: %w", err)
		}
	}
	cfg.DataDir = filepath.Join(dir, "data")
	token := randomToken(24)
	// The same admin API a deployed bot offers, so in-process and --target
	// runs check storage through one code path.
	cfg.AdminToken = config.Secret(token)
	var kbFS fs.FS = w.suite.KB
	if kbFS == nil && cfg.KBDir != "" {
		kbFS = os.DirFS(cfg.KBDir) // no watcher per scenario
	}
	if len(w.articles) > 0 {
		kdir := filepath.Join(dir, "kb")
		if err := writeArticles(kdir, w.articles); err != nil {
			return err
		}
		kbFS = os.DirFS(kdir)
	} else {
		// The shared knowledge base is indexed once per run; each bot
		// starts from a copy, which it checks against the articles.
		if kbFS == nil {
			kbFS = kb.DemoFS()
		}
		tmpl, err := w.suite.indexTemplate(ctx, kbFS)
		if err != nil {
			return err
		}
		if err := os.CopyFS(filepath.Join(cfg.DataDir, "index"), os.DirFS(tmpl)); err != nil {
			return fmt.Errorf("copying the knowledge-base index: %w", err)
		}
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	key := base64.StdEncoding.EncodeToString(raw)
	getenv := func(k string) string {
		if k == "DESKBOT_MASTER_KEY" {
			return key // per-scenario key, never written to disk
		}
		return ""
	}
	if w.suite.StartBot == nil {
		return errors.New("in-process runs need Suite.StartBot (app.StartScenarioBot)")
	}
	l, err := w.suite.StartBot(ctx, cfg, BotOptions{Getenv: getenv, Now: w.clock.Now, KB: kbFS, Logger: w.suite.Logger})
	if err != nil {
		return fmt.Errorf("starting the scenario's bot: %w", err)
	}
	w.local = l
	w.base = l.URL
	w.admin = newAdminClient(l.URL, token)
	return nil
}

// needAdmin returns the admin client or a clear "unavailable" error.
func (w *World) needAdmin(ctx context.Context, what string) (*adminClient, error) {
	if err := w.ensureBot(ctx); err != nil {
		return nil, err
	}
	if w.admin == nil {
		return nil, fmt.Errorf("%w: %s: %s", ErrUnavailable, what, w.adminWhy)
	}
	return w.admin, nil
}

// open connects a new customer (closing any earlier one).
func (w *World) open(ctx context.Context, o chatclient.Options) error {
	if err := w.ensureBot(ctx); err != nil {
		return err
	}
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
	w.httpSession = ""
	o, err := w.testSession(ctx, o) // a test session on a --target (target_runs.go)
	if err != nil {
		return err
	}
	c, err := chatclient.Dial(ctx, w.base, o)
	if err != nil {
		return fmt.Errorf("opening the chat at %s: %w", w.base, err)
	}
	w.conn = c
	w.barriers = 0
	t := &Turn{Opening: true, Granted: w.granted}
	w.turns = append(w.turns, t)
	start := time.Now()
	err = w.collect(ctx, t, start)
	if refusedAsRateLimited(t) {
		return w.rateLimitedOpen(t)
	}
	if err != nil {
		return err
	}
	if len(t.Frames) == 0 || t.Frames[0].Type != protocol.TypeSession {
		return fmt.Errorf("the chat opened without a session frame; got %s", describeFrames(t.Frames))
	}
	return nil
}

// refusedAsRateLimited reports whether the server refused the connection
// of turn t as too many new sessions: it said nothing, so no disclosure was
// due (DISC-1 is not checked on it).
func refusedAsRateLimited(t *Turn) bool {
	return t.Opening && len(t.Frames) > 0 && t.Frames[0].Type == protocol.TypeError && t.Frames[0].Code == protocol.ErrRateLimited
}

// rateLimitedOpen is the error of a chat refused as rate_limited; against a
// --target the run also notes the server settings a whole run needs.
func (w *World) rateLimitedOpen(t *Turn) error {
	if !w.inProcess() {
		w.suite.notice("the target refused new chats as rate_limited: a whole run opens many sessions from one address; " +
			"raise DESKBOT_LIMITS_NEW_SESSIONS_PER_MINUTE and DESKBOT_LIMITS_NEW_SESSIONS_BURST on the server for it (README, Limits and timeouts)")
	}
	return fmt.Errorf("the server refused the chat: %s", describeFrames(t.Frames))
}

// barrier asks the server for an immediate error reply. The server handles
// one connection's frames in order, so once that reply arrives every frame
// of the turn before it has arrived too: turns end deterministically,
// without sleeping.
func (w *World) barrier(ctx context.Context) error {
	w.barriers++
	return w.conn.WriteRaw(ctx, websocket.MessageBinary, []byte("end of turn"))
}

func isBarrierReply(f protocol.Frame) bool {
	return f.Type == protocol.TypeError && f.Code == protocol.ErrBadRequest && strings.Contains(f.Message, "JSON text")
}

// read returns the next frame and records it in the transcript; barrier
// replies are counted off and reported as such, not recorded.
func (w *World) read(ctx context.Context) (f protocol.Frame, barrier bool, err error) {
	f, err = w.conn.Next(ctx)
	if err != nil {
		return f, false, err
	}
	if isBarrierReply(f) && w.barriers > 0 {
		w.barriers--
		return f, true, nil
	}
	w.transcript = append(w.transcript, Line{At: time.Now(), Frame: f, Turn: len(w.turns) - 1})
	return f, false, nil
}

// collect reads the frames of turn t until the end-of-turn barrier.
func (w *World) collect(ctx context.Context, t *Turn, start time.Time) error {
	if err := w.barrier(ctx); err != nil {
		return fmt.Errorf("sending to the bot: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	for {
		f, barrier, err := w.read(ctx)
		if err != nil {
			if len(t.Frames) > 0 && errors.Is(err, context.DeadlineExceeded) {
				return nil // a bot without the barrier reply: take what came
			}
			return fmt.Errorf("waiting for the bot's reply (%s so far): %w", describeFrames(t.Frames), err)
		}
		if barrier {
			if w.barriers == 0 {
				return nil
			}
			continue
		}
		if f.Type == protocol.TypeMessage && t.Latency == 0 {
			t.Latency = time.Since(start)
		}
		t.Frames = append(t.Frames, f)
		if f.Type == protocol.TypeSession {
			w.noteSession(ctx, f, len(w.turns)-1)
		}
		if f.Type == protocol.TypeMessage && strings.Contains(strings.ToLower(f.Text), "everything we held about") {
			w.erasures = append(w.erasures, len(w.turns)-1)
		}
	}
}

// noteSession remembers a session and, with the admin API, its subject.
func (w *World) noteSession(ctx context.Context, f protocol.Frame, turn int) {
	si := sessionInfo{token: f.Session, profile: f.Profile, turn: turn}
	if w.admin != nil {
		var r struct {
			Subject string `json:"subject"`
		}
		if err := w.admin.get(ctx, "/api/v1/admin/session?session="+urlQueryEscape(f.Session), &r); err == nil {
			si.subject = r.Subject
		}
	}
	w.sessions = append(w.sessions, si)
	w.granted = false
}

// subject is the current session's subject (needs the admin API).
func (w *World) subject(ctx context.Context) (string, error) {
	if _, err := w.needAdmin(ctx, "looking up the customer"); err != nil {
		return "", err
	}
	if len(w.sessions) == 0 {
		return "", ErrNoChat
	}
	s := w.sessions[len(w.sessions)-1]
	if s.subject == "" {
		return "", fmt.Errorf("the admin API did not know session of the customer")
	}
	return s.subject, nil
}

// send sends one customer frame and collects the bot's turn.
func (w *World) send(ctx context.Context, in protocol.Inbound) (*Turn, error) {
	if w.httpSession != "" {
		return w.sendHTTP(ctx, in)
	}
	if w.conn == nil {
		return nil, ErrNoChat
	}
	if err := w.drainPushes(ctx); err != nil {
		return nil, err
	}
	t := &Turn{In: in, Granted: w.granted, HealthGranted: w.healthGranted}
	w.turns = append(w.turns, t)
	w.transcript = append(w.transcript, Line{At: time.Now(), Outbound: true, In: in, Turn: len(w.turns) - 1})
	start := time.Now()
	if err := w.conn.Send(ctx, in); err != nil {
		return nil, fmt.Errorf("sending to the bot: %w", err)
	}
	if err := w.collect(ctx, t, start); err != nil {
		return nil, err
	}
	if len(w.sessions) > 0 {
		t.Subject = w.sessions[len(w.sessions)-1].subject
	}
	w.trackConsent(in, t)
	return t, nil
}

// sendRaw sends bytes as they are (malformed-input scenarios).
func (w *World) sendRaw(ctx context.Context, raw string) (*Turn, error) {
	if w.conn == nil {
		return nil, ErrNoChat
	}
	t := &Turn{Granted: w.granted}
	w.turns = append(w.turns, t)
	w.transcript = append(w.transcript, Line{At: time.Now(), Outbound: true, Raw: raw, Turn: len(w.turns) - 1})
	start := time.Now()
	if err := w.conn.WriteRaw(ctx, websocket.MessageText, []byte(raw)); err != nil {
		return nil, fmt.Errorf("sending to the bot: %w", err)
	}
	if err := w.collect(ctx, t, start); err != nil {
		return nil, err
	}
	var in protocol.Inbound
	if json.Unmarshal([]byte(raw), &in) == nil {
		t.In = in
		w.trackConsent(in, t)
	}
	return t, nil
}

// trackConsent follows the customer's contact consent from what they sent
// and what the bot confirmed (CONS-1 check).
func (w *World) trackConsent(in protocol.Inbound, t *Turn) {
	ok := !t.Has(protocol.TypeError)
	switch {
	case in.Type == protocol.TypeConsent && in.Granted != nil && ok && in.Purpose == "health":
		w.healthGranted = *in.Granted // MIN-3: a separate purpose
	case in.Type == protocol.TypeConsent && in.Granted != nil && ok:
		w.granted = *in.Granted
	case in.Type == protocol.TypeAction && in.Name == protocol.ActionConsentAccept && ok:
		w.granted = true
	case in.Type == protocol.TypeAction && (in.Name == protocol.ActionConsentDecline || in.Name == protocol.ActionWithdraw):
		w.granted = false
		if in.Name == protocol.ActionWithdraw {
			w.healthGranted = false
		}
	case in.Type == protocol.TypeSay && strings.Contains(strings.ToLower(in.Text), "withdraw"):
		for _, m := range t.Messages() {
			if strings.Contains(strings.ToLower(m.Text), "withdrawn") {
				w.granted, w.healthGranted = false, false
			}
		}
	}
}

// drainPushes reads frames pushed without a customer turn (agent lines),
// so they are in the transcript before the customer speaks again.
func (w *World) drainPushes(ctx context.Context) error {
	for {
		ctx2, cancel := context.WithTimeout(ctx, time.Millisecond)
		f, barrier, err := w.read(ctx2)
		cancel()
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return nil
			}
			if errors.Is(err, chatclient.ErrClosed) {
				return fmt.Errorf("the bot closed the chat: %w", err)
			}
			return err
		}
		if t := w.lastTurn(); t != nil && !barrier {
			t.Frames = append(t.Frames, f)
		}
	}
}

// waitFor reads pushed frames until one received at or after transcript
// index since satisfies ok.
func (w *World) waitFor(ctx context.Context, since int, what string, ok func(protocol.Frame) bool) (protocol.Frame, error) {
	for i := since; i < len(w.transcript); i++ {
		if l := w.transcript[i]; !l.Outbound && ok(l.Frame) {
			return l.Frame, nil
		}
	}
	if w.httpSession != "" {
		return w.pollHTTP(ctx, what, ok)
	}
	if w.conn == nil {
		return protocol.Frame{}, ErrNoChat
	}
	ctx, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	for {
		f, barrier, err := w.read(ctx)
		if err != nil {
			return f, fmt.Errorf("waiting for %s: %w", what, err)
		}
		if barrier {
			continue
		}
		if t := w.lastTurn(); t != nil {
			t.Frames = append(t.Frames, f)
		}
		if ok(f) {
			return f, nil
		}
	}
}

func (w *World) lastTurn() *Turn {
	if len(w.turns) == 0 {
		return nil
	}
	return w.turns[len(w.turns)-1]
}

// reply is the latest message the customer received (bot, agent or
// system). A message from before the customer's last input does not count:
// a bot that ignores a message must not pass on its previous answer.
func (w *World) reply() (protocol.Frame, error) {
	for i := len(w.transcript) - 1; i >= 0; i-- {
		l := w.transcript[i]
		if l.Outbound {
			return protocol.Frame{}, fmt.Errorf("the bot sent no message after the customer's last input (%s); it sent:\n%s",
				fmtInbound(l.In, l.Raw), describeFrames(w.sinceCustomer()))
		}
		if l.Frame.Type == protocol.TypeMessage {
			return l.Frame, nil
		}
	}
	if !w.chatOpen() {
		return protocol.Frame{}, ErrNoChat
	}
	return protocol.Frame{}, errors.New("the customer has not received any message yet")
}

// chatOpen reports whether a customer is connected (socket or HTTP).
func (w *World) chatOpen() bool { return w.conn != nil || w.httpSession != "" }

// botMessages returns every message frame from the bot, in order.
func (w *World) botMessages() []protocol.Frame {
	var out []protocol.Frame
	for _, l := range w.transcript {
		if !l.Outbound && l.Frame.Type == protocol.TypeMessage && l.Frame.From == protocol.FromBot {
			out = append(out, l.Frame)
		}
	}
	return out
}

// close ends the scenario's connection, agents and bot.
func (w *World) close() error {
	var errs []error
	// A scenario's agents go offline with it: against a --target a test
	// agent left logged in would take the next scenarios' handovers (a
	// callback request queued instead of asking consent).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	w.logoutAgents(ctx)
	cancel()
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
	if w.local != nil {
		errs = append(errs, w.local.Close())
		w.local = nil
	}
	if w.tmp != "" {
		errs = append(errs, os.RemoveAll(w.tmp))
		w.tmp = ""
	}
	return errors.Join(errs...)
}

// BotOptions are what an in-process scenario bot is started with.
type BotOptions struct {
	Getenv func(string) string // master key
	Now    func() time.Time    // the scenario clock
	KB     fs.FS               // the scenario's knowledge base
	Logger *slog.Logger
}

// LocalBot is a running in-process bot.
type LocalBot struct {
	URL string // http://127.0.0.1:PORT
	// CreateAgent adds an agent account (log-in name, name shown to
	// customers, encoded password hash), as `deskbot agent add` does.
	CreateAgent func(ctx context.Context, name, display, passwordHash string, at time.Time) error
	// Operator runs an operator command (privacy request, privacy rectify,
	// incident) on the bot's data at the given time and returns what it
	// printed (DSR-3, DSR-5, BRCH-1; operator_steps.go).
	Operator func(ctx context.Context, args []string, now time.Time) (string, error)
	Close    func() error
}

// BotStarter starts an isolated deskbot on a loopback port. The app
// package provides it (app.StartScenarioBot); it is injected because app
// also runs this package for `deskbot test`.
type BotStarter func(ctx context.Context, cfg config.Config, o BotOptions) (*LocalBot, error)
