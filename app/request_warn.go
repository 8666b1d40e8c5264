package app

import (
	"context"
	"time"

	"deskbot/compliance"
	"deskbot/store"
)

// DSR-3: the running server warns in its log about each open data-subject
// request whose next deadline is within compliance.RequestWarnDays or has
// passed, at most once per request per day (UTC), from the hourly job that
// also runs the retention purge. The warning names the request's number,
// kind, the deadline due and the days left: no subject id, no contact detail.

// warnRequestsJob is the job's name in job_runs (store.RunOnce).
const warnRequestsJob = "request_deadline_warnings"

// warnRequestDeadlines logs the warnings due now and returns how many it
// logged. store.ClaimRequestWarnings keeps the once-a-day record.
func (a *App) warnRequestDeadlines(ctx context.Context) (int, error) {
	now := a.now()
	reqs, err := a.Store.Requests(ctx, true)
	if err != nil {
		return 0, err
	}
	due := map[int64]store.Request{}
	var ids []int64
	for _, r := range reqs {
		if !r.Open() {
			continue
		}
		if _, by := r.NextDeadline(); compliance.DaysLeft(now, by) <= compliance.RequestWarnDays {
			due[r.ID] = r
			ids = append(ids, r.ID)
		}
	}
	claimed, err := a.Store.ClaimRequestWarnings(ctx, ids, now)
	if err != nil {
		return 0, err
	}
	for _, id := range claimed {
		r := due[id]
		what, by := r.NextDeadline()
		msg := "DSR-3: data-subject request deadline near"
		if now.After(by) {
			msg = "DSR-3: data-subject request overdue"
		}
		a.Log.Warn(msg, "request", r.ID, "kind", r.Kind, "due", what, "due_by", by.Format("2006-01-02"),
			"days_left", compliance.DaysLeft(now, by), "hint", "deskbot privacy request list; deskbot privacy request ack|close N")
	}
	return len(claimed), nil
}

// warnRequestsOnce runs warnRequestDeadlines; on a database shared by
// several instances only one of them runs it per period.
func (a *App) warnRequestsOnce(ctx context.Context, every time.Duration) error {
	if !a.Store.Postgres() {
		_, err := a.warnRequestDeadlines(ctx)
		return err
	}
	_, err := a.Store.RunOnce(ctx, warnRequestsJob, every, a.now(), func(ctx context.Context) error {
		_, err := a.warnRequestDeadlines(ctx)
		return err
	})
	return err
}
