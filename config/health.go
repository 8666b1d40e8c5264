package config

import (
	"fmt"
	"strings"
)

// DefaultHealthConsentText is the built-in request for the purpose
// "health", asked only in health_mode and separately from contact details
// (CONS-2, MIN-3).
const DefaultHealthConsentText = "May we keep the health information you type (symptoms, conditions, medicines) with this conversation, so our team can help you with it? It is kept encrypted, seen only by our staff, and deleted after a short retention period. Without your consent we remove it before storing anything. You can withdraw at any time by saying \"withdraw consent\"."

// validateHealth checks health_mode and the keys it depends on. Health
// information is a special category (GDPR Art. 9): keeping it is high-risk
// processing that needs a data protection impact assessment first (DPIA-1,
// GDPR Art. 35), and HIPAA's minimum-necessary rule keeps the mode off by
// default (MIN-3).
func (c Config) validateHealth(bad func(key, why string) error) error {
	if d := c.Retention.HealthDays; d < 1 || d > 3650 {
		return bad("retention.health_days", "must be between 1 and 3650 days")
	}
	if !c.HealthMode {
		return nil
	}
	if strings.TrimSpace(c.DPIAReference) == "" {
		return bad("health_mode", "keeping health information needs a data protection impact assessment first: set dpia_reference to its reference (e.g. \"DPIA-2026-03, signed 2026-03-01\"), or set health_mode: false (DPIA-1: GDPR Art. 35; MIN-3)")
	}
	if strings.TrimSpace(c.Consent.Health.Text) == "" || strings.TrimSpace(c.Consent.Health.Version) == "" {
		return bad("consent.health", "text and version must both be set when health_mode is on (CONS-4, MIN-3)")
	}
	if strings.EqualFold(strings.TrimSpace(c.Consent.Health.Text), strings.TrimSpace(c.Consent.Contact.Text)) {
		return bad("consent.health.text", "must differ from consent.contact.text: health information needs its own, separate consent (CONS-2, MIN-3)")
	}
	return nil
}

// applyHealthRetention shortens transcript and contact retention to
// retention.health_days in health_mode (MIN-3: kept no longer than needed).
// Without health_mode nothing changes.
func (c *Config) applyHealthRetention() {
	if !c.HealthMode {
		return
	}
	c.Retention.TranscriptsDays = min(c.Retention.TranscriptsDays, c.Retention.HealthDays)
	c.Retention.ContactDays = min(c.Retention.ContactDays, c.Retention.HealthDays)
}

// HealthSummary describes the health setting for reports and logs, without
// any personal data.
func (c Config) HealthSummary() string {
	if !c.HealthMode {
		return "health information is redacted before storage (health_mode off)"
	}
	return fmt.Sprintf("health information is kept with consent for \"health\" (health_mode on, DPIA %s); transcripts and contact details kept at most %d days", c.DPIAReference, c.Retention.HealthDays)
}
