package editdist

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"DESKBOT_LOG_LEVL", "DESKBOT_LOG_LEVEL", 1},
		{"consent_granted", "consent_granted", 0},
		{"grün", "grun", 1}, // counted in runes, not bytes
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestWithSwaps(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "ab", 2},
		{"recieve", "receive", 1}, // Distance says 2
		{"ab", "ba", 1},
		{"cancle", "cancel", 1},
		{"refnd", "refund", 1},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3}, // no edit of a swapped pair twice
		{"grün", "gürn", 1},
	} {
		if got := WithSwaps(c.a, c.b); got != c.want {
			t.Errorf("WithSwaps(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
