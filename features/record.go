package features

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"deskbot/chatclient"
	"deskbot/compliance"
	"deskbot/intent"
	"deskbot/protocol"
)

// RecordOptions tune Record.
type RecordOptions struct {
	Name string    // scenario name
	Echo io.Writer // where the live conversation is shown (nil: nowhere)
}

// stand-ins replace personal data in recorded scenarios with reserved
// example values of the same kind, so a replay still takes the same paths
// (an e-mail still triggers the consent request, a card the PCI notice).
var standIns = map[compliance.Kind]string{
	compliance.KindEmail:  "customer@example.com",
	compliance.KindPhone:  "+44 20 7946 0000",
	compliance.KindCard:   "4111 1111 1111 1111",
	compliance.KindIBAN:   "GB82 WEST 1234 5698 7654 32",
	compliance.KindSSN:    "078-05-1120",
	compliance.KindCVV:    "123",
	compliance.KindHealth: "[health]",
}

// Scrub replaces the personal data the detector finds in text by
// stand-in example values.
func Scrub(d *compliance.Detector, text string) string {
	fs := d.Find(text)
	var b strings.Builder
	last := 0
	for _, f := range fs {
		if f.Start < last {
			continue
		}
		b.WriteString(text[last:f.Start])
		if v, ok := standIns[f.Kind]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(compliance.Placeholder(f))
		}
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// Record reads customer lines from in, says each to the bot (the --target
// or an in-process one), and writes a feature file to out whose steps
// replay the conversation and check what the bot did, with personal data
// replaced (see Scrub). An empty line or end of input ends the recording.
func (s *Suite) Record(ctx context.Context, in *bufio.Reader, out io.Writer, o RecordOptions) error {
	if o.Name == "" {
		o.Name = "Recorded conversation"
	}
	echo := o.Echo
	if echo == nil {
		echo = io.Discard
	}
	w := newWorld(s)
	w.started = time.Now()
	defer w.close()
	if err := w.open(ctx, chatclient.Options{}); err != nil {
		return err
	}
	for _, m := range w.lastTurn().Messages() {
		fmt.Fprintf(echo, "bot> %s\n", m.Text)
	}
	d := compliance.NewDetector(nil)
	var steps []string
	setup := recordedSetup{start: w.clock.Now()} // the clock, hours and agents seen (record_setup.go)
	if !w.inProcess() {
		setup.start = time.Now()
	}
	steps = append(steps, "Given a customer opens the chat", "Then the bot discloses that it is an automated assistant")
	// Frames pushed between the customer's lines (an agent joining or
	// writing) are appended to the turn before; they are written as agent
	// steps once the next line (or the end) has collected them.
	prev, seen := w.lastTurn(), 0
	if prev != nil {
		seen = len(prev.Frames)
	}
	var holder string
	// A press on "Leave a message" followed by the message is written as
	// one step (the customer leaves the message "…"), which checks that it
	// was saved; leaveAt..leaveEnd are the click's steps, -1 when none.
	leaveAt, leaveEnd := -1, -1
	pushed := func() {
		if prev == nil || len(prev.Frames) <= seen {
			return
		}
		fs := prev.Frames[seen:]
		seen = len(prev.Frames)
		for _, f := range fs {
			fmt.Fprintf(echo, "bot> %s\n", fmtFrame(f))
		}
		steps = append(steps, pushedSteps(d, fs, &holder)...)
		setup.see(&Turn{Frames: fs})
	}
	for {
		fmt.Fprint(echo, "you> ")
		line, err := in.ReadString('\n')
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		in, when, cerr := recordedInput(d, line)
		if cerr != nil {
			fmt.Fprintf(echo, "%v\n", cerr)
			continue
		}
		t, serr := w.send(ctx, in)
		if serr != nil {
			return serr
		}
		pushed()
		prev, seen = t, len(t.Frames)
		for _, f := range t.Frames {
			fmt.Fprintf(echo, "bot> %s\n", fmtFrame(f))
		}
		if leaveAt >= 0 && len(steps) == leaveEnd && in.Type == protocol.TypeSay && messageSaved(t) {
			steps, when = steps[:leaveAt], "When the customer leaves the message "+quote(Scrub(d, line))
		}
		leaveAt = -1
		if in.Type == protocol.TypeAction && in.Name == protocol.ActionLeaveMessage {
			leaveAt = len(steps)
		}
		steps = append(steps, when)
		steps = append(steps, thenSteps(d, t, in)...)
		leaveEnd = len(steps)
		setup.see(t)
		if err != nil {
			break
		}
	}
	if w.conn != nil && w.httpSession == "" && w.drainPushes(ctx) == nil {
		pushed()
	}
	fmt.Fprintf(out, "Feature: %s\n", o.Name)
	fmt.Fprintf(out, "  Recorded with deskbot record on %s. Personal data was replaced by\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(out, "  reserved example values of the same kind before it was written here.\n\n")
	fmt.Fprintf(out, "  Scenario: %s\n", o.Name)
	if pre := setup.steps(s); len(pre) > 0 {
		steps = append(pre, steps...)
	}
	last := "" // a step with the keyword of the one before reads "And ..."
	for _, st := range steps {
		kw, rest, _ := strings.Cut(st, " ")
		switch {
		case kw == "|": // a data table row of the step before
			fmt.Fprintf(out, "      %s\n", st)
			continue
		case kw == "#" || kw == "And":
		case kw == last:
			st = "And " + rest
		default:
			last = kw
		}
		fmt.Fprintf(out, "    %s\n", st)
	}
	return nil
}

// recordedInput turns one input line into a frame and its step. Lines
// starting with "/" press buttons: /accept, /decline, /withdraw, /click NAME,
// /pick ARTICLE-ID (a suggested article). "/click leave_message" and the
// message typed next are written as one step (see Record).
func recordedInput(d *compliance.Detector, line string) (protocol.Inbound, string, error) {
	if !strings.HasPrefix(line, "/") {
		return protocol.Inbound{Type: protocol.TypeSay, Text: line}, "When the customer says " + quote(Scrub(d, line)), nil
	}
	cmd, arg, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	arg = strings.TrimSpace(arg)
	yes, no := true, false
	switch cmd {
	case "accept":
		return protocol.Inbound{Type: protocol.TypeConsent, Purpose: "contact", Granted: &yes}, `When the customer accepts consent for "contact"`, nil
	case "decline":
		return protocol.Inbound{Type: protocol.TypeConsent, Purpose: "contact", Granted: &no}, `When the customer declines consent for "contact"`, nil
	case "withdraw":
		return protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionWithdraw}, `When the customer withdraws consent for "contact"`, nil
	case "click":
		if arg == "" {
			return protocol.Inbound{}, "", fmt.Errorf("usage: /click ACTION (e.g. /click human)")
		}
		return protocol.Inbound{Type: protocol.TypeAction, Name: arg}, "When the customer clicks " + quote(arg), nil
	case "pick":
		if arg == "" {
			return protocol.Inbound{}, "", fmt.Errorf("usage: /pick ARTICLE-ID (a suggested article, e.g. /pick returns-policy)")
		}
		return protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionArticle, ID: arg}, "When the customer picks the suggestion " + quote(arg), nil
	}
	return protocol.Inbound{}, "", fmt.Errorf("unknown command %q; use /accept, /decline, /withdraw, /click ACTION or /pick ARTICLE-ID", line)
}

