package compliance

import (
	"regexp"
	"strings"
)

// ACC-3 (LEGAL.md: "don't misrepresent capabilities; only claim actions
// the backend confirmed"): the bot must not say it has done something
// unless the bot really did it and recorded it. FindActionClaims reads a
// text in the bot's voice for a completed-action claim in the first person
// ("I've cancelled your order", "we have refunded you") or about the
// customer's things ("your order has been cancelled"). A rule ("once we
// have received your return, we refund …"), a future or general statement
// ("refunds are issued within 5 days") and a question claim nothing.
//
// Two checks use it: the scenario runner's built-in check (package
// features), which looks for the confirmed event of every claim in a bot
// message, and `deskbot kb lint` (package kb), which flags every claim in
// an article's answer text, since an article is served whatever the backend
// did. The words are English; the other languages are not read.

// reClaimFirstPerson: "I've cancelled", "we have refunded", "I just sent".
var reClaimFirstPerson = regexp.MustCompile(`(?i)\b(?:I|we)(?:'ve|’ve| have| had)?\s+(?:just\s+|already\s+|now\s+|successfully\s+|gone ahead and\s+)?` + claimVerbs)

// reClaimPassive: "your order has been cancelled", "your refund is now processed".
var reClaimPassive = regexp.MustCompile(`(?i)\byour\s+(?:[a-z-]+\s+){0,3}(?:has|have)\s+(?:now\s+|just\s+|already\s+)?been\s+(?:successfully\s+)?` + claimVerbs)

const claimVerbs = `(cancell?ed|refunded|shipped|dispatched|sent|processed|issued|charged|credited|booked|scheduled|reserved|placed|deleted|erased|removed|corrected|updated|changed|replaced|exchanged|reset|approved|unsubscribed|applied|closed|reversed)\b`

// reNotAClaim: a conditional or future clause before the claim ("once we
// have shipped", "if you have changed", "after we've processed") states a
// rule, not a completed action.
var reNotAClaim = regexp.MustCompile(`(?i)\b(?:once|when|whenever|after|if|until|unless|as soon as|before)\b`)

// ActionClaim is one completed-action claim found in a text (ACC-3).
type ActionClaim struct {
	// Verb is the claimed action, lower case, "canceled" spelt "cancelled".
	Verb string
	// Words are the words that make the claim, as written ("I've cancelled").
	Words string
	// Sentence is the sentence that holds the claim, trimmed.
	Sentence string
}

// FindActionClaims returns the completed-action claims of a text in the
// bot's voice, in the order they occur (ACC-3).
func FindActionClaims(text string) []ActionClaim {
	var out []ActionClaim
	for _, sentence := range splitSentences(text) {
		if strings.HasSuffix(strings.TrimSpace(sentence), "?") {
			continue // a question claims nothing
		}
		for _, re := range []*regexp.Regexp{reClaimFirstPerson, reClaimPassive} {
			for _, m := range re.FindAllStringSubmatchIndex(sentence, -1) {
				if reNotAClaim.MatchString(sentence[:m[0]]) {
					continue
				}
				out = append(out, ActionClaim{
					Verb:     normaliseClaimVerb(strings.ToLower(sentence[m[2]:m[3]])),
					Words:    sentence[m[0]:m[1]],
					Sentence: strings.TrimSpace(sentence),
				})
			}
		}
	}
	return out
}

var reSentenceEnd = regexp.MustCompile(`[.!?;:]\s+|\n+`)

func splitSentences(text string) []string {
	var out []string
	last := 0
	for _, loc := range reSentenceEnd.FindAllStringIndex(text, -1) {
		out = append(out, text[last:loc[0]+1])
		last = loc[1]
	}
	return append(out, text[last:])
}

func normaliseClaimVerb(v string) string {
	if v == "canceled" {
		return "cancelled"
	}
	return v
}
