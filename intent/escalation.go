package intent

import "strings"

// Word classes used by WantsHuman, Frustrated, small talk and IsYes.
const (
	humanNoun      class = 1 << iota // a person the customer may ask for
	requestCue                       // marks asking to be put through
	talkVerb                         // after the noun also makes a request
	subjectAux                       // "is a human reviewing …": a question about a person
	determiner                       // walked over before a noun ("a real person")
	pronounSubject                   // "can someone check …"
	reportVerb                       // "the agent said …": what a person did
	positiveWord                     // thanks and praise soften "!!!" and capitals
	swearWord
	cancelVerb     // "cancel … my contract"
	cancelObject   //
	cancelarVerb   // "cancelar … el contrato"
	cancelarObject //
	smallTalkFiller
	yesWord
	yesFiller
	noWord
)

// HUM-2: the words of a request for a person, in English, German, French
// and Spanish. "à" is not a cue: folded it reads "a", which would make
// every English "a" one; French requests carry "veux", "parler", "un".
var (
	humanNouns = []string{
		"human", "humans", "person", "people", "agent", "agents",
		"representative", "rep", "operator", "someone", "somebody",
		"staff", "employee", "advisor", "adviser", "manager", "supervisor",
		// Staff named by their role ("can I speak to a receptionist", "put me
		// through to reception", "talk to a vet") are a person too.
		"receptionist", "reception", "nurse", "vet", "doctor", "pharmacist", "owner", "boss",
		"stylist", "mechanic", "technician", "engineer", "instructor", "colleague",
		"mensch", "menschen", "mitarbeiter", "mitarbeiterin", "berater", "beraterin",
		"jemandem", "jemanden", "jemand", "kundendienst", "menschlichen",
		"humain", "personne", "conseiller", "conseillère", "opérateur", "quelqu'un",
		"humano", "persona", "agente", "asesor", "asesora", "operador", "alguien",
	}
	requestCues = []string{
		"speak", "talk", "chat", "connect", "transfer", "through",
		"get", "want", "need", "give", "let", "contact", "reach",
		"call", "escalate", "with", "to", "please", "pls", "plz",
		"sprechen", "reden", "möchte", "will", "bitte", "einen", "einem", "mit",
		"parler", "veux", "voudrais", "avec", "un", "une",
		"hablar", "quiero", "con", "necesito", "una", "favor", "comunicarme",
	}
	talkVerbs   = []string{"talk", "speak", "chat", "sprechen", "reden", "parler", "hablar"}
	subjectAuxs = []string{
		"is", "does", "will", "can", "could", "would", "did",
		"has", "are", "do", "was", "were", "have", "had",
		"ist", "est", "es",
	}
	determiners = []string{"a", "an", "the", "real", "actual", "live", "any",
		"echten", "echte", "vrai", "véritable", "real's", "de", "verdadera", "verdadero"}
	pronounSubjects = []string{"someone", "somebody", "anyone", "jemand", "alguien"}
	reportVerbs     = []string{"said", "told", "promised", "sent"}
	// misspellings maps frequent typos of the nouns above to the noun.
	misspellings = map[string]string{
		"humna": "human", "huamn": "human", "hooman": "human", "humen": "human", "hman": "human", "humam": "human", "humaan": "human", "hunan": "human",
		"agnet": "agent", "agen": "agent", "agant": "agent", "aggent": "agent", "agetn": "agent", "ajent": "agent",
		"represenative": "representative", "reprsentative": "representative", "representive": "representative",
		"represntative": "representative", "representitive": "representative", "representatve": "representative",
		"repersentative": "representative", "represenatative": "representative",
		"persn": "person", "peson": "person", "preson": "person", "perosn": "person", "persom": "person", "persoon": "person",
		"opperator": "operator", "operater": "operator", "someon": "someone", "somone": "someone", "sombody": "somebody",
	}
)

// shortAllowed is the length up to which a message naming a person is a
// request by itself ("agent", "real person now").
const shortAllowed = 4

