package features

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"deskbot/protocol"
)

// Then steps about what the customer was sent: replies, sources, buttons,
// consent requests, handover frames, errors and timing.

func (w *World) discloses() error {
	var first *protocol.Frame
	for i := len(w.transcript) - 1; i >= 0; i-- {
		l := w.transcript[i]
		if l.Outbound {
			continue
		}
		if l.Frame.Type == protocol.TypeMessage {
			f := l.Frame
			first = &f
		}
		if l.Frame.Type == protocol.TypeSession {
			break
		}
	}
	if first == nil {
		return errors.New("expected a disclosure message, but the customer has received no message in this session")
	}
	if !first.Disclosure {
		return fmt.Errorf("expected the first message of the session to be the disclosure (\"disclosure\":true), but it was:\n  %s", fmtFrame(*first))
	}
	if !reAutomated.MatchString(first.Text) {
		return fmt.Errorf("expected the disclosure to say in words that this is an automated assistant, but it says:\n  %q", first.Text)
	}
	return nil
}

// The shipped languages' words count too (DISC-1 in the customer's
// language): German, French, Spanish.
var reAutomated = regexp.MustCompile(`(?i)\b(automated|bot|chatbot|AI|artificial intelligence|virtual assistant|not a (human|person))\b|(?i)\b(automatisiert|automatisé|automatizad|KI|IA)`)

// expectReply checks the latest message with ok and, when it fails, says
// what was expected next to what arrived.
func (w *World) expectReply(expected, want string, ok func(text string) bool) error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	if !ok(r.Text) {
		return fmt.Errorf("expected %s:\n  %s\nbut the latest message (from %s) was:\n  %q", expected, want, r.From, r.Text)
	}
	return nil
}

func (w *World) replies(want string) error {
	return w.expectReply("the bot to reply", fmt.Sprintf("%q", want), func(text string) bool {
		return strings.TrimSpace(text) == strings.TrimSpace(want)
	})
}

func (w *World) replyContains(want string) error {
	return w.expectReply("the reply to contain", fmt.Sprintf("%q", want), func(text string) bool {
		return strings.Contains(strings.ToLower(text), strings.ToLower(want))
	})
}

func (w *World) replyNotContains(bad string) error {
	return w.expectReply("the reply not to contain", fmt.Sprintf("%q", bad), func(text string) bool {
		return !strings.Contains(strings.ToLower(text), strings.ToLower(bad))
	})
}

func (w *World) replyMatches(expr string) error {
	re, err := regexp.Compile(expr)
	if err != nil {
		return fmt.Errorf("not a valid regular expression %q: %w", expr, err)
	}
	return w.expectReply("the reply to match", expr, re.MatchString)
}

func (w *World) cites(title string) error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	if found, err := citesIn(r.Sources, title); found {
		return err
	}
	return fmt.Errorf("expected the reply to cite the article %q, but it cites %s:\n  %q", title, fmtSources(r.Sources), r.Text)
}

// citesIn reports whether sources name the article by title or id; err
// when the source carries no version (ACC-2).
func citesIn(sources []protocol.Source, title string) (found bool, err error) {
	for _, s := range sources {
		if strings.EqualFold(s.Title, title) || s.ID == title {
			if s.Version == "" {
				return true, fmt.Errorf("the reply cites %q but without a version (ACC-2)", title)
			}
			return true, nil
		}
	}
	return false, nil
}

func (w *World) citesNone() error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	if len(r.Sources) > 0 {
		return fmt.Errorf("expected the reply to cite no article, but it cites %s", fmtSources(r.Sources))
	}
	return nil
}

func (w *World) offersHuman() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	if t.Has(protocol.TypeHandover) {
		return nil
	}
	for _, m := range t.Messages() {
		if m.HasAction(protocol.ActionHuman) {
			return nil
		}
	}
	return fmt.Errorf("expected the bot to offer a person (action \"human\"), but the latest turn was:\n%s", describeTurn(t))
}

func (w *World) offered() string {
	t := w.lastTurn()
	if t == nil {
		return "none"
	}
	var b []string
	for _, m := range t.Messages() {
		for _, a := range m.Actions {
			b = append(b, fmt.Sprintf("%q (%s)", a.Label, a.Name))
		}
	}
	if len(b) == 0 {
		return "none"
	}
	return strings.Join(b, ", ")
}

func (w *World) offers(button string) error {
	on, err := w.offersButton(button)
	if err != nil || on {
		return err
	}
	return fmt.Errorf("expected the button %q to be offered; offered: %s", button, w.offered())
}

// offersButton says whether the latest turn offers the button, named by its
// label (any case) or its action name; ErrNoChat before any turn.
func (w *World) offersButton(button string) (bool, error) {
	t := w.lastTurn()
	if t == nil {
		return false, ErrNoChat
	}
	for _, m := range t.Messages() {
		for _, a := range m.Actions {
			if strings.EqualFold(a.Label, button) || a.Name == button {
				return true, nil
			}
		}
	}
	return false, nil
}

func (w *World) offersTable(tb *godog.Table) error {
	for _, r := range tb.Rows {
		if len(r.Cells) == 0 {
			continue
		}
		if err := w.offers(strings.TrimSpace(r.Cells[0].Value)); err != nil {
			return err
		}
	}
	return nil
}

func (w *World) replyFrom(from string) error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	if r.From != from {
		return fmt.Errorf("expected the reply to come from %q, but it came from %q:\n  %q", from, r.From, r.Text)
	}
	return nil
}

