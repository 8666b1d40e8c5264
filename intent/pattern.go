package intent

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Phrases are written in a small token-level notation, compiled once:
//
//	word       the word, normalised as Read normalises a message
//	word*      a word starting with "word" ("data*" reads "data", "database")
//	*word      a word ending with "word" ("*vertrag" reads "mietvertrag")
//	*word*     a word containing "word"
//	word?      the word or nothing
//	(a|b c)    one of the alternatives; (…)? makes the group optional
//	_          any one word of letters
//	...        one or more words up to the end of the sentence
//	<end>      the end of a sentence or of the message
//	<punct>    sentence punctuation ("?", "!", "." …) follows
//
// Consecutive words must stand in one sentence: a phrase never matches
// across ".", ",", "?" and the like.

// class is a set of word classes a vocabulary word belongs to.
type class uint32

// vocabulary numbers every word a phrase or word list uses; words of a
// message are looked up once, and matchers compare numbers.
type vocabulary struct {
	ids   map[string]int32
	class []class
}

func (v *vocabulary) lookup(w string) int32 {
	if id, ok := v.ids[w]; ok {
		return id
	}
	return -1
}

// add returns the id of a normalised word, numbering it if new.
func (v *vocabulary) add(w string) int32 {
	if id, ok := v.ids[w]; ok {
		return id
	}
	id := int32(len(v.class))
	v.ids[w] = id
	v.class = append(v.class, 0)
	return id
}

// mark puts each of words (normalised here) in class c.
func (v *vocabulary) mark(c class, words ...string) {
	for _, w := range words {
		v.class[v.add(normWord(w))] |= c
	}
}

// alias makes a misspelling read as the word it misspells.
func (v *vocabulary) alias(misspelt, word string) {
	v.ids[normWord(misspelt)] = v.add(normWord(word))
}

type op uint8

const (
	opWord     op = iota // the word id
	opPrefix             // a word starting with s
	opSuffix             // a word ending with s
	opContains           // a word containing s
	opLetters            // any one word of letters
	opAnyWord            // any one word
	opOneOf              // any one of the words in alts
	opSplit              // try x, then y
	opJmp                // go to x
	opEnd                // end of the sentence or message
	opPunct              // sentence punctuation follows
	opMatch
)

type inst struct {
	op   op
	id   int32
	s    string
	x, y int
	ids  []int32 // opOneOf: the fixed words, sorted
	alts []inst  // opOneOf: the other single-word alternatives
}

func (in *inst) accepts(t *token) bool {
	switch in.op {
	case opWord:
		return t.id == in.id
	case opPrefix:
		return strings.HasPrefix(t.text, in.s)
	case opSuffix:
		return strings.HasSuffix(t.text, in.s)
	case opContains:
		return strings.Contains(t.text, in.s)
	case opLetters:
		for _, r := range t.text {
			if !unicode.IsLetter(r) {
				return false
			}
		}
		return true
	case opAnyWord:
		return true
	case opOneOf:
		if t.id >= 0 {
			if _, ok := slices.BinarySearch(in.ids, t.id); ok {
				return true
			}
		}
		for i := range in.alts {
			if in.alts[i].accepts(t) {
				return true
			}
		}
	}
	return false
}

// phraseSet is a list of compiled phrases, indexed by the word they start
// with so that most words of a message are passed over with one lookup.
type phraseSet struct {
	progs  [][]inst
	first  map[int32][]int32 // first word id → phrases
	other  []firstInst       // phrases that can start with a prefix, suffix…
	always []int32           // phrases that can start with any word
}

// firstInst is a word a phrase can start with that is not a fixed word.
type firstInst struct {
	in inst
	k  int32
}

// compileSet compiles phrases in the notation above into v's words.
func (v *vocabulary) compileSet(phrases ...string) *phraseSet {
	ps := &phraseSet{first: map[int32][]int32{}}
	for _, src := range phrases {
		n := parsePhrase(src)
		var p []inst
		v.emit(n, &p)
		p = append(p, inst{op: opMatch})
		k := int32(len(ps.progs))
		ps.progs = append(ps.progs, p)
		firsts, ok := firstInsts(p, 0, nil)
		if !ok {
			ps.always = append(ps.always, k)
			continue
		}
		for _, in := range firsts {
			ids, others := []int32{in.id}, []inst(nil)
			switch in.op {
			case opOneOf:
				ids, others = in.ids, in.alts
			case opPrefix, opSuffix, opContains:
				ids, others = nil, []inst{in}
			}
			for _, id := range ids {
				if l := ps.first[id]; len(l) == 0 || l[len(l)-1] != k {
					ps.first[id] = append(l, k)
				}
			}
			for _, o := range others {
				ps.other = append(ps.other, firstInst{o, k})
			}
		}
	}
	return ps
}

// firstInsts lists the words a program can start with; ok is false when
// it can start with any word.
func firstInsts(p []inst, pc int, out []inst) ([]inst, bool) {
	switch in := p[pc]; in.op {
	case opWord, opOneOf, opPrefix, opSuffix, opContains:
		return append(out, in), true
	case opSplit:
		out, ok := firstInsts(p, in.x, out)
		if !ok {
			return nil, false
		}
		return firstInsts(p, in.y, out)
	case opJmp:
		return firstInsts(p, in.x, out)
	}
	return nil, false
}

