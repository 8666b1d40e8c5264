package features

import (
	"context"
	"fmt"

	"deskbot/chatclient"
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
