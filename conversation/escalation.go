package conversation

import (
	"deskbot/config"
	"deskbot/intent"
)

// Escalator decides whether a customer message needs a person, and why
// (HUM-2); the phrases it looks for live in package intent.
type Escalator = intent.Escalator

// NewEscalator uses the handover section of the configuration.
func NewEscalator(h config.Handover) *Escalator {
	return intent.NewEscalator(h.SensitiveTopics, h.Frustration)
}

// Escalation reasons as written to the audit log and shown in the queue.
const (
	ReasonRequest     = intent.ReasonRequest
	ReasonMisses      = "misses" // the engine's own: repeated questions it could not answer
	ReasonFrustration = intent.ReasonFrustration
	reasonSensitive   = intent.SensitivePrefix
)
