package app

import "io"

// SetReviewInputForTest makes kb review read its prompt answers from r,
// as from a terminal when terminal is set; the returned function restores
// standard input.
func SetReviewInputForTest(r io.Reader, terminal bool) func() {
	old := reviewInput
	reviewInput = func() (io.Reader, bool) { return r, terminal }
	return func() { reviewInput = old }
}
