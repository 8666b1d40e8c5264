package intent

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxIntentBytes bounds where rights requests and identity questions are
// looked for: those intents live in short messages, and it bounds the work.
const maxIntentBytes = 1000

// token is one word of a message.
type token struct {
	text   string // lower case, accents folded, apostrophes dropped
	id     int32  // vocabulary id, or -1 for a word no phrase uses
	stop   bool   // sentence punctuation stands between this word and the one before
	start  int    // byte offset in the message
	lo, hi int32  // rune offsets in the message, for "within n characters"
	from   int32  // where text starts in the normalised buffer while reading
}

// is reports whether the word belongs to a word class (see classes).
func (t *token) is(c class) bool {
	return t.id >= 0 && lang.class[t.id]&c != 0
}

// Message is one customer message, read once: its words and the few
// signals that are not words (shouting, "!!!", emoji).
type Message struct {
	toks     []token
	stopEnd  bool          // sentence punctuation after the last word
	bounded  int           // words that start within maxIntentBytes
	bangs    bool          // "!!!" or "?!?!"
	shouting bool          // mostly capitals over several words
	emoji    SmallTalkKind // the strongest small-talk emoji, if any
}

// Read tokenises text: Unicode letters and digits make words, lower-cased
// with common accents folded ("Löschen" reads "loschen"); apostrophes are
// dropped so contractions read one way ("you're", "you’re" and "youre" all
// read "youre", "l'oubli" reads "loubli"); other punctuation separates
// words, and sentence punctuation (. , ; : ? ! ¿ ¡) also ends a phrase.
func Read(text string) Message {
	var m Message
	var b strings.Builder
	b.Grow(len(text) + 4)
	toks := make([]token, 0, 4+len(text)/5)
	var (
		cur                           token
		inWord, stop                  bool
		runes                         int32
		field, letters, upper, fields int // for shouting, over space-separated fields
		bangRun                       int // consecutive '!'
		qs                            [4]rune
		qn                            int // the current run of '?' and '!' (last four)
	)
	endWord := func() {
		if inWord {
			cur.hi = runes
			cur.id = int32(b.Len()) // where text ends in the buffer, until it is known
			toks = append(toks, cur)
			inWord = false
		}
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if r == '!' || r == '?' {
			if r == '!' {
				bangRun++
			} else {
				bangRun = 0
			}
			copy(qs[:], qs[1:])
			qs[3] = r
			qn++
			if bangRun >= 3 || (qn >= 4 && qs[0] != qs[1] && qs[2] != qs[3]) {
				m.bangs = true
			}
		} else {
			bangRun, qn = 0, 0
		}
		switch {
		case r == '\'' || r == '’' || r == '`' || r == '´':
			// dropped, inside words and around them
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			if !inWord {
				cur = token{stop: stop, start: i, lo: runes, from: int32(b.Len())}
				stop, inWord = false, true
			}
			if r >= 'a' {
				field++
				letters++
			}
			b.WriteByte(byte(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				cur = token{stop: stop, start: i, lo: runes, from: int32(b.Len())}
				stop, inWord = false, true
			}
			if unicode.IsLetter(r) {
				field++
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
			appendFolded(&b, r)
		case r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
			// a combining accent (a decomposed "é"): dropped like a folded one
		case r == '*' && inWord && maskedWord(text[i:]):
			b.WriteByte('*') // "f**k" stays one word
		default:
			endWord()
			switch {
			case isStop(r):
				stop = true
			case unicode.IsSpace(r):
				if field >= 2 {
					fields++
				}
				field = 0
			default:
				if k, ok := smallTalkEmoji[r]; ok && kindRank[k] > kindRank[m.emoji] {
					m.emoji = k
				}
			}
		}
		i += size
		runes++
	}
	endWord()
	if field >= 2 {
		fields++
	}
	m.stopEnd = stop
	m.shouting = fields >= 3 && letters >= 12 && upper*10 >= letters*9
	s := b.String()
	for k := range toks {
		t := &toks[k]
		t.text = s[t.from:t.id]
		t.id = lang.lookup(t.text)
		if t.start < maxIntentBytes {
			m.bounded = k + 1
		}
	}
	m.toks = toks
	return m
}

// isStop reports sentence punctuation.
func isStop(r rune) bool {
	switch r {
	case '?', '.', '!', ';', ',', ':', '¿', '¡':
		return true
	}
	return false
}

// maskedWord reports whether s (starting at '*') continues a word masked
// with asterisks: more asterisks, then a letter.
func maskedWord(s string) bool {
	i := 0
	for i < len(s) && s[i] == '*' {
		i++
	}
	if i == len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// appendFolded writes r lower-cased, with the diacritics of common Latin
// letters removed so that phrases match text typed with or without them.
func appendFolded(b *strings.Builder, r rune) {
	r = unicode.ToLower(r)
	if r < utf8.RuneSelf {
		b.WriteByte(byte(r))
		return
	}
	switch r {
	case 'à', 'á', 'â', 'ä', 'ã', 'å':
		r = 'a'
	case 'ç':
		r = 'c'
	case 'è', 'é', 'ê', 'ë':
		r = 'e'
	case 'ì', 'í', 'î', 'ï':
		r = 'i'
	case 'ñ':
		r = 'n'
	case 'ò', 'ó', 'ô', 'ö', 'õ':
		r = 'o'
	case 'ù', 'ú', 'û', 'ü':
		r = 'u'
	case 'ß':
		b.WriteString("ss")
		return
	}
	b.WriteRune(r)
}

// normWord normalises one word of a phrase as Read normalises a message.
func normWord(w string) string {
	m := scan(w)
	if len(m) != 1 {
		panic("intent: phrase word " + w + " is not one word")
	}
	return m[0]
}

// scan returns the words of text as Read finds them, without the vocabulary.
func scan(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for i, r := range text {
		switch {
		case r == '\'' || r == '’' || r == '`' || r == '´':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			appendFolded(&b, r)
		case unicode.Is(unicode.Mn, r):
		case r == '*' && b.Len() > 0 && maskedWord(text[i:]):
			b.WriteByte('*')
		default:
			flush()
		}
	}
	flush()
	return out
}

// Words returns the message's words as Read normalised them.
func (m Message) Words() []string {
	out := make([]string, len(m.toks))
	for i := range m.toks {
		out[i] = m.toks[i].text
	}
	return out
}
