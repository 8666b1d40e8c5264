package store

import "time"

// WithIdleCheckpointAfter sets how long commits must pause before the
// writer checkpoints the WAL: the WAL-damage tests need the frames to stay
// in the WAL even when a slow machine pauses between commits.
func WithIdleCheckpointAfter(o Options, d time.Duration) Options {
	o.idleAfter = d
	return o
}
