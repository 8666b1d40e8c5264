package web

import (
	"context"
	"net/http"
	"sort"

	"deskbot/compliance"
	"deskbot/protocol"
	"deskbot/store"
)

// RequestLog lists data-subject requests (store.Store has it).
type RequestLog interface {
	Requests(ctx context.Context, openOnly bool) ([]store.Request, error)
}

// requests answers GET /agent/api/requests: the open data-subject requests
// with their deadlines and days left, flagged when the next deadline is
// within compliance.RequestWarnDays or has passed (DSR-3). Read-only, for
// every logged-in agent (there are no agent roles); it shows what `deskbot
// report` shows and nothing about the customer: no subject id, no contact
// detail. A test run's agent sees none: the log holds only real requests.
func (c *console) requests(w http.ResponseWriter, r *http.Request, a agentReq) {
	out := protocol.OpenRequests{Requests: []protocol.OpenRequest{}, WarnDays: compliance.RequestWarnDays}
	if c.s.requests == nil || c.desk.AgentTestRun(a.agent.Name) != "" {
		writeAgentJSON(w, http.StatusOK, out)
		return
	}
	reqs, err := c.s.requests.Requests(r.Context(), true)
	if err != nil {
		c.s.log.Error("open requests", "err", err)
		apiError(w, http.StatusInternalServerError, errInternal, "internal error")
		return
	}
	now := c.s.now()
	for _, q := range reqs {
		if !q.Open() {
			continue
		}
		dl := q.Deadlines()
		due, by := q.NextDeadline()
		v := protocol.OpenRequest{ID: q.ID, Kind: q.Kind, Channel: q.Channel, Status: q.Status, Received: q.Received,
			AnswerBy: dl.Answer, Due: due, DueBy: by, DaysLeft: compliance.DaysLeft(now, by), Basis: dl.Basis}
		if !dl.Acknowledge.IsZero() && q.Acknowledged.IsZero() {
			ack := dl.Acknowledge
			v.AcknowledgeBy = &ack
		}
		v.Overdue = now.After(by)
		v.Warn = v.Overdue || v.DaysLeft <= compliance.RequestWarnDays
		out.Requests = append(out.Requests, v)
	}
	sort.SliceStable(out.Requests, func(i, j int) bool { return out.Requests[i].DueBy.Before(out.Requests[j].DueBy) })
	writeAgentJSON(w, http.StatusOK, out)
}
