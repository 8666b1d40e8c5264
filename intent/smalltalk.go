package intent

// SmallTalkKind names what a message that carries no question is.
type SmallTalkKind string

// Kinds of small talk; each has its own configurable reply (answer.small_talk.*).
const (
	Greeting    SmallTalkKind = "greeting"
	Thanks      SmallTalkKind = "thanks"
	Goodbye     SmallTalkKind = "goodbye"
	Acknowledge SmallTalkKind = "acknowledge" // ok, got it, a bare yes or no, laughter
)

// smallTalkPhrases are the word sequences small talk is made of. A
// message is small talk only when these (and fillers) cover every word:
// "hi, where is my order" leaves "where is my order" and is a question.
var smallTalkPhrases = map[SmallTalkKind][]string{
	Greeting: {
		"hi", "hello", "hey", "hiya", "heya", "howdy", "yo", "greetings", "hallo", "hola", "bonjour",
		"good morning", "good afternoon", "good evening", "good day", "morning", "evening",
		"how are you", "how are you doing", "how's it going", "what's up",
		"guten morgen", "guten tag", "guten abend", "servus", "moin", "grüß gott",
		"salut", "bonsoir", "buenos días", "buenas tardes", "buenas noches", "buenas",
		// An opener that asks for help without saying with what gets the
		// greeting's "What can I help you with?", not suggestions drawn
		// from "help" or "question".
		"can you help me", "can u help me", "could you help me", "can you help", "can u help", "help me",
		"i need help", "i need some help", "need help", "need some help", "i need a hand",
		"i have a question", "i've got a question", "i have a quick question", "quick question",
		"i have a few questions", "i have some questions", "can i ask a question", "can i ask you something",
		"können sie mir helfen", "ich habe eine frage", "ich brauche hilfe",
		"pouvez vous m'aider", "j'ai une question", "j'ai besoin d'aide",
		"me puede ayudar", "me puedes ayudar", "tengo una pregunta", "necesito ayuda",
	},
	Thanks: {
		"thanks", "thank you", "thankyou", "thx", "thnx", "ty", "tysm", "tyvm", "cheers", "ta",
		"thank u", "thanku", "thank ya", "thanks a bunch", "much obliged",
		"many thanks", "much appreciated", "appreciate it", "appreciated", "i appreciate it",
		"that helps", "that helped", "that's helpful", "very helpful", "helpful",
		"danke", "merci", "gracias",
		"danke schön", "dankeschön", "vielen dank", "danke sehr", "besten dank",
		"merci beaucoup", "merci bien", "muchas gracias", "mil gracias",
	},
	Goodbye: {
		"bye", "goodbye", "bye bye", "byebye", "see you", "see ya", "see you later", "cya", "later",
		"that's all", "that is all", "that's it", "that is it", "nothing else",
		"that's everything", "that is everything", "that's all i needed", "that's all i wanted",
		"have a nice day", "have a good day", "have a great day", "good night", "take care",
		"i'm done", "all done", "i'm good",
		"tschüss", "ciao", "adiós", "au revoir",
		"auf wiedersehen", "bis bald", "schönen tag", "à bientôt", "bonne journée",
		"hasta luego", "hasta pronto", "chao",
	},
	Acknowledge: {
		"ok", "okay", "okey", "k", "kk", "okie", "cool", "great", "got it", "gotcha", "alright", "all right",
		"sure", "fine", "nice", "perfect", "awesome", "understood", "i see", "sounds good", "noted",
		"good", "excellent", "brilliant", "lovely", "right", "makes sense", "fair enough",
		"yes", "yeah", "yep", "yup", "ya", "no", "nope", "nah", "hmm", "hm", "ah", "oh",
		// A polite no is not thanks for help given: "no thanks" to "shall
		// I get a person?" gets "All right", not "You're welcome".
		"no thanks", "no thank you", "no thank u", "no thx", "no ty", "nah thanks", "nope thanks",
		"no need", "not now", "no that's ok", "no that's fine", "no i'm fine", "no i'm good", "no i'm ok",
		"nein danke", "non merci", "no gracias",
		"lol", "lmao", "lmfao", "rofl", "xd",
		"ja", "nein", "genau", "alles klar", "verstanden", "in ordnung", "gut",
		"oui", "non", "d'accord", "compris", "parfait", "très bien",
		"sí", "vale", "entendido", "perfecto", "de acuerdo", "claro", "muy bien", "bueno",
	},
}

