package intent_test

import (
	"testing"

	"deskbot/intent"
)

// A message that only gives the contact details the bot asked for (after
// a left message) reads as that answer; the caller takes the details out
// first, so these are the words around them.
func TestOnlyContact(t *testing.T) {
	cases := []struct {
		rest string
		want bool
	}{
		{"", true},
		{"  ", true},
		{"it's ", true},
		{"It’s ", true},
		{"my e-mail is ", true},
		{"sure, you can reach me at  .", true},
		{"here: ", true},
		{" please, thanks!", true},
		{"c'est ", true},
		{"meine E-Mail-Adresse ist ", true},
		{"mi correo es ", true},
		{"where is my order? ", false},
		{"I want a refund, ", false},
		{"what is your email?", false},
		{"do not use ", false},
		{"it is it is it is it is it is", false}, // longer than a few words
	}
	for _, tc := range cases {
		if got := intent.Read(tc.rest).OnlyContact(); got != tc.want {
			t.Errorf("OnlyContact(%q) = %v, want %v", tc.rest, got, tc.want)
		}
	}
}
