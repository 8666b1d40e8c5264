package conversation

import "time"

// limiter is a token bucket per session: messages_per_minute sustained,
// burst at once. Callers hold the session lock.
type limiter struct {
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func (e *Engine) newLimiter() *limiter {
	b := float64(e.cfg.Limits.Burst)
	return &limiter{rate: float64(e.cfg.Limits.MessagesPerMinute) / 60, burst: b, tokens: b}
}

func (l *limiter) allow(now time.Time) bool {
	if !l.last.IsZero() {
		l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	}
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}
