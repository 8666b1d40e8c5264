package bot

import (
	"strings"
	"unicode"
)

// humanNouns name a person the customer may ask for, in English, German,
// French and Spanish (HUM-2).
var humanNouns = map[string]bool{
	"human": true, "humans": true, "person": true, "people": true, "agent": true, "agents": true,
	"representative": true, "rep": true, "operator": true, "someone": true, "somebody": true,
	"staff": true, "employee": true, "advisor": true, "adviser": true, "manager": true, "supervisor": true,
	"mensch": true, "menschen": true, "mitarbeiter": true, "mitarbeiterin": true, "berater": true, "beraterin": true,
	"humain": true, "personne": true, "conseiller": true, "conseillère": true, "opérateur": true, "operateur": true,
	"humano": true, "persona": true, "agente": true, "asesor": true, "asesora": true, "operador": true,
}

// requestCues mark that the customer asks to be put through.
var requestCues = map[string]bool{
	"speak": true, "talk": true, "chat": true, "connect": true, "transfer": true, "through": true,
	"get": true, "want": true, "need": true, "give": true, "let": true, "contact": true, "reach": true,
	"call": true, "escalate": true, "with": true, "to": true, "please": true, "pls": true,
	"sprechen": true, "reden": true, "möchte": true, "will": true, "bitte": true, "einen": true, "einem": true,
	"parler": true, "veux": true, "voudrais": true, "avec": true, "un": true, "une": true,
	"hablar": true, "quiero": true, "con": true, "necesito": true, "una": true, "favor": true,
}

// subjectAux marks a question about what a person does ("is a human
// reviewing my refund?"), not a request to talk to one.
var subjectAux = map[string]bool{
	"is": true, "does": true, "will": true, "can": true, "could": true, "would": true, "did": true,
	"has": true, "are": true, "do": true, "was": true,
}

var determiners = map[string]bool{"a": true, "an": true, "the": true, "real": true, "actual": true, "live": true, "any": true}

// commonMisspellings maps frequent typos of the nouns above to the noun.
var commonMisspellings = map[string]string{
	"humna": "human", "huamn": "human", "hooman": "human", "humen": "human", "hman": "human",
	"agnet": "agent", "agen": "agent", "agant": "agent", "aggent": "agent",
	"represenative": "representative", "reprsentative": "representative", "representive": "representative",
	"represntative": "representative", "representitive": "representative",
	"persn": "person", "peson": "person", "preson": "person", "perosn": "person",
	"opperator": "operator", "operater": "operator",
}

func words(text string) []string {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	for i, w := range f {
		if fix, ok := commonMisspellings[w]; ok {
			f[i] = fix
		}
	}
	return f
}

// WantsHuman reports whether the customer asks for a person (HUM-2).
func WantsHuman(text string) bool {
	w := words(text)
	if len(w) == 0 {
		return false
	}
	for i, tok := range w {
		if !humanNouns[tok] {
			continue
		}
		// Walk back over determiners ("a real person") to see what precedes.
		j := i - 1
		for j >= 0 && determiners[w[j]] {
			j--
		}
		if j >= 0 && subjectAux[w[j]] && (j+1 < i) {
			continue // "is a human reviewing ..."
		}
		if len(w) <= 4 {
			return true // "agent", "human please", "real person now"
		}
		for k := max(0, i-6); k < i; k++ {
			if requestCues[w[k]] {
				return true
			}
		}
	}
	return false
}
