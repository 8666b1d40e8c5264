package kb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Errors of the owner's review loop (AddQuestion, AddQuestionToFile).
var (
	ErrQuestionExists = errors.New("the article already has this question")
	ErrEmptyQuestion  = errors.New("empty question")
	ErrCannotEdit     = errors.New("cannot add the question without changing the rest of the article")
)

// ReviewEntry is one recorded question for the owner's review: missed by
// the knowledge base (Article empty) or asked before the customer picked
// the suggested Article.
type ReviewEntry struct {
	At       time.Time
	Question string // already redacted
	Article  string
}

// ReviewGroup is the entries that ask the same question, up to case,
// punctuation and spacing.
type ReviewGroup struct {
	Key      string // NormaliseQuestion of the question
	Question string // the newest wording
	Count    int
	Last     time.Time
	// Picked is the article customers picked most often for this question
	// (empty when none did); PickedCount how often.
	Picked      string
	PickedCount int
}

// NormaliseQuestion folds case, punctuation and spacing, so "Do you sell
// kayaks?" and "do you sell  kayaks" are one question in the review list
// and one example question in an article.
func NormaliseQuestion(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			writeFolded(&b, r) // "café" and "cafe" too
		case unicode.Is(unicode.Mn, r):
		case r == '\'' || r == '’':
			// "didn't" and "didnt" are the same question
		default:
			space = true
		}
	}
	if b.Len() == 0 {
		return strings.ToLower(strings.Join(strings.Fields(s), " "))
	}
	return b.String()
}

// GroupReview groups entries by normalised question, most asked first,
// then most recent. The order depends only on the entries, so the numbers
// the owner sees in one run name the same groups in the next.
func GroupReview(entries []ReviewEntry) []ReviewGroup {
	byKey := map[string]*ReviewGroup{}
	picks := map[string]map[string]int{}
	var order []string
	for _, e := range entries {
		q := strings.TrimSpace(e.Question)
		if q == "" {
			continue
		}
		k := NormaliseQuestion(q)
		g := byKey[k]
		if g == nil {
			g = &ReviewGroup{Key: k}
			byKey[k] = g
			order = append(order, k)
		}
		g.Count++
		if g.Question == "" || e.At.After(g.Last) {
			g.Question, g.Last = q, e.At
		}
		if e.Article != "" {
			if picks[k] == nil {
				picks[k] = map[string]int{}
			}
			picks[k][e.Article]++
		}
	}
	out := make([]ReviewGroup, 0, len(order))
	for _, k := range order {
		g := byKey[k]
		for id, n := range picks[k] {
			if n > g.PickedCount || (n == g.PickedCount && id < g.Picked) {
				g.Picked, g.PickedCount = id, n
			}
		}
		out = append(out, *g)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if !a.Last.Equal(b.Last) {
			return a.Last.After(b.Last)
		}
		return a.Key < b.Key
	})
	return out
}

// QuestionList names a front-matter list of questions.
type QuestionList string

const (
	// Questions: example questions the owner writes; they teach the ranking.
	Questions QuestionList = "questions"
	// Asked: customers' questions accepted in `kb review`; answered with the
	// article when asked again, without teaching the ranking (Article.Asked).
	Asked QuestionList = "asked"
)

// AddQuestionToFile appends question to the list of the article file at
// path (see AddQuestion). The file is replaced atomically, through a
// hidden temporary file the loader skips, so a server watching the folder
// never reads half an article.
func AddQuestionToFile(path string, list QuestionList, question string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := AddQuestion(data, list, question)
	if err != nil {
		return &FileError{path, err}
	}
	return writeFileAtomic(path, out)
}

