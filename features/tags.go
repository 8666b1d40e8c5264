package features

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// TagExpr is a parsed --tags expression. Two syntaxes are accepted:
//
//   - Cucumber's tag expressions (github.com/cucumber/tag-expressions):
//     "@consent and not (@slow or @agent-console)", with "and", "or",
//     "not" and parentheses; "not" binds tighter than "and", "and" tighter
//     than "or"; a backslash escapes "(", ")", "\" or a space in a tag;
//   - godog's older form, still accepted: "@a && ~@b", "@a,@b" (a comma
//     is "or" inside one "&&" group, "~" is "not").
//
// Tags compare without their leading "@", so "consent" matches @consent.
type TagExpr struct {
	src  string
	root tagNode // nil: every scenario matches
}

type tagNode struct {
	op   string // "tag", "and", "or", "not"
	tag  string // without "@"
	kids []tagNode
}

// ParseTagExpression parses a --tags value; empty matches every scenario.
func ParseTagExpression(s string) (*TagExpr, error) {
	e := &TagExpr{src: s}
	if strings.TrimSpace(s) == "" {
		return e, nil
	}
	var err error
	if isOldTagSyntax(s) {
		e.root, err = parseOldTags(s)
	} else {
		e.root, err = parseNewTags(s)
	}
	if err != nil {
		return nil, fmt.Errorf("tag expression %q could not be parsed: %w (write e.g. \"@consent and not (@slow or @agent-console)\")", s, err)
	}
	return e, nil
}

// String is the expression as given.
func (e *TagExpr) String() string { return e.src }

// Match reports whether a scenario with these tags (with or without "@")
// is selected.
func (e *TagExpr) Match(tags []string) bool {
	if e == nil || e.root.op == "" {
		return true
	}
	set := map[string]bool{}
	for _, t := range tags {
		set[strings.TrimPrefix(t, "@")] = true
	}
	return e.root.eval(set)
}

func (n tagNode) eval(set map[string]bool) bool {
	switch n.op {
	case "tag":
		return set[n.tag]
	case "not":
		return !n.kids[0].eval(set)
	case "and":
		for _, k := range n.kids {
			if !k.eval(set) {
				return false
			}
		}
		return true
	case "or":
		for _, k := range n.kids {
			if k.eval(set) {
				return true
			}
		}
		return false
	}
	return true
}

// isOldTagSyntax: godog's form uses "&&", "~" or ",", which Cucumber's
// expressions never do outside escaped tag names.
func isOldTagSyntax(s string) bool {
	return strings.Contains(s, "&&") || strings.Contains(s, "~") || strings.Contains(s, ",")
}

func parseOldTags(s string) (tagNode, error) {
	and := tagNode{op: "and"}
	for _, group := range strings.Split(s, "&&") {
		or := tagNode{op: "or"}
		for _, lit := range strings.Split(group, ",") {
			lit = strings.TrimSpace(lit)
			neg := strings.HasPrefix(lit, "~")
			lit = strings.TrimSpace(strings.TrimPrefix(lit, "~"))
			name := strings.TrimPrefix(lit, "@")
			if name == "" || strings.ContainsFunc(name, unicode.IsSpace) || strings.ContainsAny(name, "()~") {
				return tagNode{}, fmt.Errorf("%q is not a tag (the old form is \"@a && ~@b\", \"@a,@b\"; do not mix it with and/or/not)", lit)
			}
			n := tagNode{op: "tag", tag: name}
			if neg {
				n = tagNode{op: "not", kids: []tagNode{n}}
			}
			or.kids = append(or.kids, n)
		}
		and.kids = append(and.kids, or)
	}
	return and, nil
}

// tokenizeTags splits a Cucumber tag expression into operators,
// parentheses and tags (escapes resolved).
func tokenizeTags(s string) ([]string, []bool, error) {
	var toks []string
	var isTag []bool
	var cur strings.Builder
	inTag, escaped := false, false
	flush := func() {
		if inTag {
			t := cur.String()
			toks = append(toks, t)
			isTag = append(isTag, !(t == "and" || t == "or" || t == "not"))
			cur.Reset()
			inTag = false
		}
	}
	for _, r := range s {
		switch {
		case escaped:
			if r != '(' && r != ')' && r != '\\' && !unicode.IsSpace(r) {
				return nil, nil, fmt.Errorf("illegal escape before %q", r)
			}
			cur.WriteRune(r)
			inTag, escaped = true, false
		case r == '\\':
			escaped = true
		case r == '(' || r == ')':
			flush()
			toks = append(toks, string(r))
			isTag = append(isTag, false)
		case unicode.IsSpace(r):
			flush()
		default:
			cur.WriteRune(r)
			inTag = true
		}
	}
	if escaped {
		return nil, nil, fmt.Errorf("a backslash ends the expression")
	}
	flush()
	return toks, isTag, nil
}

type tagParser struct {
	toks  []string
	isTag []bool
	i     int
}

func parseNewTags(s string) (tagNode, error) {
	toks, isTag, err := tokenizeTags(s)
	if err != nil {
		return tagNode{}, err
	}
	p := &tagParser{toks: toks, isTag: isTag}
	n, err := p.or()
	if err != nil {
		return tagNode{}, err
	}
	if p.i < len(p.toks) {
		return tagNode{}, fmt.Errorf("unexpected %q: expected \"and\", \"or\" or the end", p.toks[p.i])
	}
	return n, nil
}

