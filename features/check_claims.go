package features

import (
	"context"
	"fmt"
	"strings"

	"deskbot/compliance"
	"deskbot/protocol"
)

// ACC-3 (LEGAL.md: "don't misrepresent capabilities; only claim actions
// the backend confirmed"): a bot message must not say it has done
// something unless the bot really did it and recorded it. The check reads
// every bot message for a completed-action claim in the first person ("I've
// cancelled your order", "we have refunded you") or about the customer's
// things ("your order has been cancelled") and looks for the matching
// confirmed event: an audit record of the subject (through the admin API)
// or, where that cannot be read, the button the customer pressed. deskbot
// performs only data-rights actions (erasure, withdrawal, rectification,
// export, a message left for the team); a claim to have cancelled, refunded,
// shipped or changed an order can never be confirmed and always fails.
// The claims are found by compliance.FindActionClaims, which `deskbot kb
// lint` also runs over every article's answer text.

// claimConfirmedBy maps a claimed verb to the audit events (and buttons)
// that confirm it. Verbs not listed have no backend action in deskbot.
var claimConfirmedBy = map[string][]string{
	"deleted":      {"erasure", "consent", "rectification", "erase", "withdraw"},
	"erased":       {"erasure", "erase"},
	"removed":      {"erasure", "consent", "rectification", "erase", "withdraw"},
	"corrected":    {"rectification", "rectify"},
	"updated":      {"rectification", "rectify"},
	"changed":      {"rectification", "rectify"},
	"replaced":     {"rectification", "rectify"},
	"unsubscribed": {"consent", "withdraw"},
	"sent":         {"export", "leave_message", "message_left"},
}

// checkClaims: ACC-3, every completed-action claim of the bot has a
// confirmed event: an audit record of the customer's subject, or the button
// pressed in that turn when the audit log cannot be read.
func (w *World) checkClaims(ctx context.Context) ([]Violation, error) {
	confirmed := map[string]bool{}
	for _, t := range w.turns {
		if t.In.Type == protocol.TypeAction {
			confirmed[t.In.Name] = true
		}
	}
	var vs []Violation
	var audited map[string]bool
	for _, t := range w.turns {
		for _, m := range t.Messages() {
			if m.From != protocol.FromBot {
				continue
			}
			for _, c := range compliance.FindActionClaims(m.Text) {
				verb := c.Verb
				ok := false
				for _, ev := range claimConfirmedBy[verb] {
					if confirmed[ev] {
						ok = true
					}
				}
				if !ok && len(claimConfirmedBy[verb]) > 0 && w.admin != nil {
					if audited == nil {
						var err error
						if audited, err = w.auditedEvents(ctx); err != nil {
							return vs, err
						}
					}
					for _, ev := range claimConfirmedBy[verb] {
						ok = ok || audited[ev]
					}
				}
				if ok {
					continue
				}
				why := "deskbot has no backend action that could confirm it"
				if len(claimConfirmedBy[verb]) > 0 {
					why = "no confirmed event (" + strings.Join(claimConfirmedBy[verb], ", ") + ") was recorded for the customer"
				}
				vs = append(vs, Violation{"ACC-3", fmt.Sprintf("a bot message claims a completed action (%q) but %s: %q (after %s)", c.Words, why, m.Text, fmtInbound(t.In, ""))})
			}
		}
	}
	return vs, nil
}

// auditedEvents are the audit events recorded for the scenario's subjects.
func (w *World) auditedEvents(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	seen := map[string]bool{}
	for _, s := range w.sessions {
		if s.subject == "" || seen[s.subject] {
			continue
		}
		seen[s.subject] = true
		list, err := w.admin.audit(ctx, s.subject, "")
		if err != nil {
			return nil, err
		}
		for _, r := range list.Records {
			out[r.Event] = true
		}
	}
	return out, nil
}