func (w *World) asksConsent(purpose string) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	for _, f := range t.Frames {
		if f.Type == protocol.TypeConsentRequest && f.Purpose == purpose {
			if f.Text == "" || f.Version == "" || f.PolicyURL == "" {
				return fmt.Errorf("the consent request for %q lacks its text, version or policy link (CONS-2, CONS-4): %s", purpose, fmtFrame(f))
			}
			return nil
		}
	}
	return fmt.Errorf("expected a consent request for %q, but the latest turn was:\n%s", purpose, describeTurn(t))
}

func (w *World) consentLinks(url string) error {
	for i := len(w.transcript) - 1; i >= 0; i-- {
		if f := w.transcript[i].Frame; !w.transcript[i].Outbound && f.Type == protocol.TypeConsentRequest {
			if f.PolicyURL != url {
				return fmt.Errorf("expected the consent request to link %q, but it links %q", url, f.PolicyURL)
			}
			return nil
		}
	}
	return errors.New("the bot has not asked for consent in this scenario")
}

func (w *World) noConsentAsked() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	if t.Has(protocol.TypeConsentRequest) {
		return fmt.Errorf("expected no consent request, but the latest turn was:\n%s", describeTurn(t))
	}
	return nil
}

// sinceCustomer returns the frames received since the customer last sent something.
func (w *World) sinceCustomer() []protocol.Frame {
	var out []protocol.Frame
	for i := len(w.transcript) - 1; i >= 0; i-- {
		if w.transcript[i].Outbound {
			break
		}
		out = append([]protocol.Frame{w.transcript[i].Frame}, out...)
	}
	return out
}

func (w *World) handedOver() error {
	if !w.chatOpen() {
		return ErrNoChat
	}
	fs := w.sinceCustomer()
	for _, f := range fs {
		if f.Type == protocol.TypeHandover && (f.State == protocol.HandoverQueued || f.State == protocol.HandoverJoined) {
			return nil
		}
	}
	for _, f := range fs {
		if f.Type == protocol.TypeHandover {
			return fmt.Errorf("expected the conversation to be handed over (handover \"queued\" or \"joined\"), but the bot sent handover %q:\n%s", f.State, describeFrames(fs))
		}
	}
	return fmt.Errorf("expected the conversation to be handed over to a human, but no handover frame arrived; since the customer last spoke:\n%s", describeFrames(fs))
}

func (w *World) toldOffline() error {
	if !w.chatOpen() {
		return ErrNoChat
	}
	fs := w.sinceCustomer()
	offline, leave := false, false
	for _, f := range fs {
		if f.Type == protocol.TypeHandover && f.State == protocol.HandoverOffline {
			offline = true
		}
		if f.Type == protocol.TypeMessage && f.HasAction(protocol.ActionLeaveMessage) {
			leave = true
		}
	}
	if !offline || !leave {
		return fmt.Errorf("expected handover \"offline\" and a message offering \"leave_message\" (offline: %v, offer: %v); since the customer last spoke:\n%s", offline, leave, describeFrames(fs))
	}
	return nil
}

func (w *World) within(ms int) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	if t.Latency == 0 {
		return fmt.Errorf("the latest turn brought no message:\n%s", describeTurn(t))
	}
	if t.Latency > time.Duration(ms)*time.Millisecond {
		return fmt.Errorf("expected the reply within %d ms, but it took %d ms", ms, t.Latency.Milliseconds())
	}
	return nil
}

func (w *World) nth(n int) (protocol.Frame, error) {
	bm := w.botMessages()
	if n < 1 || n > len(bm) {
		return protocol.Frame{}, fmt.Errorf("the bot has sent %d message(s) so far; there is no message %d", len(bm), n)
	}
	return bm[n-1], nil
}

func (w *World) nthContains(n int, want string) error {
	m, err := w.nth(n)
	if err != nil {
		return err
	}
	if !strings.Contains(strings.ToLower(m.Text), strings.ToLower(want)) {
		return fmt.Errorf("expected the bot's message %d to contain:\n  %q\nbut it was:\n  %q", n, want, m.Text)
	}
	return nil
}

func (w *World) nthDisclosure(n int) error {
	m, err := w.nth(n)
	if err != nil {
		return err
	}
	if !m.Disclosure {
		return fmt.Errorf("expected the bot's message %d to be a disclosure, but it was:\n  %s", n, fmtFrame(m))
	}
	return nil
}

func (w *World) turnContains(want string) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	for _, m := range t.Messages() {
		if strings.Contains(strings.ToLower(m.Text), strings.ToLower(want)) {
			return nil
		}
	}
	return fmt.Errorf("expected one of the bot's replies to contain %q, but the latest turn was:\n%s", want, describeTurn(t))
}

func (w *World) turnCites(title string) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	for _, m := range t.Messages() {
		if found, err := citesIn(m.Sources, title); found {
			return err
		}
	}
	return fmt.Errorf("expected one of the bot's replies to cite the article %q, but the latest turn was:\n%s", title, describeTurn(t))
}

func (w *World) errorCode(code string) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	for _, f := range t.Frames {
		if f.Type == protocol.TypeError && f.Code == code {
			return nil
		}
	}
	return fmt.Errorf("expected an error %q, but the latest turn was:\n%s", code, describeTurn(t))
}

func (w *World) newConversation() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	if len(w.sessions) < 2 || !t.Has(protocol.TypeSession) {
		return fmt.Errorf("expected a new conversation (a new session frame) in the latest turn, but it was:\n%s", describeTurn(t))
	}
	if w.sessions[len(w.sessions)-1].token == w.sessions[len(w.sessions)-2].token {
		return errors.New("the new session frame carries the old session token")
	}
	return nil
}

func (w *World) profileIs(p string) error {
	if len(w.sessions) == 0 {
		return ErrNoChat
	}
	if got := w.sessions[len(w.sessions)-1].profile; got != p {
		return fmt.Errorf("expected the session profile %q, but the session frame said %q", p, got)
	}
	return nil
}
