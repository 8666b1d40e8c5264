package features

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// Answer-quality steps: many phrasings of a question, each asked in a
// fresh session, and a pass rate for the article that should answer them
// (what `deskbot kb eval` measures, inside the Gherkin run and its report).

// question is one phrasing to ask and where it came from.
type question struct {
	text  string
	where string // file:line or "table row N"
}

// asked is what the bot did with one question.
type asked struct {
	question
	verdict   string // "answer", "suggest" or "none"
	sources   []protocol.Source
	suggested []string // article ids offered as "did you mean" buttons
	handover  bool
	// confidence is the knowledge base's confidence in the reply (nil
	// when the bot sent none: a --target from before that wire field).
	confidence *float64
	took       time.Duration // opening the session and the bot's reply
}

// Verdicts of an asked question.
const (
	verdictAnswer  = "answer"
	verdictSuggest = "suggest"
	verdictNone    = "none"
)

func qualityStepDefs() []stepDef {
	return []stepDef{
		def(`the customer asks each question in `+q, `the customer asks each question in "<file>"`, `When the customer asks each question in "returns.csv"`,
			"Asks every question of a CSV file (first column; a header \"question\" is skipped) or a text file (one a line; # comments), path relative to the feature file, each in a fresh chat session; the quality steps below check the answers.",
			func(w *World) any { return w.asksEachInFile }),
		def(`the customer asks each question:`, `the customer asks each question:`, `When the customer asks each question:  (then a one-column table of questions)`,
			"Like the file step, with the questions in a data table (a header \"question\" is skipped).",
			func(w *World) any { return w.asksEachInTable }),
		def(`at least (\d+(?:\.\d+)?)% (?:are|is) answered from the article `+q, `at least <n>% are answered from the article "<id or title>"`, `Then at least 90% are answered from the article "returns-policy"`,
			"Of the questions asked, at least n% got an answer citing the article (ACC-1); the failure lists every other question with the bot's verdict (answer, suggest, none), what it cited or suggested and its confidence.",
			func(w *World) any { return w.atLeastAnswered }),
		def(`none is answered from another article`, `none is answered from another article`, `Then none is answered from another article`,
			"No question asked got an answer citing an article other than the one named by the step before (a wrong answer is worse than none, ACC-1); the failure lists them.",
			func(w *World) any { return w.noneFromOther }),
		def(`none is answered from the article `+q, `none is answered from the article "<id or title>"`, `Then none is answered from the article "refunds"`,
			"No question asked got an answer citing that article.",
			func(w *World) any { return w.noneFrom }),
	}
}

func (w *World) asksEachInFile(ctx context.Context, file string) error {
	qs, err := w.readQuestions(file)
	if err != nil {
		return err
	}
	return w.asksEach(ctx, qs)
}

func (w *World) asksEachInTable(ctx context.Context, t *godog.Table) error {
	return w.asksEach(ctx, tableQuestions(t))
}

// tableQuestions reads a one-column table of questions (or phrasings): a
// header row and empty cells are skipped, and each keeps its row number for
// failure messages.
func tableQuestions(t *godog.Table) []question {
	var qs []question
	for i, r := range t.Rows {
		if len(r.Cells) == 0 {
			continue
		}
		v := strings.TrimSpace(r.Cells[0].Value)
		if i == 0 && isQuestionHeader(v) || v == "" {
			continue
		}
		qs = append(qs, question{text: v, where: fmt.Sprintf("table row %d", i+1)})
	}
	return qs
}

func isQuestionHeader(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "question", "questions", "text", "utterance", "utterances", "query", "phrasing":
		return true
	}
	return false
}

