package web

import (
	"errors"
	"net/http"

	"deskbot/store"
)

// The agents' private note on a conversation (docs/agent-api.md): read
// and saved by agents who may see the conversation, never sent to the
// customer; sealed, exported and erased with the customer's data (DSR-1,
// DSR-4) by the engine and store.

func (c *console) note(w http.ResponseWriter, r *http.Request, a agentReq) {
	n, err := c.e.ConversationNote(r.Context(), r.PathValue("id"), a.ref())
	if err != nil {
		c.noteError(w, err)
		return
	}
	writeAgentJSON(w, http.StatusOK, n)
}

func (c *console) saveNote(w http.ResponseWriter, r *http.Request, a agentReq) {
	var in struct {
		Text *string `json:"text"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Text == nil {
		apiError(w, http.StatusBadRequest, errBadRequest, `expected {"text":"…"} ("" clears the note)`)
		return
	}
	n, err := c.e.SetConversationNote(r.Context(), r.PathValue("id"), a.ref(), *in.Text)
	if err != nil {
		c.noteError(w, err)
		return
	}
	writeAgentJSON(w, http.StatusOK, n)
}

func (c *console) noteError(w http.ResponseWriter, err error) {
	if errors.Is(err, store.ErrErased) {
		apiError(w, http.StatusNotFound, errErased, "the customer's data was erased")
		return
	}
	c.deskError(w, err)
}
