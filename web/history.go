package web

import (
	"context"

	"deskbot/conversation"
	"deskbot/protocol"
)

// historian is the engine's replay of a conversation so far (issue 11).
type historian interface {
	History(ctx context.Context, s *conversation.Session, skip []protocol.Outbound) []protocol.Outbound
}

// withHistory puts the conversation so far between the session frame and
// the greeting of a resumed connection: session, history, then one
// "welcome back" (and the handover state). A client asks for it with
// /ws?history=1, so protocol v1 clients that expect the greeting second
// keep getting exactly what they got.
func (s *Server) withHistory(ctx context.Context, sess *conversation.Session, frames []protocol.Outbound) []protocol.Outbound {
	h, ok := s.engine.(historian)
	if !ok || len(frames) == 0 {
		return frames
	}
	past := h.History(ctx, sess, frames)
	if len(past) == 0 {
		return frames
	}
	out := make([]protocol.Outbound, 0, len(frames)+len(past))
	out = append(out, frames[0])
	out = append(out, past...)
	return append(out, frames[1:]...)
}

// history is the conversation so far for an HTTP client that asked for it
// ({"session":…,"history":true}).
func (s *Server) history(ctx context.Context, sess *conversation.Session) []protocol.Outbound {
	if h, ok := s.engine.(historian); ok {
		return h.History(ctx, sess, nil)
	}
	return nil
}
