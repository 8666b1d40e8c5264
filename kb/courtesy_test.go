package kb

import "testing"

func TestStripCourtesy(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Hi, how long does delivery take?", "how long does delivery take?"},
		{"How long does delivery take please?", "How long does delivery take"},
		{"Hi there, how long does delivery take? Thanks", "how long does delivery take?"},
		{"Good morning! Can I pay by invoice? Thank you very much.", "Can I pay by invoice?"},
		{"hola, cuánto cuesta el envío? gracias", "cuánto cuesta el envío?"},
		{"thanks", "thanks"}, // nothing else left: searched as typed
		{"thank you for the refund info", "for the refund info"},           // leading thanks is courtesy too
		{"is the hiking boot waterproof", "is the hiking boot waterproof"}, // "hi" inside words stays
		{"how do I say hello to the team", "how do I say hello to the team"},
	}
	for _, c := range cases {
		if got := stripCourtesy(c.in); got != c.want {
			t.Errorf("stripCourtesy(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
