// Package compliance holds deskbot's legal machinery as pure functions and
// types: PII detection and redaction, envelope encryption, the audit hash
// chain, consent texts and jurisdiction profiles; what customer text asks
// for (a rights request, whether it is a bot) is read by package intent. It
// does no I/O beyond loading the master key; the store and the conversation
// engine persist and act on what it computes.
package compliance
