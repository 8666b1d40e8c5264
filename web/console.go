package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"deskbot/conversation"
	"deskbot/desk"
	"deskbot/protocol"
	"deskbot/store"
)

const (
	agentCookie   = "deskbot_agent"
	maxAgentBody  = 16 << 10
	maxEventsWait = 25 * time.Second
)

// console serves the agent console page and its JSON API (docs/agent-api.md).
type console struct {
	s    *Server
	e    Conversations
	desk *desk.Desk
	auth *agentAuth

	cannedList cannedList // console_canned.go
}

// routes mounts /agent and /agent/api/....
func (c *console) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /agent", c.page)
	mux.HandleFunc("GET /agent/{$}", c.page)
	mux.Handle("GET /agent/assets/", http.StripPrefix("/agent/assets/", c.static()))
	mux.HandleFunc("GET /agent/locale/{lang}", c.locale) // console_locale.go: /agent/locale/de.json
	mux.HandleFunc("POST /agent/api/login", c.login)
	mux.HandleFunc("POST /agent/api/logout", c.authed(true, c.logout))
	mux.HandleFunc("GET /agent/api/me", c.authed(false, c.me))
	mux.HandleFunc("GET /agent/api/session", c.session)
	mux.HandleFunc("POST /agent/api/presence", c.authed(true, c.presence))
	mux.HandleFunc("GET /agent/api/queue", c.authed(false, c.queue))
	mux.HandleFunc("GET /agent/api/events", c.authed(false, c.events))
	mux.HandleFunc("GET /agent/api/conversations/{id}", c.authed(false, c.view))
	mux.HandleFunc("POST /agent/api/conversations/{id}/take", c.authed(true, c.take))
	mux.HandleFunc("POST /agent/api/conversations/{id}/messages", c.authed(true, c.say))
	mux.HandleFunc("POST /agent/api/conversations/{id}/typing", c.authed(true, c.typing)) // typing.go
	mux.HandleFunc("POST /agent/api/conversations/{id}/handback", c.authed(true, c.handback(false)))
	mux.HandleFunc("POST /agent/api/conversations/{id}/close", c.authed(true, c.handback(true)))
	mux.HandleFunc("GET /agent/api/canned", c.authed(false, c.canned))                   // console_canned.go
	mux.HandleFunc("GET /agent/api/conversations/{id}/note", c.authed(false, c.note))    // console_notes.go
	mux.HandleFunc("PUT /agent/api/conversations/{id}/note", c.authed(true, c.saveNote)) // console_notes.go
	mux.HandleFunc("GET /agent/api/requests", c.authed(false, c.requests))               // console_requests.go
	mux.HandleFunc("GET /agent/api/offline", c.authed(false, c.offline))
	mux.HandleFunc("POST /agent/api/offline/{id}/done", c.authed(true, c.offlineDone))
}

// page serves the console in the agent's language (Accept-Language, else
// config `language`; console_locale.go): its labels are set by the server.
func (c *console) page(w http.ResponseWriter, r *http.Request) {
	lang := c.lang(r)
	b, err := c.s.localizedPage("agent/index.html", c.pageStrings(lang))
	if err != nil {
		c.s.log.Error("agent console unavailable", "err", err)
		http.Error(w, "agent console unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	setLanguageHeaders(w, lang)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY") // the console is never framed
	w.Write(b)
}

func (c *console) static() http.Handler {
	sub, err := fs.Sub(c.s.assets, "agent")
	if err != nil {
		return http.NotFoundHandler()
	}
	return filesOnly(sub)
}

type agentReq struct {
	agent store.Agent
	token string
}

func (a agentReq) ref() desk.AgentRef {
	return desk.AgentRef{Name: a.agent.Name, Display: a.agent.DisplayName}
}

// apiError refuses a console call: status, a code the console shows in the
// agent's language (console_err_<code>, api_errors.go) and the English text.
func apiError(w http.ResponseWriter, status int, code apiErrorCode, msg string) {
	writeAgentJSON(w, status, protocol.AdminError{Error: msg, Code: string(code)})
}

func writeAgentJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxAgentBody)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			// Most likely a reply or note pasted far over the limit: say so.
			apiError(w, http.StatusRequestEntityTooLarge, errBadInput, fmt.Sprintf("request body over %d bytes", maxAgentBody))
			return false
		}
		apiError(w, http.StatusBadRequest, errBadRequest, "expected a JSON body")
		return false
	}
	return true
}

// sameOrigin rejects cross-site requests: a browser sends Origin (and
// Sec-Fetch-Site) on every POST; tools that send neither are not browsers.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func secureRequest(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (c *console) setCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: agentCookie, Value: value, Path: "/agent", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secureRequest(r)})
}

