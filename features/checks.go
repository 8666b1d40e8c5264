package features

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"deskbot/compliance"
	"deskbot/intent"
	"deskbot/protocol"
)

// Violation is a failed built-in legal check: the rule id and the evidence.
type Violation struct {
	Rule     string
	Evidence string
}

func (v Violation) Error() string { return v.Rule + " violated: " + v.Evidence }

// LegalRules are the checks run after every scenario, whatever its steps
// (README.md, "Built-in legal checks"). A feature file cannot switch them off.
var LegalRules = []string{"DISC-1", "DISC-4", "SEC-1", "CONS-1/MIN-1", "HUM-2", "ACC-1", "ACC-3"}

// minSentence is the length from which a whole customer sentence must not
// be found in plain text on disk either (SEC-1); shorter ones ("yes",
// "thanks") occur in any file by chance.
const minSentence = 12

// legalChecks runs every built-in check and returns the violations.
func (w *World) legalChecks(ctx context.Context) ([]Violation, error) {
	var vs []Violation
	vs = append(vs, w.checkDisclosure()...)
	vs = append(vs, w.checkNeverHuman()...)
	vs = append(vs, w.checkHandover()...)
	vs = append(vs, w.checkCitations()...)
	claims, err := w.checkClaims(ctx) // ACC-3, check_claims.go
	if err != nil {
		return vs, fmt.Errorf("ACC-3 check could not run: %w", err)
	}
	vs = append(vs, claims...)
	if w.admin == nil {
		if w.base != "" {
			w.suite.notice("SEC-1 and CONS-1/MIN-1 are not checked: " + w.adminWhy)
		}
		return vs, nil
	}
	sec, err := w.checkDisk(ctx)
	if err != nil {
		return vs, fmt.Errorf("SEC-1 check could not run: %w", err)
	}
	vs = append(vs, sec...)
	min, err := w.checkRedaction(ctx)
	if err != nil {
		return vs, fmt.Errorf("CONS-1/MIN-1 check could not run: %w", err)
	}
	return append(vs, min...), nil
}

// checkDisclosure: DISC-1, the first message after every session frame is
// the disclosure, saying in words that this is an automated assistant.
func (w *World) checkDisclosure() []Violation {
	var vs []Violation
	expect := false
	for i, l := range w.transcript {
		if l.Outbound {
			continue
		}
		f := l.Frame
		if f.Type == protocol.TypeSession {
			expect = true
			continue
		}
		if f.Type != protocol.TypeMessage || !expect {
			continue
		}
		expect = false
		if !f.Disclosure || !reAutomated.MatchString(f.Text) {
			vs = append(vs, Violation{"DISC-1", fmt.Sprintf("the first message of a session (transcript line %d) is not a disclosure that this is an automated assistant: %s", i+1, fmtFrame(f))})
		}
	}
	for _, t := range w.turns {
		// A connection that failed outright, or was refused as rate_limited
		// before any frame of the chat, is reported by its step.
		if t.Opening && len(t.Frames) > 0 && t.Frames[0].Type != protocol.TypeSession && !refusedAsRateLimited(t) {
			vs = append(vs, Violation{"DISC-1", "a connection did not start with a session frame and the disclosure: " + describeFrames(t.Frames)})
		}
	}
	return vs
}

// checkNeverHuman: DISC-4, no bot message claims to be human. Agent and
// system lines are excluded: agents are people and system lines say so.
func (w *World) checkNeverHuman() []Violation {
	var vs []Violation
	for i, m := range w.botMessages() {
		if claim := compliance.FindHumanClaim(m.Text); claim != "" {
			vs = append(vs, Violation{"DISC-4", fmt.Sprintf("bot message %d claims to be human (%q): %q", i+1, claim, m.Text)})
		}
	}
	return vs
}

// reWantsPerson is a deliberately narrow, independent reading of "I want a
// person": only unmistakable requests, so a miss is the bot's fault.
var reWantsPerson = regexp.MustCompile(`(?i)(^\s*(?:a\s+)?(?:real\s+|live\s+)?(?:human|agent|person|representative|operator)\s*(?:please|pls|now)?\s*[.!]*\s*$` +
	`|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:(?:a|an|the|some|your|real|live|actual)\s+)*(?:human|person|agent|representative|operator|someone|somebody|member of (?:your|the) (?:team|staff))\b` +
	`|\b(?:i want|i need|i'd like|get me|connect me(?: to| with)?|put me through to|transfer me to)\s+(?:(?:a|an|to|the|real|live|actual)\s+)*(?:human|person|agent|representative|operator)\b)`)