// WantsHuman reports whether the customer asks for a person (HUM-2).
func (m Message) WantsHuman() bool {
	w := m.toks
	for i := range w {
		if !w[i].is(humanNoun) {
			continue
		}
		// Walk back over determiners ("a real person") to see what precedes.
		j := i - 1
		for j >= 0 && w[j].is(determiner) {
			j--
		}
		if j >= 0 && w[j].is(subjectAux) && (j+1 < i || w[j+1].is(pronounSubject)) {
			continue // "is a human reviewing ...", "can someone check ..."
		}
		if j >= 0 && w[j].is(subjectAux) && i == j+1 && i+1 < len(w) && !w[i+1].is(requestCue) {
			continue // "does someone read ...", "will someone call me"
		}
		if i+1 < len(w) && w[i+1].is(reportVerb) {
			continue // reporting what a person did, not asking for one
		}
		if len(w) <= shortAllowed {
			return true // "agent", "human please", "real person now"
		}
		for k := i + 1; k < min(len(w), i+5); k++ {
			if w[k].is(talkVerb) {
				return true // "is there a person I can talk to"
			}
		}
		for k := max(0, i-6); k < i; k++ {
			if w[k].is(requestCue) {
				return true
			}
		}
	}
	return false
}

// Sensitive topics by their handover.sensitive_topics name: these always
// go to a person (HUM-2).
var topicPhrases = map[string][]string{
	"legal": {
		`(my|our) (lawyer*|attorney*|solicitor*)`,
		`(get|hire|call|contact|involve|instruct) (a|an)? (lawyer*|attorney*|solicitor*)`,
		`(sue|suing|lawsuit*|legal action*|ombudsman*|chargeback*)`,
		`(to|in) court*`, `court (case*|action*)`, `small claims*`, `trading standards*`, `consumer protection*`,
		`(anwalt*|anwältin*|gericht*|klage*|verklagen*)`,
		`(avocat*|tribunal*|poursuivre*)`,
		`(abogado*|abogada*|demanda*|denuncia*)`,
	},
	"complaint": {
		`(complaint|complain|complaining|formal grievance|beschwerde|beschweren|plainte|réclamation|queja|reclamación)`,
	},
	"medical": {
		`(allergic reaction|anaphyla*|injured|injury|injuries|hospital|ambulance|emergency room|poison|poisoned|poisoning|bleeding)`,
		`(burned|burnt|hurt) myself`,
		// A reaction after a treatment: "my scalp is itchy and burning since
		// my colour", "came up in a rash", "had a reaction to the dye".
		`(rash|rashes|hives|blistered|blisters|blistering)`,
		`(my|her|his|their|our|the dogs|the dog's) (skin|scalp|face|eyes|eye|lips|neck|ears|hands|head|forehead|paws) (is|are|was|were|feels|felt|went|got|has been|have been|keeps|keep)? (really|very|so|all|still)? (itchy|itching|burning|burnt|burned|sore|raw|stinging|swollen|red|bleeding|painful|peeling|flaky|blistered)`,
		`(had|have|having|got|get|getting) (a|an)? (bad|nasty|severe|awful|terrible)? (reaction|allergic reaction)`,
		`(swollen|swelling) (up|face|eyes|lips|scalp|skin)?`,
		`(medical|doctor|verletzt|krankenhaus|allergische|blessé|blessure|hôpital|médecin|herido|herida|alergia|médico)`,
	},
	"cancellation": {
		`kündig*`, `*vertrag (beenden*|aufheben*)`, `résili*`,
		`annuler (mon (abonnement*|contrat*)|l'abonnement*)`,
		`darme de baja*`,
	},
}

// near is a word of one class followed within gap characters by a word
// of another: "cancel my gym membership".
type near struct {
	first, then class
	gap         int32
}

var topicNear = map[string][]near{
	"cancellation": {{cancelVerb, cancelObject, 20}, {cancelarVerb, cancelarObject, 15}},
}

// topic is one compiled sensitive topic.
type topic struct {
	phrases *phraseSet
	near    []near
}

func (t *topic) in(m *Message) bool {
	if t.phrases.in(m, len(m.toks)) {
		return true
	}
	for _, n := range t.near {
		if m.near(n) {
			return true
		}
	}
	return false
}

