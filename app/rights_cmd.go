package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/store"
)

// Operator commands for data-subject requests received outside the chat
// (DSR-3 deadlines, DSR-5 rectification). Each runs against an open store
// (operatorEnv), so `deskbot privacy …` and the in-process scenario bot
// share one implementation.

// operatorEnv is what an operator command needs: the store, the
// configuration, the time and where to print.
type operatorEnv struct {
	st     *store.Store
	cfg    config.Config
	now    time.Time
	stdout io.Writer
	stderr io.Writer
}

// subjectsFor resolves --subject or --email to subject ids. The e-mail is
// found through its keyed lookup hash only (never stored in clear).
func (o operatorEnv) subjectsFor(ctx context.Context, subject, email string) ([]string, error) {
	if subject != "" {
		return []string{subject}, nil
	}
	key, err := o.st.SystemKey(ctx, "lookup")
	if err != nil {
		return nil, err
	}
	return o.st.SubjectsByBlind(ctx, blindFunc(key)("email", normaliseEmail(email)))
}

// normaliseEmail matches the engine's normalisation of kept addresses
// (lower case, no surrounding space) so lookup hashes agree.
func normaliseEmail(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

// parseWhen reads a time given on the command line: RFC 3339, a date
// (midnight UTC), or "now".
func parseWhen(flagName, v string, now time.Time) (time.Time, error) {
	switch strings.TrimSpace(v) {
	case "":
		return time.Time{}, nil
	case "now":
		return now, nil
	}
	for _, l := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, usageError{fmt.Sprintf("--%s %q: want a time such as 2026-12-02T10:00:00Z, a date 2026-12-02, or now", flagName, v)}
}

// runOperator opens the store for an operator subcommand and runs it.
func runOperator(ctx context.Context, name string, args []string, stdout, stderr io.Writer,
	define func(fs *flag.FlagSet) func(ctx context.Context, o operatorEnv) error) error {
	fs, cf := newFlags(name, stderr, false)
	run := define(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", name, fs.Arg(0))}
	}
	if live, ok := ctx.Value(liveOperatorKey{}).(operatorEnv); ok {
		live.stdout, live.stderr = stdout, stderr
		return run(ctx, live) // the running scenario bot's own store and clock
	}
	cfg, st, err := cf.loadStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return run(ctx, operatorEnv{st: st, cfg: cfg, now: time.Now().UTC(), stdout: stdout, stderr: stderr})
}

const privacyRequestUsage = "usage: deskbot privacy request add --kind export|erase|rectify|opt-out (--email ADDR|--subject ID|--unidentified) [--received TIME] [--channel email|phone|post|agent]\n" +
	"       deskbot privacy request list [--all]\n" +
	"       deskbot privacy request ack|close ID"

// cmdPrivacyRequest runs `deskbot privacy request add|list|ack|close` (DSR-3).
func cmdPrivacyRequest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{privacyRequestUsage}
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "add", "list":
		return runOperator(ctx, "privacy request "+sub, args, stdout, stderr, func(fs *flag.FlagSet) func(context.Context, operatorEnv) error {
			return requestFlags(sub, fs)
		})
	case "ack", "close":
		if len(args) == 0 {
			return usageError{privacyRequestUsage}
		}
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return usageError{fmt.Sprintf("privacy request %s: %q is not a request number (see deskbot privacy request list)", sub, args[0])}
		}
		return runOperator(ctx, "privacy request "+sub, args[1:], stdout, stderr, func(fs *flag.FlagSet) func(context.Context, operatorEnv) error {
			return func(ctx context.Context, o operatorEnv) error { return o.updateRequest(ctx, sub, id) }
		})
	}
	return usageError{privacyRequestUsage}
}

// requestFlags defines the flags of `privacy request add|list`.
func requestFlags(sub string, fs *flag.FlagSet) func(context.Context, operatorEnv) error {
	if sub == "list" {
		all := fs.Bool("all", false, "list closed requests too")
		return func(ctx context.Context, o operatorEnv) error { return o.listRequests(ctx, *all) }
	}
	kind := fs.String("kind", "", "export, erase, rectify or opt-out")
	email := fs.String("email", "", "the customer's e-mail address (found only if kept with consent)")
	subject := fs.String("subject", "", "pseudonymous subject id")
	unidentified := fs.Bool("unidentified", false, "record a request whose sender is not (yet) matched to a customer")
	received := fs.String("received", "now", "when the request was received (deadlines run from then)")
	channel := fs.String("channel", "email", "how it was received: email, phone, post, agent, ...")
	return func(ctx context.Context, o operatorEnv) error {
		return o.addRequest(ctx, *kind, *subject, *email, *unidentified, *received, *channel)
	}
}

