package conversation

import (
	"context"
	"errors"

	"strings"

	"deskbot/compliance"
	"deskbot/intent"
	"deskbot/locale"
	"deskbot/protocol"
	"deskbot/store"
)

// DSR-5 (GDPR Art. 16, CCPA 1798.106): "I want to correct my email", "my
// phone number is wrong", or the action "rectify", lets a customer replace
// the contact details kept for them. Consent for contact details is still
// required (CONS-1): without it nothing is kept, so the new address goes
// through the usual consent request. With it, the store replaces the kept
// details (store.Rectify: the old value deleted with its lookup hash and
// removed from every stored line, a rectification request and audit record).

// ActionRectify is the client action that starts a correction; its id
// names the field: "email" (also when there is no id) or "phone".
const ActionRectify = "rectify"

// RectifyField reads the id of a "rectify" action (DSR-5): none or "email"
// is the e-mail address, "phone" the phone number (either in any case).
// Any other id ("fax") names nothing the customer can correct; ok is false
// and the action is refused with bad_request: by the engine for a socket
// frame, and by the HTTP mirror before it reaches the engine.
func RectifyField(id string) (field string, ok bool) {
	switch id = strings.TrimSpace(id); {
	case id == "", strings.EqualFold(id, intent.RectifyEmail):
		return intent.RectifyEmail, true
	case strings.EqualFold(id, intent.RectifyPhone):
		return intent.RectifyPhone, true
	}
	return "", false
}

// ErrRectifyField is the refusal of a "rectify" action whose id is neither
// "email" nor "phone".
const ErrRectifyField = `The action "rectify" takes the id "email" (the default) or "phone".`

func kindOf(field string) compliance.Kind {
	if field == "phone" {
		return compliance.KindPhone
	}
	return compliance.KindEmail
}

// rectifyTurn handles a customer message that asks for a correction or
// brings the corrected value after one was asked for. It reports whether
// it handled the turn; otherwise the message goes on as usual (a new
// value typed without consent gets the consent request, and is kept only
// once granted).
func (e *Engine) rectifyTurn(ctx context.Context, t *turn, findings []compliance.Finding, text string, granted bool) bool {
	s := t.s
	field, asked := intent.Read(text).Rectify()
	if !asked {
		field = s.st.Rectify
	}
	if field == "" {
		return false
	}
	var value string
	for _, f := range findings {
		if f.Kind == kindOf(field) {
			value = text[f.Start:f.End]
		}
	}
	switch {
	case value != "" && granted:
		e.rectifyNow(ctx, t, field, value)
		return true
	case value != "":
		return false // the consent request follows; Rectify stays pending
	case asked:
		e.rectifyAsk(t, field)
		return true
	}
	return false
}

// rectifyAsk asks for the corrected value.
func (e *Engine) rectifyAsk(t *turn, field string) {
	t.s.st.Rectify = field
	key := map[string]locale.Key{"email": locale.RectifyAskEmail, "phone": locale.RectifyAskPhone}[field]
	if !t.s.st.Consent.Granted(compliance.PurposeContact) {
		key = map[string]locale.Key{"email": locale.RectifyAskConsentEmail, "phone": locale.RectifyAskConsentPhone}[field]
	}
	t.send(e.botMessage(e.text(t.s, key), false))
}

// rectifyNow replaces the kept value (DSR-5) and confirms only what the
// store confirmed (ACC-3).
func (e *Engine) rectifyNow(ctx context.Context, t *turn, field, value string) {
	s := t.s
	s.st.Rectify = ""
	var blind string
	if field == "email" && e.blind != nil {
		blind = e.blind("email", NormaliseEmail(value))
	}
	s.pendingContact = nil
	_, err := e.store.Rectify(ctx, store.Rectification{Subject: s.Subject, Field: field, New: value, Blind: blind,
		Actor: "customer", Channel: "chat", At: t.now, Detector: e.detector})
	switch {
	case errors.Is(err, store.ErrNoConsent):
		t.send(e.consentRequest(s))
		return
	case err != nil:
		e.log.Error("rectification failed", "session", s.ID, "err", err)
		t.send(e.botMessage(e.text(s, locale.RectifyFailed), false))
		return
	}
	done := map[string]locale.Key{"email": locale.RectifyDoneEmail, "phone": locale.RectifyDonePhone}[field]
	m := e.botMessage(e.text(s, done), false)
	m.Actions = []protocol.Action{{Name: protocol.ActionWithdraw, Label: e.loc.UI(e.lang(s))["withdraw"]}}
	t.send(m)
}

// rectifyAction answers the "rectify" button: it asks for the new value
// of the field RectifyField read (Engine.action refused any other id).
func (e *Engine) rectifyAction(t *turn, field string) {
	e.rectifyAsk(t, field)
}