// authed checks the session cookie and, for state changes, the origin and
// the CSRF token (SEC-2: only authorised staff).
func (c *console) authed(changes bool, h func(http.ResponseWriter, *http.Request, agentReq)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie(agentCookie)
		if err != nil {
			apiError(w, http.StatusUnauthorized, errNotLoggedIn, "not logged in")
			return
		}
		ag, err := c.auth.session(r.Context(), ck.Value)
		if err != nil {
			apiError(w, http.StatusUnauthorized, errNotLoggedIn, "not logged in")
			return
		}
		if changes {
			if !sameOrigin(r) {
				apiError(w, http.StatusForbidden, errCrossOrigin, "cross-origin request refused")
				return
			}
			if got := r.Header.Get("X-CSRF-Token"); got == "" || got != csrfToken(ck.Value) {
				apiError(w, http.StatusForbidden, errCSRF, "missing or wrong X-CSRF-Token")
				return
			}
		}
		c.desk.Seen(ag.Name)
		h(w, r, agentReq{agent: ag, token: ck.Value})
	}
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (c *console) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		apiError(w, http.StatusForbidden, errCrossOrigin, "cross-origin request refused")
		return
	}
	var in struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	ag, token, wait, err := c.auth.login(r.Context(), clientIP(r), strings.TrimSpace(in.Name), in.Password)
	switch {
	case errors.Is(err, ErrLoginLocked):
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		apiError(w, http.StatusTooManyRequests, errLoginLocked, err.Error())
		return
	case errors.Is(err, ErrBadLogin):
		c.s.log.Info("agent log-in failed") // no name or address: both may be personal data
		apiError(w, http.StatusUnauthorized, errLoginFailed, err.Error())
		return
	case err != nil:
		c.s.log.Error("agent log-in", "err", err)
		apiError(w, http.StatusInternalServerError, errInternal, "log-in failed")
		return
	}
	c.setCookie(w, r, token, int(agentSessionTTL.Seconds()))
	ref := desk.AgentRef{Name: ag.Name, Display: ag.DisplayName}
	c.s.markTestAgent(r.Context(), c.auth.st, ag.Name) // a test run's agent stays in its lane
	c.desk.SetPresence(ref, protocol.PresenceOnline)
	c.s.log.Info("agent logged in", "agent", ag.Name)
	c.writeMe(w, agentReq{agent: ag, token: token})
}

func (c *console) writeMe(w http.ResponseWriter, a agentReq) {
	writeAgentJSON(w, http.StatusOK, protocol.AgentMe{Name: a.agent.Name, DisplayName: a.agent.DisplayName,
		Presence: c.desk.Presence(a.agent.Name), CSRF: csrfToken(a.token)})
}

func (c *console) me(w http.ResponseWriter, r *http.Request, a agentReq) { c.writeMe(w, a) }

// session is /me without the 401: the page asks it on load, before log-in.
func (c *console) session(w http.ResponseWriter, r *http.Request) {
	ck, err := r.Cookie(agentCookie)
	if err == nil {
		if ag, err := c.auth.session(r.Context(), ck.Value); err == nil {
			c.desk.Seen(ag.Name)
			c.writeMe(w, agentReq{agent: ag, token: ck.Value})
			return
		}
	}
	writeAgentJSON(w, http.StatusOK, protocol.LoggedOut{})
}

func (c *console) logout(w http.ResponseWriter, r *http.Request, a agentReq) {
	// Nobody may be left waiting on an agent who has gone.
	_, mine := c.desk.Queue(a.agent.Name)
	for _, it := range mine {
		if err := c.e.HandBack(r.Context(), it.ID, a.ref(), false); err != nil {
			c.s.log.Error("handing back on log-out", "err", err)
		}
	}
	if err := c.auth.st.DeleteAgentSession(r.Context(), hashToken(a.token)); err != nil {
		c.s.log.Error("agent log-out", "err", err)
	}
	c.desk.Leave(a.agent.Name)
	c.setCookie(w, r, "", -1)
	writeAgentJSON(w, http.StatusOK, protocol.PresenceView{Presence: protocol.PresenceOffline})
}

