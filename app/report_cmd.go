package app

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"os"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/kb"
	"deskbot/store"
)

type reportData struct {
	Generated   time.Time
	Config      config.Config
	Profile     compliance.Profile
	Stats       store.Stats
	ChainOK     bool
	ChainCount  int
	ChainError  string
	Review      []reviewRow // grouped questions to review, most asked first
	ReviewMore  int         // groups left out of the report
	Lint        []kb.LintFinding
	KBArticles  int
	KBSource    string
	Calibration string   // effective answer and suggest cut-offs
	KBError     string   // why the knowledge base could not be opened, if so
	PolicyLinks []string // privacy/notice links to articles the knowledge base lacks
	KeySource   string
	RuleSummary []ruleRow
	Rights      rightsReport // open requests and their deadlines, breach records (rights_report.go)
}

type ruleRow struct{ ID, How string }

var reportTemplate = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Compliance report — {{.Config.BusinessName}}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1b1f23}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f8}.ok{color:#0a6b2b;font-weight:600}.bad{color:#b00020;font-weight:600}small{color:#555}</style></head>
<body>
<h1>Compliance report — {{.Config.BusinessName}}</h1>
<p><small>Generated {{.Generated.Format "2006-01-02 15:04 MST"}} from the live configuration and data in <code>{{.Config.DataDir}}</code>.</small></p>

<h2>Audit log</h2>
{{if .ChainOK}}<p class="ok">Hash chain intact: {{.ChainCount}} records verified.</p>{{else}}<p class="bad">Hash chain BROKEN: {{.ChainError}}</p>{{end}}

<h2>What is collected and why</h2>
<table><tr><th>Category</th><th>Purpose</th><th>Legal basis</th><th>How it is kept</th><th>Retention</th></tr>
<tr><td>Chat transcripts (personal data redacted unless consented)</td><td>Answer the customer's questions; hand over to staff</td><td>Art. 6(1)(b) steps at the customer's request / legitimate interest</td><td>AES-256-GCM, per-customer key</td><td>{{.Config.Retention.TranscriptsDays}} days</td></tr>
<tr><td>Contact details (e-mail, phone)</td><td>Reply to the customer outside the chat</td><td>Consent, Art. 6(1)(a) — opt-in, per purpose</td><td>AES-256-GCM, per-customer key</td><td>{{.Config.Retention.ContactDays}} days</td></tr>
<tr><td>Consent records (purpose, decision, text version and hash)</td><td>Demonstrate consent (Art. 7(1))</td><td>Legal obligation, Art. 6(1)(c)</td><td>No personal data beyond a pseudonymous id</td><td>{{.Config.Retention.ConsentDays}} days</td></tr>
<tr><td>Audit log</td><td>Accountability, security (Art. 5(2), 30, 32)</td><td>Legal obligation</td><td>Hash-chained, no message text</td><td>{{.Config.Retention.AuditDays}} days</td></tr>
<tr><td>Data-subject request records (kind, pseudonymous id, time)</td><td>Prove requests were answered, also after erasure (Art. 5(2); 11 CCR 7101)</td><td>Legal obligation</td><td>No personal data beyond a pseudonymous id</td><td>{{.Config.Retention.RequestsDays}} days</td></tr>
<tr><td>Messages left for the team while nobody was available</td><td>Reply to the customer</td><td>Steps at the customer's request</td><td>AES-256-GCM, per-customer key; contact details only with consent</td><td>{{.Config.Retention.TranscriptsDays}} days</td></tr>
<tr><td>Unanswered questions, and questions answered by a suggestion the customer picked (redacted)</td><td>Show the owner which help articles and example questions are missing</td><td>Legitimate interest</td><td>Redacted, encrypted, erased with the customer</td><td>{{.Config.Retention.TranscriptsDays}} days</td></tr>
<tr><td>Never kept</td><td colspan="4">Payment card numbers and security codes (PCI DSS 3.3, 3.4), health information (Art. 9): always redacted before storage and never echoed.</td></tr>
</table>

<h2>Record of processing activities (GDPR Art. 30)</h2>
<table>
<tr><th>Controller</th><td>{{.Config.BusinessName}}</td></tr>
<tr><th>Purposes</th><td>Customer service by an automated assistant answering from vetted help articles, with handover to staff</td></tr>
<tr><th>Data subjects</th><td>Customers and visitors who use the chat</td></tr>
<tr><th>Categories of data</th><td>Chat messages (redacted), contact details with consent, consent records, technical session data (hashed token, timestamps)</td></tr>
<tr><th>Recipients</th><td>The controller's own support staff (agent console, every transcript view audited). No sale or sharing.</td></tr>
<tr><th>Transfers to third countries</th><td>None: self-hosted, no external services at run time</td></tr>
<tr><th>Retention</th><td>See above; enforced by a purge job at start and hourly, each purge audited</td></tr>
<tr><th>Security measures (Art. 32)</th><td>AES-256-GCM envelope encryption (master key source: {{.KeySource}}); redaction before storage; hashed session tokens; origin checks, size and rate limits; hash-chained audit log</td></tr>
<tr><th>Jurisdiction profile</th><td>{{.Profile.Name}} (opt-in: {{.Profile.OptIn}}, notice at collection: {{.Profile.NoticeAtCollection}}, honours Sec-GPC: {{.Profile.HonourGPC}}, disclosure required: {{.Profile.RequireDisclosure}})</td></tr>
<tr><th>Privacy policy</th><td>{{.Config.PrivacyPolicyURL}}</td></tr>
</table>

<h2>Data held now</h2>
<table><tr><th>Customers (data keys)</th><th>Conversations</th><th>Messages</th><th>Contact details</th><th>Audit records</th><th>Oldest message</th></tr>
<tr><td>{{.Stats.Subjects}}</td><td>{{.Stats.Sessions}}</td><td>{{.Stats.Messages}}</td><td>{{.Stats.Contacts}}</td><td>{{.Stats.AuditRecords}}</td><td>{{if .Stats.Oldest.IsZero}}—{{else}}{{.Stats.Oldest.Format "2006-01-02"}}{{end}}</td></tr></table>

<h2>Consent decisions</h2>
<table><tr><th>Granted</th><th>Declined</th><th>Withdrawn</th></tr>
<tr><td>{{index .Stats.Consents "granted"}}</td><td>{{index .Stats.Consents "declined"}}</td><td>{{index .Stats.Consents "withdrawn"}}</td></tr></table>

<h2>Data-subject requests</h2>
<table><tr><th>Exports</th><th>Erasures</th><th>Rectifications</th><th>Opt-outs</th></tr>
<tr><td>{{index .Stats.Requests "export"}}</td><td>{{index .Stats.Requests "erasure"}}</td><td>{{index .Stats.Requests "rectification"}}</td><td>{{index .Stats.Requests "opt-out"}}</td></tr></table>
{{template "rights" .Rights}}

<h2>Knowledge base</h2>
<p>{{.KBArticles}} articles from {{.KBSource}}.</p>
{{if .Calibration}}<p>Answering: {{.Calibration}} (<code>answer.threshold</code>).</p>{{end}}
{{if .KBError}}<p class="bad">The knowledge base could not be opened: {{.KBError}}</p>{{end}}
{{range .PolicyLinks}}<p class="bad">{{.}}</p>
{{end}}{{if .Lint}}<table><tr><th>Article</th><th>Finding</th></tr>{{range .Lint}}<tr><td>{{.ID}}</td><td>{{.Rule}}: {{.Message}}</td></tr>{{end}}</table>{{else}}<p class="ok">No lint findings.</p>{{end}}

<h2>Questions to review</h2>
{{if .Review}}<p>Questions the assistant could not answer, or answered only by a suggestion the customer picked, grouped and most asked first (personal data redacted).
Add one to its article's asked questions with <code>deskbot kb review --accept REF</code>, REF being the question's reference below (it is then answered when asked again), or write an article or an example question for it.</p>
<table><tr><th>#</th><th>Ref</th><th>Asked</th><th>Last</th><th>Question</th><th>Likely article</th></tr>
{{range .Review}}<tr><td>{{.N}}</td><td><code>{{.Ref}}</code></td><td>{{.Count}}</td><td>{{.Last.Format "2006-01-02"}}</td><td>{{.Question}}</td><td>{{.Likely}}{{if .Known}}; already listed in {{.Known}}{{end}}</td></tr>
{{end}}</table>{{if .ReviewMore}}<p><small>{{.ReviewMore}} more: see <code>deskbot kb review</code>.</small></p>{{end}}{{else}}<p>None recorded.</p>{{end}}

<h2>Rules enforced inline</h2>
<table><tr><th>Rule</th><th>How</th></tr>{{range .RuleSummary}}<tr><td>{{.ID}}</td><td>{{.How}}</td></tr>{{end}}</table>
</body></html>
`))

var enforcedRules = []ruleRow{
	{"DISC-1, DISC-2", "First message of every session and connection is the AI disclosure, shown in an aria-live log before input focus"},
	{"DISC-3", "Configuration with the disclosure disabled refuses to start"},
	{"DISC-4, DISC-6", "Asked whether it is human, the assistant says it is automated; agent turns are labelled human"},
	{"CONS-1..5", "Per-purpose opt-in with versioned text and hash in a ledger; one-step withdrawal; answers work without consent"},
	{"MIN-1, MIN-2, PCI-1, PCI-2", "E-mail, phone, card (Luhn), IBAN, SSN, CVV and health terms redacted before storage; cards masked, never echoed"},
	{"SEC-1", "Transcripts and personal data encrypted at rest with per-customer keys wrapped by a master key"},
	{"DSR-1, DSR-2, DSR-4", "Export as versioned JSON, erasure by crypto-shredding, in chat and on the command line"},
	{"RET-1", "Per-category retention enforced by an audited purge job"},
	{"HUM-2, ACC-1", "Requests for a person answered by handover or an offline notice; answers only from cited articles, else an offer of a person"},
	{"AUD-1", "Hash-chained audit log verified by deskbot audit verify"},
	{"JUR-1", "eu and us-ca profiles; Sec-GPC recorded; unknown profile means strictest"},
	{"DSR-3", "Every data-subject request has a status and its profile's deadlines; open ones are listed here with days left"},
	{"DSR-5", "Contact details corrected in chat or with deskbot privacy rectify; the old value is removed everywhere"},
	{"BRCH-1", "Breach records with counts from the store and the 72-hour deadline (deskbot incident)"},
	{"MIN-3, DPIA-1", "health_mode off by default; on only with dpia_reference, separate consent for health and shorter retention"},
	{"HUM-1", "Articles marked human_review are never the final word: a person is offered to review the decision"},
	{"ACC-3", "The assistant claims only actions the system confirmed; the scenario suite checks every bot message and kb lint every article"},
}

// reportReviewRows is how many review groups the report lists.
const reportReviewRows = 50

// cmdReport writes the compliance report (HTML) from live config and data.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cf := newFlags("report", stderr, false)
	output := fs.String("output", "", "write the report to FILE instead of standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	// The source is the one the key was really loaded from, not a guess
	// from which variables are set.
	st, _, keySrc, err := openDataStore(ctx, cfg, existingStore, os.Getenv, commandLogger(stderr))
	if err != nil {
		return err
	}
	defer st.Close()
	d := reportData{Generated: time.Now(), Config: cfg, Profile: compliance.LookupProfile(cfg.Profile), RuleSummary: enforcedRules}
	switch keySrc {
	case compliance.KeySourceEnv:
		d.KeySource = "DESKBOT_MASTER_KEY"
	case compliance.KeySourceFile:
		d.KeySource = "key file outside the data dir"
	default:
		d.KeySource = "key file beside the data (move it!)"
	}
	if d.Stats, err = st.Stats(ctx); err != nil {
		return err
	}
	d.ChainCount, err = st.VerifyAudit(ctx)
	d.ChainOK = err == nil
	if err != nil {
		d.ChainError = err.Error()
	}
	src, err := kbSource("", cfg.KBDir)
	if err != nil {
		return err
	}
	d.KBSource = "the embedded demo knowledge base"
	if cfg.KBDir != "" {
		d.KBSource = cfg.KBDir
	}
	arts, _ := kb.LoadFS(src)
	d.KBArticles = len(arts)
	d.Lint = kb.Lint(arts, time.Now())
	d.PolicyLinks = cfg.MissingPolicyArticles(hasArticle(arts))
	// A private index, so the report never touches the one a running
	// server uses; without it the review list still lists the questions.
	b, cleanup, err := openTempKB(ctx, "", cfg.KBDir)
	if err != nil {
		d.KBError = err.Error()
	} else {
		defer cleanup()
		d.Calibration = b.Calibration(cfg.Answer.Threshold).String()
	}
	if d.Review, err = reviewList(ctx, st, b, time.Time{}, cfg.Answer.Threshold); err != nil {
		return err
	}
	if len(d.Review) > reportReviewRows {
		d.Review, d.ReviewMore = d.Review[:reportReviewRows], len(d.Review)-reportReviewRows
	}
	if d.Rights, err = buildRightsReport(ctx, st, cfg, d.Generated); err != nil {
		return err
	}
	for _, warn := range d.Rights.Warnings {
		fmt.Fprintln(stderr, "deskbot report: warning:", warn)
	}
	w, closeOut, err := createOutput(*output, stdout)
	if err != nil {
		return err
	}
	defer closeOut()
	return reportTemplate.Execute(w, d)
}