// checkHandover: HUM-2, every request for a person (typed, or the "human"
// button) gets a handover frame (queued, joined or offline) in the bot's
// next turn. Requests while an agent already holds the chat are exempt.
func (w *World) checkHandover() []Violation {
	var vs []Violation
	joined := false
	for _, t := range w.turns {
		asked := (t.In.Type == protocol.TypeSay && reWantsPerson.MatchString(t.In.Text)) ||
			(t.In.Type == protocol.TypeAction && t.In.Name == protocol.ActionHuman)
		if asked && !joined && !t.Has(protocol.TypeHandover) && !onlyErrors(t) {
			vs = append(vs, Violation{"HUM-2", fmt.Sprintf("the customer asked for a person (%s) but the bot's next turn has no handover frame:\n%s", fmtInbound(t.In, ""), describeTurn(t))})
		}
		for _, f := range t.Frames {
			if f.Type == protocol.TypeHandover {
				joined = f.State == protocol.HandoverJoined || (joined && f.State != protocol.HandoverLeft)
			}
		}
	}
	return vs
}

func onlyErrors(t *Turn) bool {
	if len(t.Frames) == 0 {
		return false
	}
	for _, f := range t.Frames {
		if f.Type != protocol.TypeError {
			return false
		}
	}
	return true
}

// reProcedural marks bot lines about the conversation itself rather than
// about the shop (ACC-1 exempts them from citing an article).
var reProcedural = regexp.MustCompile(`(?i)(automated assistant|\bnot a human\b|can(?:no|')t confirm|cannot confirm|\bconsent\b|contact details|card numbers?|your data|\bdeleted\b|\berased\b|a person from our team|try again|rephrase|welcome back|nothing to choose)`)

// checkCitations: ACC-1, every factual answer cites an article, and every
// cited article has an id and version (ACC-2). A bot message without
// sources passes only as one of the non-factual kinds:
//   - the disclosure ("disclosure":true);
//   - a message offering a button (can't-confirm + "human", offline notice
//   - "leave_message", export summary + "download_export", consent thanks
//   - "withdraw", "are you a bot" + "human");
//   - a reply to a button, a consent decision or a raw frame, or one sent
//     with a consent request, handover or new session in the same turn;
//   - a line about the conversation itself (consent, card numbers, your
//     data, deleted, can't confirm, try again);
//   - the reply to small talk: the customer's message was only a greeting,
//     thanks, a goodbye or an acknowledgement (hi, thanks, bye, ok).
//
// In-process, where the knowledge base is known, a sourceless message that
// is article text is a violation whatever else applies.
func (w *World) checkCitations() []Violation {
	var vs []Violation
	for _, t := range w.turns {
		procedural := t.In.Type != protocol.TypeSay || t.Has(protocol.TypeConsentRequest) || t.Has(protocol.TypeHandover) || t.Has(protocol.TypeSession)
		if _, ok := intent.Read(t.In.Text).SmallTalk(); ok && t.In.Type == protocol.TypeSay {
			procedural = true // nothing was asked, so nothing is claimed
		}
		for _, m := range t.Messages() {
			if m.From != protocol.FromBot {
				continue
			}
			for _, s := range m.Sources {
				if s.ID == "" || s.Version == "" {
					vs = append(vs, Violation{"ACC-1", fmt.Sprintf("an answer cites a source without id or version (ACC-2): %s", fmtFrame(m))})
				}
			}
			if len(m.Sources) == 0 && w.fromKB(m.Text) {
				vs = append(vs, Violation{"ACC-1", fmt.Sprintf("a bot message repeats a knowledge-base article without citing it: %q (after %s)", m.Text, fmtInbound(t.In, ""))})
				continue
			}
			if len(m.Sources) > 0 || m.Disclosure || len(m.Actions) > 0 || procedural || reProcedural.MatchString(m.Text) {
				continue
			}
			vs = append(vs, Violation{"ACC-1", fmt.Sprintf("a bot message reads as an answer but cites no article: %q (after %s)", m.Text, fmtInbound(t.In, ""))})
		}
	}
	return vs
}

// fromKB reports whether a message is article text (in-process, where the
// knowledge base is known): then it is an answer whatever it talks about.
func (w *World) fromKB(text string) bool {
	text = strings.TrimSpace(text)
	if !w.inProcess() || len(text) < 40 {
		return false
	}
	return w.suite.inKB(w, text)
}

// customerTexts are the texts the customer typed, in order.
func (w *World) customerTexts() []string {
	var out []string
	for _, l := range w.transcript {
		if !l.Outbound {
			continue
		}
		if l.In.Type == protocol.TypeSay && l.In.Text != "" {
			out = append(out, l.In.Text)
		} else if l.Raw != "" {
			var in protocol.Inbound
			if json.Unmarshal([]byte(l.Raw), &in) == nil && in.Text != "" {
				out = append(out, in.Text)
			}
		}
	}
	return out
}

// piiNeedles returns the personal data in text worth scanning for: cards
// (as typed and as bare digits), e-mail, phone, IBAN, national ids. CVVs
// (three digits) and single health words are too short or too common to
// scan raw files for; the redaction check covers them.
func piiNeedles(d *compliance.Detector, text string) []string {
	var out []string
	for _, f := range d.Find(text) {
		switch f.Kind {
		case compliance.KindCVV, compliance.KindHealth:
			continue
		case compliance.KindCard, compliance.KindIBAN:
			if digits := onlyDigitsLetters(f.Text); digits != f.Text {
				out = append(out, digits)
			}
		}
		out = append(out, f.Text)
	}
	return out
}