// readQuestions reads a question file relative to the feature file.
func (w *World) readQuestions(file string) ([]question, error) {
	path := file
	if !filepath.IsAbs(path) && w.uri != "" {
		path = filepath.Join(filepath.Dir(w.uri), file)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the questions (paths are relative to the feature file): %w", err)
	}
	defer f.Close()
	var qs []question
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		r.Comment = '#'
		first := true
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			line, _ := r.FieldPos(0)
			v := ""
			if len(rec) > 0 {
				v = strings.TrimSpace(rec[0])
			}
			if first && isQuestionHeader(v) {
				first = false
				continue
			}
			first = false
			if v != "" {
				qs = append(qs, question{text: v, where: file + ":" + strconv.Itoa(line)})
			}
		}
	} else {
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		for i, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			qs = append(qs, question{text: l, where: file + ":" + strconv.Itoa(i+1)})
		}
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s holds no questions", file)
	}
	return qs, nil
}

// asksEach asks every question in a fresh chat session and keeps what
// the bot did. The legal checks still run on every session afterwards.
func (w *World) asksEach(ctx context.Context, qs []question) error {
	if len(qs) == 0 {
		return errors.New("no questions to ask")
	}
	if len(w.asked) > 0 { // an earlier batch: keep its results for the report
		w.questionsDone = append(w.questionsDone, w.questionResults()...)
		w.askedDone += w.askedReport()
	}
	w.asked, w.qualityNot = nil, nil
	for _, qu := range qs {
		start := time.Now()
		if err := w.open(ctx, chatclient.Options{}); err != nil {
			return err
		}
		t, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeSay, Text: qu.text})
		if err != nil {
			return fmt.Errorf("asking %q (%s): %w", qu.text, qu.where, err)
		}
		a := classify(qu, t)
		a.took = time.Since(start)
		w.asked = append(w.asked, a)
	}
	return nil
}

// classify says what kind of reply a turn was: an answer cites an article,
// a suggestion offers article buttons, anything else answered nothing.
func classify(qu question, t *Turn) asked {
	a := asked{question: qu, verdict: verdictNone, handover: t.Has(protocol.TypeHandover)}
	for _, m := range t.Messages() {
		if len(m.Sources) > 0 && a.verdict != verdictAnswer {
			a.verdict, a.sources = verdictAnswer, m.Sources
		}
		for _, act := range m.Actions {
			if act.Name == protocol.ActionArticle {
				a.suggested = append(a.suggested, act.ID)
			}
		}
	}
	if a.verdict == verdictNone && len(a.suggested) > 0 {
		a.verdict = verdictSuggest
	}
	if m, ok := decidedMessage(t); ok {
		a.confidence = m.Confidence
	}
	return a
}

// citesArticle reports whether the sources name the article by id or title.
func citesArticle(ss []protocol.Source, article string) bool {
	for _, s := range ss {
		if s.ID == article || strings.EqualFold(s.Title, article) {
			return true
		}
	}
	return false
}

func (a asked) describe() string {
	return fmt.Sprintf("  %-24s %q -> %s", a.where, a.text, a.outcome())
}

// outcome says what the bot did: its verdict, what it cited or suggested
// and its confidence.
func (a asked) outcome() string {
	what := a.verdict
	switch a.verdict {
	case verdictAnswer:
		what += " citing " + fmtSources(a.sources)
	case verdictSuggest:
		what += " " + strings.Join(a.suggested, ", ")
	default:
		what += " (cannot confirm"
		if a.handover {
			what += ", handed over"
		}
		what += ")"
	}
	if a.confidence != nil {
		what += " (confidence " + fmtConfidence(*a.confidence) + ")"
	}
	return what
}

func (w *World) needAsked() error {
	if len(w.asked) == 0 {
		return errors.New(`no questions were asked: use "When the customer asks each question in \"<file>\"" (or with a table) first`)
	}
	return nil
}

func (w *World) atLeastAnswered(pct, article string) error {
	if err := w.needAsked(); err != nil {
		return err
	}
	want, err := strconv.ParseFloat(pct, 64)
	if err != nil || want < 0 || want > 100 {
		return fmt.Errorf("%q is not a percentage", pct)
	}
	w.qualityArticle = article
	var misses []string
	hits := 0
	for _, a := range w.asked {
		if a.verdict == verdictAnswer && citesArticle(a.sources, article) {
			hits++
			continue
		}
		misses = append(misses, a.describe())
	}
	got := 100 * float64(hits) / float64(len(w.asked))
	if got+1e-9 < want {
		return fmt.Errorf("expected at least %s%% of %d questions to be answered from the article %q, but %d (%.1f%%) were; the others:\n%s",
			pct, len(w.asked), article, hits, got, strings.Join(misses, "\n"))
	}
	return nil
}

