package web

// apiErrorCode names why the console API refused a call. The console
// shows the locale string console_err_<code> in the agent's language
// (locale/messages/*.json), and the English text in the body when a
// language lacks it; scripts can rely on the code rather than the text.
type apiErrorCode string

const (
	errBadRequest          apiErrorCode = "bad_request"          // malformed body, id or value
	errNotLoggedIn         apiErrorCode = "not_logged_in"        // no or expired session
	errCrossOrigin         apiErrorCode = "cross_origin"         // Origin not this site (CSRF defence)
	errCSRF                apiErrorCode = "csrf"                 // missing or wrong X-CSRF-Token
	errLoginFailed         apiErrorCode = "login_failed"         // wrong name or password
	errLoginLocked         apiErrorCode = "login_locked"         // too many failures; Retry-After says when
	errNotWaiting          apiErrorCode = "not_waiting"          // the conversation is not queued or held
	errHeldByOther         apiErrorCode = "held_by_other"        // another agent holds it
	errBadInput            apiErrorCode = "bad_input"            // an empty, invalid or too long reply or note
	errInstanceUnavailable apiErrorCode = "instance_unavailable" // several instances: the customer's is not answering
	errNoSuchMessage       apiErrorCode = "no_such_message"      // a left message already closed
	errErased              apiErrorCode = "erased"               // the customer's data was erased (DSR-2)
	errNotYours            apiErrorCode = "not_yours"            // typing in a conversation the agent does not hold
	errNotFound            apiErrorCode = "not_found"            // no such resource
	errInternal            apiErrorCode = "internal"             // details only in the server log
)
