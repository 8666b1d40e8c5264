package conversation

import "time"

// Outcome kinds passed to Observer.Outcome.
const (
	OutcomeAnswer     = "answer"     // an article's text with its source
	OutcomeSuggestion = "suggestion" // "did you mean …?" with article buttons
	OutcomeMiss       = "miss"       // cannot confirm from the articles
	OutcomeSmallTalk  = "small_talk" // a greeting, thanks, goodbye or acknowledgement
)

// Observer is told what the engine does, e.g. to export metrics. It gets
// kinds, reasons, decisions and durations only, never text or identifiers.
// Its methods must be cheap and safe for concurrent use.
type Observer interface {
	Turn()                            // a customer frame handled
	Reply(took time.Duration)         // from the frame to its committed reply
	Outcome(kind string)              // OutcomeAnswer, OutcomeSuggestion, OutcomeMiss, OutcomeSmallTalk
	Handover(reason string)           // Reason* ("sensitive:<topic>" included)
	Consent(purpose, decision string) // a consent decision (granted, declined, withdrawn)
	Rights(kind string)               // a data-subject request answered (export, erasure)
}

type noObserver struct{}

func (noObserver) Turn()                  {}
func (noObserver) Reply(time.Duration)    {}
func (noObserver) Outcome(string)         {}
func (noObserver) Handover(string)        {}
func (noObserver) Consent(string, string) {}
func (noObserver) Rights(string)          {}

func observerOr(o Observer) Observer {
	if o == nil {
		return noObserver{}
	}
	return o
}

func (e *Engine) observeReply(start time.Time) { e.obs.Reply(time.Since(start)) }

// SetThreshold changes answer.threshold while running (a configuration
// reload); 0 lets the knowledge base use its calibrated default.
func (e *Engine) SetThreshold(t float64) { e.reloaded.Store(&t) }

// Threshold is the answer.threshold in effect.
func (e *Engine) Threshold() float64 {
	if t := e.reloaded.Load(); t != nil {
		return *t
	}
	return e.threshold
}
