package features

import (
	"context"
	"fmt"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// Steps that choose the customer's channel by name, so one Scenario Outline
// runs the same button flow over the socket and over the HTTP mirror (both
// of its request shapes).

func frameStepDefs() []stepDef {
	return []stepDef{
		def(`a customer opens the chat over the `+q+` channel`, `a customer opens the chat over the "<channel>" channel`, `Given a customer opens the chat over the "HTTP frames" channel`,
			"Opens the chat over \"socket\" (/ws), \"HTTP\" (POST /api/v1/chat with {\"text\"}, {\"action\"} and {\"consent\"}) or \"HTTP frames\" (POST /api/v1/chat with the socket's own client frame as {\"frame\":{…}}).",
			func(w *World) any { return w.openChannel }),
	}
}

// openChannel opens the chat over the named channel.
func (w *World) openChannel(ctx context.Context, channel string) error {
	switch channel {
	case "socket":
		return w.open(ctx, chatclient.Options{})
	case "HTTP":
		return w.openHTTP(ctx)
	case "HTTP frames":
		if err := w.openHTTP(ctx); err != nil {
			return err
		}
		w.httpFrames = true
		return nil
	}
	return fmt.Errorf("unknown channel %q: say \"socket\", \"HTTP\" or \"HTTP frames\"", channel)
}

// acknowledged checks that the HTTP mirror answered a frame sent with ref
// by echoing it (a "delivered" frame, or the error that refused it) and
// returns the frames without the "delivered" one, which is about delivery,
// not part of the conversation.
func acknowledged(frames []protocol.Frame, ref string) ([]protocol.Frame, error) {
	out := make([]protocol.Frame, 0, len(frames))
	acked := false
	for _, f := range frames {
		if f.Ref == ref {
			acked = true
		}
		if f.Type == protocol.TypeDelivered {
			continue
		}
		out = append(out, f)
	}
	if !acked {
		return nil, fmt.Errorf("POST /api/v1/chat did not acknowledge the frame's ref %q (no delivered frame and no error carrying it)", ref)
	}
	return out, nil
}
