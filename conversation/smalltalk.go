package bot

import (
	"regexp"
	"strings"
	"unicode"
)

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
		"how are you", "how are you doing", "how's it going", "hows it going", "what's up", "whats up",
	},
	Thanks: {
		"thanks", "thank you", "thankyou", "thx", "thnx", "ty", "tysm", "tyvm", "cheers", "ta",
		"many thanks", "much appreciated", "appreciate it", "appreciated", "i appreciate it",
		"that helps", "that helped", "that's helpful", "thats helpful", "very helpful", "helpful",
		"danke", "merci", "gracias",
	},
	Goodbye: {
		"bye", "goodbye", "bye bye", "byebye", "see you", "see ya", "see you later", "cya", "later",
		"that's all", "thats all", "that is all", "that's it", "thats it", "that is it", "nothing else",
		"have a nice day", "have a good day", "have a great day", "good night", "take care",
		"i'm done", "im done", "all done", "i'm good", "im good",
		"tschüss", "tschuss", "ciao", "adios", "adiós", "au revoir",
	},
	Acknowledge: {
		"ok", "okay", "okey", "k", "kk", "okie", "cool", "great", "got it", "gotcha", "alright", "all right",
		"sure", "fine", "nice", "perfect", "awesome", "understood", "i see", "sounds good", "noted",
		"good", "excellent", "brilliant", "lovely", "right", "makes sense", "fair enough",
		"yes", "yeah", "yep", "yup", "ya", "no", "nope", "nah", "hmm", "hm", "ah", "oh",
		"lol", "lmao", "lmfao", "rofl", "xd",
	},
}

// fillers may stand around small talk without making it a question.
var fillers = map[string]bool{
	"so": true, "very": true, "much": true, "a": true, "lot": true, "again": true, "well": true, "then": true,
	"you": true, "there": true, "all": true, "everyone": true, "guys": true, "team": true, "folks": true,
	"for": true, "your": true, "the": true, "help": true, "info": true, "answer": true, "and": true,
	"uh": true, "um": true, "just": true, "really": true, "too": true, "now": true,
	"please": true, "pls": true, "plz": true,
}

// kindRank orders kinds when a message holds several: "ok thanks, bye" is a goodbye.
var kindRank = map[SmallTalkKind]int{Goodbye: 4, Thanks: 3, Greeting: 2, Acknowledge: 1}

// smallTalkEmoji are emoji that are small talk on their own.
var smallTalkEmoji = map[rune]SmallTalkKind{
	'😂': Acknowledge, '🤣': Acknowledge, '😀': Acknowledge, '😃': Acknowledge, '😄': Acknowledge, '😁': Acknowledge,
	'😆': Acknowledge, '😅': Acknowledge, '🙂': Acknowledge, '😊': Acknowledge, '😉': Acknowledge, '👍': Acknowledge,
	'👌': Acknowledge, '✅': Acknowledge, '🙏': Thanks, '❤': Thanks, '👋': Greeting,
}

var laughter = regexp.MustCompile(`^(?:a?(?:ha|he|hi)+h?|(?:lo)+l|lmf?ao+|rofl)$`)

type phrase struct {
	words []string
	kind  SmallTalkKind
}

// phrases holds smallTalkPhrases longest first, so "thank you" wins over "thank".
var phrases = func() []phrase {
	var out []phrase
	for k, list := range smallTalkPhrases {
		for _, p := range list {
			out = append(out, phrase{strings.Fields(p), k})
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].words) > len(out[j-1].words); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}()

// DetectSmallTalk reports whether text is only small talk, and which kind.
// Anything with content beyond greetings, thanks, goodbyes and
// acknowledgements is not small talk ("no it still doesn't work", "ok so
// how do I cancel"): it goes to the knowledge base like any question.
func DetectSmallTalk(text string) (SmallTalkKind, bool) {
	var best SmallTalkKind
	note := func(k SmallTalkKind) {
		if kindRank[k] > kindRank[best] {
			best = k
		}
	}
	var rest strings.Builder
	for _, r := range text {
		if k, ok := smallTalkEmoji[r]; ok {
			note(k)
			rest.WriteRune(' ')
			continue
		}
		rest.WriteRune(r)
	}
	ws := smallTalkWords(rest.String())
	for i := 0; i < len(ws); {
		if n, k := matchPhrase(ws[i:]); n > 0 {
			note(k)
			i += n
			continue
		}
		if laughter.MatchString(ws[i]) {
			note(Acknowledge)
			i++
			continue
		}
		if fillers[ws[i]] || fillers[squeeze(ws[i], 1)] {
			i++
			continue
		}
		return "", false
	}
	return best, best != ""
}

// matchPhrase returns the length and kind of the longest phrase ws starts with.
func matchPhrase(ws []string) (int, SmallTalkKind) {
	for _, p := range phrases {
		if len(p.words) > len(ws) {
			continue
		}
		ok := true
		for j, w := range p.words {
			if ws[j] != w && squeeze(ws[j], 1) != w && squeeze(ws[j], 2) != w {
				ok = false
				break
			}
		}
		if ok {
			return len(p.words), p.kind
		}
	}
	return 0, ""
}

// smallTalkWords splits text into lower-case words, keeping apostrophes
// inside words ("that's"); punctuation and emoji separate words.
func smallTalkWords(text string) []string {
	text = strings.ReplaceAll(strings.ToLower(text), "’", "'")
	f := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	out := f[:0]
	for _, w := range f {
		if w = strings.Trim(w, "'"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// squeeze shortens runs of a repeated letter to at most n ("hiii" → "hi",
// "cooool" → "cool" with n = 2), as people stretch words in chat.
func squeeze(w string, n int) string {
	var b strings.Builder
	var last rune
	run := 0
	for _, r := range w {
		if r == last {
			run++
		} else {
			last, run = r, 1
		}
		if run <= n {
			b.WriteRune(r)
		}
	}
	return b.String()
}
