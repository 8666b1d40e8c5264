package web

import (
	"context"

	"deskbot/conversation"
	"deskbot/protocol"
)

// withHistory puts the conversation so far between the session frame and
// the greeting of a resumed connection: session, history, then one
// "welcome back" (and the handover state). A client asks for it with
// /ws?history=1, so protocol v1 clients that expect the greeting second
// keep getting exactly what they got.
func (s *Server) withHistory(ctx context.Context, sess *conversation.Session, frames []protocol.Outbound) []protocol.Outbound {
	if len(frames) == 0 {
		return frames
	}
	past := s.engine.History(ctx, sess, frames)
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
	return s.engine.History(ctx, sess, nil)
}