func (c *console) presence(w http.ResponseWriter, r *http.Request, a agentReq) {
	var in struct {
		Presence string `json:"presence"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Presence != protocol.PresenceOnline && in.Presence != protocol.PresenceAway {
		apiError(w, http.StatusBadRequest, errBadRequest, `presence must be "online" or "away"`)
		return
	}
	c.desk.SetPresence(a.ref(), in.Presence)
	c.writeMe(w, a)
}

func (c *console) queue(w http.ResponseWriter, r *http.Request, a agentReq) {
	waiting, mine := c.desk.Queue(a.agent.Name)
	writeAgentJSON(w, http.StatusOK, protocol.QueueView{
		Agents: c.desk.Agents(), Queue: c.withPresence(waiting), Mine: c.withPresence(mine), // presence.go
		OfflineMessages: c.e.OfflineCount(r.Context()), OpenHours: c.desk.Open(),
	})
}

func (c *console) events(w http.ResponseWriter, r *http.Request, a agentReq) {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	wait := maxEventsWait
	if v := r.URL.Query().Get("wait"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < int(maxEventsWait.Seconds()) {
			wait = time.Duration(n) * time.Second
		}
	}
	// Each instance numbers its own events: a cursor from another one (a
	// load balancer without stickiness) restarts from this one's present,
	// and the console is told to reload what it may have missed.
	// A client that does not send the instance it polled keeps the old
	// behaviour (one instance, or a sticky load balancer).
	self, from := c.desk.Self(), r.URL.Query().Get("instance")
	reset := self != "" && after > 0 && from != "" && from != self
	if reset {
		_, after, _ = c.desk.Events(a.agent.Name, math.MaxInt64)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		evs, next, wake := c.desk.Events(a.agent.Name, after)
		if len(evs) > 0 || wait == 0 {
			writeAgentJSON(w, http.StatusOK, protocol.DeskEvents{Events: evs, Next: next, Instance: self, Reset: reset})
			return
		}
		select {
		case <-wake:
		case <-timer.C:
			writeAgentJSON(w, http.StatusOK, protocol.DeskEvents{Events: evs, Next: next, Instance: self, Reset: reset})
			return
		case <-r.Context().Done():
			return
		}
		c.desk.Seen(a.agent.Name)
	}
}

// deskError maps desk and engine errors to statuses.
func (c *console) deskError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, desk.ErrNotQueued):
		apiError(w, http.StatusNotFound, errNotWaiting, err.Error())
	case errors.Is(err, desk.ErrHeldByOther):
		apiError(w, http.StatusConflict, errHeldByOther, err.Error())
	case errors.Is(err, conversation.ErrBadAgentInput):
		apiError(w, http.StatusBadRequest, errBadInput, err.Error())
	case errors.Is(err, desk.ErrHolderGone):
		// Several instances: the customer's instance stopped; the
		// conversation comes back when the customer reconnects.
		apiError(w, http.StatusServiceUnavailable, errInstanceUnavailable, err.Error())
	default:
		c.s.log.Error("agent console", "err", err)
		apiError(w, http.StatusInternalServerError, errInternal, "internal error")
	}
}

func (c *console) view(w http.ResponseWriter, r *http.Request, a agentReq) {
	v, err := c.e.ViewConversation(r.Context(), r.PathValue("id"), a.ref())
	if err != nil {
		c.deskError(w, err)
		return
	}
	writeAgentJSON(w, http.StatusOK, v)
}

func (c *console) take(w http.ResponseWriter, r *http.Request, a agentReq) {
	id := r.PathValue("id")
	if err := c.e.TakeConversation(r.Context(), id, a.ref()); err != nil {
		c.deskError(w, err)
		return
	}
	writeAgentJSON(w, http.StatusOK, protocol.ConversationChange{ID: id, State: protocol.HandoverJoined, Agent: a.agent.Name})
}

func (c *console) say(w http.ResponseWriter, r *http.Request, a agentReq) {
	var in struct {
		Text string `json:"text"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	mid, err := c.e.AgentSay(r.Context(), r.PathValue("id"), a.ref(), in.Text)
	if err != nil {
		c.deskError(w, err)
		return
	}
	writeAgentJSON(w, http.StatusOK, protocol.MessageSent{ID: mid})
}

func (c *console) handback(closing bool) func(http.ResponseWriter, *http.Request, agentReq) {
	return func(w http.ResponseWriter, r *http.Request, a agentReq) {
		id := r.PathValue("id")
		if err := c.e.HandBack(r.Context(), id, a.ref(), closing); err != nil {
			c.deskError(w, err)
			return
		}
		writeAgentJSON(w, http.StatusOK, protocol.ConversationChange{ID: id, State: protocol.HandoverLeft})
	}
}

func (c *console) offline(w http.ResponseWriter, r *http.Request, a agentReq) {
	msgs, err := c.e.OfflineInbox(r.Context(), a.ref())
	if err != nil {
		c.deskError(w, err)
		return
	}
	writeAgentJSON(w, http.StatusOK, protocol.OfflineInbox{Messages: msgs})
}

func (c *console) offlineDone(w http.ResponseWriter, r *http.Request, a agentReq) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		apiError(w, http.StatusBadRequest, errBadRequest, "bad id")
		return
	}
	if err := c.e.OfflineDone(r.Context(), id, a.ref()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			apiError(w, http.StatusNotFound, errNoSuchMessage, "no such open message")
			return
		}
		c.deskError(w, err)
		return
	}
	writeAgentJSON(w, http.StatusOK, protocol.OfflineHandled{ID: id, Done: true})
}
