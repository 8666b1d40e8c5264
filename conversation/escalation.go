package bot

import (
	"regexp"
	"strings"
	"unicode"

	"deskbot/config"
)

// humanNouns name a person the customer may ask for, in English, German,
// French and Spanish (HUM-2).
var humanNouns = map[string]bool{
	"human": true, "humans": true, "person": true, "people": true, "agent": true, "agents": true,
	"representative": true, "rep": true, "operator": true, "someone": true, "somebody": true,
	"staff": true, "employee": true, "advisor": true, "adviser": true, "manager": true, "supervisor": true,
	"mensch": true, "menschen": true, "mitarbeiter": true, "mitarbeiterin": true, "berater": true, "beraterin": true,
	"jemandem": true, "jemanden": true, "jemand": true, "kundendienst": true, "menschlichen": true,
	"humain": true, "personne": true, "conseiller": true, "conseillère": true, "opérateur": true, "operateur": true,
	"quelqu'un": true,
	"humano":    true, "persona": true, "agente": true, "asesor": true, "asesora": true, "operador": true, "alguien": true,
}

// requestCues mark that the customer asks to be put through.
var requestCues = map[string]bool{
	"speak": true, "talk": true, "chat": true, "connect": true, "transfer": true, "through": true,
	"get": true, "want": true, "need": true, "give": true, "let": true, "contact": true, "reach": true,
	"call": true, "escalate": true, "with": true, "to": true, "please": true, "pls": true, "plz": true,
	"sprechen": true, "reden": true, "möchte": true, "will": true, "bitte": true, "einen": true, "einem": true, "mit": true,
	"parler": true, "veux": true, "voudrais": true, "avec": true, "un": true, "une": true, "à": true,
	"hablar": true, "quiero": true, "con": true, "necesito": true, "una": true, "favor": true, "comunicarme": true,
}

// talkVerbs after the noun also make a request ("a person I can talk to").
var talkVerbs = map[string]bool{"talk": true, "speak": true, "chat": true, "sprechen": true, "reden": true, "parler": true, "hablar": true}

// subjectAux marks a question about what a person does ("is a human
// reviewing my refund?"), not a request to talk to one.
var subjectAux = map[string]bool{
	"is": true, "does": true, "will": true, "can": true, "could": true, "would": true, "did": true,
	"has": true, "are": true, "do": true, "was": true, "were": true, "have": true, "had": true,
	"ist": true, "est": true, "es": true,
}

var determiners = map[string]bool{"a": true, "an": true, "the": true, "real": true, "actual": true, "live": true, "any": true,
	"echten": true, "echte": true, "vrai": true, "véritable": true, "real's": true, "de": true, "verdadera": true, "verdadero": true}

// commonMisspellings maps frequent typos of the nouns above to the noun.
var commonMisspellings = map[string]string{
	"humna": "human", "huamn": "human", "hooman": "human", "humen": "human", "hman": "human", "humam": "human", "humaan": "human", "hunan": "human",
	"agnet": "agent", "agen": "agent", "agant": "agent", "aggent": "agent", "agetn": "agent", "ajent": "agent",
	"represenative": "representative", "reprsentative": "representative", "representive": "representative",
	"represntative": "representative", "representitive": "representative", "representatve": "representative",
	"repersentative": "representative", "represenatative": "representative",
	"persn": "person", "peson": "person", "preson": "person", "perosn": "person", "persom": "person", "persoon": "person",
	"opperator": "operator", "operater": "operator", "someon": "someone", "somone": "someone", "sombody": "somebody",
}

// shortAllowed is the length up to which a message naming a person is a
// request by itself ("agent", "real person now").
const shortAllowed = 4

func words(text string) []string {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})
	for i, w := range f {
		w = strings.ReplaceAll(w, "’", "'")
		if fix, ok := commonMisspellings[w]; ok {
			w = fix
		}
		f[i] = w
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
		if j >= 0 && subjectAux[w[j]] && (j+1 < i || isPronounSubject(w, j+1)) {
			continue // "is a human reviewing ...", "can someone check ..."
		}
		if j >= 0 && subjectAux[w[j]] && i == j+1 && i+1 < len(w) && !requestCues[w[i+1]] {
			continue // "does someone read ...", "will someone call me"
		}
		if i+1 < len(w) && (w[i+1] == "said" || w[i+1] == "told" || w[i+1] == "promised" || w[i+1] == "sent") {
			continue // reporting what a person did, not asking for one
		}
		if len(w) <= shortAllowed {
			return true // "agent", "human please", "real person now"
		}
		for k := i + 1; k < min(len(w), i+5); k++ {
			if talkVerbs[w[k]] {
				return true // "is there a person I can talk to"
			}
		}
		for k := max(0, i-6); k < i; k++ {
			if requestCues[w[k]] {
				return true
			}
		}
	}
	return false
}

func isPronounSubject(w []string, i int) bool {
	return i < len(w) && (w[i] == "someone" || w[i] == "somebody" || w[i] == "anyone" || w[i] == "jemand" || w[i] == "alguien")
}