// writeFileAtomic replaces path with out, keeping its mode.
func writeFileAtomic(path string, out []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// AddQuestion returns the article file data with question appended to the
// front matter's list (`questions:` or `asked:`). Everything else is kept
// byte for byte: the line is inserted after the list's last item with the
// same indentation (or the list is added at the end of the front matter).
// Only a layout that cannot be extended line by line (a flow list such as
// `questions: [a, b]`) has its front matter re-encoded, keeping key order
// and comments. It refuses a question the article already has in either
// list.
func AddQuestion(data []byte, list QuestionList, question string) ([]byte, error) {
	q := strings.Join(strings.Fields(question), " ")
	if q == "" {
		return nil, ErrEmptyQuestion
	}
	before, err := ParseArticle("", data)
	if err != nil {
		return nil, err
	}
	key := NormaliseQuestion(q)
	for _, have := range slices.Concat(before.Questions, before.Asked) {
		if NormaliseQuestion(have) == key {
			return nil, fmt.Errorf("%w: %q", ErrQuestionExists, have)
		}
	}
	out, err := insertQuestionLine(data, list, q)
	if err != nil || !sameWithQuestion(before, out, list, q) {
		out, err = reencodeQuestions(data, list, q)
		if err != nil {
			return nil, err
		}
		if !sameWithQuestion(before, out, list, q) {
			return nil, ErrCannotEdit
		}
	}
	return out, nil
}

// sameWithQuestion reports whether out parses to before with q appended
// to list.
func sameWithQuestion(before Article, out []byte, list QuestionList, q string) bool {
	after, err := ParseArticle("", out)
	if err != nil {
		return false
	}
	want := before
	if list == Asked {
		want.Asked = append(slices.Clone(before.Asked), q)
	} else {
		want.Questions = append(slices.Clone(before.Questions), q)
	}
	return sameArticle(after, want)
}

// sameArticle reports whether two parsed articles say the same in every
// field an edit of the question lists must keep.
func sameArticle(after, want Article) bool {
	return after.ID == want.ID && after.Title == want.Title && after.Body == want.Body &&
		slices.Equal(after.Questions, want.Questions) && slices.Equal(after.Asked, want.Asked) && slices.Equal(after.Tags, want.Tags) &&
		after.Owner == want.Owner && after.Version == want.Version && after.URL == want.URL &&
		after.Reviewed.Equal(want.Reviewed) && after.ReviewBy.Equal(want.ReviewBy) &&
		after.HumanReview == want.HumanReview
}

// frontLines splits data into lines (terminators kept) and finds the
// front matter: lines[0] is the opening ---, lines[end] the closing one.
func frontLines(data []byte) (lines [][]byte, end int, err error) {
	lines = bytes.SplitAfter(data, []byte("\n"))
	for i := 1; i < len(lines); i++ {
		if string(bytes.TrimRight(lines[i], "\r\n")) == "---" {
			return lines, i, nil
		}
	}
	return nil, 0, ErrNoFrontMatter
}

// parseFront parses the front matter lines as a YAML mapping; node line
// numbers then equal indexes into lines.
func parseFront(lines [][]byte, end int) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(bytes.Join(lines[1:end], nil), &doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadYAML, err)
	}
	if doc.Kind == 0 { // empty front matter
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%w: front matter is not a mapping", ErrBadYAML)
	}
	return doc.Content[0], nil
}

// readFront splits data's front matter into lines (end: the index of
// its closing line) and parses it.
func readFront(data []byte) (lines [][]byte, end int, m *yaml.Node, err error) {
	if lines, end, err = frontLines(data); err != nil {
		return nil, 0, nil, err
	}
	m, err = parseFront(lines, end)
	return lines, end, m, err
}

// insertQuestionLine adds q to list as one new line of the front matter.
func insertQuestionLine(data []byte, list QuestionList, q string) ([]byte, error) {
	lines, end, m, err := readFront(data)
	if err != nil {
		return nil, err
	}
	eol := "\n"
	if bytes.HasSuffix(lines[0], []byte("\r\n")) {
		eol = "\r\n"
	}
	item, err := yamlScalar(q)
	if err != nil {
		return nil, err
	}
	idx := -1
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == string(list) {
			idx = i
		}
	}
	if idx < 0 {
		return splice(lines, end, string(list)+":"+eol+"  - "+item+eol), nil
	}
	k, v := m.Content[idx], m.Content[idx+1]
	// The entry ends where the next key starts (or at the closing ---),
	// less the blank and comment lines before it, which belong to that key.
	stop := end
	if idx+2 < len(m.Content) {
		stop = m.Content[idx+2].Line
	}
	switch {
	case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0:
		last := v.Content[len(v.Content)-1]
		if last.Kind != yaml.ScalarNode || last.Line >= len(lines) || last.Column < 1 {
			return nil, ErrCannotEdit
		}
		prefix := lines[last.Line][:min(last.Column-1, len(lines[last.Line]))]
		if t := bytes.TrimSpace(prefix); string(t) != "-" {
			return nil, ErrCannotEdit
		}
		at := stop
		for at-1 > last.Line && isBlankOrComment(lines[at-1]) {
			at--
		}
		return splice(lines, at, string(prefix)+item+eol), nil
	case v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" && stop == k.Line+1:
		// "questions:" (or "asked:") with nothing after it.
		return splice(lines, k.Line+1, "  - "+item+eol), nil
	}
	return nil, ErrCannotEdit
}