func (p *tagParser) peekOp(op string) bool {
	return p.i < len(p.toks) && !p.isTag[p.i] && p.toks[p.i] == op
}

func (p *tagParser) or() (tagNode, error) {
	n, err := p.and()
	if err != nil {
		return n, err
	}
	for p.peekOp("or") {
		p.i++
		m, err := p.and()
		if err != nil {
			return m, err
		}
		n = tagNode{op: "or", kids: []tagNode{n, m}}
	}
	return n, nil
}

func (p *tagParser) and() (tagNode, error) {
	n, err := p.unary()
	if err != nil {
		return n, err
	}
	for p.peekOp("and") {
		p.i++
		m, err := p.unary()
		if err != nil {
			return m, err
		}
		n = tagNode{op: "and", kids: []tagNode{n, m}}
	}
	return n, nil
}

func (p *tagParser) unary() (tagNode, error) {
	if p.i >= len(p.toks) {
		return tagNode{}, fmt.Errorf("expected a tag, \"not\" or \"(\" at the end")
	}
	t := p.toks[p.i]
	switch {
	case p.isTag[p.i]:
		p.i++
		return tagNode{op: "tag", tag: strings.TrimPrefix(t, "@")}, nil
	case t == "not":
		p.i++
		n, err := p.unary()
		return tagNode{op: "not", kids: []tagNode{n}}, err
	case t == "(":
		p.i++
		n, err := p.or()
		if err != nil {
			return n, err
		}
		if !p.peekOp(")") {
			return n, fmt.Errorf("unmatched \"(\"")
		}
		p.i++
		return n, nil
	}
	return tagNode{}, fmt.Errorf("unexpected %q: expected a tag, \"not\" or \"(\"", t)
}

// tagLit is a literal of a clause: a tag or its negation.
type tagLit struct {
	tag string
	neg bool
}

// maxTagClauses bounds the conjunctive normal form godog is given.
const maxTagClauses = 4096

// godogFilter returns an equivalent expression in godog's own syntax,
// which is conjunctive normal form: groups joined by "&&", each a
// ","-separated "or" of "@tag" or "~@tag".
func (e *TagExpr) godogFilter() (string, error) {
	if e == nil || e.root.op == "" {
		return "", nil
	}
	cnf, err := toCNF(e.root, false)
	if err != nil {
		return "", err
	}
	var groups []string
	for _, clause := range cnf {
		var lits []string
		for _, l := range clause {
			if strings.ContainsAny(l.tag, ",~&@ \t") {
				return "", fmt.Errorf("the tag %q cannot be passed to godog (it holds one of , ~ & @ or a space)", l.tag)
			}
			if l.neg {
				lits = append(lits, "~@"+l.tag)
			} else {
				lits = append(lits, "@"+l.tag)
			}
		}
		groups = append(groups, strings.Join(lits, ","))
	}
	if len(groups) == 0 {
		return "", nil // always true
	}
	return strings.Join(groups, " && "), nil
}

// toCNF converts n (negated when neg) to clauses; tautologies are dropped.
func toCNF(n tagNode, neg bool) ([][]tagLit, error) {
	op := n.op
	if op == "not" {
		return toCNF(n.kids[0], !neg)
	}
	if op == "tag" {
		return [][]tagLit{{{tag: n.tag, neg: neg}}}, nil
	}
	if neg { // De Morgan
		if op == "and" {
			op = "or"
		} else {
			op = "and"
		}
	}
	var parts [][][]tagLit
	for _, k := range n.kids {
		c, err := toCNF(k, neg)
		if err != nil {
			return nil, err
		}
		parts = append(parts, c)
	}
	if op == "and" {
		var out [][]tagLit
		for _, p := range parts {
			out = append(out, p...)
		}
		if len(out) > maxTagClauses {
			return nil, fmt.Errorf("the expression is too complex (over %d clauses)", maxTagClauses)
		}
		return out, nil
	}
	// or: distribute over the clauses of each side
	out := [][]tagLit{{}}
	for _, p := range parts {
		if len(p) == 0 { // this side is always true
			return nil, nil
		}
		var next [][]tagLit
		for _, a := range out {
			for _, b := range p {
				if c, ok := mergeClause(a, b); ok {
					next = append(next, c)
				}
			}
		}
		if len(next) > maxTagClauses {
			return nil, fmt.Errorf("the expression is too complex (over %d clauses)", maxTagClauses)
		}
		out = next
		if len(out) == 0 {
			return nil, nil
		}
	}
	return out, nil
}

// mergeClause joins two "or" clauses; ok is false for a tautology.
func mergeClause(a, b []tagLit) ([]tagLit, bool) {
	seen := map[tagLit]bool{}
	var out []tagLit
	for _, l := range append(append([]tagLit(nil), a...), b...) {
		if seen[tagLit{l.tag, !l.neg}] {
			return nil, false
		}
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].tag != out[j].tag {
			return out[i].tag < out[j].tag
		}
		return !out[i].neg && out[j].neg
	})
	return out, true
}
