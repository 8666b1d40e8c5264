package kb

import (
	"slices"
	"testing"
)

// Customers rarely type accents: "cafe" meets an article's "café", in the
// ranking's words and in the exact-question keys alike.
func TestAccentsFolded(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"When does the Café close?", []string{"when", "does", "the", "cafe", "close"}},
		{"crème brûlée", []string{"creme", "brulee"}},
		{"Straße", []string{"strasse"}},
		{"cafe\u0301 au lait", []string{"cafe", "au", "lait"}}, // a combining accent typed apart
		{"jalapeño señor", []string{"jalapeno", "senor"}},
	} {
		if got := words(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if NormaliseQuestion("When does the café close?") != NormaliseQuestion("when does the cafe close") {
		t.Error("an accent makes another question of the same words")
	}
}