// smallTalkFillers may stand around small talk without making it a question.
var smallTalkFillers = []string{
	"so", "very", "much", "a", "lot", "again", "well", "then",
	"you", "u", "there", "all", "everyone", "guys", "team", "folks", "mate", "buddy",
	"for", "your", "the", "help", "info", "answer", "and",
	"uh", "um", "just", "really", "too", "now",
	"please", "pls", "plz",
	"bitte", "schön", "s'il", "vous", "plaît", "te", "por", "favor", "muchas", "mucho",
}

// kindRank orders kinds when a message holds several: "ok thanks, bye" is a goodbye.
var kindRank = map[SmallTalkKind]int{Goodbye: 4, Thanks: 3, Greeting: 2, Acknowledge: 1}

// smallTalkEmoji are emoji that are small talk on their own.
var smallTalkEmoji = map[rune]SmallTalkKind{
	'😂': Acknowledge, '🤣': Acknowledge, '😀': Acknowledge, '😃': Acknowledge, '😄': Acknowledge, '😁': Acknowledge,
	'😆': Acknowledge, '😅': Acknowledge, '🙂': Acknowledge, '😊': Acknowledge, '😉': Acknowledge, '👍': Acknowledge,
	'👌': Acknowledge, '✅': Acknowledge, '🙏': Thanks, '❤': Thanks, '👋': Greeting,
}

// trie holds the small-talk phrases word by word.
type trie struct {
	kind []SmallTalkKind    // per node; "" when no phrase ends there
	next map[[2]int32]int32 // (node, word id) → node
}

func (t *trie) add(words []int32, k SmallTalkKind) {
	node := int32(0)
	for _, id := range words {
		c, ok := t.next[[2]int32{node, id}]
		if !ok {
			c = int32(len(t.kind))
			t.kind = append(t.kind, "")
			t.next[[2]int32{node, id}] = c
		}
		node = c
	}
	if t.kind[node] != "" && t.kind[node] != k {
		panic("intent: small-talk phrase in two kinds")
	}
	t.kind[node] = k
}

// longest returns the length and kind of the longest phrase ws starts
// with, reading each word also with stretched letters squeezed ("hiii",
// "cooool").
func (t *trie) longest(node int32, ws []token, d int) (int, SmallTalkKind) {
	n, k := 0, SmallTalkKind("")
	if t.kind[node] != "" {
		n, k = d, t.kind[node]
	}
	if d == len(ws) {
		return n, k
	}
	ids := [3]int32{ws[d].id, squeezed(ws[d].text, 1), squeezed(ws[d].text, 2)}
	for i, id := range ids {
		if id < 0 || (i > 0 && id == ids[0]) || (i == 2 && id == ids[1]) {
			continue
		}
		if c, ok := t.next[[2]int32{node, id}]; ok {
			if n2, k2 := t.longest(c, ws, d+1); n2 > n {
				n, k = n2, k2
			}
		}
	}
	return n, k
}

// squeezed returns the vocabulary id of w with runs of a repeated letter
// cut to n, as people stretch words in chat; -1 if it is not a known word.
func squeezed(w string, n int) int32 {
	var buf [64]byte
	if len(w) > len(buf) {
		return -1
	}
	k, run := 0, 0
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] {
			run++
		} else {
			run = 1
		}
		if run <= n {
			buf[k] = w[i]
			k++
		}
	}
	if k == len(w) {
		return lang.lookup(w)
	}
	return lang.lookup(string(buf[:k]))
}

