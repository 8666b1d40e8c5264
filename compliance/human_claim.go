package compliance

import "regexp"

// DISC-4: an automated assistant never claims to be a person. The scenario
// runner's built-in check (package features) reads every bot message with
// FindHumanClaim, and configuration refuses bot texts that make the claim
// (a small-talk greeting "Hi, I'm Sarah, a real person on the reception
// desk!" would otherwise greet every customer with it). Negations ("I'm not
// a human") are no claim: the word after "I am" must be the claim.
var reHumanClaim = regexp.MustCompile(`(?i)(\bI(?:'m|’m| am)\s+(?:(?:also|really|actually|truly|definitely|indeed|just)\s+)?(?:a\s+|an\s+)?(?:real\s+|actual\s+|live\s+|genuine\s+)?(?:human|person|human being|employee|member of (?:the|our) (?:team|staff)|man|woman)\b` +
	// "I'm a real vet nurse", "I am an actual receptionist".
	`|\bI(?:'m|’m| am)\s+(?:a|an)\s+(?:real|actual|live|genuine)\s+\p{L}+` +
	// "I'm Sarah, a real person", "this is Tom, a real vet nurse here".
	`|\b(?:I(?:'m|’m| am)|this is|it's|it’s|it is|my name is)\s+\p{L}+,?\s+(?:a|an|your)\s+(?:real|actual|live|genuine|human)\s+\p{L}+` +
	`|\bI(?:'m|’m| am)\s+(?:not|no)\s+(?:a\s+|an\s+)?(?:bot|robot|chatbot|machine|computer|program|AI|automated)\b` +
	`|\b(?:this|it)\s+(?:is\s+not|isn't|is\s+no)\s+(?:a\s+)?(?:bot|robot|chatbot|machine|automated)\b` +
	`|\byou(?:'re| are)\s+(?:talking|chatting|speaking)\s+(?:to|with)\s+(?:a\s+)?(?:real\s+|live\s+)?(?:human|person)\b` +
	`|\bich bin\s+(?:ein(?:e)?\s+)?(?:echte[rn]?\s+)?(?:mensch|mitarbeiter(?:in)?)\b` +
	`|\bje suis\s+(?:un(?:e)?\s+)?(?:vrai(?:e)?\s+)?(?:humain(?:e)?|personne réelle|employé(?:e)?)\b` +
	`|\bsoy\s+(?:un(?:a)?\s+)?(?:humano|humana|persona real|empleado|empleada)\b)`)

// FindHumanClaim returns the words of text that claim the bot is a person,
// or "" (DISC-4).
func FindHumanClaim(text string) string {
	if loc := reHumanClaim.FindStringIndex(text); loc != nil {
		return text[loc[0]:loc[1]]
	}
	return ""
}
