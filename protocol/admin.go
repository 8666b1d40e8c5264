package protocol

import "time"

// The admin API (/api/v1/admin/*, served only when admin_token is set):
// what the server answers and what QA clients decode.

// AdminSession is GET /api/v1/admin/session: whose conversation a customer
// token opens.
type AdminSession struct {
	Subject   string `json:"subject"`
	SessionID string `json:"session_id"`
	Profile   string `json:"profile"`
}

// AdminSubject is GET /api/v1/admin/subject/{subject}: row counts.
type AdminSubject struct {
	Subject    string `json:"subject"`
	Exists     bool   `json:"exists"`
	Sessions   int    `json:"sessions"`
	Messages   int    `json:"messages"`
	Consents   int    `json:"consents"`
	Contacts   int    `json:"contacts"`
	Unanswered int    `json:"unanswered"`
	Lookups    int    `json:"lookups"`
}

// AdminConsents is GET /api/v1/admin/consents/{subject}.
type AdminConsents struct {
	Records []ExportConsent `json:"records"`
}

// AdminTranscript is GET /api/v1/admin/transcript/{subject}; Erased is set
// when the subject's data was erased.
type AdminTranscript struct {
	Entries []ExportEntry `json:"entries"`
	Erased  bool          `json:"erased,omitempty"`
}

// AuditRecord is one audit log entry as the admin API shows it.
type AuditRecord struct {
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Event   string    `json:"event"`
	Subject string    `json:"subject"`
	Actor   string    `json:"actor"`
	Detail  string    `json:"detail"`
}

// AdminAudit is GET /api/v1/admin/audit: the records and whether the hash
// chain verifies.
type AdminAudit struct {
	Records    []AuditRecord `json:"records"`
	ChainOK    bool          `json:"chain_ok"`
	ChainError string        `json:"chain_error"`
}

// AdminScanRequest is the body of POST /api/v1/admin/scan; the answer is
// a compliance.ScanResult.
type AdminScanRequest struct {
	Needles []string `json:"needles"`
}

// AdminError is the body of every refused admin (and agent console) call.
type AdminError struct {
	Error string `json:"error"`
	// Code names the refusal for the agent console, which shows it in the
	// agent's language (locale key console_err_<code>); Error is the
	// English text. Empty on admin calls.
	Code string `json:"code,omitempty"`
}
