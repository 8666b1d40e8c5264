package bot

import "testing"

// HUM-2: explicit requests for a person, with misspellings and other languages.
func TestWantsHuman(t *testing.T) {
	yes := []string{
		"I want a human", "agent", "Agent!", "real person", "can I speak to a real person please",
		"Let me talk to a representative", "representative", "operator please", "human pls",
		"connect me with someone from your team", "I need to speak with a person",
		"get me a humna", "talk to an agnet", "I want to speak to a reprsentative",
		"Ich möchte mit einem Menschen sprechen", "einen Mitarbeiter bitte",
		"je veux parler à un humain", "un conseiller s'il vous plaît",
		"quiero hablar con una persona", "un agente por favor",
	}
	no := []string{
		"is a human reviewing my refund?", "does a person check the returns?", "How do I return an item?",
		"what is your warranty", "can a real person see my data?", "how much does shipping cost",
		"my tent has a hole", "is anyone reading this?",
	}
	for _, s := range yes {
		if !WantsHuman(s) {
			t.Errorf("WantsHuman(%q) = false, want true", s)
		}
	}
	for _, s := range no {
		if WantsHuman(s) {
			t.Errorf("WantsHuman(%q) = true, want false", s)
		}
	}
}
