package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"
	"unicode/utf8"

	"deskbot/conversation"
	"deskbot/protocol"
)

const maxAPIBody = 64 << 10

// handleChatAPI is the HTTP mirror of the socket protocol for integrations
// and third-party test tools: POST /api/v1/chat.
func (s *Server) handleChatAPI(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		// Requiring JSON also forces a CORS preflight on cross-site posts.
		writeJSON(w, http.StatusUnsupportedMediaType, errorFrame(protocol.ErrBadRequest, "Content-Type must be application/json."))
		return
	}
	req, status, refusal := decodeChatRequest(http.MaxBytesReader(w, r.Body, maxAPIBody))
	if refusal != nil {
		writeJSON(w, status, refusal)
		return
	}
	in, ok, msg := inboundOf(req)
	if msg != "" {
		writeJSON(w, http.StatusBadRequest, errorFrame(protocol.ErrBadRequest, msg))
		return
	}
	ctx := r.Context()
	var sess *conversation.Session
	var msgs []protocol.Outbound
	if req.Session == "" {
		if wait, err := s.admitNewSession(r); err != nil {
			s.refuseHTTP(w, r, wait, err)
			return
		}
		var frames []protocol.Outbound
		var err error
		meta := s.withTestRun(r, connMeta(r))
		if req.Lang != "" {
			meta.Lang = req.Lang // the page's language, as ?lang= on /ws
		}
		sess, frames, err = s.engine.Start(ctx, meta)
		if err != nil {
			s.log.Error("opening session failed", "err", err)
			writeJSON(w, http.StatusInternalServerError, errorFrame(protocol.ErrInternal, "Could not open a session."))
			return
		}
		msgs = frames[1:] // the session frame's content is the response's session field
	} else {
		if err := s.admitLoad(); err != nil {
			s.refuseHTTP(w, r, time.Minute, err)
			return
		}
		var err error
		sess, err = s.engine.Lookup(ctx, req.Session)
		if err != nil {
			if !errors.Is(err, conversation.ErrUnknownSession) {
				s.log.Error("session lookup failed", "err", err)
			}
			writeJSON(w, http.StatusNotFound, errorFrame(protocol.ErrNoSession, "Unknown or expired session; start a new one by omitting \"session\"."))
			return
		}
		s.seen(sess) // presence.go: a waiting customer who polls is still there
		if req.History {
			msgs = s.history(ctx, sess) // the conversation so far, as a resumed socket gets it
		}
		msgs = append(msgs, s.hub.Drain(sess.ID)...)
	}
	if ok {
		msgs = append(msgs, acknowledge(in, s.engine.Handle(ctx, sess, in))...)
	}
	if msgs == nil {
		msgs = []protocol.Outbound{}
	}
	writeJSON(w, http.StatusOK, protocol.ChatResponse{Session: sess.Token, Profile: sess.Profile, Messages: protocol.Stamp(msgs, time.Now())})
}

// decodeChatRequest decodes the body of POST /api/v1/chat. A body that
// cannot be decoded gets the HTTP status and error frame to answer with.
//
// The body must be exactly one JSON object in valid UTF-8: trailing bytes
// after it and invalid UTF-8 (which encoding/json would silently replace
// with U+FFFD) are refused with bad_request, as the socket refuses them.
func decodeChatRequest(body io.Reader) (req protocol.ChatRequest, status int, refusal *protocol.Error) {
	data, err := io.ReadAll(body)
	if err == nil && !utf8.Valid(data) {
		return protocol.ChatRequest{}, http.StatusBadRequest, refusalOf(protocol.ErrBadRequest, "The body must be valid UTF-8.")
	}
	if err == nil {
		err = json.Unmarshal(data, &req) // refuses anything after the value
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return protocol.ChatRequest{}, http.StatusRequestEntityTooLarge, refusalOf(protocol.ErrTooLarge, "Request body too large.")
		}
		return protocol.ChatRequest{}, http.StatusBadRequest, refusalOf(protocol.ErrBadRequest, "Malformed JSON body: send one JSON object.")
	}
	return req, http.StatusOK, nil
}

// inboundOf turns a request into the client frame the socket would have
// carried: text, an action (with an article id for "article", the field
// to correct for "rectify"), a consent
// decision, or the frame itself. ok is false for a call that only polls or starts a session; a
// non-empty msg says why the request is refused.
func inboundOf(req protocol.ChatRequest) (in protocol.Inbound, ok bool, msg string) {
	n := 0
	for _, set := range []bool{req.Text != "", req.Action != "", req.Consent != nil, req.Frame != nil} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return in, false, "Send one of \"text\", \"action\", \"consent\" or \"frame\" per call."
	case req.ID != "" && req.Action != protocol.ActionArticle && req.Action != conversation.ActionRectify:
		return in, false, "\"id\" goes with the actions \"article\" and \"rectify\"."
	case req.Action == conversation.ActionRectify && !rectifyFieldOK(req.ID):
		return in, false, conversation.ErrRectifyField // DSR-5: HTTP 400, as the socket gets bad_request
	case req.Frame != nil:
		return *req.Frame, true, "" // the engine answers an unknown type as the socket does
	case req.Text != "":
		return protocol.Inbound{Type: protocol.TypeSay, Text: req.Text}, true, ""
	case req.Action != "":
		return protocol.Inbound{Type: protocol.TypeAction, Name: req.Action, ID: req.ID}, true, ""
	case req.Consent != nil:
		if req.Consent.Purpose == "" || req.Consent.Granted == nil {
			return in, false, "\"consent\" needs \"purpose\" and \"granted\"."
		}
		return protocol.Inbound{Type: protocol.TypeConsent, Purpose: req.Consent.Purpose, Granted: req.Consent.Granted}, true, ""
	}
	return in, false, ""
}

// rectifyFieldOK: the engine's own reading of a "rectify" id (DSR-5).
func rectifyFieldOK(id string) bool {
	_, ok := conversation.RectifyField(id)
	return ok
}

func errorFrame(code, msg string) protocol.Error {
	return protocol.Error{Type: protocol.TypeError, Code: code, Message: msg}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
