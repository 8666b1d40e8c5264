package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"deskbot/compliance"
	"deskbot/store"
)

// BRCH-1 (GDPR Art. 33, 34): `deskbot incident add|list|notify|export`
// documents personal-data breaches with counts computed from the store,
// the 72-hour deadline for telling the supervisory authority, and the
// affected customers for notification.

const incidentUsage = "usage: deskbot incident add --what TEXT [--found TIME] (--from TIME [--to TIME] | --subjects ID,ID | --email ADDR) [--encrypted=false] [--measures TEXT] [--authority-notified TIME] [--customers-notified TIME]\n" +
	"       deskbot incident list\n" +
	"       deskbot incident notify ID [--authority TIME|now] [--customers TIME|now] [--measures TEXT]\n" +
	"       deskbot incident export ID [--output FILE] [--contacts]"

// cmdIncident runs `deskbot incident …`.
func cmdIncident(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{incidentUsage}
	}
	sub, args := args[0], args[1:]
	var id int64
	if sub == "notify" || sub == "export" {
		if len(args) == 0 {
			return usageError{incidentUsage}
		}
		var err error
		if id, err = strconv.ParseInt(args[0], 10, 64); err != nil {
			return usageError{fmt.Sprintf("incident %s: %q is not an incident number (see deskbot incident list)", sub, args[0])}
		}
		args = args[1:]
	}
	define, ok := incidentCommands(sub, id)
	if !ok {
		return usageError{incidentUsage}
	}
	return runOperator(ctx, "incident "+sub, args, stdout, stderr, define)
}

// incidentCommands defines each subcommand's flags.
func incidentCommands(sub string, id int64) (func(fs *flag.FlagSet) func(context.Context, operatorEnv) error, bool) {
	switch sub {
	case "add":
		return func(fs *flag.FlagSet) func(context.Context, operatorEnv) error {
			var a incidentArgs
			fs.StringVar(&a.what, "what", "", "what happened (no customer data here: it is kept in clear)")
			fs.StringVar(&a.found, "found", "now", "when the breach was discovered (the 72 hours run from then)")
			fs.StringVar(&a.from, "from", "", "start of the time window the breach exposed")
			fs.StringVar(&a.to, "to", "", "end of that window (default: when found)")
			fs.StringVar(&a.subjects, "subjects", "", "comma-separated subject ids affected (instead of a window)")
			fs.StringVar(&a.email, "email", "", "the affected customer's e-mail address (instead of a window)")
			fs.BoolVar(&a.encrypted, "encrypted", true, "the exposed data was encrypted and its key was not exposed (set false if the master key leaked too)")
			fs.StringVar(&a.measures, "measures", "", "measures taken or proposed")
			fs.StringVar(&a.authority, "authority-notified", "", "when the supervisory authority was told")
			fs.StringVar(&a.customers, "customers-notified", "", "when the customers were told")
			return func(ctx context.Context, o operatorEnv) error { return o.addIncident(ctx, a) }
		}, true
	case "list":
		return func(fs *flag.FlagSet) func(context.Context, operatorEnv) error {
			return func(ctx context.Context, o operatorEnv) error { return o.listIncidents(ctx) }
		}, true
	case "notify":
		return func(fs *flag.FlagSet) func(context.Context, operatorEnv) error {
			authority := fs.String("authority", "", "when the supervisory authority was told (or now)")
			customers := fs.String("customers", "", "when the customers were told (or now)")
			measures := fs.String("measures", "", "further measures taken")
			return func(ctx context.Context, o operatorEnv) error {
				return o.notifyIncident(ctx, id, *authority, *customers, *measures)
			}
		}, true
	case "export":
		return func(fs *flag.FlagSet) func(context.Context, operatorEnv) error {
			output := fs.String("output", "", "write the record to FILE instead of standard output")
			contacts := fs.Bool("contacts", false, "add the affected customers' kept contact details, for notifying them (only those are decrypted)")
			return func(ctx context.Context, o operatorEnv) error { return o.exportIncident(ctx, id, *output, *contacts) }
		}, true
	}
	return nil, false
}

type incidentArgs struct {
	what, found, from, to, subjects, email, measures, authority, customers string
	encrypted                                                              bool
}