func (o operatorEnv) addRequest(ctx context.Context, kindArg, subject, email string, unidentified bool, receivedArg, channel string) error {
	kind, ok := compliance.ParseRequestKind(kindArg)
	if !ok {
		return usageError{fmt.Sprintf("--kind %q: want export, erase, rectify or opt-out", kindArg)}
	}
	given := 0
	for _, set := range []bool{subject != "", email != "", unidentified} {
		if set {
			given++
		}
	}
	if given != 1 {
		return usageError{"give exactly one of --email, --subject or --unidentified"}
	}
	received, err := parseWhen("received", receivedArg, o.now)
	if err != nil {
		return err
	}
	if received.After(o.now.Add(time.Minute)) {
		return usageError{"--received is in the future"}
	}
	subjects := []string{""}
	if !unidentified {
		if subjects, err = o.subjectsFor(ctx, subject, email); err != nil {
			return err
		}
		if len(subjects) == 0 {
			// Still a request with a deadline: the answer is that nothing is held.
			fmt.Fprintln(o.stderr, "deskbot: note: no customer is found for that address (contact details are kept only with consent); the request is recorded without a subject")
			subjects = []string{""}
		}
	}
	for _, sub := range subjects {
		id, err := o.st.AddRequest(ctx, store.Request{Kind: kind, Subject: sub, Received: received, Profile: o.cfg.Profile, Channel: channel}, "operator")
		if err != nil {
			return err
		}
		r := store.Request{ID: id, Kind: kind, Subject: sub, Received: received, Profile: o.cfg.Profile, Status: store.RequestOpen}
		fmt.Fprintf(o.stdout, "request %d recorded: %s, received %s, %s\n", id, kind, received.Format("2006-01-02 15:04 MST"), deadlineText(r, o.now))
	}
	return nil
}

// deadlineText says when an open request must be acknowledged and answered
// and how many days are left (DSR-3).
func deadlineText(r store.Request, now time.Time) string {
	dl := r.Deadlines()
	var parts []string
	if !dl.Acknowledge.IsZero() && r.Acknowledged.IsZero() {
		parts = append(parts, fmt.Sprintf("acknowledge by %s (%s)", dl.Acknowledge.Format("2006-01-02"), daysLeftText(now, dl.Acknowledge)))
	}
	parts = append(parts, fmt.Sprintf("answer by %s (%s)", dl.Answer.Format("2006-01-02"), daysLeftText(now, dl.Answer)))
	return strings.Join(parts, ", ") + "; " + dl.Basis
}

func daysLeftText(now, due time.Time) string {
	switch n := compliance.DaysLeft(now, due); {
	case n < 0:
		return fmt.Sprintf("OVERDUE by %d days", -n)
	case n == 1:
		return "1 day left"
	default:
		return fmt.Sprintf("%d days left", n)
	}
}

// requestWarnings lists open requests whose next deadline is within
// compliance.RequestWarnDays or has passed.
func requestWarnings(reqs []store.Request, now time.Time) []string {
	var out []string
	for _, r := range reqs {
		if !r.Open() {
			continue
		}
		what, due := r.NextDeadline()
		if compliance.DaysLeft(now, due) <= compliance.RequestWarnDays {
			out = append(out, fmt.Sprintf("request %d (%s, received %s): %s by %s, %s", r.ID, r.Kind, r.Received.Format("2006-01-02"), what, due.Format("2006-01-02"), daysLeftText(now, due)))
		}
	}
	return out
}

func (o operatorEnv) listRequests(ctx context.Context, all bool) error {
	reqs, err := o.st.Requests(ctx, !all)
	if err != nil {
		return err
	}
	if len(reqs) == 0 && all {
		fmt.Fprintln(o.stdout, "no data-subject requests recorded")
		return nil
	}
	if len(reqs) == 0 {
		fmt.Fprintln(o.stdout, "no open data-subject requests")
		return nil
	}
	for _, r := range reqs {
		line := fmt.Sprintf("%d  %-13s %-12s received %s via %s", r.ID, r.Kind, r.Status, r.Received.Format("2006-01-02 15:04"), r.Channel)
		if r.Open() {
			line += "  " + deadlineText(r, o.now)
		} else {
			line += "  closed " + r.Closed.Format("2006-01-02 15:04")
		}
		fmt.Fprintln(o.stdout, line)
	}
	for _, w := range requestWarnings(reqs, o.now) {
		fmt.Fprintln(o.stderr, "deskbot: warning: deadline near:", w)
	}
	return nil
}

func (o operatorEnv) updateRequest(ctx context.Context, sub string, id int64) error {
	status := map[string]string{"ack": store.RequestAcknowledged, "close": store.RequestClosed}[sub]
	if err := o.st.UpdateRequest(ctx, id, status, "operator", o.now); err != nil {
		if errors.Is(err, store.ErrNoRequest) {
			return fmt.Errorf("no request %d (see deskbot privacy request list --all)", id)
		}
		if errors.Is(err, store.ErrRequestAlready) {
			return errors.New(strings.TrimPrefix(err.Error(), "store: ") + "; nothing changed")
		}
		return err
	}
	fmt.Fprintf(o.stdout, "request %d %s\n", id, status)
	return nil
}