func onlyDigitsLetters(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkDisk: SEC-1, a raw scan of every file the bot wrote finds no
// personal data the customer typed, and no whole sentence they typed.
func (w *World) checkDisk(ctx context.Context) ([]Violation, error) {
	d := compliance.NewDetector(nil)
	pii := map[string]bool{}
	var needles []string
	for _, text := range w.customerTexts() {
		for _, n := range piiNeedles(d, text) {
			if !pii[n] {
				pii[n] = true
				needles = append(needles, n)
			}
		}
		if s := strings.TrimSpace(text); len(s) >= minSentence && !slices.Contains(needles, s) && !w.suite.inKB(w, s) {
			needles = append(needles, s)
		}
	}
	// The admin API refuses needles shorter than MinScanNeedleLen (too
	// short to prove anything, and a finer oracle).
	needles = slices.DeleteFunc(needles, func(n string) bool { return len(strings.TrimSpace(n)) < compliance.MinScanNeedleLen })
	if len(needles) == 0 {
		return nil, nil
	}
	res, err := w.admin.scan(ctx, needles)
	if err != nil {
		return nil, err
	}
	var vs []Violation
	for _, h := range res.Found {
		if !pii[h.Needle] && !w.inProcess() && strings.HasPrefix(h.File, "index") {
			continue // a deployed bot's index holds its articles, which we cannot see
		}
		what := "a sentence the customer typed"
		if pii[h.Needle] {
			what = "personal data the customer typed"
		}
		vs = append(vs, Violation{"SEC-1", fmt.Sprintf("%s (%q) is stored in plain text: file %s at offset %d", what, h.Needle, h.File, h.Offset)})
	}
	return vs, nil
}

// checkRedaction: CONS-1/MIN-1 (and PCI-1, MIN-2): what is stored for each
// customer message holds placeholders, not the personal data, unless the
// customer had granted contact consent before typing an e-mail or phone;
// cards, CVVs, IBANs, national ids and health terms never.
func (w *World) checkRedaction(ctx context.Context) ([]Violation, error) {
	d := compliance.NewDetector(nil)
	var vs []Violation
	seen := map[string]bool{}
	for _, s := range w.sessions {
		if s.subject == "" || seen[s.subject] {
			continue
		}
		seen[s.subject] = true
		entries, err := w.admin.transcript(ctx, s.subject)
		if err != nil {
			return nil, err
		}
		var stored []string
		for _, e := range entries {
			if e.Sender != "customer" {
				continue
			}
			var body struct {
				Text string `json:"text"`
			}
			if json.Unmarshal(e.Content, &body) == nil && body.Text != "" {
				stored = append(stored, body.Text)
			}
		}
		var typed []*Turn
		for _, t := range w.turns {
			if t.Subject == s.subject && t.In.Type == protocol.TypeSay && strings.TrimSpace(t.In.Text) != "" && !onlyErrors(t) {
				typed = append(typed, t)
			}
		}
		if len(stored) == 0 {
			continue // erased or purged: nothing is held
		}
		paired := len(stored) == len(typed)
		for i, t := range typed {
			for _, f := range d.Find(t.In.Text) {
				mayKeep := t.Granted && (f.Kind == compliance.KindEmail || f.Kind == compliance.KindPhone) ||
					t.HealthGranted && f.Kind == compliance.KindHealth // MIN-3: health_mode with consent for "health"
				if mayKeep {
					continue
				}
				var hay []string
				if paired {
					hay = []string{stored[i]}
				} else {
					hay = stored
				}
				for _, h := range hay {
					if leaked(h, f) {
						vs = append(vs, Violation{"CONS-1/MIN-1", fmt.Sprintf("%s typed without consent is stored unredacted: the customer typed %q and the transcript holds %q", f.Kind, t.In.Text, h)})
					} else if paired && !strings.Contains(h, "[") {
						vs = append(vs, Violation{"CONS-1/MIN-1", fmt.Sprintf("%s typed without consent should be stored as a placeholder such as [%s], but the transcript holds %q", f.Kind, f.Kind, h)})
					}
				}
			}
		}
	}
	return vs, nil
}

// leaked reports whether stored text still holds the finding's value. Card
// numbers are compared digit by digit so "4111-1111 1111 1111" is caught
// in any spacing.
func leaked(stored string, f compliance.Finding) bool {
	if strings.Contains(strings.ToLower(stored), strings.ToLower(f.Text)) {
		return true
	}
	if f.Kind == compliance.KindCard {
		return strings.Contains(onlyDigitsLetters(stored), onlyDigitsLetters(f.Text))
	}
	return false
}

// violationsError joins violations into one error naming every rule.
func violationsError(vs []Violation) error {
	if len(vs) == 0 {
		return nil
	}
	errs := make([]error, len(vs))
	for i, v := range vs {
		errs[i] = v
	}
	return fmt.Errorf("built-in legal check failed:\n%w", errors.Join(errs...))
}
