package web

import (
	"deskbot/conversation"
	"deskbot/protocol"
	"deskbot/store"
	"errors"
	"net/http"
)

// handleExport serves the customer's own data: POST /api/v1/export {"session":TOKEN}.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	req, _, refusal := decodeChatRequest(http.MaxBytesReader(w, r.Body, 4096))
	if refusal != nil || req.Session == "" {
		writeJSON(w, http.StatusBadRequest, errorFrame(protocol.ErrBadRequest, "Send {\"session\":\"<token>\"}."))
		return
	}
	doc, err := s.engine.Export(r.Context(), req.Session, "download")
	if err != nil {
		if errors.Is(err, conversation.ErrUnknownSession) || errors.Is(err, store.ErrErased) {
			writeJSON(w, http.StatusNotFound, errorFrame(protocol.ErrNoSession, "Unknown or expired session."))
			return
		}
		s.log.Error("export failed", "err", err)
		writeJSON(w, http.StatusInternalServerError, errorFrame(protocol.ErrInternal, "Could not prepare the export."))
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="my-data.json"`)
	writeJSON(w, http.StatusOK, doc)
}
