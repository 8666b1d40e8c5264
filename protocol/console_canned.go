package protocol

// CannedResponse is one of the owner's prepared replies
// (console.canned_responses, console.canned_file).
type CannedResponse struct {
	Shortcut string `json:"shortcut"`
	Text     string `json:"text"`
}

// CannedResponses answers GET /agent/api/canned.
type CannedResponses struct {
	Responses []CannedResponse `json:"responses"`
}
