package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"deskbot/conversation"
	"deskbot/locale"
	"deskbot/protocol"
)

// handleWS serves wire protocol v1 on GET /ws (resume with ?session=TOKEN).
// It returns right after the handshake and the session's first frames; the
// socket then lives in its own goroutine (serveSocket), so net/http's
// deeper per-request stack and the request itself are not kept for the
// lifetime of an idle customer.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	if s.hub.Draining() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	// Same origin (the Host asked for, after trusted proxies), public_url's
	// origin and allowed_origins only; each refused origin is logged once.
	if !s.socketOrigins.Allow(r) {
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	// Sockets per client address are capped before the upgrade: resuming
	// one token over and over opens no session but holds a socket each.
	addr := clientAddr(r)
	if !s.hub.holdAddr(addr, s.cfg.Limits.SocketsPerAddress) {
		w.Header().Set("Retry-After", "10")
		writeJSON(w, http.StatusTooManyRequests, errorFrame(protocol.ErrRateLimited, s.text(s.requestLang(r), locale.ErrorTooManyChats)))
		return
	}
	held := true
	defer func() {
		if held {
			s.hub.releaseAddr(addr)
		}
	}()
	exemptFromTimeouts(w)
	// The origin was checked above; the library's own check knows nothing
	// of public_url (a proxy that rewrites Host), so it is off.
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true, Subprotocols: []string{protocol.Subprotocol}})
	if err != nil {
		s.log.Debug("websocket upgrade refused", "err", err)
		return
	}
	ws.SetReadLimit(maxFrameBytes)

	// The socket's context ends at server shutdown (the BaseContext), not
	// when this handler returns.
	ctx, cancel := context.WithCancel(s.baseContext())
	var sess *conversation.Session
	var frames []protocol.Outbound
	if token := sessionToken(r); token != "" {
		if err = s.admitResume(r); err == nil {
			sess, frames, err = s.engine.Resume(ctx, token)
		}
		if err == nil && sess != nil && r.URL.Query().Get("history") == "1" {
			frames = s.withHistory(ctx, sess, frames) // the conversation so far, then one greeting
		}
		if errors.Is(err, conversation.ErrUnknownSession) {
			err = nil // an expired or erased session simply starts afresh
		}
	}
	if sess == nil && err == nil {
		if _, err = s.admitNewSession(r); err == nil {
			sess, frames, err = s.engine.Start(ctx, s.withTestRun(r, connMeta(r)))
		}
	}
	if errors.Is(err, ErrTooManySessions) || errors.Is(err, ErrServerFull) {
		// Say why, then close: 1008 for this address's allowance, 1013
		// (try again later) when the server is full.
		code, reason := websocket.StatusPolicyViolation, "too many sessions from this address"
		if errors.Is(err, ErrServerFull) {
			code, reason = websocket.StatusTryAgainLater, "server busy"
		}
		refuseSocket(ctx, ws, code, reason, s.limitFrame(s.requestLang(r), err))
		cancel()
		return
	}
	if err != nil {
		s.log.Error("opening session failed", "err", err)
		ws.Close(websocket.StatusInternalError, "could not open a session")
		cancel()
		return
	}
	s.handlers.Add(1)
	held = false // serveSocket releases it
	go func() {
		defer s.hub.releaseAddr(addr)
		s.serveSocket(ctx, cancel, ws, sess, frames)
	}()
}

