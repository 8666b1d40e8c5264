package kb

import "slices"

// equivalents are ways customers and shops name the same thing in
// customer service, in general English (not any one shop's words). A word
// of a question counts as covered by an article using one of its
// equivalents: "can I get my money back?" is about "Refunds" although the
// article never says "money" or "back". Only coverage uses them: adding
// them to the ranking (at 0.15, 0.3 or 0.5 of a typed word) shifted the
// self-calibration and answered fewer faq-dev questions (QUALITY.md).
// "card" is not with "payment": a gift card or a loyalty card is another
// topic.
var equivalents = [][]string{
	{"refund", "money back", "reimburse", "reimbursement", "repay"},
	{"ship", "shipping", "deliver", "delivery", "post", "postage", "dispatch"},
	{"cost", "price", "how much", "fee", "charge"},
	{"opening hours", "opening times", "hours", "open"},
	{"cancel", "stop"},
	{"order", "purchase", "buy"},
	{"broken", "damaged", "faulty", "defective"},
	{"return", "send back"},
	{"change", "exchange", "swap"},
	{"pay", "payment"},
	{"account", "login", "log in", "sign in"},
	{"password", "passcode"},
	{"address", "location", "where are you", "find you"},
	{"phone", "call", "telephone", "ring"},
	{"discount", "voucher", "coupon", "promo code"},
}

// equivalentPhrases are the groups analysed: each phrase as stems.
var equivalentPhrases = func() [][][]string {
	out := make([][][]string, len(equivalents))
	for i, g := range equivalents {
		for _, p := range g {
			out[i] = append(out[i], analyze(p))
		}
	}
	return out
}()

// expansion is what the equivalents add to a query.
type expansion struct {
	alts map[string][]string // a content word of the query -> its equivalents' content words
}

// expand finds the equivalents of the analysed query toks.
func expand(toks []string) expansion {
	var e expansion
	for _, g := range equivalentPhrases {
		var matched [][]string
		for _, p := range g {
			if containsPhrase(toks, p) {
				matched = append(matched, p)
			}
		}
		if len(matched) == 0 {
			continue
		}
		var others []string
		for _, p := range g {
			for _, w := range p {
				if functionWords[w] {
					continue
				}
				others = append(others, w)
			}
		}
		for _, p := range matched {
			for _, w := range p {
				if functionWords[w] {
					continue
				}
				if e.alts == nil {
					e.alts = map[string][]string{}
				}
				e.alts[w] = append(e.alts[w], others...)
			}
		}
	}
	return e
}

// containsPhrase reports whether phrase occurs in toks as consecutive words.
func containsPhrase(toks, phrase []string) bool {
	if len(phrase) == 0 {
		return false
	}
	for i := 0; i+len(phrase) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(phrase)], phrase) {
			return true
		}
	}
	return false
}

// covers is the share of the query's content words an article uses,
// itself or through an equivalent.
func (e expansion) covers(terms map[string]bool, content []string) float64 {
	if len(content) == 0 {
		return 0
	}
	n := 0
	for _, w := range content {
		if terms[w] {
			n++
			continue
		}
		for _, a := range e.alts[w] {
			if terms[a] {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(content))
}
