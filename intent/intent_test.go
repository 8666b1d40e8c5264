package intent

import (
	"slices"
	"testing"

	"deskbot/config"
)

// DSR-1/DSR-2 export, DSR-4 erase, CONS-5 withdraw.
func TestRights(t *testing.T) {
	tests := []struct {
		text string
		want string // "" = no request
	}{
		// DSR-1/DSR-2 export
		{"send me my data", RightsExport},
		{"Please send me my personal data.", RightsExport},
		{"What data do you have about me?", RightsExport},
		{"what personal information do you hold on me", RightsExport},
		{"what do you know about me?", RightsExport},
		{"Can you give me a copy of my data", RightsExport},
		{"I'd like to download my data", RightsExport},
		{"export my data please", RightsExport},
		{"I want to access my data", RightsExport},
		{"this is a subject access request", RightsExport},
		{"Schicken Sie mir bitte meine Daten", RightsExport},
		{"Welche Daten haben Sie über mich?", RightsExport},
		{"welche daten speichern sie uber mich", RightsExport},
		{"Ich möchte eine Kopie meiner Daten", RightsExport},
		{"Envoyez-moi mes données", RightsExport},
		{"Quelles données avez-vous sur moi ?", RightsExport},
		{"je veux une copie de mes données", RightsExport},
		{"Envíame mis datos", RightsExport},
		{"¿Qué datos tienen sobre mí?", RightsExport},
		{"quiero descargar mis datos", RightsExport},
		// DSR-4 erase
		{"delete my data", RightsErase},
		{"can i have a copy of all the data you have on me", RightsExport},
		{"please delete everything you have about me", RightsErase},
		{"i want my data deleted", RightsErase},
		{"i dont want you keeping my phone number", RightsWithdraw},
		{"do you delete everything you have about me?", ""}, // a question about retention
		{"how do I delete my email?", ""},                   // a webmail help desk's question
		{"how do i delete my email account", ""},            // so is this
		{"Please DELETE ALL MY DATA!", RightsErase},
		{"forget me", RightsErase},
		{"Forget me, please.", RightsErase},
		{"erase my data", RightsErase},
		{"remove my personal information", RightsErase},
		{"delete this conversation", RightsErase},
		{"remove me from your database", RightsErase},
		{"I invoke my right to be forgotten", RightsErase},
		{"Löschen Sie meine Daten", RightsErase},
		{"bitte meine Daten löschen", RightsErase},
		{"lösche meine Daten", RightsErase},
		{"Supprimez mes données", RightsErase},
		{"oubliez-moi", RightsErase},
		{"j'ai droit à l’oubli", RightsErase},
		{"Borra mis datos", RightsErase},
		{"por favor eliminen mis datos", RightsErase},
		{"olvídame", RightsErase},
		// CONS-5 withdraw
		{"withdraw my consent", RightsWithdraw},
		{"I withdraw consent", RightsWithdraw},
		{"I'm withdrawing my consent", RightsWithdraw},
		{"stop storing my contact details", RightsWithdraw},
		{"please stop keeping my email", RightsWithdraw},
		{"revoke consent", RightsWithdraw},
		{"delete my phone number", RightsWithdraw},
		{"please remove my email address", RightsWithdraw},
		{"can you delete my number pls", RightsWithdraw},
		{"don't keep my email", RightsWithdraw},
		{"Bitte löschen Sie meine Telefonnummer", RightsWithdraw},
		{"I revoke my consent.", RightsWithdraw},
		{"I no longer consent", RightsWithdraw},
		{"Ich widerrufe meine Einwilligung", RightsWithdraw},
		{"Einwilligung widerrufen", RightsWithdraw},
		{"je retire mon consentement", RightsWithdraw},
		{"retiro mi consentimiento", RightsWithdraw},
		{"can you delete my data", RightsErase},
		{"could you please erase all my data", RightsErase},
		{"please delete this chat", RightsErase},
		{"I want you to delete my data now", RightsErase},
		// not rights requests
		{"do you delete the chat after a while?", ""},
		{"do you delete my data after a while?", ""},
		{"do u delete the chat", ""},
		{"how long until you delete my data", ""},
		{"when do you delete my data?", ""},
		{"is my data deleted automatically?", ""},
		{"will my chat history be deleted", ""},
		{"how do I delete my data?", ""},
		{"if i delete my chat do i lose my booking", ""},
		{"werden meine Daten automatisch gelöscht?", ""},
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
		{"send me, my data", ""}, // a phrase does not run across punctuation
		{"I want a human", ""},
		{"where is my parcel", ""},
		{"", ""},
	}
	for _, tc := range tests {
		m := Read(tc.text)
		got, ok := m.Rights()
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("Rights(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
}

// DISC-4: questions about the bot's identity are recognised so the bot can
// answer truthfully; requests for a person are not identity questions.
func TestAsksIfHuman(t *testing.T) {
	yes := []string{
		"are you a bot?", "Are you a bot", "are you human?", "ARE YOU HUMAN", "are you real",
		"are you a real person?", "Are you an AI?", "are you a robot or a human?", "r u a bot",
		"are you really a bot?", "you're a bot?", "you’re a bot?", "am I talking to a real person?",
		"Am I chatting with a bot", "am i speaking to a human", "is this a robot", "is this an AI",
		"Is this a bot?", "is this automated?", "is this a real person?", "is it a human or a bot?",
		"is there a real person behind this?", "hmm, are you human? I need help",
		"bist du ein Mensch?", "Sind Sie ein Bot?", "ist das ein Roboter?", "rede ich mit einem Menschen?",
		"êtes-vous un robot ?", "etes vous un robot", "es-tu un humain?", "c'est un robot ?",
		"je parle à un humain ?", "¿eres humano?", "¿Es usted un robot?", "estoy hablando con una persona real?",
		"are these answers automated?",
		"hi is there a real person there? i need to talk about my wedding hair", "is anyone there?",
		"is there a human here?",
	}
	no := []string{
		"is a human reviewing my refund?", "can a real person check my order", "I want to talk to a human",
		"can I speak to a real person please", "human", "is this a robot vacuum cleaner?",
		"are you open on sunday?", "are you able to ship to Canada?", "are you sure?",
		"is this real leather?", "are you really out of stock?", "is it human readable",
		"my son is a real person fan", "Is there a real person I can talk to?",
		"ich möchte mit einem Menschen sprechen", "je veux parler à quelqu'un",
		"quiero hablar con un agente", "where is my order", "you're a bot", "",
	}
	checkReads(t, "AsksIfHuman", Message.AsksIfHuman, yes, no)
}

// HUM-2: typed requests to leave a message start the leave-a-message flow
// as the button does; questions about messages are questions.
func TestLeavesMessage(t *testing.T) {
	yes := []string{
		"leave a message", "Leave a message please", "can I leave a message?", "i want to leave a message",
		"I'd like to leave a message for the team", "leave msg", "leave a msg pls", "ok, I'll leave a note",
		"could you take a message?", "Nachricht hinterlassen", "ich möchte eine Nachricht hinterlassen",
		"je voudrais laisser un message", "quiero dejar un mensaje",
	}
	no := []string{
		"did you get the message I left yesterday?", "how do I leave a review", "my parcel had a note on it",
		"where is my order", "leave a message saying when the parcel is coming", "send me the message again",
		"can I leave my bike overnight", "",
	}
	checkReads(t, "LeavesMessage", Message.LeavesMessage, yes, no)
}

// HUM-2: asking to be called back, and questions about calls that are not.
func TestAsksCallback(t *testing.T) {
	yes := []string{
		"can someone call me back about a bridal booking? my number is [phone]", "call me back please",
		"pls call me", "could somebody ring me", "i'd like a callback", "can i get a call back",
		"callback please", "please phone me on [phone]", "why has nobody called me back",
		"Rufen Sie mich bitte zurück", "ich bitte um Rückruf", "rappelez-moi svp", "llámenme por favor",
	}
	no := []string{
		"will you call me when it's ready?", "do you call when my bike is done", "what number do I call",
		"can I call you", "i tried to call you", "what is a call back fee", "", "call centre hours",
	}
	checkReads(t, "AsksCallback", Message.AsksCallback, yes, no)
}

// HUM-2: explicit requests for a person, with misspellings and other languages.
func TestWantsHuman(t *testing.T) {
	yes := []string{
		"I want a human", "agent", "Agent!", "real person", "can I speak to a real person please",
		"Let me talk to a representative", "representative", "operator please", "human pls",
		"connect me with someone from your team", "I need to speak with a person",
		"get me a humna", "talk to an agnet", "I want to speak to a reprsentative",
		"Ich möchte mit einem Menschen sprechen", "einen Mitarbeiter bitte",
		"je veux parler à un humain", "un conseiller s'il vous plaît", "je veux parler à quelqu’un",
		"quiero hablar con una persona", "un agente por favor", "Is there a real person I can talk to?",
		"Can I speak to a receptionist please?", "can I talk to a vet", "put me through to reception",
		"can i speak to a nurse", "I want to talk to the owner",
	}
	no := []string{
		"is a human reviewing my refund?", "does a person check the returns?", "How do I return an item?",
		"what is your warranty", "can a real person see my data?", "how much does shipping cost",
		"my tent has a hole", "is anyone reading this?", "the agent said my refund was sent last week",
		"does a vet check my dog before the vaccination?", "is the reception open on sunday",
		"the nurse said to ring back", "how much is a vet check",
		"",
	}
	checkReads(t, "WantsHuman", Message.WantsHuman, yes, no)
}

// HUM-2: the reason a message goes to a person, in the order the
// Escalator checks: a request, then sensitive topics, then frustration.
func TestEscalatorReasons(t *testing.T) {
	x := NewEscalator(allTopics, true)
	tests := []struct{ text, want string }{
		{"I want to talk to a human", ReasonRequest},
		{"agent!!! now", ReasonRequest},
		{"I'll get a lawyer involved", "sensitive:legal"},
		{"my solicitors will hear about this", "sensitive:legal"},
		{"I will sue you", "sensitive:legal"},
		{"I'm taking you to court", "sensitive:legal"},
		{"Ich gehe zum Anwalt", "sensitive:legal"},
		{"I want to make a complaint", "sensitive:complaint"},
		{"je veux faire une réclamation", "sensitive:complaint"},
		{"my son had an allergic reaction to the snack", "sensitive:medical"},
		{"I burned myself on the kettle", "sensitive:medical"},
		{"mi hija está herida", "sensitive:medical"},
		{"my scalp is really itchy and burning since my colour on tuesday", "sensitive:medical"},
		{"came up in a rash after the dye", "sensitive:medical"},
		{"i think i had a reaction to the bleach", "sensitive:medical"},
		{"her eyes are swollen", "sensitive:medical"},
		{"the dogs skin is red and sore after grooming", "sensitive:medical"},
		{"I want to cancel my gym membership", "sensitive:cancellation"},
		{"please terminate the contract", "sensitive:cancellation"},
		{"ich will kündigen", "sensitive:cancellation"},
		{"den Mietvertrag beenden", "sensitive:cancellation"},
		{"je veux annuler mon abonnement", "sensitive:cancellation"},
		{"je veux résilier", "sensitive:cancellation"},
		{"quiero cancelar el contrato", "sensitive:cancellation"},
		{"this is useless", ReasonFrustration},
		{"you're not helping", ReasonFrustration},
		{"your useless", ReasonFrustration},
		{"I already told you", ReasonFrustration},
		{"what the f**k", ReasonFrustration},
		{"WHY IS MY ORDER STILL NOT HERE", ReasonFrustration},
		{"where is my order!!!", ReasonFrustration},
		{"what?!?! again", ReasonFrustration},
		{"Ich bin genervt", ReasonFrustration},
		{"ça ne sert à rien", ReasonFrustration},
		// not escalations
		{"THANK YOU SO MUCH FOR THE HELP", ""}, // capitals with thanks are joy
		{"great, thanks!!!", ""},
		{"I want to cancel my order", ""},
		{"is this wool itchy", ""},
		{"how long does the chemical reaction in a perm take", ""},
		{"do you do red hair colour", ""},
		{"I want to end the call", ""},
		{"is the court shoe in stock", ""},
		{"how do I return an item?", ""},
		{"I goofed up and used the wrong account", ""},
		{"the plan: cancel nothing, keep my account", "sensitive:cancellation"}, // within 20 characters, as before
		{"", ""},
	}
	for _, tc := range tests {
		got, ok := x.Detect(tc.text)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("Detect(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
	// Only the configured topics, and frustration only when asked for.
	off := NewEscalator([]string{"legal"}, false)
	for _, s := range []string{"I want to make a complaint", "this is useless", "cancel my subscription"} {
		if r, ok := off.Detect(s); ok {
			t.Errorf("with legal only and no frustration, Detect(%q) = %q", s, r)
		}
	}
	if r, _ := off.Detect("I'll call my lawyer"); r != "sensitive:legal" {
		t.Errorf("with legal only, a lawyer reads %q", r)
	}
}

// Every topic name the configuration accepts has phrases here.
func TestTopicsMatchConfig(t *testing.T) {
	got, want := Topics(), config.KnownSensitiveTopics()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Topics() = %v, config knows %v", got, want)
	}
	for _, name := range config.Defaults(t.TempDir()).Handover.SensitiveTopics {
		if !slices.Contains(got, name) {
			t.Errorf("default topic %q has no phrases", name)
		}
	}
}

// Small talk is never a miss and never brings a person (HUM-2 counts only
// real questions); look-alikes that carry a question must not be small talk.
func TestSmallTalk(t *testing.T) {
	cases := []struct {
		text string
		want SmallTalkKind // "" means not small talk
	}{
		{"hi", Greeting},
		{"Hello there", Greeting},
		{"good morning", Greeting},
		{"hey!", Greeting},
		{"Hiii", Greeting},
		{"hi team", Greeting},
		{"how's it going?", Greeting},
		{"👋", Greeting},
		// Openers asking for help with nothing named yet (a boutique trial:
		// "hi can u help me" was offered the sizing article).
		{"hi can u help me", Greeting},
		{"i have a question", Greeting},
		{"hello i need some help", Greeting},
		{"Hi, I have a quick question", Greeting},
		{"can you help me with my order", ""},
		{"i have a question about returns", ""},
		{"thanks!", Thanks},
		{"thank you so much", Thanks},
		{"Thank you very much for your help", Thanks},
		{"ty", Thanks},
		{"cheers", Thanks},
		{"🙏", Thanks},
		{"merci!", Thanks},
		// Typed the way customers type them (a new owner's trial).
		{"thank u", Thanks},
		{"thank u so much", Thanks},
		{"thanks mate", Thanks},
		{"cheers mate!", Thanks},
		{"thats everything", Goodbye},
		{"that's everything, thank you", Goodbye},
		{"thats all i needed thanks", Goodbye},
		{"ciao", Goodbye},
		{"bye", Goodbye},
		{"ok thanks, bye", Goodbye},
		{"see you", Goodbye},
		{"that's all", Goodbye},
		{"That’s all, thanks", Goodbye},
		{"Tschüss", Goodbye},
		{"ok", Acknowledge},
		{"okay", Acknowledge},
		{"cool", Acknowledge},
		{"cooool", Acknowledge},
		{"great", Acknowledge},
		{"got it", Acknowledge},
		{"Okkk", Acknowledge},
		{"yes", Acknowledge},
		{"no", Acknowledge},
		{"lol", Acknowledge},
		{"haha", Acknowledge},
		{"lmaooo", Acknowledge},
		{"😂", Acknowledge},
		{"👍", Acknowledge},
		{"ok 👍", Acknowledge},
		// The four shipped languages, not only English.
		{"Guten Morgen", Greeting},
		{"buenos días", Greeting},
		{"salut !", Greeting},
		{"Vielen Dank!", Thanks},
		{"merci beaucoup", Thanks},
		{"muchas gracias", Thanks},
		{"Auf Wiedersehen", Goodbye},
		{"danke, tschüss", Goodbye},
		{"hasta luego", Goodbye},
		{"ja", Acknowledge},
		{"oui", Acknowledge},
		{"d'accord", Acknowledge},
		{"Sí", Acknowledge},
		{"vale", Acknowledge},
		{"alles klar", Acknowledge},
		{"Ja, bitte", Acknowledge},
		{"Oui, s'il vous plaît", Acknowledge},
		{"sí, por favor", Acknowledge},
		{"ja, aber meine Bestellung ist nicht angekommen", ""},
		{"merci mais où est mon colis", ""},

		{"hi, where is my order", ""},
		{"hi, how do I return an item?", ""},
		{"thanks but my parcel never arrived", ""},
		{"no it still doesn't work", ""},
		{"ok so how do I cancel", ""},
		{"thanks for nothing", ""},
		{"yes I want a refund", ""},
		{"no, the wrong size arrived", ""},
		{"help", ""},
		{"returns", ""},
		{"good product?", ""},
		{"", ""},
		{"?!", ""},
	}
	for _, tc := range cases {
		m := Read(tc.text)
		got, ok := m.SmallTalk()
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("SmallTalk(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
}

// HUM-2: only a plain yes accepts the offer of a person.
func TestIsYes(t *testing.T) {
	for s, want := range map[string]bool{
		"yes": true, "Yes please": true, "yeah": true, "yep!": true, "sure": true, "yes thanks": true, "yesss": true,
		"sure, thanks": true, "ok yeah": true, "y": true,
		"no": false, "ok": false, "yes but my order is late": false, "": false, "please": false,
		"yes I want a refund": false, "yes but not now": false,
		"ja": true, "Ja, bitte": true, "ja gerne": true, "oui": true, "Oui, s'il vous plaît": true,
		"sí": true, "Sí, por favor": true, "si gracias": true,
		"nein": false, "non": false, "ja aber später": false, "oui mais pas maintenant": false,
	} {
		if m := Read(s); m.IsYes() != want {
			t.Errorf("IsYes(%q) = %v, want %v", s, !want, want)
		}
	}
}

func TestRead(t *testing.T) {
	for in, want := range map[string][]string{
		"Êtes-vous un ROBOT?":         {"etes", "vous", "un", "robot"},
		"you’re  a bot…":              {"youre", "a", "bot"},
		"Löschen Sie!":                {"loschen", "sie"},
		"Straße, l'oubli":             {"strasse", "loubli"},
		"cafe\u0301 f**k *bold*":      {"cafe", "f**k", "bold"},
		"order #123-45 (2nd attempt)": {"order", "123", "45", "2nd", "attempt"},
		"👍 ok":                        {"ok"},
		"":                            {},
	} {
		m := Read(in)
		if got := m.Words(); !slices.Equal(got, want) {
			t.Errorf("Read(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkReads reports each message of yes that read does not find, and
// each of no that it does.
func checkReads(t *testing.T, name string, read func(Message) bool, yes, no []string) {
	t.Helper()
	for _, s := range yes {
		if !read(Read(s)) {
			t.Errorf("%s(%q) = false, want true", name, s)
		}
	}
	for _, s := range no {
		if read(Read(s)) {
			t.Errorf("%s(%q) = true, want false", name, s)
		}
	}
}
