package conversation

import (
	"context"
	"strings"

	"deskbot/compliance"
	"deskbot/locale"
	"deskbot/protocol"
)

const purposeContact = string(compliance.PurposeContact)

// contactText is the versioned consent wording; its hash goes in the ledger (CONS-4).
func (e *Engine) contactText(s *Session) compliance.ConsentText {
	// CONS-4: the ledger's hash is of the wording shown, in the session's
	// language (config consent.contact.text words it for `language`).
	return e.consentText(s, purposeContact, e.text(s, locale.ConsentContact), e.cfg.Consent.Contact.Version)
}

// consentText is a purpose's versioned wording with the policy link the
// session's profile asks for.
func (e *Engine) consentText(s *Session, purpose, text, version string) compliance.ConsentText {
	policy := e.cfg.PrivacyPolicyURL
	if compliance.LookupProfile(s.Profile).NoticeAtCollection {
		policy = e.cfg.NoticeAtCollectionURL // NOTC-2
	}
	return compliance.NewConsentText(purpose, text, version, policy)
}

// consentRequest asks for opt-in consent to keep contact details; nothing is
// pre-granted and silence is not consent (CONS-1, CONS-2, NOTC-1).
func (e *Engine) consentRequest(s *Session) protocol.ConsentRequest {
	return consentFrame(e.contactText(s))
}

// consentFrame asks the customer to decide on ct.
func consentFrame(ct compliance.ConsentText) protocol.ConsentRequest {
	return protocol.ConsentRequest{Type: protocol.TypeConsentRequest, Purpose: ct.Purpose, Text: ct.Text, PolicyURL: ct.PolicyURL, Version: ct.Version}
}

// consent records an explicit decision; answering keeps working whatever it
// is (CONS-3).
func (e *Engine) consent(ctx context.Context, s *Session, in protocol.Inbound) []protocol.Outbound {
	if in.Purpose == purposeHealth && e.cfg.HealthMode && in.Granted != nil {
		return e.healthConsent(ctx, s, *in.Granted) // MIN-3: health.go
	}
	if in.Purpose != purposeContact || in.Granted == nil {
		return []protocol.Outbound{errorFrame(protocol.ErrBadRequest, "Consent needs purpose \"contact\" and granted true or false.")}
	}
	t := e.newTurn(s)
	decision := compliance.DecisionDeclined
	if *in.Granted {
		decision = compliance.DecisionGranted
	}
	t.customer(map[string]string{"consent": purposeContact, "decision": string(decision)})
	e.contactDecision(t, decision)
	return t.finish(ctx)
}

// contactDecision records the customer's decision on keeping contact
// details, pressed or typed ("yes" to the request), and answers it.
func (e *Engine) contactDecision(t *turn, decision compliance.Decision) {
	s := t.s
	s.st.AskedConsent = false
	e.decide(t, decision)
	switch decision {
	case compliance.DecisionGranted:
		// Contact details typed before the decision are kept only now.
		for _, v := range s.pendingContact {
			e.keepContact(t, v)
		}
		m := e.botMessage(e.text(s, locale.ConsentGranted), false)
		m.Actions = []protocol.Action{{Name: protocol.ActionWithdraw, Label: e.loc.UI(e.lang(s))["withdraw"]}}
		t.send(m)
	default:
		t.send(e.botMessage(e.text(s, locale.ConsentDeclined), false))
	}
	s.pendingContact = nil
}

// decide records a decision for "contact" (recordConsent) and counts it.
func (e *Engine) decide(t *turn, d compliance.Decision) {
	e.obs.Consent(purposeContact, string(d))
	recordConsent(t, e.contactText(t.s), d)
}

// recordConsent writes a ledger row with the text version and hash, and an
// audit entry, for ct's purpose.
func recordConsent(t *turn, ct compliance.ConsentText, d compliance.Decision) {
	r := compliance.ConsentRecord{Purpose: compliance.Purpose(ct.Purpose), Decision: d, TextVersion: ct.Version, TextHash: ct.Hash, At: t.now}
	if t.s.st.Consent == nil {
		t.s.st.Consent = compliance.ConsentState{}
	}
	t.s.st.Consent.Apply(r)
	t.rec.Consents = append(t.rec.Consents, r)
	t.audit(compliance.EventConsent, "customer", "purpose="+ct.Purpose+" decision="+string(d)+" version="+ct.Version)
}

// withdraw takes effect at once and removes kept contact details (CONS-5),
// and, in the same commit, the e-mail addresses and phone numbers typed
// while consent was granted from the stored conversation and left messages
// (MIN-1): they are re-redacted as text typed without consent is.
func (e *Engine) withdraw(t *turn) {
	if !t.s.st.Consent.Granted(compliance.PurposeContact) {
		if e.withdrawHealth(t) { // MIN-3: health.go
			t.send(e.botMessage(e.text(t.s, locale.HealthWithdrawn), false))
			return
		}
		t.send(e.botMessage(e.text(t.s, locale.ConsentNothingToWithdraw), false))
		return
	}
	e.withdrawHealth(t) // one step withdraws every purpose (CONS-5)
	e.decide(t, compliance.DecisionWithdrawn)
	t.rec.DropContacts = true
	t.rec.Redactor = e.detector
	t.rec.Contacts, t.rec.Blinds = nil, nil
	t.s.pendingContact = nil
	t.send(e.botMessage(e.text(t.s, locale.ConsentWithdrawn), false))
}

func (e *Engine) keepContacts(t *turn, fs []compliance.Finding, text string) {
	for _, v := range contactValues(fs, text) {
		e.keepContact(t, v)
	}
}

// keepContact stores one consented contact detail (sealed) and, for
// e-mail, a keyed lookup hash so `deskbot privacy export --email` finds it.
func (e *Engine) keepContact(t *turn, v string) {
	t.rec.Contacts = append(t.rec.Contacts, []byte(v))
	if e.blind != nil && strings.Contains(v, "@") {
		t.rec.Blinds = append(t.rec.Blinds, e.blind("email", NormaliseEmail(v)))
	}
}

// NormaliseEmail makes equal addresses hash alike.
func NormaliseEmail(v string) string { return strings.ToLower(strings.TrimSpace(v)) }