// in reports whether any phrase matches within the first n words of m.
func (ps *phraseSet) in(m *Message, n int) bool {
	toks := m.toks[:n]
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && !toks[hi].stop {
			hi++
		}
		punct := hi < len(m.toks) && m.toks[hi].stop || hi == len(m.toks) && m.stopEnd
		seg := toks[lo:hi]
		for p := range seg {
			if id := seg[p].id; id >= 0 {
				for _, k := range ps.first[id] {
					if run(ps.progs[k], 0, seg, p, punct) {
						return true
					}
				}
			}
			for i := range ps.other {
				if o := &ps.other[i]; o.in.accepts(&seg[p]) && run(ps.progs[o.k], 0, seg, p, punct) {
					return true
				}
			}
			for _, k := range ps.always {
				if run(ps.progs[k], 0, seg, p, punct) {
					return true
				}
			}
		}
		lo = hi
	}
	return false
}

// run matches program p from pc against the sentence seg from word pos;
// punct says whether sentence punctuation follows seg. Phrases are short
// and mostly fixed words, so plain backtracking is quick.
func run(p []inst, pc int, seg []token, pos int, punct bool) bool {
	for {
		in := &p[pc]
		switch in.op {
		case opMatch:
			return true
		case opJmp:
			pc = in.x
		case opSplit:
			if run(p, in.x, seg, pos, punct) {
				return true
			}
			pc = in.y
		case opEnd:
			if pos != len(seg) {
				return false
			}
			pc++
		case opPunct:
			if pos != len(seg) || !punct {
				return false
			}
			pc++
		default:
			if pos >= len(seg) || !in.accepts(&seg[pos]) {
				return false
			}
			pos++
			pc++
		}
	}
}

// node is a parsed phrase: a word, a sequence or alternatives.
type node struct {
	word string
	seq  []*node
	alts []*node
	opt  bool
}

func parsePhrase(src string) *node {
	lex := lexPhrase(src)
	i := 0
	n := parseAlts(lex, &i)
	if i != len(lex) {
		panic(fmt.Sprintf("intent: phrase %q: unexpected %q", src, lex[i]))
	}
	return n
}

func lexPhrase(src string) []string {
	var out []string
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == ' ':
			i++
		case c == '(' || c == '|':
			out = append(out, src[i:i+1])
			i++
		case c == ')':
			if i+1 < len(src) && src[i+1] == '?' {
				out = append(out, ")?")
				i += 2
			} else {
				out = append(out, ")")
				i++
			}
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" ()|", rune(src[j])) {
				j++
			}
			out = append(out, src[i:j])
			i = j
		}
	}
	return out
}

func parseAlts(lex []string, i *int) *node {
	alts := []*node{parseSeq(lex, i)}
	for *i < len(lex) && lex[*i] == "|" {
		*i++
		alts = append(alts, parseSeq(lex, i))
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return &node{alts: alts}
}

func parseSeq(lex []string, i *int) *node {
	n := &node{}
	for *i < len(lex) && lex[*i] != "|" && lex[*i] != ")" && lex[*i] != ")?" {
		if lex[*i] == "(" {
			*i++
			g := parseAlts(lex, i)
			if *i >= len(lex) {
				panic("intent: unclosed group")
			}
			if lex[*i] == ")?" {
				g = &node{seq: []*node{g}, opt: true}
			}
			*i++
			n.seq = append(n.seq, g)
			continue
		}
		w := lex[*i]
		*i++
		opt := len(w) > 1 && strings.HasSuffix(w, "?")
		n.seq = append(n.seq, &node{word: strings.TrimSuffix(w, "?"), opt: opt})
	}
	return n
}

func (v *vocabulary) emit(n *node, p *[]inst) {
	if n.opt {
		split := len(*p)
		*p = append(*p, inst{op: opSplit, x: split + 1})
		m := *n
		m.opt = false
		v.emit(&m, p)
		(*p)[split].y = len(*p)
		return
	}
	switch {
	case n.alts != nil && singleWords(n.alts):
		// one instruction rather than a chain of splits
		in := inst{op: opOneOf}
		for _, a := range n.alts {
			if w := v.wordInst(a.word); w.op == opWord {
				in.ids = append(in.ids, w.id)
			} else {
				in.alts = append(in.alts, w)
			}
		}
		slices.Sort(in.ids)
		*p = append(*p, in)
	case n.alts != nil:
		var jmps []int
		for k, a := range n.alts {
			if k == len(n.alts)-1 {
				v.emit(a, p)
				break
			}
			split := len(*p)
			*p = append(*p, inst{op: opSplit, x: split + 1})
			v.emit(a, p)
			jmps = append(jmps, len(*p))
			*p = append(*p, inst{op: opJmp})
			(*p)[split].y = len(*p)
		}
		for _, j := range jmps {
			(*p)[j].x = len(*p)
		}
	case n.word == "":
		for _, s := range n.seq {
			v.emit(s, p)
		}
	case n.word == "...":
		// one or more words: the word, then back to it or on
		at := len(*p)
		*p = append(*p, inst{op: opAnyWord}, inst{op: opSplit, x: at, y: at + 2})
	default:
		*p = append(*p, v.wordInst(n.word))
	}
}

// singleWords reports whether every alternative is one plain word.
func singleWords(alts []*node) bool {
	for _, a := range alts {
		if a.word == "" || a.opt || a.word == "..." || a.word[0] == '<' {
			return false
		}
	}
	return true
}

func (v *vocabulary) wordInst(w string) inst {
	switch {
	case w == "_":
		return inst{op: opLetters}
	case w == "<end>":
		return inst{op: opEnd}
	case w == "<punct>":
		return inst{op: opPunct}
	case len(w) > 2 && w[0] == '*' && w[len(w)-1] == '*':
		return inst{op: opContains, s: normWord(w[1 : len(w)-1])}
	case w[0] == '*':
		return inst{op: opSuffix, s: normWord(w[1:])}
	case w[len(w)-1] == '*':
		return inst{op: opPrefix, s: normWord(w[:len(w)-1])}
	}
	return inst{op: opWord, id: v.add(normWord(w))}
}
