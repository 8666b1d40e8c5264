package kb

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLintClaimedAction: ACC-3, an article whose answer claims a completed
// action in the bot's voice ("I've cancelled your order") is served whatever
// the backend did, so lint reports it with the file, the rule and the
// sentence; an article stating a rule is not reported.
func TestLintClaimedAction(t *testing.T) {
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	arts := []Article{
		{ID: "cancel", Title: "Cancelling", Path: "cancel.md", Questions: []string{"cancel my order"},
			Body: "Thanks for getting in touch. I've cancelled your order. You will not be charged."},
		{ID: "refund-done", Title: "Refund status", Path: "refund-done.md", Questions: []string{"where is my refund"},
			Body: "Good news!\n\nYour refund has been processed and should reach your card soon."},
		{ID: "returns", Title: "Returns", Path: "returns.md", Questions: []string{"how do returns work"},
			Body: "Once we have received your return, we refund within 5 days. Refunds are issued within 5 days to the original payment method. When we have shipped a replacement, you get an e-mail. If you have changed your mind, tell us."},
	}
	var acc3 []LintFinding
	for _, f := range Lint(arts, now) {
		if f.Rule == "ACC-3" {
			acc3 = append(acc3, f)
		}
	}
	if len(acc3) != 2 {
		t.Fatalf("ACC-3 findings = %v, want one for cancel.md and one for refund-done.md", acc3)
	}
	for i, want := range []struct{ path, sentence string }{
		{"cancel.md", `"I've cancelled your order."`},
		{"refund-done.md", `"Your refund has been processed and should reach your card soon."`},
	} {
		s := acc3[i].String()
		if !strings.HasPrefix(s, want.path+": ACC-3: ") || !strings.Contains(s, want.sentence) {
			t.Errorf("finding %q should name %s, the rule ACC-3 and the sentence %s", s, want.path, want.sentence)
		}
	}
}

// TestShippedKnowledgeBasesMakeNoClaims: ACC-3, the embedded demo knowledge
// base and the shops in testdata claim no completed action (no lint finding
// for the rule).
func TestShippedKnowledgeBasesMakeNoClaims(t *testing.T) {
	bases := map[string]fs.FS{"demo": DemoFS()}
	for _, shop := range shops {
		bases[shop] = os.DirFS(filepath.Join(shopsDir, shop))
	}
	for name, fsys := range bases {
		arts, problems := LoadFS(fsys)
		if len(arts) == 0 || len(problems) > 0 {
			t.Fatalf("%s: %d articles, problems %v", name, len(arts), problems)
		}
		for _, f := range Lint(arts, time.Now()) {
			if f.Rule == "ACC-3" {
				t.Errorf("%s: %s", name, f)
			}
		}
	}
}
