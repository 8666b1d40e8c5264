// Package web is deskbot's HTTP surface: the customer socket (GET /ws)
// and its hub, the HTTP mirror (POST /api/v1/chat), the export download,
// the chat page, widget and article pages, health, the admin API, and the
// agent console with its log-in. Limits that count client addresses
// (sessions, sockets, log-ins) live here; the conversation itself is the
// conversation package's.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"deskbot/config"
	"deskbot/conversation"
	"deskbot/desk"
	"deskbot/kb"
	"deskbot/protocol"
	"deskbot/proxy"
)

// Articles looks up articles for the article pages.
type Articles interface {
	Article(id string) (*kb.Article, bool)
}

// Conversations is what the web surface needs of the conversation engine
// (conversation.Engine).
type Conversations interface {
	Start(ctx context.Context, meta conversation.ConnMeta) (*conversation.Session, []protocol.Outbound, error)
	Resume(ctx context.Context, token string) (*conversation.Session, []protocol.Outbound, error)
	Lookup(ctx context.Context, token string) (*conversation.Session, error)
	Handle(ctx context.Context, s *conversation.Session, in protocol.Inbound) []protocol.Outbound
	Attach(s *conversation.Session)
	Detach(s *conversation.Session)
	MakeRoom(limit int) bool
	Export(ctx context.Context, token, channel string) (protocol.ExportDoc, error)

	TakeConversation(ctx context.Context, id string, a desk.AgentRef) error
	AgentSay(ctx context.Context, id string, a desk.AgentRef, text string) (string, error)
	HandBack(ctx context.Context, id string, a desk.AgentRef, closing bool) error
	ViewConversation(ctx context.Context, id string, a desk.AgentRef) (protocol.ConversationView, error)
	OfflineInbox(ctx context.Context, a desk.AgentRef) ([]protocol.OfflineView, error)
	OfflineDone(ctx context.Context, id int64, a desk.AgentRef) error
	OfflineCount(ctx context.Context) int
	ConversationNote(ctx context.Context, id string, a desk.AgentRef) (protocol.ConversationNote, error)
	SetConversationNote(ctx context.Context, id string, a desk.AgentRef, text string) (protocol.ConversationNote, error)
	AgentTyping(ctx context.Context, id string, a desk.AgentRef) error

	// Seen records an HTTP mirror call as the customer's presence;
	// CustomerPresence says whether a queued customer has a chat open.
	Seen(s *conversation.Session)
	CustomerPresence(id string) (online bool, goneSince time.Time, ok bool)
	// History replays a conversation so far on resume (skip: frames the
	// resume itself sends).
	History(ctx context.Context, s *conversation.Session, skip []protocol.Outbound) []protocol.Outbound
}

// Server serves the chat page, the socket, the HTTP mirror and health.
type Server struct {
	cfg        config.Config
	engine     Conversations
	desk       *desk.Desk
	console    *console
	now        func() time.Time
	articles   Articles
	articleSet ArticleSet // for /healthz; may be nil
	assets     fs.FS
	log        *slog.Logger
	hub        *Hub
	ready      atomic.Bool
	localeCache
	handlers sync.WaitGroup // open socket handlers, for a clean shutdown
	admin    Admin
	requests RequestLog   // data-subject requests for the console (may be nil)
	checks   []ReadyCheck // what /readyz requires besides start-up
	health   healthState
	baseMu   sync.Mutex
	base     context.Context // sockets' parent context, from Run

	newSessions addrAllowance // new sessions per client address (sessionlimit.go)
	resumes     addrAllowance // socket resumes per client address

	// socketOrigins decides who may open /ws: the same origin, public_url's
	// and allowed_origins; a refusal is logged once per origin with the fix.
	socketOrigins *proxy.Origins
}

// ServerOptions wires a Server. Engine, Hub (the engine's Delivery), Desk,
// Agents and Articles are required.
type ServerOptions struct {
	Config     config.Config
	Engine     Conversations
	Hub        *Hub
	Desk       *desk.Desk
	Agents     AgentStore // agent accounts and log-in sessions
	Now        func() time.Time
	Articles   Articles
	ArticleSet ArticleSet // shown by /healthz (kb.Base); optional
	Assets     fs.FS      // the embedded assets (chat/, widget.js)
	Logger     *slog.Logger
	Admin      Admin        // the admin API, served only when Admin.Token is set
	Ready      []ReadyCheck // conditions of /readyz (database, index, disk)
	Requests   RequestLog   // data-subject requests, listed in the console (DSR-3); optional
	// SharedLimits, when set, keeps the allowances of new sessions,
	// resumes and agent log-ins per client address in the database that
	// several instances share; unset, each process counts its own.
	SharedLimits LimitStore
}