func (o operatorEnv) addIncident(ctx context.Context, a incidentArgs) error {
	if strings.TrimSpace(a.what) == "" {
		return usageError{"--what is required: say what happened"}
	}
	in := store.Incident{What: strings.TrimSpace(a.what), Recorded: o.now, Encrypted: a.encrypted, Measures: strings.TrimSpace(a.measures)}
	var err error
	if in.Found, err = parseWhen("found", a.found, o.now); err != nil {
		return err
	}
	if in.AuthorityNotified, err = parseWhen("authority-notified", a.authority, o.now); err != nil {
		return err
	}
	if in.CustomersNotified, err = parseWhen("customers-notified", a.customers, o.now); err != nil {
		return err
	}
	var sc store.Scope
	switch {
	case a.subjects != "" || a.email != "":
		if a.from != "" || a.to != "" || (a.subjects != "" && a.email != "") {
			return usageError{"give a time window (--from, --to) or the customers (--subjects or --email), not both"}
		}
		for _, s := range strings.Split(a.subjects, ",") {
			if s = strings.TrimSpace(s); s != "" {
				sc.Subjects = append(sc.Subjects, s)
			}
		}
		if a.email != "" {
			if sc.Subjects, err = o.subjectsFor(ctx, "", a.email); err != nil {
				return err
			}
			if len(sc.Subjects) == 0 {
				return errors.New("no customer is found for that address (contact details are kept only with consent); name the window with --from and --to instead")
			}
		}
	case a.from != "":
		if sc.From, err = parseWhen("from", a.from, o.now); err != nil {
			return err
		}
		sc.To = in.Found
		if a.to != "" {
			if sc.To, err = parseWhen("to", a.to, o.now); err != nil {
				return err
			}
		}
		if !sc.To.After(sc.From) {
			return usageError{"--to must be after --from"}
		}
	default:
		return usageError{"name what the breach exposed: a time window (--from [--to]) or the customers (--subjects or --email)"}
	}
	in, err = o.st.AddIncident(ctx, in, sc, "operator")
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "incident %d recorded: %d subjects affected, %d records (%s); encrypted: %s\n",
		in.ID, in.Subjects, in.Records, categoriesText(in.Categories), yesNo(in.Encrypted))
	fmt.Fprintln(o.stdout, authorityText(in, o.now))
	return nil
}

// authorityText gives the 72-hour deadline for telling the authority.
func authorityText(in store.Incident, now time.Time) string {
	if !in.AuthorityNotified.IsZero() {
		return fmt.Sprintf("supervisory authority notified %s", in.AuthorityNotified.Format("2006-01-02 15:04 MST"))
	}
	left := in.NotifyBy().Sub(now).Round(time.Hour)
	state := fmt.Sprintf("%d hours left", int(left.Hours()))
	if left < 0 {
		state = fmt.Sprintf("OVERDUE by %d hours: notify now and give the reasons for the delay", int(-left.Hours()))
	}
	return fmt.Sprintf("notify the supervisory authority by %s (72 hours after discovery, GDPR Art. 33; %s), unless the breach is unlikely to result in a risk to customers",
		in.NotifyBy().Format("2006-01-02 15:04 MST"), state)
}

func categoriesText(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (o operatorEnv) listIncidents(ctx context.Context) error {
	all, err := o.st.Incidents(ctx)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		fmt.Fprintln(o.stdout, "no incidents recorded")
		return nil
	}
	for _, in := range all {
		cust := "customers not notified"
		if !in.CustomersNotified.IsZero() {
			cust = "customers notified " + in.CustomersNotified.Format("2006-01-02")
		}
		fmt.Fprintf(o.stdout, "%d  found %s  %d subjects, %d records  encrypted: %s  %s; %s\n    %s\n",
			in.ID, in.Found.Format("2006-01-02 15:04"), in.Subjects, in.Records, yesNo(in.Encrypted), authorityText(in, o.now), cust, in.What)
	}
	return nil
}