// thenSteps describe what the bot did in one turn, most specific first,
// by the kind of reply (cited article, suggestion, consent request,
// handover, refusal, small talk) rather than its wording, so a replay
// survives rewording.
func thenSteps(d *compliance.Detector, t *Turn, in protocol.Inbound) []string {
	var out []string
	for _, f := range t.Frames {
		switch {
		case f.Type == protocol.TypeConsentRequest:
			out = append(out, "Then the bot asks for consent for "+quote(f.Purpose))
		case f.Type == protocol.TypeHandover && f.State == protocol.HandoverOffline:
			out = append(out, "Then the customer is told no agent is available and offered to leave a message")
		case f.Type == protocol.TypeHandover && (f.State == protocol.HandoverQueued || f.State == protocol.HandoverJoined):
			out = append(out, "Then the conversation is handed over to a human")
		case f.Type == protocol.TypeError:
			out = append(out, "Then the customer receives an error "+quote(f.Code))
		}
	}
	ms := t.Messages()
	if len(ms) == 0 {
		return out
	}
	last := ms[len(ms)-1]
	switch {
	case len(last.Sources) > 0:
		out = append(out, "Then the reply cites the article "+quote(last.Sources[0].ID)) // by id: a new title still replays
	case last.HasAction(protocol.ActionArticle):
		if last.HasAction(protocol.ActionHuman) {
			out = append(out, "Then the bot offers a human")
		}
		for _, a := range last.Actions {
			if a.Name == protocol.ActionArticle {
				id := a.ID
				if id == "" {
					id = a.Label
				}
				out = append(out, "Then the bot suggests "+quote(id)) // by id: a new title still replays
				break
			}
		}
	case last.HasAction(protocol.ActionHuman) && !t.Has(protocol.TypeHandover):
		if in.Type == protocol.TypeSay && !intent.Read(in.Text).AsksIfHuman() {
			out = append(out, "Then the bot says it cannot confirm") // ACC-1
		}
		out = append(out, "Then the bot offers a human")
	case len(out) == 0 && in.Type == protocol.TypeSay && last.From == protocol.FromBot && len(last.Actions) == 0 && len(ms) == 1:
		out = append(out, "Then the bot makes small talk")
	case len(out) == 0 && len(last.Actions) > 0:
		out = append(out, "Then the reply offers "+quote(last.Actions[0].Name)) // by its button, not its wording
	case len(out) == 0:
		out = append(out, "Then the reply comes from "+quote(last.From), "Then the reply cites no article")
	}
	for i := 1; i < len(out); i++ {
		out[i] = "And" + strings.TrimPrefix(out[i], "Then")
	}
	return out
}

// quote writes a step argument: one line, in double quotes (inner quotes
// are fine: the last quote on the line ends the argument).
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return `"` + s + `"`
}
