package compliance

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Purpose names one thing a customer may consent to (CONS-2: one choice
// per purpose). Configuration may define purposes beyond PurposeContact.
type Purpose string

// PurposeContact: keep the contact details the customer typed so the team
// can reply by e-mail or phone.
const PurposeContact Purpose = "contact"

// Default consent text for PurposeContact, in plain language (CONS-2).
const (
	DefaultContactText    = "May we keep the contact details you typed, so our team can reply to you by e-mail or phone? We keep them encrypted, use them only to answer this request, and delete them after the retention period. You can withdraw at any time by saying \"withdraw consent\"."
	DefaultContactVersion = "1"
)

// ConsentText is the exact wording shown for a purpose. CONS-4: the ledger
// stores Version and Hash with every decision so it can prove what the
// customer saw.
type ConsentText struct {
	Purpose   string
	Text      string
	Version   string
	Hash      string // hex SHA-256 of Text
	PolicyURL string
}

// NewConsentText builds a ConsentText with its hash.
func NewConsentText(purpose, text, version, policyURL string) ConsentText {
	sum := sha256.Sum256([]byte(text))
	return ConsentText{
		Purpose:   purpose,
		Text:      text,
		Version:   version,
		Hash:      hex.EncodeToString(sum[:]),
		PolicyURL: policyURL,
	}
}

// DefaultContactConsent is the built-in text for PurposeContact.
func DefaultContactConsent(policyURL string) ConsentText {
	return NewConsentText(string(PurposeContact), DefaultContactText, DefaultContactVersion, policyURL)
}

// Decision is a customer's answer to a consent request.
type Decision string

// Decisions recorded in the consent ledger.
const (
	DecisionGranted   Decision = "granted"
	DecisionDeclined  Decision = "declined"
	DecisionWithdrawn Decision = "withdrawn"
)

// ParseDecision accepts the ledger's decision names.
func ParseDecision(s string) (Decision, error) {
	switch d := Decision(s); d {
	case DecisionGranted, DecisionDeclined, DecisionWithdrawn:
		return d, nil
	}
	return "", fmt.Errorf("compliance: unknown consent decision %q", s)
}

// ConsentRecord is one ledger row (CONS-4): which purpose, what was
// decided, against which text, and when.
type ConsentRecord struct {
	Purpose     Purpose
	Decision    Decision
	TextVersion string
	TextHash    string
	At          time.Time
}

// ConsentState is the latest decision per purpose. The zero value (nil) is
// ready to use for reading and means nothing was granted.
type ConsentState map[Purpose]ConsentRecord

// StateFrom folds ledger rows into the current state: per purpose, the row
// with the latest At wins, and among equal times the later row.
func StateFrom(records []ConsentRecord) ConsentState {
	s := make(ConsentState)
	for _, r := range records {
		s.Apply(r)
	}
	return s
}

// Apply records a decision unless an earlier-dated one arrives late. s must
// be non-nil.
func (s ConsentState) Apply(r ConsentRecord) {
	if cur, ok := s[r.Purpose]; ok && r.At.Before(cur.At) {
		return
	}
	s[r.Purpose] = r
}

// Granted reports whether the latest decision for p is a grant.
// CONS-1: silence, a decline and a withdrawal all mean no (CONS-5: a
// withdrawal takes effect at once).
func (s ConsentState) Granted(p Purpose) bool {
	r, ok := s[p]
	return ok && r.Decision == DecisionGranted
}

// GrantedFor reports whether p was granted against exactly this text
// (same hash). When the wording changes, earlier grants do not carry over
// and the customer is asked again (CONS-4).
func (s ConsentState) GrantedFor(t ConsentText) bool {
	r, ok := s[Purpose(t.Purpose)]
	return ok && r.Decision == DecisionGranted && r.TextHash == t.Hash
}

// KeepForConsent returns the keep function for Redact given a customer's
// consent state. MIN-1, CONS-1: e-mail addresses and phone numbers are kept
// only once the contact purpose is granted; everything else is redacted
// before storage (Redact never keeps cards, CVVs or health data anyway).
func KeepForConsent(s ConsentState) func(Kind) bool {
	contact := s.Granted(PurposeContact)
	return func(k Kind) bool {
		return contact && (k == KindEmail || k == KindPhone)
	}
}