// serveSocket reads a customer's frames until the socket closes.
func (s *Server) serveSocket(ctx context.Context, cancel context.CancelFunc, ws *websocket.Conn, sess *conversation.Session, frames []protocol.Outbound) {
	defer s.handlers.Done()
	defer cancel()
	defer ws.CloseNow()
	// Reads use their own context so shutdown closes the socket with a
	// proper close frame instead of tearing it down mid-read.
	readCtx, stopReads := context.WithCancel(context.WithoutCancel(ctx))
	defer stopReads()
	c := newConn(readCtx, ws)
	s.hub.add(sess.ID, c)
	defer s.hub.remove(c)
	s.engine.Attach(sess)
	defer s.engine.Detach(sess)
	// Whatever ends the loop, a close the server started gets its queued
	// frames and its close frame out before the socket is torn down; a
	// close by the client is answered by the library.
	defer c.wait(2*writeTimeout + time.Second)
	defer c.close(websocket.StatusNormalClosure, "")
	// Server shutdown cancels ctx (after Hub.Shutdown has flushed every
	// socket); AfterFunc closes what is left without a goroutine per socket.
	stopWatch := context.AfterFunc(ctx, func() { c.closeAfterFlush(websocket.StatusGoingAway, "server shutting down") })
	defer stopWatch()
	if s.hub.Draining() {
		c.enqueue(frames...) // the greeting was committed: send it, then go away
		c.closeAfterFlush(websocket.StatusGoingAway, "server shutting down")
		return
	}
	c.enqueue(frames...)
	if pending := s.hub.Drain(sess.ID); len(pending) > 0 {
		c.enqueue(pending...)
	}

	strikes := 0
	for {
		typ, data, err := ws.Read(readCtx)
		if err != nil {
			return
		}
		c.touch()
		if !s.hub.beginTurn() {
			// Shutting down: this frame is neither handled nor answered;
			// the client resends it after reconnecting.
			c.closeAfterFlush(websocket.StatusGoingAway, "server shutting down")
			return
		}
		var out []protocol.Outbound
		if in, refusal := decodeInbound(typ, data); refusal != nil {
			out = []protocol.Outbound{*refusal}
		} else {
			out = acknowledge(in, s.engine.Handle(readCtx, sess, in))
		}
		queued := c.enqueue(out...)
		s.hub.endTurn()
		if !queued {
			return
		}
		if isRateLimited(out) {
			if strikes++; strikes >= maxRateStrikes {
				// The rate_limited frames and every earlier reply go out
				// first, then the close says why (1008).
				c.closeAfterFlush(websocket.StatusPolicyViolation, "too many messages")
				return
			}
		} else {
			strikes = 0
		}
	}
}

// sessionToken is the resume token of a socket request. Preferred: offered
// as the subprotocol "deskbot.session.TOKEN" beside "deskbot.v1" (a browser
// cannot set headers on a WebSocket, and a subprotocol, unlike the URL, is not
// written to proxy and access logs; the server never echoes it). Protocol v1
// clients that still send /ws?session=TOKEN keep working.
func sessionToken(r *http.Request) string {
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, p := range strings.Split(h, ",") {
			if t, ok := strings.CutPrefix(strings.TrimSpace(p), protocol.SessionSubprotocolPrefix); ok && t != "" {
				return t
			}
		}
	}
	return r.URL.Query().Get("session")
}

// decodeInbound decodes one socket frame into a client frame. A frame the
// engine cannot take (not text, not a JSON object with a "type") gets the
// error frame to send instead; the socket stays open.
func decodeInbound(typ websocket.MessageType, data []byte) (protocol.Inbound, *protocol.Error) {
	if typ != websocket.MessageText {
		return protocol.Inbound{}, refusalOf(protocol.ErrBadRequest, "Frames must be JSON text.")
	}
	// encoding/json would silently replace invalid UTF-8 with U+FFFD, so
	// the customer's bytes would be stored as something they did not send:
	// refuse the frame instead (RFC 6455 text frames are UTF-8).
	if !utf8.Valid(data) {
		return protocol.Inbound{}, refusalOf(protocol.ErrBadRequest, "Frames must be valid UTF-8.")
	}
	var in protocol.Inbound
	if err := json.Unmarshal(data, &in); err != nil || in.Type == "" {
		return protocol.Inbound{}, refusalOf(protocol.ErrBadRequest, "Malformed frame: expected a JSON object with a \"type\".")
	}
	return in, nil
}

// refusalOf is an error frame answering a frame that never reaches the engine.
func refusalOf(code, msg string) *protocol.Error {
	e := errorFrame(code, msg)
	return &e
}

// refuseSocket sends one frame and closes the socket with code, waiting
// (bounded) for the close handshake so the client learns why.
func refuseSocket(ctx context.Context, ws *websocket.Conn, code websocket.StatusCode, reason string, frame protocol.Outbound) {
	wctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	if b, err := json.Marshal(frame); err == nil {
		ws.Write(wctx, websocket.MessageText, b)
	}
	ws.Close(code, reason)
}

func isRateLimited(out []protocol.Outbound) bool {
	if len(out) != 1 {
		return false
	}
	e, ok := out[0].(protocol.Error)
	return ok && e.Code == protocol.ErrRateLimited
}

// connMeta reads the customer's jurisdiction hint (?profile=us-ca or
// ?region=California) and the Global Privacy Control signal (JUR-1).
func connMeta(r *http.Request) conversation.ConnMeta {
	q := r.URL.Query()
	p := q.Get("profile")
	if p == "" {
		p = q.Get("region")
	}
	// The page's or widget's language (?lang=) before the browser's.
	return conversation.ConnMeta{Profile: p, GPC: r.Header.Get("Sec-GPC") == "1", Lang: q.Get("lang"), AcceptLanguage: r.Header.Get("Accept-Language")}
}
