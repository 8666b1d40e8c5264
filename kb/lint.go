package kb

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"deskbot/compliance"
)

// LintFinding is one problem an article owner should fix.
type LintFinding struct {
	ID      string // article id (first one for pairs)
	Path    string
	Rule    string // stale, duplicate-id, duplicate-title, similar-question, no-questions, placeholder, ACC-3
	Message string
}

func (f LintFinding) String() string {
	return fmt.Sprintf("%s: %s: %s", f.Path, f.Rule, f.Message)
}

// Lint checks articles for: past review_by, duplicate ids and titles,
// near-identical example questions in two articles, no example questions,
// unreplaced import placeholders or the [bracketed] parts deskbot kb init
// leaves to fill in, and answer text that claims a completed
// action in the bot's voice (ACC-3). Findings are sorted by id, then rule.
func Lint(arts []Article, now time.Time) []LintFinding {
	var out []LintFinding
	add := func(a *Article, rule, msg string) {
		out = append(out, LintFinding{ID: a.ID, Path: a.Path, Rule: rule, Message: msg})
	}
	ids := map[string]*Article{}
	titles := map[string]*Article{}
	// normalised question -> first article using it
	questions := map[string]*Article{}
	reported := map[[2]string]bool{}
	for i := range arts {
		a := &arts[i]
		if a.Stale(now) {
			add(a, "stale", fmt.Sprintf("review_by %s has passed", a.ReviewBy.Format("2006-01-02")))
		}
		if prev, ok := ids[a.ID]; ok {
			add(a, "duplicate-id", fmt.Sprintf("id %q also used by %s", a.ID, prev.Path))
		} else {
			ids[a.ID] = a
		}
		t := strings.Join(words(a.Title), " ")
		if prev, ok := titles[t]; ok && prev.ID != a.ID {
			add(a, "duplicate-title", fmt.Sprintf("title %q also used by %s", a.Title, prev.ID))
		} else if !ok {
			titles[t] = a
		}
		if len(a.Questions) == 0 {
			add(a, "no-questions", "no example questions; customers' wording will match only the title and body")
		}
		if strings.Contains(a.Body, placeholderBody) || strings.TrimSpace(a.Body) == "" {
			add(a, "placeholder", "answer text is missing or still the import placeholder")
		}
		if ps := starterPlaceholdersIn(a.Body); len(ps) > 0 {
			// `deskbot kb init` writes "[postal address]" and the like for
			// the owner to fill in; customers would read them as they are.
			add(a, "placeholder", fmt.Sprintf("answer text still has %s to fill in", strings.Join(ps, ", ")))
		}
		// ACC-3: the body is served as the bot's answer whatever the
		// backend did, so "I've cancelled your order" there is a claim
		// nothing can confirm. Rules ("once we have received your return,
		// we refund …") and general statements are not claims.
		for _, c := range compliance.FindActionClaims(a.Body) {
			add(a, "ACC-3", fmt.Sprintf("the answer claims a completed action (%q) in the bot's voice, which nothing the bot did confirms: %q; describe the rule or what a person will do instead", c.Words, c.Sentence))
		}
		seenHere := map[string]bool{}
		// Asked questions too: the first article claims a shared one. Keyed
		// without greetings and "please", as the exact-question match is.
		for _, q := range slices.Concat(a.Questions, a.Asked) {
			n := strings.Join(analyze(stripCourtesy(q)), " ")
			if n == "" || seenHere[n] {
				continue
			}
			seenHere[n] = true
			prev, ok := questions[n]
			if !ok {
				questions[n] = a
				continue
			}
			if prev.ID == a.ID || reported[[2]string{prev.ID, a.ID}] {
				continue
			}
			reported[[2]string{prev.ID, a.ID}] = true
			add(a, "similar-question", fmt.Sprintf("example %q is near-identical to one in %s; the bot cannot tell them apart", q, prev.ID))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

// StarterPlaceholders are the parts `deskbot kb init` leaves in its starter
// articles for the owner to fill in.
var StarterPlaceholders = []string{"[postal address]", "[privacy e-mail address]", "[Anything else your policy must say.]", "[confirm]", "[link]"}

// starterPlaceholdersIn lists the starter placeholders an answer text still has. Other
// brackets are left alone: FAQ answers name buttons ("[Save]") and quote
// code ("a[i]").
func starterPlaceholdersIn(body string) []string {
	var out []string
	for _, p := range StarterPlaceholders {
		if strings.Contains(body, p) {
			out = append(out, p)
		}
	}
	return out
}
