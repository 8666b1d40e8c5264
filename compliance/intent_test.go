package compliance

import "testing"

func TestDetectRightsRequest(t *testing.T) {
	tests := []struct {
		text string
		want string // "" = no request
	}{
		// DSR-1/DSR-2 export
		{"send me my data", "export"},
		{"Please send me my personal data.", "export"},
		{"What data do you have about me?", "export"},
		{"what personal information do you hold on me", "export"},
		{"what do you know about me?", "export"},
		{"Can you give me a copy of my data", "export"},
		{"I'd like to download my data", "export"},
		{"export my data please", "export"},
		{"I want to access my data", "export"},
		{"this is a subject access request", "export"},
		{"Schicken Sie mir bitte meine Daten", "export"},
		{"Welche Daten haben Sie über mich?", "export"},
		{"welche daten speichern sie uber mich", "export"},
		{"Ich möchte eine Kopie meiner Daten", "export"},
		{"Envoyez-moi mes données", "export"},
		{"Quelles données avez-vous sur moi ?", "export"},
		{"je veux une copie de mes données", "export"},
		{"Envíame mis datos", "export"},
		{"¿Qué datos tienen sobre mí?", "export"},
		{"quiero descargar mis datos", "export"},
		// DSR-4 erase
		{"delete my data", "erase"},
		{"Please DELETE ALL MY DATA!", "erase"},
		{"forget me", "erase"},
		{"Forget me, please.", "erase"},
		{"erase my data", "erase"},
		{"remove my personal information", "erase"},
		{"delete this conversation", "erase"},
		{"remove me from your database", "erase"},
		{"I invoke my right to be forgotten", "erase"},
		{"Löschen Sie meine Daten", "erase"},
		{"bitte meine Daten löschen", "erase"},
		{"lösche meine Daten", "erase"},
		{"Supprimez mes données", "erase"},
		{"oubliez-moi", "erase"},
		{"Borra mis datos", "erase"},
		{"por favor eliminen mis datos", "erase"},
		{"olvídame", "erase"},
		// CONS-5 withdraw
		{"withdraw my consent", "withdraw"},
		{"I withdraw consent", "withdraw"},
		{"I'm withdrawing my consent", "withdraw"},
		{"stop storing my contact details", "withdraw"},
		{"please stop keeping my email", "withdraw"},
		{"revoke consent", "withdraw"},
		{"I revoke my consent.", "withdraw"},
		{"I no longer consent", "withdraw"},
		{"Ich widerrufe meine Einwilligung", "withdraw"},
		{"Einwilligung widerrufen", "withdraw"},
		{"je retire mon consentement", "withdraw"},
		{"retiro mi consentimiento", "withdraw"},
		// not rights requests
		{"how do I delete an item from my cart?", ""},
		{"please remove the item from my basket", ""},
		{"send me my order confirmation", ""},
		{"I forgot my password", ""},
		{"what data plans do you have?", ""},
		{"what information do you have on returns?", ""},
		{"I want to withdraw money", ""},
		{"can you cancel my order", ""},
		{"delete my address from the order, it is wrong", ""},
		{"don't forget me when it is back in stock", ""},
		{"I want a human", ""},
		{"where is my parcel", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got, ok := DetectRightsRequest(tc.text)
			if ok != (tc.want != "") || got != tc.want {
				t.Errorf("DetectRightsRequest(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
			}
		})
	}
}

// DISC-4: questions about the bot's identity are recognised so the bot can
// answer truthfully; requests for a person are not identity questions.
func TestAsksIfHuman(t *testing.T) {
	yes := []string{
		"are you a bot?", "Are you a bot", "are you human?", "ARE YOU HUMAN", "are you real",
		"are you a real person?", "Are you an AI?", "are you a robot or a human?", "r u a bot",
		"are you really a bot?", "you're a bot?", "am I talking to a real person?",
		"Am I chatting with a bot", "am i speaking to a human", "is this a robot", "is this an AI",
		"Is this a bot?", "is this automated?", "is this a real person?", "is it a human or a bot?",
		"is there a real person behind this?", "hmm, are you human? I need help",
		"bist du ein Mensch?", "Sind Sie ein Bot?", "ist das ein Roboter?", "rede ich mit einem Menschen?",
		"êtes-vous un robot ?", "etes vous un robot", "es-tu un humain?", "c'est un robot ?",
		"je parle à un humain ?", "¿eres humano?", "¿Es usted un robot?", "estoy hablando con una persona real?",
		"are these answers automated?",
	}
	no := []string{
		"is a human reviewing my refund?", "can a real person check my order", "I want to talk to a human",
		"can I speak to a real person please", "human", "is this a robot vacuum cleaner?",
		"are you open on sunday?", "are you able to ship to Canada?", "are you sure?",
		"is this real leather?", "are you really out of stock?", "is it human readable",
		"my son is a real person fan", "Is there a real person I can talk to?",
		"ich möchte mit einem Menschen sprechen", "je veux parler à quelqu'un",
		"quiero hablar con un agente", "where is my order", "",
	}
	for _, s := range yes {
		if !AsksIfHuman(s) {
			t.Errorf("AsksIfHuman(%q) = false, want true", s)
		}
	}
	for _, s := range no {
		if AsksIfHuman(s) {
			t.Errorf("AsksIfHuman(%q) = true, want false", s)
		}
	}
}

func TestNormaliseIntent(t *testing.T) {
	for in, want := range map[string]string{
		"Êtes-vous un ROBOT?": " etes vous un robot ? ",
		"you’re  a bot…":      " youre a bot ",
		"Löschen Sie!":        " loschen sie ? ",
		"":                    " ",
	} {
		if got := normaliseIntent(in); got != want {
			t.Errorf("normaliseIntent(%q) = %q, want %q", in, got, want)
		}
	}
}
