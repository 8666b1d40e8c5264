package conversation

import (
	"testing"

	"deskbot/compliance"
)

// A message that is only contact details, with a few words around them,
// answers the bot's request for them after a left message; anything more,
// or other personal data, goes through the usual turn (CONS-1, MIN-1).
func TestContactReply(t *testing.T) {
	t.Parallel()
	d := compliance.NewDetector(nil)
	cases := []struct {
		text string
		want bool
	}{
		{"jane@example.com", true},
		{"it's jane@example.com", true},
		{"my email is jane@example.com, thanks", true},
		{"jane@example.com or +44 20 7946 0958", true},
		{"you can reach me at +44 20 7946 0958", true},
		{"where is my order?", false},
		{"jane@example.com where is my refund", false},
		{"jane@example.com my card is 4111 1111 1111 1111", false},
	}
	for _, tc := range cases {
		if got := contactReply(d.Find(tc.text), tc.text); got != tc.want {
			t.Errorf("contactReply(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
