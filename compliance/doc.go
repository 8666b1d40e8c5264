// Package compliance holds deskbot's legal machinery as pure functions and
// types: PII detection and redaction, envelope encryption, the audit hash
// chain, consent texts, jurisdiction profiles and the detection of privacy
// and identity questions in customer text. It does no I/O beyond loading the
// master key; storage and the bot engine persist and act on what it computes.
package compliance
