package conversation

import (
	"context"

	"deskbot/compliance"
	"deskbot/locale"
	"deskbot/protocol"
)

// MIN-3, DPIA-1: in health_mode (a clinic, a pharmacy; refused by config
// without dpia_reference) health information is kept once the customer
// grants consent for the purpose "health", asked separately from contact
// details (CONS-2). Without health_mode, or without that consent, health
// terms are redacted before storage as everywhere else (MIN-2).

const purposeHealth = string(compliance.PurposeHealth)

// keepHealth reports whether this customer's health information may be stored.
func (e *Engine) keepHealth(s *Session) bool {
	return compliance.KeepHealth(e.cfg.HealthMode, s.st.Consent)
}

// healthText is the versioned consent wording for "health" (CONS-4).
func (e *Engine) healthText(s *Session) compliance.ConsentText {
	return e.consentText(s, purposeHealth, e.cfg.Consent.Health.Text, e.cfg.Consent.Health.Version)
}

// askHealthConsent asks for consent for "health" when, in health_mode, the
// customer typed health information and has not decided yet. The message
// was already stored redacted.
func (e *Engine) askHealthConsent(t *turn, findings []compliance.Finding) {
	if !e.cfg.HealthMode || !compliance.HasHealth(findings) {
		return
	}
	if _, decided := t.s.st.Consent[compliance.PurposeHealth]; decided {
		return
	}
	t.send(consentFrame(e.healthText(t.s)))
}

// healthConsent records a decision for "health" (health_mode only).
func (e *Engine) healthConsent(ctx context.Context, s *Session, granted bool) []protocol.Outbound {
	t := e.newTurn(s)
	d := compliance.DecisionDeclined
	if granted {
		d = compliance.DecisionGranted
	}
	t.customer(map[string]string{"consent": purposeHealth, "decision": string(d)})
	e.decideHealth(t, d)
	if granted {
		m := e.botMessage(e.text(s, locale.HealthGranted), false)
		m.Actions = []protocol.Action{{Name: protocol.ActionWithdraw, Label: e.loc.UI(e.lang(s))["withdraw"]}}
		t.send(m)
	} else {
		t.send(e.botMessage(e.text(s, locale.HealthDeclined), false))
	}
	return t.finish(ctx)
}

// decideHealth writes the ledger row and audit entry for "health" (recordConsent) and counts it.
func (e *Engine) decideHealth(t *turn, d compliance.Decision) {
	e.obs.Consent(purposeHealth, string(d))
	recordConsent(t, e.healthText(t.s), d)
}

// withdrawHealth withdraws consent for "health" if it is granted, and
// re-redacts what the customer typed in the same commit (CONS-5): health
// terms are then removed from the stored conversation again. It reports
// whether there was such a consent.
func (e *Engine) withdrawHealth(t *turn) bool {
	if !t.s.st.Consent.Granted(compliance.PurposeHealth) {
		return false
	}
	e.decideHealth(t, compliance.DecisionWithdrawn)
	t.rec.DropContacts = true // the re-redaction path; contact details go only with contact consent, which is withdrawn with it
	t.rec.Redactor = e.detector
	return true
}