// sensitiveTopics are built-in patterns per topic name of
// handover.sensitive_topics: these always go to a person (HUM-2).
func sensitiveTopics() map[string]*regexp.Regexp {
	return map[string]*regexp.Regexp{
		"legal":        regexp.MustCompile(`(?i)\b((my|our) (lawyer|attorney|solicitor)s?|(get|hire|call|contact|involve|instruct) (a |an )?(lawyer|attorney|solicitor)|su(e|ing)\b|lawsuit|legal action|(to|in) court|court (case|action)|small claims|trading standards|ombudsman|consumer protection|chargeback|anwalt|anwältin|gericht|klage|verklagen|avocat|tribunal|poursuivre|abogad[oa]|demandar|demanda|denuncia)`),
		"complaint":    regexp.MustCompile(`(?i)\b(complaint|complain(ing)?|formal grievance|beschwerde|beschweren|plainte|réclamation|reclamation|queja|reclamación|reclamacion)\b`),
		"medical":      regexp.MustCompile(`(?i)\b(allergic reaction|anaphyla\w*|injur(ed|y|ies)|hospital|ambulance|emergency room|poison(ed|ing)?|bleeding|burned myself|burnt myself|hurt myself|medical|doctor|verletzt|krankenhaus|allergische|blessé|blessure|hôpital|médecin|herid[oa]|hospital|alergia|médico)\b`),
		"cancellation": regexp.MustCompile(`(?i)(\b(cancel|terminate|end|quit)\b.{0,20}\b(contract|subscription|membership|plan|account)\b|\bkündig\w*|vertrag\s+(beenden|aufheben)|\brésili\w*|annuler\s+(mon|l')\s*(abonnement|contrat)|\bcancelar\b.{0,15}\b(contrato|suscripci[oó]n|membres[ií]a)\b|darme de baja)`),
	}
}

var (
	reBangs    = regexp.MustCompile(`!!!|(\?!|!\?){2,}`) // "!!!" or "?!?!"
	reSwear    = regexp.MustCompile(`(?i)\b(fuck\w*|f\*+k\w*|shit\w*|bullshit|crap|crappy|damn|dammit|wtf|ffs|bloody|idiot\w*|stupid|scheiße|scheisse|merde|putain|mierda|joder)\b`)
	reFedUp    = regexp.MustCompile(`(?i)(this is (useless|pointless|ridiculous|a joke|a waste)|(you'?re|you are|ur|u r|bot is|this bot is|totally|completely) (useless|no help|pointless|hopeless)|(you'?re|you are|this is|it'?s|that'?s) not help(ing|ful)|not helping( me)?\b|\bnot (very |at all )?helpful\b|no help at all|waste of (my )?time|fed up|sick (and tired )?of (this|you|waiting)|(i )?(already|just) (told|said|asked)|for the (second|third|fourth|last) time|you (don'?t|do not) understand|doesn'?t understand|(this|that) (doesn'?t|does not|didn'?t) help|ridiculous|unacceptable|absolutely terrible|nutzlos|nervt|inutile|ça ne sert à rien|no sirve|inútil)`)
	rePositive = regexp.MustCompile(`(?i)\b(thanks?|thank you|great|awesome|love|perfect|amazing|brilliant|wonderful|excellent|danke|merci|gracias|super)\b`)
)

// Frustrated reports visible frustration: shouting in capitals, "!!!",
// swearing, or phrases like "this is useless" and "you're not helping".
func Frustrated(text string) bool {
	if reSwear.MatchString(text) || reFedUp.MatchString(text) {
		return true
	}
	positive := rePositive.MatchString(text)
	if reBangs.MatchString(text) && !positive {
		return true
	}
	return shouting(text) && !positive
}

// shouting is mostly capital letters over several words.
func shouting(text string) bool {
	var upper, letters, words int
	for _, w := range strings.Fields(text) {
		n := 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				n++
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
		}
		if n >= 2 {
			words++
		}
	}
	return words >= 3 && letters >= 12 && upper*10 >= letters*9
}

// Escalator decides whether a customer message needs a person, and why.
type Escalator struct {
	topics      []string
	patterns    map[string]*regexp.Regexp
	frustration bool
}

// NewEscalator uses the handover section of the configuration.
func NewEscalator(h config.Handover) *Escalator {
	return &Escalator{topics: h.SensitiveTopics, patterns: sensitiveTopics(), frustration: h.Frustration}
}

// Escalation reasons as written to the audit log and shown in the queue.
const (
	ReasonRequest     = "request"
	ReasonMisses      = "misses"
	ReasonFrustration = "frustration"
	reasonSensitive   = "sensitive:"
)

// Detect returns the reason a message needs a person: "request",
// "sensitive:<topic>" or "frustration".
func (x *Escalator) Detect(text string) (string, bool) {
	if WantsHuman(text) {
		return ReasonRequest, true
	}
	for _, topic := range x.topics {
		if p := x.patterns[topic]; p != nil && p.MatchString(text) {
			return reasonSensitive + topic, true
		}
	}
	if x.frustration && Frustrated(text) {
		return ReasonFrustration, true
	}
	return "", false
}
