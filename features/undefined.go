package features

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"

	"deskbot/internal/editdist"
)

// Undefined steps: instead of godog's Go snippets (of no use to someone
// writing feature files against the binary), the run ends by naming the
// three known phrases closest to each undefined step.

type undefinedStep struct {
	text, where string
}

func (s *Suite) noteUndefined(text, where string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.undefined = append(s.undefined, undefinedStep{text: text, where: where})
}

// writeUndefined prints each undefined step once with its closest phrases.
func (s *Suite) writeUndefined(out io.Writer) {
	s.mu.Lock()
	us := append([]undefinedStep(nil), s.undefined...)
	s.mu.Unlock()
	if out == nil || len(us) == 0 {
		return
	}
	fmt.Fprintln(out, "\nUndefined steps — no phrase matches them; the closest known phrases (`deskbot steps` lists all):")
	seen := map[string]bool{}
	for _, u := range us {
		if seen[u.text] {
			continue
		}
		seen[u.text] = true
		fmt.Fprintf(out, "\n  %q at %s\n", u.text, u.where)
		for _, p := range ClosestPhrases(u.text, 3) {
			fmt.Fprintf(out, "    %s\n        e.g. %s\n", p.Phrase, p.Example)
		}
	}
	fmt.Fprintln(out)
}

var (
	reQuoted      = regexp.MustCompile(`"[^"]*"`)
	reNumber      = regexp.MustCompile(`\b\d+(?:\.\d+)?\b`)
	rePlaceholder = regexp.MustCompile(`<[^>]*>`)
)

// normalisePhrase reduces a step or a phrase to its fixed words: quoted
// arguments become "", numbers and <placeholders> become #.
func normalisePhrase(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = reQuoted.ReplaceAllString(s, `""`)
	s = rePlaceholder.ReplaceAllString(s, "#")
	s = reNumber.ReplaceAllString(s, "#")
	s = strings.ReplaceAll(s, `"#"`, `""`)
	return strings.Join(strings.Fields(s), " ")
}

// ClosestPhrases returns the n known phrases most like a step's text (by
// edit distance over the fixed words, arguments ignored).
func ClosestPhrases(text string, n int) []StepInfo {
	t := normalisePhrase(strings.TrimPrefix(text, "the the "))
	type scored struct {
		s     StepInfo
		score float64
	}
	var all []scored
	for _, st := range Steps() {
		p := normalisePhrase(st.Phrase)
		d := float64(editdist.Distance(t, p))
		// shared words count: reordered phrasing is still close
		d -= 0.5 * float64(sharedWords(t, p))
		all = append(all, scored{st, d})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score < all[j].score })
	var out []StepInfo
	for i := 0; i < n && i < len(all); i++ {
		out = append(out, all[i].s)
	}
	return out
}

func sharedWords(a, b string) int {
	in := map[string]bool{}
	for _, w := range strings.Fields(b) {
		in[w] = true
	}
	n := 0
	for _, w := range strings.Fields(a) {
		if in[w] && len(w) > 3 {
			n++
			delete(in, w)
		}
	}
	return n
}

// snippetFilter passes a report through, line by line, up to godog's Go
// snippets for undefined steps, and drops them.
type snippetFilter struct {
	mu      sync.Mutex
	w       io.Writer
	line    []byte
	dropped bool
	rewrite func(line []byte) []byte // nil: lines pass unchanged
}

var snippetHeader = []byte("You can implement step definitions for undefined steps with these snippets:")

func (f *snippetFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, b := range p {
		if f.dropped {
			break
		}
		f.line = append(f.line, b)
		if b == '\n' {
			if err := f.flushLine(); err != nil {
				return 0, err
			}
		}
	}
	return len(p), nil
}

func (f *snippetFilter) flushLine() error {
	line := f.line
	f.line = f.line[:0]
	if bytes.Contains(line, snippetHeader) {
		f.dropped = true
		return nil
	}
	if f.rewrite != nil {
		line = f.rewrite(line)
	}
	_, err := f.w.Write(line)
	return err
}

// Close writes what is left of an unfinished line.
func (f *snippetFilter) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dropped || len(f.line) == 0 {
		return nil
	}
	return f.flushLine()
}
