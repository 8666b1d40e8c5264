package compliance

import (
	"errors"
	"fmt"
	"strings"
)

// JUR-1: the legal profile decides how consent, notices and the Global
// Privacy Control signal are handled. Unknown names get the strictest
// combination, so a typo never weakens protection.

// Profile names.
const (
	ProfileEU     = "eu"
	ProfileUSCA   = "us-ca"
	ProfileStrict = "strict"
)

// Profile is a jurisdiction's rule set.
type Profile struct {
	Name string
	// OptIn: optional purposes need an affirmative grant before data is
	// kept (GDPR; CONS-1). Without it, consent is opt-out (CCPA).
	OptIn bool
	// NoticeAtCollection: show the Notice at Collection link in the widget
	// (NOTC-2).
	NoticeAtCollection bool
	// HonourGPC: treat "Sec-GPC: 1" as an opt-out of sale/sharing (JUR-1).
	HonourGPC bool
	// RequireDisclosure: the AI disclosure cannot be switched off (DISC-1,
	// DISC-3, DISC-4).
	RequireDisclosure bool
}

// LookupProfile returns the profile for name (case-insensitive): "eu"
// (also the default for an empty name), "us-ca" (alias "california"), and
// for anything else the strictest profile, the union of both.
func LookupProfile(name string) Profile {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", ProfileEU, "eea", "gdpr":
		return Profile{Name: ProfileEU, OptIn: true, RequireDisclosure: true}
	case ProfileUSCA, "us_ca", "california", "ca":
		// SB 1001 (Cal. B&P 17941) requires the bot disclosure too.
		return Profile{Name: ProfileUSCA, NoticeAtCollection: true, HonourGPC: true, RequireDisclosure: true}
	}
	return Profile{Name: ProfileStrict, OptIn: true, NoticeAtCollection: true, HonourGPC: true, RequireDisclosure: true}
}

// ErrDisclosureRequired is returned by ValidateDisclosure.
var ErrDisclosureRequired = errors.New("compliance: the AI disclosure cannot be disabled")

// ValidateDisclosure fails when the disclosure is switched off under a
// profile that requires it (DISC-3: the AI Act has no "obvious" switch for
// consumer chat).
func ValidateDisclosure(p Profile, disclosureEnabled bool) error {
	if p.RequireDisclosure && !disclosureEnabled {
		return fmt.Errorf("%w under profile %q (DISC-3: AI Act Art. 50(1); Cal. B&P 17941)", ErrDisclosureRequired, p.Name)
	}
	return nil
}
