package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"deskbot/compliance"
	"deskbot/kb"
)

// ErrDemoKB: the embedded demo knowledge base cannot be edited.
var ErrDemoKB = errors.New("the embedded demo knowledge base is read-only: set kb_dir in the configuration or pass --kb DIR")

// cmdKBReview runs `deskbot kb review`: the questions customers asked that
// the knowledge base missed (or answered only by a suggestion they picked),
// grouped, each with its likely article; --accept REF (or N) adds that question to
// that article's asked questions, so it is answered when asked again.
func cmdKBReview(ctx context.Context, fs *flag.FlagSet, cf *commonFlags, kbDir *string, args []string, stdout, stderr io.Writer) error {
	sinceFlag := fs.String("since", "", "only questions asked since: a number of days (30d), a duration (12h) or a date (2026-11-01)")
	accept := fs.String("accept", "", "add a question of the list to its article's asked questions (answered when asked again): its reference (stable) or its number N")
	article := fs.String("article", "", "with --accept: the article to add the question to, instead of the likely one")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if *article != "" && *accept == "" {
		return usageError{"--article needs --accept REF"}
	}
	if *accept != "" && !acceptPattern.MatchString(strings.TrimSpace(*accept)) {
		return usageError{fmt.Sprintf("--accept %q: want a question's reference (e.g. kmtqa) or number from the list", *accept)}
	}
	now := time.Now()
	since, err := parseSince(*sinceFlag, now)
	if err != nil {
		return usageError{err.Error()}
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	dir := *kbDir
	if dir == "" {
		dir = cfg.KBDir
	}
	if *accept != "" && dir == "" {
		// Refuse before the slow parts.
		return ErrDemoKB
	}
	st, _, err := openStore(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	b, cleanup, err := openTempKB(ctx, *kbDir, cfg.KBDir)
	if err != nil {
		return err
	}
	defer cleanup()
	rows, err := reviewList(ctx, st, b, since, cfg.Answer.Threshold)
	if err != nil {
		return err
	}
	if *accept != "" {
		return acceptQuestion(dir, b, rows, *accept, *article, stdout)
	}
	printReview(stdout, rows, since, b.Calibration(cfg.Answer.Threshold))
	if in, ok := reviewInput(); ok && len(rows) > 0 {
		return promptAccept(in, dir, b, rows, stdout)
	}
	return nil
}

// reviewInput returns standard input and whether it is a terminal: only
// then does kb review ask which questions to accept (scripts get the list).
var reviewInput = func() (io.Reader, bool) {
	return os.Stdin, isTerminal(os.Stdin)
}

// acceptPattern: a row number or a reference (letters).
var acceptPattern = regexp.MustCompile(`^(?:[0-9]+|[A-Za-z]{5,8})$`)

// promptAccept asks for "REF" or "REF ARTICLE-ID" (or N for REF) until an
// empty line or end of input, accepting each as --accept would.
func promptAccept(in io.Reader, dir string, b *kb.Base, rows []reviewRow, stdout io.Writer) error {
	if dir == "" {
		fmt.Fprintln(stdout, "(to accept questions, set kb_dir or pass --kb DIR: the demo knowledge base is read-only)")
		return nil
	}
	sc := bufio.NewScanner(in)
	for {
		fmt.Fprint(stdout, "accept question (REF or N, optionally followed by an article id; Enter to finish): ")
		if !sc.Scan() {
			fmt.Fprintln(stdout)
			return sc.Err()
		}
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			return nil
		}
		if !acceptPattern.MatchString(f[0]) || len(f) > 2 {
			fmt.Fprintf(stdout, "want a reference or a number from 1 to %d, optionally followed by an article id\n", len(rows))
			continue
		}
		id := ""
		if len(f) == 2 {
			id = f[1]
		}
		if err := acceptQuestion(dir, b, rows, f[0], id, stdout); err != nil {
			// One refused question does not end the session.
			fmt.Fprintln(stdout, "not added:", err)
		}
	}
}

// acceptQuestion appends the question ref names (a reference or a row
// number) to its article's file in dir.
func acceptQuestion(dir string, b *kb.Base, rows []reviewRow, ref, id string, stdout io.Writer) error {
	r, err := findRow(rows, ref)
	if err != nil {
		return usageError{fmt.Sprintf("--accept %s: %v (run deskbot kb review with the same --since to see them)", ref, err)}
	}
	if id == "" {
		// A suggestion the customer did not pick, or a weak best match, is
		// a guess: writing the question into it would make the bot answer it
		// confidently, maybe wrongly (ACC-1), so the owner must choose.
		switch r.How {
		case "picked", "answered":
			id = r.Article
		case "suggested":
			return usageError{fmt.Sprintf("--accept %s: %q was only offered %s as a suggestion (confidence %.3f); if that article answers it, accept with --article %s", r.Ref, r.Question, r.Article, r.Confidence, r.Article)}
		case "best match":
			return usageError{fmt.Sprintf("--accept %s: %q only loosely matches %s (confidence %.3f); choose the article with --article ID", r.Ref, r.Question, r.Article, r.Confidence)}
		default:
			return usageError{fmt.Sprintf("--accept %s: no article matches %q; choose one with --article ID", r.Ref, r.Question)}
		}
	}
	a, ok := b.Article(id)
	if !ok {
		return fmt.Errorf("--article %s: no such article in %s", id, dir)
	}
	// Stored questions are redacted already; redact again so that nothing
	// personal can reach an article, whatever wrote the entry.
	q := compliance.Redact(r.Question, compliance.NewDetector(nil).Find(r.Question), func(compliance.Kind) bool { return false })
	path := filepath.Join(dir, filepath.FromSlash(a.Path))
	// Into asked:, not questions: a customer's wording answers that very
	// question again, but as an example it drew other questions to the
	// article by its incidental words (kb/QUALITY.md).
	// The same question under another article would leave the bot unable
	// to tell the two apart: an owner's example question stops the accept,
	// an accepted one (a pick accepted into the wrong article) moves here.
	key := kb.NormaliseQuestion(q)
	var movedFrom []*kb.Article
	for _, o := range b.Articles() {
		if o.ID == id {
			continue
		}
		if slices.ContainsFunc(o.Questions, func(x string) bool { return kb.NormaliseQuestion(x) == key }) {
			return fmt.Errorf("%s already has %q as an example question (%s); remove it there first if it belongs to %s", o.ID, q, filepath.Join(dir, filepath.FromSlash(o.Path)), id)
		}
		if slices.ContainsFunc(o.Asked, func(x string) bool { return kb.NormaliseQuestion(x) == key }) {
			movedFrom = append(movedFrom, o)
		}
	}
	if err := kb.AddQuestionToFile(path, kb.Asked, q); err != nil {
		if errors.Is(err, kb.ErrQuestionExists) {
			return fmt.Errorf("%s already has the question %q (%s)", id, q, path)
		}
		return fmt.Errorf("adding question %s to %s: %w", r.Ref, id, err)
	}
	for _, o := range movedFrom {
		op := filepath.Join(dir, filepath.FromSlash(o.Path))
		if err := kb.RemoveAskedFromFile(op, q); err != nil {
			return fmt.Errorf("added %q to %s, but could not remove it from %s (%s): %w; remove it there by hand", q, id, o.ID, op, err)
		}
		fmt.Fprintf(stdout, "moved %q from the asked questions of %s (%s)\n", q, o.ID, op)
	}
	fmt.Fprintf(stdout, "added %q to the asked questions of %s (%s): asked again, it is answered with this article; a running server picks it up without a restart\n", q, id, path)
	return nil
}

func printReview(w io.Writer, rows []reviewRow, since time.Time, cal kb.Calibration) {
	total := 0
	for _, r := range rows {
		total += r.Count
	}
	from := "all still kept" // review entries go with their transcripts (retention.transcripts_days)
	if !since.IsZero() {
		from = "since " + since.Format("2006-01-02 15:04")
	}
	fmt.Fprintf(w, "%d questions to review (%d asked, %s), newest wording shown\n", len(rows), total, from)
	fmt.Fprintln(w, "calibration:", cal.String())
	if len(rows) == 0 {
		return
	}
	// The question comes last: its width on screen (emoji, CJK) is not
	// its length in runes, so no column after it would line up.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tref\tasked\tlast\tlikely article\tquestion")
	for _, r := range rows {
		likely := r.Likely()
		if r.Known != "" {
			likely += "; already listed in " + r.Known
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%q\n", r.N, r.Ref, r.Count, r.Last.Format("2006-01-02"), likely, r.Question)
	}
	tw.Flush()
	fmt.Fprintf(w, "add one to its article with: deskbot kb review --accept REF [--article ID], e.g. --accept %s (a reference names the same question however the list changes; N works too, with the same --since)\n", rows[0].Ref)
}

var daysPattern = regexp.MustCompile(`^(\d+)d$`)

// parseSince reads --since: "30d", a Go duration such as "12h", or a date.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if m := daysPattern.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err == nil {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, l := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--since %q: want a number of days (30d), a duration (12h) or a date (2026-11-01)", s)
}