func (w *World) noneFromOther() error {
	if err := w.needAsked(); err != nil {
		return err
	}
	if w.qualityArticle == "" {
		return errors.New(`"another article" needs the expected article first: "Then at least <n>% are answered from the article \"<id>\""`)
	}
	var wrong []string
	for _, a := range w.asked {
		if a.verdict == verdictAnswer && !citesArticle(a.sources, w.qualityArticle) {
			wrong = append(wrong, a.describe())
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("expected no question to be answered from an article other than %q, but %d of %d were:\n%s",
			w.qualityArticle, len(wrong), len(w.asked), strings.Join(wrong, "\n"))
	}
	return nil
}

func (w *World) noneFrom(article string) error {
	if err := w.needAsked(); err != nil {
		return err
	}
	w.qualityNot = append(w.qualityNot, article)
	var wrong []string
	for _, a := range w.asked {
		if a.verdict == verdictAnswer && citesArticle(a.sources, article) {
			wrong = append(wrong, a.describe())
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("expected no question to be answered from the article %q, but %d of %d were:\n%s",
			article, len(wrong), len(w.asked), strings.Join(wrong, "\n"))
	}
	return nil
}

// askedReport lists every question asked and what the bot did, for the
// scenario's JUnit <system-out>.
func (w *World) askedReport() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d question(s) asked, each in a fresh session:\n", len(w.asked))
	for _, a := range w.asked {
		b.WriteString(a.describe() + "\n")
	}
	return b.String()
}

// allAskedReport is askedReport over every "asks each question" step of
// the scenario.
func (w *World) allAskedReport() string {
	if len(w.asked) == 0 {
		return w.askedDone
	}
	return w.askedDone + w.askedReport()
}

// questionResult is one asked question's own result, a JUnit test case of
// its own beside its scenario's.
type questionResult struct {
	text, where string
	status      string // "passed", "failed" or "skipped"
	message     string // why it failed or was skipped
	detail      string // the question and what the bot did
	took        time.Duration
}

// questionResults judges each question of the latest "asks each question"
// step by the quality steps that ran after it: a question passes when its
// answer cites the article of "at least n% are answered from the article"
// and none of the "none is answered from the article" steps. It fails
// when it missed, even if the scenario's threshold let it pass, and is
// skipped when no quality step named an article.
func (w *World) questionResults() []questionResult {
	var rs []questionResult
	for _, a := range w.asked {
		r := questionResult{text: a.text, where: a.where, status: "passed", detail: fmt.Sprintf("%q -> %s", a.text, a.outcome()), took: a.took}
		got := a.outcome()
		answered := func(article string) bool { return a.verdict == verdictAnswer && citesArticle(a.sources, article) }
		switch {
		case w.qualityArticle != "" && !answered(w.qualityArticle):
			r.status, r.message = "failed", fmt.Sprintf("expected an answer from the article %q, got %s", w.qualityArticle, got)
		case w.qualityArticle == "" && len(w.qualityNot) == 0:
			r.status, r.message = "skipped", "no answer-quality step named an article to check this question against"
		}
		for _, not := range w.qualityNot {
			if r.status != "failed" && answered(not) {
				r.status, r.message = "failed", fmt.Sprintf("expected no answer from the article %q, got %s", not, got)
			}
		}
		rs = append(rs, r)
	}
	return rs
}

// allQuestionResults is questionResults over every "asks each question"
// step of the scenario.
func (w *World) allQuestionResults() []questionResult {
	return append(append([]questionResult(nil), w.questionsDone...), w.questionResults()...)
}