// cmdPrivacyRectify runs `deskbot privacy rectify (--subject ID|--email
// ADDR) --set email=NEW|phone=NEW` for a correction asked for outside the
// chat (DSR-5). Consent for contact details is still required (CONS-1).
func cmdPrivacyRectify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runOperator(ctx, "privacy rectify", args, stdout, stderr, func(fs *flag.FlagSet) func(context.Context, operatorEnv) error {
		subject := fs.String("subject", "", "pseudonymous subject id")
		email := fs.String("email", "", "the address kept now (found through its lookup hash)")
		set := fs.String("set", "", "the corrected detail: email=NEW or phone=NEW")
		return func(ctx context.Context, o operatorEnv) error { return o.rectify(ctx, *subject, *email, *set) }
	})
}

func (o operatorEnv) rectify(ctx context.Context, subject, email, set string) error {
	if (subject == "") == (email == "") {
		return usageError{"give exactly one of --subject or --email"}
	}
	field, value, ok := strings.Cut(set, "=")
	field, value = strings.ToLower(strings.TrimSpace(field)), strings.TrimSpace(value)
	if !ok || (field != "email" && field != "phone") || value == "" {
		return usageError{fmt.Sprintf("--set %q: want email=NEW or phone=NEW", set)}
	}
	kinds := map[string]compliance.Kind{"email": compliance.KindEmail, "phone": compliance.KindPhone}
	found := compliance.NewDetector(nil).Find(value)
	if len(found) != 1 || found[0].Kind != kinds[field] || strings.TrimSpace(found[0].Text) != value {
		return usageError{fmt.Sprintf("--set %s=…: the new value is not a valid %s", field, map[string]string{"email": "e-mail address", "phone": "phone number"}[field])}
	}
	subjects, err := o.subjectsFor(ctx, subject, email)
	if err != nil {
		return err
	}
	if len(subjects) == 0 {
		return errors.New("no data is held for that e-mail address (contact details are kept only with consent)")
	}
	var blind string
	if field == "email" {
		key, err := o.st.SystemKey(ctx, "lookup")
		if err != nil {
			return err
		}
		blind = blindFunc(key)("email", normaliseEmail(value))
	}
	for _, id := range subjects {
		res, err := o.st.Rectify(ctx, store.Rectification{Subject: id, Field: field, New: value, Blind: blind, Actor: "operator", Channel: "cli", At: o.now})
		switch {
		case errors.Is(err, store.ErrErased):
			return fmt.Errorf("no data is held for subject %s (unknown or erased)", id)
		case errors.Is(err, store.ErrNoConsent):
			return fmt.Errorf("subject %s: the customer has not consented to keeping contact details (consent for %q, CONS-1); nothing was changed", id, compliance.PurposeContact)
		case err != nil:
			return err
		}
		fmt.Fprintf(o.stdout, "subject %s: %s rectified (%d kept detail(s) replaced; the old value removed from %d stored line(s)); recorded as rectification\n",
			id, field, res.Replaced, res.Rewritten.Messages+res.Rewritten.LeftMessages+res.Rewritten.Unanswered)
	}
	return nil
}

type liveOperatorKey struct{}

// liveOperator runs operator commands (`privacy request …`, `privacy
// rectify …`, `incident …`) against a running bot's open store at the
// given time, as the in-process scenario bot's "the operator runs" step
// does. It returns what the command printed (standard output, then
// standard error).
func liveOperator(st *store.Store, cfg config.Config) func(ctx context.Context, args []string, now time.Time) (string, error) {
	return func(ctx context.Context, args []string, now time.Time) (string, error) {
		if len(args) > 0 && args[0] == "deskbot" {
			args = args[1:]
		}
		var out, errOut strings.Builder
		ctx = context.WithValue(ctx, liveOperatorKey{}, operatorEnv{st: st, cfg: cfg, now: now.UTC()})
		var err error
		switch {
		case len(args) >= 2 && args[0] == "privacy" && args[1] == "request":
			err = cmdPrivacyRequest(ctx, args[2:], &out, &errOut)
		case len(args) >= 2 && args[0] == "privacy" && args[1] == "rectify":
			err = cmdPrivacyRectify(ctx, args[2:], &out, &errOut)
		case len(args) >= 1 && args[0] == "incident":
			err = cmdIncident(ctx, args[1:], &out, &errOut)
		default:
			err = fmt.Errorf("not an operator command that can run beside a scenario: %q (privacy request, privacy rectify and incident can)", strings.Join(args, " "))
		}
		return out.String() + errOut.String(), err
	}
}
