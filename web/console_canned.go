package web

import (
	"net/http"
	"sync"

	"deskbot/protocol"
)

// cannedList holds the owner's canned responses, read once from the
// configuration (checked at start: config.CannedResponses).
type cannedList struct {
	once sync.Once
	list []protocol.CannedResponse
}

// canned answers GET /agent/api/canned: the prepared replies the console
// offers after "/" in the reply box. Logged-in agents only (SEC-2).
func (c *console) canned(w http.ResponseWriter, r *http.Request, a agentReq) {
	c.cannedList.once.Do(func() {
		c.cannedList.list = []protocol.CannedResponse{}
		rs, err := c.s.cfg.CannedResponses()
		if err != nil { // the file changed since the start: say so, serve none
			c.s.log.Error("canned responses", "err", err)
			return
		}
		for _, x := range rs {
			c.cannedList.list = append(c.cannedList.list, protocol.CannedResponse{Shortcut: x.Shortcut, Text: x.Text})
		}
	})
	writeAgentJSON(w, http.StatusOK, protocol.CannedResponses{Responses: c.cannedList.list})
}
