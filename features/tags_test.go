package features

import (
	"fmt"
	"strings"
	"testing"
)

// Cucumber's tag-expression semantics (github.com/cucumber/tag-expressions,
// its testdata/evaluations.yml), plus godog's older form.
func TestTagExpressions(t *testing.T) {
	cases := []struct {
		expr string
		tags []string
		want bool
	}{
		{"", nil, true},
		{"@a", []string{"@a"}, true},
		{"@a", []string{"@b"}, false},
		{"not @a", []string{"@b"}, true},
		{"not @a", []string{"@a"}, false},
		{"@a and @b", []string{"@a", "@b"}, true},
		{"@a and @b", []string{"@a"}, false},
		{"@a or @b", []string{"@b"}, true},
		{"@a or @b", nil, false},
		{"@a and not @b", []string{"@a"}, true},
		{"@a and not @b", []string{"@a", "@b"}, false},
		{"@a or @b and @c", []string{"@a"}, true}, // and binds tighter
		{"(@a or @b) and @c", []string{"@a"}, false},
		{"(@a or @b) and @c", []string{"@b", "@c"}, true},
		{"not (@a or @b)", []string{"@c"}, true},
		{"not (@a or @b)", []string{"@b"}, false},
		{"not not @a", []string{"@a"}, true},
		{"not @a and @b", []string{"@b"}, true}, // not binds tightest
		{"@consent and not @failing", []string{"@consent", "@CONS-1"}, true},
		{`@a\(1\)`, []string{"@a(1)"}, true},
		{`@x\ y`, []string{"@x y"}, true},
		{"consent", []string{"@consent"}, true},
		// godog's older form
		{"@a && ~@b", []string{"@a"}, true},
		{"@a && ~@b", []string{"@a", "@b"}, false},
		{"@a,@b", []string{"@b"}, true},
		{"@a,@b && @c", []string{"@b"}, false},
		{"~@known-issue", []string{"@CONS-1"}, true},
		{"~@known-issue", []string{"@known-issue"}, false},
	}
	for _, c := range cases {
		e, err := ParseTagExpression(c.expr)
		if err != nil {
			t.Errorf("%q: %v", c.expr, err)
			continue
		}
		if got := e.Match(c.tags); got != c.want {
			t.Errorf("%q on %v = %v; want %v", c.expr, c.tags, got, c.want)
		}
	}
	for _, bad := range []string{"@a and", "and @a", "(@a", "@a)", "@a @b", "not", "@a or or @b", `@a\`, `@a\b`, "@a && not @b", "@a,,@b"} {
		if _, err := ParseTagExpression(bad); err == nil {
			t.Errorf("%q parsed; want an error", bad)
		} else if !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
			t.Errorf("%q: error does not quote the expression: %v", bad, err)
		}
	}
}

// The expression handed to godog (its own conjunctive syntax) selects
// exactly the scenarios Match selects, for every combination of tags.
func TestTagExpressionsToGodog(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	for _, expr := range []string{
		"@a", "not @a", "@a and not @b", "@a or @b", "(@a or @b) and not (@c or @d)",
		"not (@a and @b) or @c", "@a or (@b and @c) or not @d", "@a or not @a", "not (@a or not @b) and (@c or @d)",
		"@a && ~@b", "@a,@b && ~@c",
	} {
		e, err := ParseTagExpression(expr)
		if err != nil {
			t.Fatal(err)
		}
		f, err := e.godogFilter()
		if err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
		g, err := ParseTagExpression(f)
		if err != nil {
			t.Fatalf("%q -> %q: %v", expr, f, err)
		}
		for mask := 0; mask < 1<<len(names); mask++ {
			var tags []string
			for i, n := range names {
				if mask&(1<<i) != 0 {
					tags = append(tags, "@"+n)
				}
			}
			if e.Match(tags) != g.Match(tags) || e.Match(tags) != godogMatch(f, tags) {
				t.Errorf("%q -> godog %q differs on %v", expr, f, tags)
			}
		}
	}
}

// godogMatch is godog v0.15's own filter (internal/tags), copied to check
// that what it is given means the same.
func godogMatch(filter string, tags []string) bool {
	if filter == "" {
		return true
	}
	contains := func(tag string) bool {
		for _, t := range tags {
			if strings.ReplaceAll(t, "@", "") == tag {
				return true
			}
		}
		return false
	}
	ok := true
	for _, andTags := range strings.Split(filter, "&&") {
		var okComma bool
		for _, tag := range strings.Split(andTags, ",") {
			tag = strings.ReplaceAll(strings.TrimSpace(tag), "@", "")
			okComma = contains(tag) || okComma
			if tag[0] == '~' {
				okComma = !contains(tag[1:]) || okComma
			}
		}
		ok = ok && okComma
	}
	return ok
}
