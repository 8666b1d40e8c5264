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

	"deskbot/chatclient"
	"deskbot/protocol"
)

// When steps: what the customer does in the chat.

func (w *World) says(ctx context.Context, text string) error {
	_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeSay, Text: text})
	return err
}

func (w *World) consent(ctx context.Context, purpose string, granted bool) error {
	_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeConsent, Purpose: purpose, Granted: &granted})
	return err
}

func (w *World) withdraws(ctx context.Context, purpose string) error {
	if purpose != "contact" {
		return fmt.Errorf("only the purpose \"contact\" can be withdrawn in chat, not %q", purpose)
	}
	_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionWithdraw})
	return err
}

func (w *World) clicks(ctx context.Context, button string) error {
	name, id := "", ""
	for _, f := range w.sinceCustomer() {
		for _, a := range f.Actions {
			if strings.EqualFold(a.Label, button) || a.Name == button {
				name, id = a.Name, a.ID
			}
		}
	}
	if name == "" {
		if n, ok := pageButtons[strings.ToLower(strings.TrimSpace(button))]; ok {
			button = n // a button the chat page always shows, by its label
		}
		switch button {
		case protocol.ActionHuman, protocol.ActionExport, protocol.ActionErase, protocol.ActionWithdraw,
			protocol.ActionLeaveMessage, protocol.ActionConsentAccept, protocol.ActionConsentDecline:
			name = button
		default:
			return fmt.Errorf("no button %q was offered since the customer last acted; offered: %s", button, w.offered())
		}
	}
	_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeAction, Name: name, ID: id})
	return err
}

// pageButtons are the chat page's own buttons (assets/chat/index.html) and
// the bot's usual labels, by lower-cased label: a scenario may press them
// by what the customer reads before the bot offered them.
var pageButtons = map[string]string{
	"talk to a person": protocol.ActionHuman,
	"get my data":      protocol.ActionExport,
	"delete my data":   protocol.ActionErase,
	"withdraw consent": protocol.ActionWithdraw,
	"leave a message":  protocol.ActionLeaveMessage,
}

func (w *World) refused(ctx context.Context, origin string) error {
	if err := w.ensureBot(ctx); err != nil {
		return err
	}
	c, err := chatclient.Dial(ctx, w.base, chatclient.Options{Origin: origin})
	if err == nil {
		c.Close()
		return fmt.Errorf("expected the chat to be refused to a page on %s, but the connection was accepted", origin)
	}
	if !strings.Contains(err.Error(), "HTTP 403") {
		return fmt.Errorf("expected the chat to be refused (HTTP 403) to a page on %s, but: %w", origin, err)
	}
	return nil
}

func (w *World) reconnects(ctx context.Context) error {
	if len(w.sessions) == 0 {
		return ErrNoChat
	}
	return w.open(ctx, chatclient.Options{Session: w.sessions[len(w.sessions)-1].token})
}

func (w *World) downloads(ctx context.Context) error {
	if len(w.sessions) == 0 {
		return ErrNoChat
	}
	b, _ := json.Marshal(map[string]string{"session": w.sessions[len(w.sessions)-1].token})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base+"/api/v1/export", bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("export: HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if !json.Valid(body) {
		return errors.New("export: the download is not valid JSON")
	}
	w.exported = body
	return nil
}
