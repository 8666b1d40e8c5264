package app

import (
	"context"
	"html/template"
	"strconv"
	"time"

	"deskbot/config"
	"deskbot/store"
)

// rightsReport is the part of `deskbot report` about open data-subject
// requests and their deadlines (DSR-3), breach records (BRCH-1) and the
// health setting (MIN-3, DPIA-1).
type rightsReport struct {
	Open      []requestRow
	Warnings  []string
	Incidents []incidentRow
	Health    string
}

type requestRow struct {
	ID                         int64
	Kind, Channel, Status      string
	Received                   time.Time
	Acknowledge, Answer, Basis string
	Late                       bool
}

type incidentRow struct {
	ID                          int64
	Found                       time.Time
	What, Categories, Authority string
	Subjects, Records           int
	Encrypted                   bool
	Late                        bool
	Customers                   string
}

func buildRightsReport(ctx context.Context, st *store.Store, cfg config.Config, now time.Time) (rightsReport, error) {
	r := rightsReport{Health: cfg.HealthSummary()}
	reqs, err := st.Requests(ctx, true)
	if err != nil {
		return r, err
	}
	for _, q := range reqs {
		dl := q.Deadlines()
		row := requestRow{ID: q.ID, Kind: q.Kind, Channel: q.Channel, Status: q.Status, Received: q.Received, Basis: dl.Basis,
			Answer: dl.Answer.Format("2006-01-02") + " (" + daysLeftText(now, dl.Answer) + ")", Acknowledge: "—"}
		if !dl.Acknowledge.IsZero() {
			row.Acknowledge = "done " + q.Acknowledged.Format("2006-01-02")
			if q.Acknowledged.IsZero() {
				row.Acknowledge = dl.Acknowledge.Format("2006-01-02") + " (" + daysLeftText(now, dl.Acknowledge) + ")"
			}
		}
		row.Late = now.After(dl.Answer) || (q.Acknowledged.IsZero() && !dl.Acknowledge.IsZero() && now.After(dl.Acknowledge))
		r.Open = append(r.Open, row)
	}
	r.Warnings = requestWarnings(reqs, now)
	incs, err := st.Incidents(ctx)
	if err != nil {
		return r, err
	}
	for _, in := range incs {
		row := incidentRow{ID: in.ID, Found: in.Found, What: in.What, Categories: categoriesText(in.Categories), Subjects: in.Subjects,
			Records: in.Records, Encrypted: in.Encrypted, Authority: authorityText(in, now), Customers: "not notified"}
		if !in.CustomersNotified.IsZero() {
			row.Customers = "notified " + in.CustomersNotified.Format("2006-01-02")
		}
		if in.AuthorityNotified.IsZero() && now.Before(in.NotifyBy()) {
			r.Warnings = append(r.Warnings, "incident "+itoa(in.ID)+": "+authorityText(in, now))
		}
		row.Late = in.AuthorityNotified.IsZero() && now.After(in.NotifyBy())
		if row.Late {
			r.Warnings = append(r.Warnings, "incident "+itoa(in.ID)+": "+authorityText(in, now))
		}
		r.Incidents = append(r.Incidents, row)
	}
	return r, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func init() {
	template.Must(reportTemplate.New("rights").Parse(`
<h3>Open requests (DSR-3)</h3>
{{if .Open}}<table><tr><th>#</th><th>Kind</th><th>Received</th><th>Via</th><th>Status</th><th>Acknowledge by</th><th>Answer by</th></tr>
{{range .Open}}<tr><td>{{.ID}}</td><td>{{.Kind}}</td><td>{{.Received.Format "2006-01-02 15:04"}}</td><td>{{.Channel}}</td><td>{{.Status}}</td><td>{{.Acknowledge}}</td><td{{if .Late}} class="bad"{{end}}>{{.Answer}}</td></tr>
{{end}}</table><p><small>{{(index .Open 0).Basis}}. Close a request with <code>deskbot privacy request close N</code>.</small></p>
{{else}}<p class="ok">No open requests: every request received has been answered.</p>{{end}}
{{range .Warnings}}<p class="bad">{{.}}</p>
{{end}}
<h2>Personal-data breaches (BRCH-1)</h2>
{{if .Incidents}}<table><tr><th>#</th><th>Found</th><th>What</th><th>Subjects</th><th>Records</th><th>Encrypted</th><th>Authority</th><th>Customers</th></tr>
{{range .Incidents}}<tr><td>{{.ID}}</td><td>{{.Found.Format "2006-01-02 15:04"}}</td><td>{{.What}}<br><small>{{.Categories}}</small></td><td>{{.Subjects}}</td><td>{{.Records}}</td><td>{{if .Encrypted}}yes{{else}}no{{end}}</td><td{{if .Late}} class="bad"{{end}}>{{.Authority}}</td><td>{{.Customers}}</td></tr>
{{end}}</table>{{else}}<p>No breaches recorded (<code>deskbot incident add</code> records one).</p>{{end}}
<h2>Health information (MIN-3, DPIA-1)</h2>
<p>{{.Health}}.</p>
`))
}
