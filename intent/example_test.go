package intent_test

import (
	"fmt"

	"deskbot/intent"
)

// One customer message, read once and asked everything the engine asks.
func Example() {
	x := intent.NewEscalator([]string{"legal", "complaint"}, true) // build once, share

	m := intent.Read("Please delete my data!")
	kind, ok := m.Rights()
	fmt.Println(kind, ok, m.AsksIfHuman())

	fmt.Println(intent.Read("are you a bot?").AsksIfHuman())
	fmt.Println(x.Detect("I want to speak to a person"))
	fmt.Println(x.Detect("I'll call my lawyer"))
	fmt.Println(intent.Read("ok thanks, bye 👋").SmallTalk())
	// Output:
	// erase true false
	// true
	// request true
	// sensitive:legal true
	// goodbye true
}
