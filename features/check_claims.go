package features

import (
	"context"
	"fmt"
	"regexp"
	"strings"

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

// reClaimFirstPerson: "I've cancelled", "we have refunded", "I just sent".
var reClaimFirstPerson = regexp.MustCompile(`(?i)\b(?:I|we)(?:'ve|’ve| have| had)?\s+(?:just\s+|already\s+|now\s+|successfully\s+|gone ahead and\s+)?` + claimVerbs)

// reClaimPassive: "your order has been cancelled", "your refund is now processed".
var reClaimPassive = regexp.MustCompile(`(?i)\byour\s+(?:[a-z-]+\s+){0,3}(?:has|have)\s+(?:now\s+|just\s+|already\s+)?been\s+(?:successfully\s+)?` + claimVerbs)

const claimVerbs = `(cancell?ed|refunded|shipped|dispatched|sent|processed|issued|charged|credited|booked|scheduled|reserved|placed|deleted|erased|removed|corrected|updated|changed|replaced|exchanged|reset|approved|unsubscribed|applied|closed|reversed)\b`

// reNotAClaim: a conditional or future clause before the claim ("once we
// have shipped", "if you have changed", "after we've processed") states a
// rule, not a completed action.
var reNotAClaim = regexp.MustCompile(`(?i)\b(?:once|when|whenever|after|if|until|unless|as soon as|before)\b`)

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

// claim is one completed-action claim found in a bot message.
type claim struct {
	verb, words string
}

// findClaims returns the completed-action claims of a text (ACC-3).
func findClaims(text string) []claim {
	var out []claim
	for _, sentence := range splitSentences(text) {
		if strings.HasSuffix(strings.TrimSpace(sentence), "?") {
			continue // a question claims nothing
		}
		for _, re := range []*regexp.Regexp{reClaimFirstPerson, reClaimPassive} {
			for _, m := range re.FindAllStringSubmatchIndex(sentence, -1) {
				if reNotAClaim.MatchString(sentence[:m[0]]) {
					continue
				}
				out = append(out, claim{verb: strings.ToLower(sentence[m[2]:m[3]]), words: sentence[m[0]:m[1]]})
			}
		}
	}
	return out
}

var reSentenceEnd = regexp.MustCompile(`[.!?;:]\s+|\n+`)

func splitSentences(text string) []string {
	var out []string
	last := 0
	for _, loc := range reSentenceEnd.FindAllStringIndex(text, -1) {
		out = append(out, text[last:loc[0]+1])
		last = loc[1]
	}
	return append(out, text[last:])
}

func normaliseVerb(v string) string {
	if v == "canceled" {
		return "cancelled"
	}
	return v
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
			for _, c := range findClaims(m.Text) {
				verb := normaliseVerb(c.verb)
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
				vs = append(vs, Violation{"ACC-3", fmt.Sprintf("a bot message claims a completed action (%q) but %s: %q (after %s)", c.words, why, m.Text, fmtInbound(t.In, ""))})
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