func (m *Message) near(n near) bool {
	w := m.toks
	for i := range w {
		if !w[i].is(n.first) {
			continue
		}
		for j := i + 1; j < len(w) && w[j].lo-w[i].hi <= n.gap; j++ {
			if w[j].is(n.then) {
				return true
			}
		}
	}
	return false
}

// Frustration: swearing, and phrases like "this is useless" and "you're
// not helping".
var (
	swearWords = []string{"bullshit", "crap", "crappy", "damn", "dammit", "wtf", "ffs", "bloody",
		"stupid", "scheiße", "merde", "putain", "mierda", "joder"}
	positiveWords = []string{"thank", "thanks", "great", "awesome", "love", "perfect", "amazing",
		"brilliant", "wonderful", "excellent", "danke", "merci", "gracias", "super"}
	fedUpPhrases = []string{
		`(fuck*|shit*|idiot*)`,
		`this is (useless*|pointless*|ridiculous*|a joke*|a waste*)`,
		// "your useless" is how "you're useless" is often typed
		`(youre|you are|ur|u r|your|bot is|totally|completely) (useless*|no help*|pointless*|hopeless*)`,
		`not (helping*|helpful*)`, `not (very|at all) helpful`,
		`no help at all*`, `waste of my? time*`, `fed up`,
		`sick (and tired)? of (this*|you*|waiting*)`,
		`(already|just) (told*|said*|asked*)`,
		`for the (second|third|fourth|last) time*`,
		`you (dont|do not) understand*`, `doesnt understand*`,
		`(this|that) (doesnt|does not|didnt) help*`,
		`(ridiculous*|unacceptable*|absolutely terrible*)`,
		`(nutzlos*|*nervt*|inutil*)`, `ça ne sert à rien*`, `no sirve*`,
	}
)

// Frustrated reports visible frustration: shouting in capitals, "!!!",
// swearing, or phrases like "this is useless" and "you're not helping".
func (m Message) Frustrated() bool {
	for i := range m.toks {
		if m.toks[i].is(swearWord) || masked(m.toks[i].text) {
			return true
		}
	}
	if lang.fedUp.in(&m, len(m.toks)) {
		return true
	}
	if !m.bangs && !m.shouting {
		return false
	}
	for i := range m.toks {
		if m.toks[i].is(positiveWord) {
			return false
		}
	}
	return true
}

// masked reports a swear word masked with asterisks ("f**k", "f***ing").
func masked(w string) bool {
	if len(w) < 3 || w[0] != 'f' || w[1] != '*' {
		return false
	}
	w = strings.TrimLeft(w[1:], "*")
	return w != "" && w[0] == 'k'
}

// Escalation reasons as written to the audit log and shown in the queue.
const (
	ReasonRequest     = "request"
	ReasonFrustration = "frustration"
	SensitivePrefix   = "sensitive:" // followed by the topic's name
)

// Topics returns the sensitive topic names an Escalator knows.
func Topics() []string {
	out := make([]string, 0, len(lang.topics))
	for name := range lang.topics {
		out = append(out, name)
	}
	return out
}

// Escalator decides whether a customer message needs a person, and why.
type Escalator struct {
	names       []string
	topics      []*topic
	frustration bool
}

// NewEscalator checks the named sensitive topics (handover.sensitive_topics;
// unknown names are ignored, configuration rejects them) in the order
// given, and frustration if asked to.
func NewEscalator(topics []string, frustration bool) *Escalator {
	x := &Escalator{frustration: frustration}
	for _, name := range topics {
		if t := lang.topics[name]; t != nil {
			x.names = append(x.names, name)
			x.topics = append(x.topics, t)
		}
	}
	return x
}

// Detect reads text and returns the reason it needs a person.
func (x *Escalator) Detect(text string) (string, bool) {
	return x.Reason(Read(text))
}

// Reason returns why a message needs a person: ReasonRequest,
// SensitivePrefix+topic or ReasonFrustration, in that order.
func (x *Escalator) Reason(m Message) (string, bool) {
	if m.WantsHuman() {
		return ReasonRequest, true
	}
	for i, t := range x.topics {
		if t.in(&m) {
			return SensitivePrefix + x.names[i], true
		}
	}
	if x.frustration && m.Frustrated() {
		return ReasonFrustration, true
	}
	return "", false
}