func isBlankOrComment(line []byte) bool {
	t := bytes.TrimSpace(line)
	return len(t) == 0 || t[0] == '#'
}

// splice returns lines joined with text inserted before lines[at].
func splice(lines [][]byte, at int, text string) []byte {
	var b bytes.Buffer
	for i, l := range lines {
		if i == at {
			b.WriteString(text)
		}
		b.Write(l)
	}
	return b.Bytes()
}

// yamlScalar encodes q as a one-line YAML scalar, quoted when needed.
func yamlScalar(q string) (string, error) {
	for _, style := range []yaml.Style{0, yaml.DoubleQuotedStyle} {
		out, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: q, Style: style})
		if err != nil {
			return "", err
		}
		s := strings.TrimSuffix(string(out), "\n")
		if !strings.Contains(s, "\n") {
			return s, nil
		}
	}
	return "", ErrCannotEdit
}

// reencodeQuestions appends q to list through the YAML tree and writes the
// front matter again (key order and comments kept, layout normalised); the
// body is untouched.
func reencodeQuestions(data []byte, list QuestionList, q string) ([]byte, error) {
	lines, end, m, err := readFront(data)
	if err != nil {
		return nil, err
	}
	item := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: q}
	found := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != string(list) {
			continue
		}
		v := m.Content[i+1]
		switch v.Kind {
		case yaml.SequenceNode:
			v.Style &^= yaml.FlowStyle
			v.Content = append(v.Content, item)
		case yaml.ScalarNode:
			if v.Tag != "!!null" {
				return nil, fmt.Errorf("%w: %s is not a list", ErrCannotEdit, list)
			}
			*v = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item}, LineComment: v.LineComment}
		default:
			return nil, fmt.Errorf("%w: %s is not a list", ErrCannotEdit, list)
		}
		found = true
	}
	if !found {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: string(list)},
			&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item}})
	}
	var fm bytes.Buffer
	enc := yaml.NewEncoder(&fm)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCannotEdit, err)
	}
	enc.Close()
	out := fm.Bytes()
	if bytes.HasSuffix(lines[0], []byte("\r\n")) {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	var b bytes.Buffer
	b.Write(lines[0])
	b.Write(out)
	for _, l := range lines[end:] {
		b.Write(l)
	}
	return b.Bytes(), nil
}

// RemoveAskedFromFile removes question from the `asked:` list of the
// article file at path (written atomically, like AddQuestionToFile). An
// owner's accepted question that turned out to belong to another article
// moves there (`kb review --accept REF --article ID`): left in both, the
// bot cannot tell the two articles apart on it.
func RemoveAskedFromFile(path, question string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := RemoveAsked(data, question)
	if err != nil {
		return &FileError{path, err}
	}
	return writeFileAtomic(path, out)
}

// RemoveAsked returns the article file data without question in its
// `asked:` list (compared as NormaliseQuestion does), everything else
// byte for byte. Only a block list item on one line is removed; any other
// layout is ErrCannotEdit. An article that does not have the question is
// returned unchanged.
func RemoveAsked(data []byte, question string) ([]byte, error) {
	before, err := ParseArticle("", data)
	if err != nil {
		return nil, err
	}
	key := NormaliseQuestion(question)
	idx := slices.IndexFunc(before.Asked, func(q string) bool { return NormaliseQuestion(q) == key })
	if idx < 0 {
		return data, nil
	}
	lines, _, m, err := readFront(data)
	if err != nil {
		return nil, err
	}
	var list *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == string(Asked) {
			list = m.Content[i+1]
		}
	}
	if list == nil || list.Kind != yaml.SequenceNode || list.Style&yaml.FlowStyle != 0 || idx >= len(list.Content) {
		return nil, ErrCannotEdit
	}
	line := list.Content[idx].Line // an index into lines (parseFront)
	if line <= 0 || line >= len(lines) {
		return nil, ErrCannotEdit
	}
	out := bytes.Join(append(slices.Clone(lines[:line]), lines[line+1:]...), nil)
	after, err := ParseArticle("", out)
	want := before
	want.Asked = slices.Delete(slices.Clone(before.Asked), idx, idx+1)
	if err != nil || !sameArticle(after, want) {
		return nil, ErrCannotEdit
	}
	return out, nil
}
