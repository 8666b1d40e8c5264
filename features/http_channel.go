package features

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"deskbot/protocol"
)

// The HTTP mirror (POST /api/v1/chat) is the second customer channel: the
// same scenario steps, the same legal checks (DISC-1: every channel).

// openHTTP starts a conversation over the HTTP mirror.
func (w *World) openHTTP(ctx context.Context) error {
	if err := w.ensureBot(ctx); err != nil {
		return err
	}
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
	w.httpFrames = false
	t := &Turn{Opening: true, Granted: w.granted}
	w.turns = append(w.turns, t)
	resp, err := w.postChat(ctx, protocol.ChatRequest{})
	if err != nil {
		return err
	}
	w.httpSession = resp.Session
	// The session frame's content is the response's session field; the
	// transcript shows it as the frame a socket would have sent first.
	w.receive(ctx, t, protocol.Frame{Type: protocol.TypeSession, Session: resp.Session, Profile: resp.Profile}, time.Now())
	for _, f := range resp.frames {
		w.receive(ctx, t, f, time.Now())
	}
	return nil
}

type chatResponse struct {
	Session string            `json:"session"`
	Profile string            `json:"profile"`
	Raw     []json.RawMessage `json:"messages"`
	frames  []protocol.Frame
}

func (w *World) postChat(ctx context.Context, req protocol.ChatRequest) (chatResponse, error) {
	b, _ := json.Marshal(req)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base+"/api/v1/chat", bytes.NewReader(b))
	if err != nil {
		return chatResponse{}, err
	}
	hr.Header.Set("Content-Type", "application/json")
	if err := w.testRequest(ctx, hr); err != nil { // a test session on a --target (target_runs.go)
		return chatResponse{}, err
	}
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		return chatResponse{}, fmt.Errorf("POST /api/v1/chat: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	var out chatResponse
	if res.StatusCode != http.StatusOK {
		var f protocol.Frame
		if json.Unmarshal(body, &f) == nil && f.Type == protocol.TypeError {
			out.frames = []protocol.Frame{f} // the customer sees the error
			return out, nil
		}
		return out, fmt.Errorf("POST /api/v1/chat: HTTP %d: %s", res.StatusCode, strings.TrimSpace(string(body)))
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return out, fmt.Errorf("POST /api/v1/chat: %w", err)
	}
	for _, r := range out.Raw {
		var f protocol.Frame
		if err := json.Unmarshal(r, &f); err != nil {
			return out, fmt.Errorf("POST /api/v1/chat: a message is not a frame: %w", err)
		}
		out.frames = append(out.frames, f)
	}
	return out, nil
}

// receive records one frame of turn t, as collect does for the socket.
func (w *World) receive(ctx context.Context, t *Turn, f protocol.Frame, start time.Time) {
	w.transcript = append(w.transcript, Line{At: time.Now(), Frame: f, Turn: len(w.turns) - 1})
	if f.Type == protocol.TypeMessage && t.Latency == 0 {
		t.Latency = time.Since(start)
	}
	t.Frames = append(t.Frames, f)
	if f.Type == protocol.TypeSession {
		w.noteSession(ctx, f, len(w.turns)-1)
		w.httpSession = f.Session
	}
	if f.Type == protocol.TypeMessage && strings.Contains(strings.ToLower(f.Text), "everything we held about") {
		w.erasures = append(w.erasures, len(w.turns)-1)
	}
}

// sendHTTP sends text, a button press or a consent decision over the HTTP
// mirror, as the socket would carry the frame.
func (w *World) sendHTTP(ctx context.Context, in protocol.Inbound) (*Turn, error) {
	req := protocol.ChatRequest{Session: w.httpSession}
	switch {
	case w.httpFrames && in.Type != "":
		// The socket's own frame, as an integration sends it, with a ref the
		// answer must echo (frame_steps.go).
		f := in
		f.Ref = fmt.Sprintf("step-%d", len(w.turns))
		req.Frame = &f
	case in.Type == protocol.TypeSay:
		if in.Text == "" {
			return nil, errors.New("the HTTP channel cannot send an empty message (that call starts a session)")
		}
		req.Text = in.Text
	case in.Type == protocol.TypeAction:
		req.Action, req.ID = in.Name, in.ID
	case in.Type == protocol.TypeConsent:
		req.Consent = &protocol.ConsentChoice{Purpose: in.Purpose, Granted: in.Granted}
	default:
		return nil, fmt.Errorf("the HTTP channel carries text, actions and consent; %q frames need the WebSocket chat", in.Type)
	}
	t := &Turn{In: in, Granted: w.granted}
	w.turns = append(w.turns, t)
	w.transcript = append(w.transcript, Line{At: time.Now(), Outbound: true, In: in, Turn: len(w.turns) - 1})
	start := time.Now()
	resp, err := w.postChat(ctx, req)
	if err != nil {
		return nil, err
	}
	if req.Frame != nil {
		if resp.frames, err = acknowledged(resp.frames, req.Frame.Ref); err != nil {
			return nil, err
		}
	}
	for _, f := range resp.frames {
		w.receive(ctx, t, f, start)
	}
	if len(w.sessions) > 0 {
		t.Subject = w.sessions[len(w.sessions)-1].subject
	}
	w.trackConsent(in, t)
	return t, nil
}

// pollHTTP fetches frames pushed to an HTTP customer (agent lines) until
// one satisfies ok.
func (w *World) pollHTTP(ctx context.Context, what string, ok func(protocol.Frame) bool) (protocol.Frame, error) {
	deadline := time.Now().Add(replyTimeout)
	for time.Now().Before(deadline) {
		resp, err := w.postChat(ctx, protocol.ChatRequest{Session: w.httpSession})
		if err != nil {
			return protocol.Frame{}, err
		}
		var found *protocol.Frame
		for _, f := range resp.frames {
			w.receive(ctx, w.lastTurn(), f, time.Now())
			if found == nil && ok(f) {
				found = &f
			}
		}
		if found != nil {
			return *found, nil // every frame of the response is recorded first
		}
		time.Sleep(20 * time.Millisecond)
	}
	return protocol.Frame{}, fmt.Errorf("waiting for %s over HTTP: nothing after %v", what, replyTimeout)
}