func (o operatorEnv) notifyIncident(ctx context.Context, id int64, authority, customers, measures string) error {
	a, err := parseWhen("authority", authority, o.now)
	if err != nil {
		return err
	}
	c, err := parseWhen("customers", customers, o.now)
	if err != nil {
		return err
	}
	if a.IsZero() && c.IsZero() && strings.TrimSpace(measures) == "" {
		return usageError{"give --authority, --customers or --measures"}
	}
	if err := o.st.NotifyIncident(ctx, id, a, c, strings.TrimSpace(measures), "operator", o.now); err != nil {
		if errors.Is(err, store.ErrNoIncident) {
			return fmt.Errorf("no incident %d (see deskbot incident list)", id)
		}
		if errors.Is(err, store.ErrAlreadyNotified) {
			// The recorded time proves the deadline; it is not moved.
			return fmt.Errorf("%s; nothing changed", strings.TrimPrefix(strings.TrimSuffix(err.Error(), ": "+store.ErrAlreadyNotified.Error()), "store: "))
		}
		return err
	}
	fmt.Fprintf(o.stdout, "incident %d updated\n", id)
	return nil
}

// incidentDoc is the JSON of `deskbot incident export`.
type incidentDoc struct {
	Schema            string              `json:"schema"`
	ID                int64               `json:"id"`
	What              string              `json:"what"`
	Found             time.Time           `json:"found"`
	Recorded          time.Time           `json:"recorded"`
	NotifyAuthorityBy time.Time           `json:"notify_authority_by"`
	WindowFrom        *time.Time          `json:"window_from,omitempty"`
	WindowTo          *time.Time          `json:"window_to,omitempty"`
	SubjectsAffected  int                 `json:"subjects_affected"`
	RecordsAffected   int                 `json:"records_affected"`
	Categories        map[string]int      `json:"categories"`
	Encrypted         bool                `json:"encrypted"`
	Measures          string              `json:"measures"`
	AuthorityNotified *time.Time          `json:"authority_notified,omitempty"`
	CustomersNotified *time.Time          `json:"customers_notified,omitempty"`
	Subjects          []string            `json:"subjects"`
	Contacts          map[string][]string `json:"contacts,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (o operatorEnv) exportIncident(ctx context.Context, id int64, output string, contacts bool) error {
	in, err := o.st.Incident(ctx, id)
	if errors.Is(err, store.ErrNoIncident) {
		return fmt.Errorf("no incident %d (see deskbot incident list)", id)
	}
	if err != nil {
		return err
	}
	subs, err := o.st.IncidentSubjects(ctx, id)
	if err != nil {
		return err
	}
	doc := incidentDoc{Schema: "deskbot.incident/v1", ID: in.ID, What: in.What, Found: in.Found, Recorded: in.Recorded, NotifyAuthorityBy: in.NotifyBy(),
		WindowFrom: timePtr(in.From), WindowTo: timePtr(in.To), SubjectsAffected: in.Subjects, RecordsAffected: in.Records, Categories: in.Categories,
		Encrypted: in.Encrypted, Measures: in.Measures, AuthorityNotified: timePtr(in.AuthorityNotified), CustomersNotified: timePtr(in.CustomersNotified), Subjects: subs}
	if doc.Subjects == nil {
		doc.Subjects = []string{}
	}
	if contacts {
		// Only the contact details are decrypted, to tell the customers (Art. 34).
		doc.Contacts = map[string][]string{}
		for _, s := range subs {
			cs, err := o.st.Contacts(ctx, s)
			if err != nil && !errors.Is(err, store.ErrErased) {
				return err
			}
			if len(cs) > 0 {
				doc.Contacts[s] = cs
			}
		}
	}
	w, closeOut, err := createOutput(output, o.stdout)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		closeOut()
		return err
	}
	if err := closeOut(); err != nil {
		return err
	}
	if contacts {
		return o.st.Audit(ctx, auditIncidentContacts(id, len(doc.Contacts), o.now))
	}
	return nil
}

// auditIncidentContacts records that contact details were decrypted for a
// breach notification (SEC-2: every access to personal data is audited).
func auditIncidentContacts(id int64, subjects int, at time.Time) compliance.AuditRecord {
	return compliance.AuditRecord{At: at, Event: "incident_contacts", Actor: "operator", Detail: fmt.Sprintf("incident=%d subjects_with_contacts=%d", id, subjects)}
}