// SmallTalk reports whether the message is only small talk, and which
// kind. Anything with content beyond greetings, thanks, goodbyes and
// acknowledgements is not small talk ("no it still doesn't work", "ok so
// how do I cancel"): it goes to the knowledge base like any question.
func (m Message) SmallTalk() (SmallTalkKind, bool) {
	best := m.emoji
	note := func(k SmallTalkKind) {
		if kindRank[k] > kindRank[best] {
			best = k
		}
	}
	ws := m.toks
	for i := 0; i < len(ws); {
		if n, k := lang.smallTalk.longest(0, ws[i:], 0); n > 0 {
			note(k)
			i += n
			continue
		}
		if laughter(ws[i].text) {
			note(Acknowledge)
			i++
			continue
		}
		if ws[i].is(smallTalkFiller) || isClass(squeezed(ws[i].text, 1), smallTalkFiller) {
			i++
			continue
		}
		return "", false
	}
	return best, best != ""
}

// laughter reads "haha", "hehe", "ahah", "lolol", "lmaooo", "rofl".
func laughter(w string) bool {
	switch {
	case w == "rofl":
		return true
	case len(w) >= 4 && w[0] == 'l' && w[1] == 'm':
		r := w[2:]
		if r[0] == 'f' {
			r = r[1:]
		}
		if len(r) < 2 || r[0] != 'a' {
			return false
		}
		for i := 1; i < len(r); i++ {
			if r[i] != 'o' {
				return false
			}
		}
		return true
	case len(w) >= 3 && w[0] == 'l' && len(w)%2 == 1:
		for i := 0; i < len(w); i++ {
			if w[i] != "lo"[i%2] {
				return false
			}
		}
		return true
	}
	// a?(ha|he|hi)+h?
	if len(w) > 0 && w[0] == 'a' {
		w = w[1:]
	}
	if len(w)%2 == 1 && w[len(w)-1] == 'h' {
		w = w[:len(w)-1]
	}
	if len(w) < 2 || len(w)%2 != 0 {
		return false
	}
	for i := 0; i < len(w); i += 2 {
		if w[i] != 'h' || (w[i+1] != 'a' && w[i+1] != 'e' && w[i+1] != 'i') {
			return false
		}
	}
	return true
}

func isClass(id int32, c class) bool {
	return id >= 0 && lang.class[id]&c != 0
}

// yesWords accept an offer; IsYes needs one of them and nothing but fillers.
var (
	yesWords   = []string{"yes", "yeah", "yep", "yup", "ya", "sure", "y", "ja", "gerne", "gern", "oui", "volontiers", "sí", "claro"}
	yesFillers = []string{"please", "pls", "ok", "okay", "thanks", "thank", "you",
		"thats", "fine", "go", "ahead", "of", "course",
		"bitte", "danke", "gerne", "merci", "s'il", "vous", "plaît", "por", "favor", "gracias", "vale"}
	// noWords decline an offer or a request for consent.
	noWords = []string{"no", "nope", "nah", "n", "nein", "non"}
)

// IsYes reports whether the message accepts an offer: a yes ("yes",
// "yeah", "sure", "yesss") and nothing but courtesy around it.
func (m Message) IsYes() bool { return m.onlyWith(yesWord) }

// IsNo reports whether the message declines: a no ("no", "nope", "no
// thanks") and nothing but courtesy around it.
func (m Message) IsNo() bool { return m.onlyWith(noWord) }

// onlyWith reports whether the message holds a word of class c and
// nothing but courtesy (yesFillers; a filler that is itself a yes does
// not stand in a no).
func (m Message) onlyWith(c class) bool {
	found := false
	for i := range m.toks {
		t := &m.toks[i]
		switch {
		case t.is(c) || isClass(squeezed(t.text, 1), c):
			found = true
		case t.is(yesFiller) && (c == yesWord || !t.is(yesWord)):
		default:
			return false
		}
	}
	return found
}