// NewServer returns a server; call SetReady once the bot can answer. It
// panics when a required dependency is missing (a wiring mistake).
func NewServer(o ServerOptions) *Server {
	switch {
	case o.Engine == nil:
		panic("web: ServerOptions.Engine is nil")
	case o.Hub == nil:
		panic("web: ServerOptions.Hub is nil")
	case o.Desk == nil:
		panic("web: ServerOptions.Desk is nil")
	case o.Agents == nil:
		panic("web: ServerOptions.Agents is nil")
	case o.Articles == nil:
		panic("web: ServerOptions.Articles is nil")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{cfg: o.Config, engine: o.Engine, desk: o.Desk, now: o.Now, articles: o.Articles, articleSet: o.ArticleSet, assets: o.Assets, log: o.Logger, hub: o.Hub, admin: o.Admin, checks: o.Ready, requests: o.Requests}
	lim := o.Config.Limits
	var logins loginCounter = newMemLoginCounts()
	if o.SharedLimits != nil {
		s.newSessions = newSharedAddrLimiter(o.SharedLimits, "new", lim.NewSessionsPerMinute, lim.NewSessionsBurst, o.Logger)
		s.resumes = newSharedAddrLimiter(o.SharedLimits, "resume", 4*lim.NewSessionsPerMinute, 4*lim.NewSessionsBurst, o.Logger)
		logins = sharedLoginCounts{st: o.SharedLimits}
	} else {
		s.newSessions = newAddrLimiter(lim.NewSessionsPerMinute, lim.NewSessionsBurst)
		s.resumes = newAddrLimiter(4*lim.NewSessionsPerMinute, 4*lim.NewSessionsBurst)
	}
	s.socketOrigins = proxy.NewOrigins(o.Config.PublicURL, o.Config.AllowedOrigins, o.Logger)
	s.console = &console{s: s, e: o.Engine, desk: o.Desk, auth: newAgentAuth(o.Agents, logins, o.Now, lim.LoginHashes)}
	return s
}

// SetReady marks start-up finished (one condition of /readyz).
func (s *Server) SetReady(ok bool) { s.ready.Store(ok) }

// Hub returns the connection hub (for pushes from agents and tests).
func (s *Server) Hub() *Hub { return s.hub }

// Handler returns the HTTP handler with security headers applied.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	mux.HandleFunc("GET /ws", s.handleWS)
	mux.HandleFunc("GET /locale/{lang}", s.handleLocale) // locale.go: /locale/de.json
	mux.HandleFunc("POST /api/v1/chat", s.handleChatAPI)
	mux.HandleFunc("POST /api/v1/export", s.handleExport)
	s.adminRoutes(mux)
	s.console.routes(mux)
	mux.HandleFunc("GET /articles/{id}", s.handleArticle)
	mux.HandleFunc("GET /widget.js", s.handleWidget)
	mux.Handle("GET /static/", http.StripPrefix("/static/", s.staticHandler()))
	mux.HandleFunc("GET /{$}", s.handleIndex)
	return s.securityHeaders(mux)
}

// Start begins the server's background work (pinging quiet sockets) until
// ctx ends. ctx must be the HTTP server's BaseContext: sockets close with
// it. Call it before serving.
func (s *Server) Start(ctx context.Context) {
	s.baseMu.Lock()
	s.base = ctx
	s.baseMu.Unlock()
	go s.hub.pingLoop(ctx)
}

func (s *Server) baseContext() context.Context {
	s.baseMu.Lock()
	defer s.baseMu.Unlock()
	if s.base == nil {
		return context.Background()
	}
	return s.base
}

// Shutdown stops new turns, lets those in flight finish and closes every
// socket with "going away" after its replies are written (see Hub.Shutdown).
func (s *Server) Shutdown(ctx context.Context) error { return s.hub.Shutdown(ctx) }

// Wait blocks until every socket handler has returned or ctx ends.
func (s *Server) Wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.handlers.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func frameAncestors(c config.Config) string {
	if len(c.FrameAncestors) == 0 {
		return "'self'"
	}
	return "'self' " + strings.Join(c.FrameAncestors, " ")
}

// connectSrc allows the page to talk to its own origin only: 'self' (which
// covers ws: and wss: to the same host in CSP Level 3) and, for browsers that
// do not map 'self' to WebSocket schemes, the public origin's ws/wss form.
// Never a bare "ws: wss:", which would let a script reach any host.
func connectSrc(c config.Config) string {
	src := "'self'"
	if o := proxy.NormalOrigin(c.PublicURL); o != "" {
		host := strings.SplitN(o, "://", 2)[1]
		if strings.HasPrefix(o, "https://") {
			src += " wss://" + host
		} else {
			src += " ws://" + host
		}
	}
	return src
}

// consoleOnly reports the routes that must never be framed by anyone, not
// even the shop's site named in frame_ancestors: the agent console and the
// admin API (clickjacking an agent or operator).
func consoleOnly(path string) bool {
	return path == "/agent" || strings.HasPrefix(path, "/agent/") || strings.HasPrefix(path, "/api/v1/admin/")
}

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	policy := func(ancestors string) string {
		return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src " + connectSrc(s.cfg) + "; " +
			"frame-ancestors " + ancestors + "; base-uri 'none'; form-action 'self'; object-src 'none'"
	}
	csp, cspNoFrame := policy(frameAncestors(s.cfg)), policy("'none'")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if consoleOnly(r.URL.Path) {
			// A CSP with frame-ancestors makes browsers ignore
			// X-Frame-Options, so the console's own CSP must forbid framing.
			h.Set("Content-Security-Policy", cspNoFrame)
			h.Set("X-Frame-Options", "DENY")
		} else {
			h.Set("Content-Security-Policy", csp)
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Resource-Policy", "same-site")
		if len(s.cfg.FrameAncestors) == 0 && !consoleOnly(r.URL.Path) {
			h.Set("X-Frame-Options", "SAMEORIGIN")
		}
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}
