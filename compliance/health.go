package compliance

// PurposeHealth: keep the health information the customer types (symptoms,
// conditions, medicines). It exists only in health mode (MIN-3, DPIA-1) and
// is asked separately from PurposeContact (CONS-2).
const PurposeHealth Purpose = "health"

// KeepHealth reports whether health information may be stored for a
// customer: only in health mode, and only once the purpose "health" is
// granted (MIN-2 otherwise: redacted whatever else is consented).
func KeepHealth(healthMode bool, s ConsentState) bool {
	return healthMode && s.Granted(PurposeHealth)
}

// RedactKeepingHealth is Redact, except that health findings are kept when
// keepHealth is true (health mode with consent, MIN-3). Cards and CVVs are
// still always replaced (PCI-1, PCI-2).
func RedactKeepingHealth(text string, fs []Finding, keep func(Kind) bool, keepHealth bool) string {
	if !keepHealth {
		return Redact(text, fs, keep)
	}
	rest := make([]Finding, 0, len(fs))
	for _, f := range fs {
		if f.Kind != KindHealth {
			rest = append(rest, f)
		}
	}
	return Redact(text, rest, keep)
}

// HasHealth reports whether findings include health information.
func HasHealth(fs []Finding) bool {
	for _, f := range fs {
		if f.Kind == KindHealth {
			return true
		}
	}
	return false
}
