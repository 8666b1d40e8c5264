package features

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"deskbot/protocol"
)

// Steps for the agents at the console: take, write, read, hand back.

func (w *World) agentTakes(ctx context.Context, name string) error {
	since := len(w.transcript)
	if err := w.agentPost(ctx, name, "take", map[string]string{}); err != nil {
		return err
	}
	if _, err := w.waitFor(ctx, since, `the handover frame "joined"`, func(f protocol.Frame) bool {
		return f.Type == protocol.TypeHandover && f.State == protocol.HandoverJoined
	}); err != nil {
		return err
	}
	// DISC-6: the customer is told in words that a person has joined.
	if _, err := w.waitFor(ctx, since, "the notice that a person joined", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeMessage && f.From == protocol.FromSystem
	}); err != nil {
		return fmt.Errorf("DISC-6: after agent %q joined, the customer was not told (no system message): %w", name, err)
	}
	return nil
}

func (w *World) agentSays(ctx context.Context, name, text string) error {
	since := len(w.transcript)
	if err := w.agentPost(ctx, name, "messages", map[string]string{"text": text}); err != nil {
		return err
	}
	_, err := w.waitFor(ctx, since, "the agent's message", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeMessage && f.From == protocol.FromAgent
	})
	return err
}

func (w *World) agentViews(ctx context.Context, name string) error {
	a, err := w.agent(name)
	if err != nil {
		return err
	}
	id, err := w.conversationID(ctx)
	if err != nil {
		return err
	}
	var conv protocol.ConversationView
	if _, err := a.call(ctx, http.MethodGet, "/agent/api/conversations/"+url.PathEscape(id), nil, &conv); err != nil {
		return err
	}
	if len(conv.Messages) == 0 {
		return errors.New("the agent console shows an empty conversation")
	}
	return nil
}

func (w *World) agentHandsBack(ctx context.Context, name string) error {
	since := len(w.transcript)
	if err := w.agentPost(ctx, name, "handback", map[string]string{}); err != nil {
		return err
	}
	_, err := w.waitFor(ctx, since, `the handover frame "left"`, func(f protocol.Frame) bool {
		return f.Type == protocol.TypeHandover && f.State == protocol.HandoverLeft
	})
	return err
}
