package compliance_test

import (
	"fmt"

	"deskbot/compliance"
)

// The per-message flow: find personal data, redact what the customer has
// not consented to keep, then encrypt what is stored.
func Example() {
	det := compliance.NewDetector(nil) // build once, share
	text := "I'm jane@example.com, card 4111 1111 1111 1111, I'm pregnant"

	var consent compliance.ConsentState // nothing granted yet (CONS-1)
	stored := compliance.Redact(text, det.Find(text), compliance.KeepForConsent(consent))
	fmt.Println(stored)
	fmt.Println(compliance.MaskCards(text))

	master, _, _ := compliance.GenerateMasterKey()
	dk, _ := compliance.NewDataKey()
	wrapped, _ := master.Wrap(dk, "subject-42") // store wrapped; erase = delete it
	sealer, _ := compliance.NewSealer(dk)
	blob := sealer.Seal([]byte(stored), []byte("session-1/msg-1"))
	plain, _ := sealer.Open(blob, []byte("session-1/msg-1"))
	fmt.Println(string(plain) == stored, len(wrapped))
	// Output:
	// I'm [email], card [card ****1111], I'm [health]
	// I'm jane@example.com, card [card ****1111], I'm pregnant
	// true 65
}
