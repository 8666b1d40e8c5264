package intent_test

import (
	"testing"

	"deskbot/intent"
)

// DSR-5: requests to correct the customer's own contact details, and
// look-alikes that are not.
func TestRectify(t *testing.T) {
	cases := []struct {
		text  string
		field string
	}{
		{"I want to correct my email", "email"},
		{"My e-mail is wrong!", "email"},
		{"please update my email address", "email"},
		{"my email address has changed", "email"},
		{"there's a typo in my e-mail", "email"},
		{"my phone number is wrong", "phone"},
		{"My mobile number is out of date", "phone"},
		{"can you change my telephone number", "phone"},
		{"Meine E-Mail-Adresse ist falsch", "email"},
		{"Ich möchte meine Telefonnummer ändern", "phone"},
		{"Mon adresse e-mail est fausse", "email"},
		{"je veux corriger mon numéro de téléphone", "phone"},
		{"Mi correo electrónico es incorrecto", "email"},
		{"quiero cambiar mi teléfono", "phone"},
		{"change my order", ""},
		{"Ich möchte meine Bestellung ändern", ""},
		{"meine E-Mail ist anna@example.com", ""},
		{"quelle est votre adresse e-mail ?", ""},
		{"what is your email?", ""},
		{"my email is anna@example.com", ""},
		{"can I change the delivery address", ""},
		{"fix my account please", ""},
	}
	for _, tc := range cases {
		field, ok := intent.Read(tc.text).Rectify()
		if field != tc.field || ok != (tc.field != "") {
			t.Errorf("Rectify(%q) = %q, %v; want %q", tc.text, field, ok, tc.field)
		}
	}
}
