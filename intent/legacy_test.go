package intent

// The implementation this package replaced (compliance/intent.go,
// bot/escalation.go, bot/smalltalk.go and isYes from bot/suggest.go at
// cbe7412), kept only so that tests can check the new one gives the same
// answers and benchmarks can compare the two.

import (
	"regexp"
	"strings"
	"unicode"
)

// Rights request kinds returned by oldDetectRightsRequest; they match the
// protocol's action names.
const (
	oldRightsExport   = "export"
	oldRightsErase    = "erase"
	oldRightsWithdraw = "withdraw"
)

// The patterns below run on normalised text (see oldNormaliseIntent): lower
// case, accents removed, apostrophes dropped, sentence punctuation turned
// into " ? ", other punctuation into spaces, single spaces, and one space
// at each end. Words are therefore delimited by spaces in the patterns.

// CONS-5: withdrawing consent must be as easy as giving it, so free text
// works as well as the button.
var oldWithdrawRe = oldCompileAlternatives(
	` (i )?(withdraw|revoke|retract|cancel|take back)(ing)? (all )?(of )?(my |the |our )?(previous )?consent`,
	` i (no longer|dont|do not) (give |want to give )?(my )?consent`,
	` stop (storing|keeping|saving|using|processing) my (personal |contact )?(details|data|information|info|email|e mail|phone( number)?|number)`,
	` (einwilligung|zustimmung|einverstandnis) (\pL+ )?(widerrufen|zuruckziehen|zurucknehmen)`,
	` (widerrufe|widerrufen sie|ziehe) (hiermit )?(meine|die) (einwilligung|zustimmung)`,
	` (je )?(retire|retirer|revoque|revoquer|annule|annuler) (mon|le) consentement`,
	` (retiro|retirar|revoco|revocar|quito) (mi|el) consentimiento`,
)

// DSR-4: erasure requests in the customer's words.
var oldEraseRe = oldCompileAlternatives(
	` (delete|erase|remove|wipe|purge|destroy|clear) (all )?(of )?my (personal |contact |customer |private )?(data|information|info|details|records?|chat history|chats?|conversations?|transcripts?|messages) `,
	` (delete|erase|remove|wipe) (this|our|the) (chat|conversation|transcript)`,
	` (delete|erase|remove) me from (your|the) (database|system|records|files)`,
	` forget (about )?(me|everything about me) (\?|$)`,
	` right to (be forgotten|erasure)`,
	` (losch|losche|loschen|entferne|entfernen)( sie)?( bitte)?( alle)? meine (personlichen )?daten`,
	` meine (personlichen )?daten (\pL+ )?(loschen|entfernen)`,
	` (vergiss|vergessen sie) mich`,
	` recht auf (loschung|vergessenwerden|vergessen werden)`,
	` (supprime|supprimez|supprimer|efface|effacez|effacer)( toutes)? mes (donnees|informations|coordonnees)`,
	` (oubliez|oublie) moi`,
	` droit (a loubli|a leffacement)`,
	` (borra|borre|borren|borrad|borrar|elimina|elimine|eliminen|eliminar|suprime|suprima|suprimir)( todos)? mis (datos|informacion)`,
	` (olvidame|olvidenme|olvidadme)`,
	` derecho al olvido`,
)

// DSR-1, DSR-2: access and portability requests.
var oldExportRe = oldCompileAlternatives(
	` (send|give|email|e mail|mail|show)( me)? (a copy of )?(all )?(of )?my (personal )?(data|information|info) `,
	` what (personal )?(data|information|info|details) (do|does|did) (you|your \pL+|this \pL+) (have|hold|store|keep|collect|save|process)(ed)? (about|on|of|from) me`,
	` what (do|does) (you|your \pL+) (have|hold|store|keep|know) (about|on) me`,
	` (copy|export|download|extract)( of)?( all)?( of)? my (personal )?(data|information|info)`,
	` (access|see) (to )?(all )?my (personal )?data`,
	` (subject access request|data access request|dsar)`,
	` (schick|schicken|schickt|senden|sende|send|geben|gib)( sie)? mir( bitte)?( alle)? meine (personlichen )?daten`,
	` welche (personlichen )?daten (haben|speichern|sammeln|hast|speicherst|habt) (sie|ihr|du) (uber|von) mir`,
	` welche (personlichen )?daten (haben|speichern|sammeln|hast|speicherst|habt) (sie|ihr|du) (uber mich|von mir)`,
	` kopie (meiner|aller meiner) (personlichen )?daten`,
	` auskunft uber (meine|die uber mich) (gespeicherten )?(personlichen )?daten`,
	` meine (personlichen )?daten (herunterladen|exportieren|anfordern|zusenden|einsehen)`,
	` (envoyez|envoie|envoyer|donnez|donne)( moi)?( toutes)? mes (donnees|informations)`,
	` quelles (donnees|informations) (avez vous|as tu|detenez vous|conservez vous|possedez vous) sur moi`,
	` copie de( toutes)? mes (donnees|informations)`,
	` (telecharger|exporter|acceder a)( toutes)? mes donnees`,
	` (enviame|enviadme|envienme|mandame|dame|denme)( todos)? mis datos`,
	` que datos (tienen|teneis|tienes|tiene|guardan|guardais|guardas) (sobre|de) mi`,
	` copia de( todos)? mis datos`,
	` (descargar|exportar|acceder a)( todos)? mis datos`,
)

// DISC-4: questions about whether the customer is talking to a machine.
// Requests for a person ("can a real person check my order") are not
// questions about identity and are left to handover detection.
var oldHumanRe = oldCompileAlternatives(
	` (are|r) (you|u) (an? )?((real|actual|live|really|actually|just) )?(an? )?(bot|robot|chatbot|chat bot|machine|computer|program|ai|human|human being|person|real person|automated|automatic|real)( or [^?]*)? (\?|$)`,
	` (you are|youre|u r|ur) (an? )?((real|actual|just) )?(bot|robot|chatbot|machine|computer|ai|human|real person|person|automated)( or [^?]*)? \?`,
	` is (this|that|it) (an? )?((real|actual|live) )?(bot|robot|chatbot|chat bot|ai|machine|computer|human|human being|person|automated|automatic|a real person|an automated (chat|reply|response|system|service|assistant))( or [^?]*)? (\?|$)`,
	` (is|are) (this|these) (replies|answers|messages|responses) (automated|automatic|written by (a |an )?(bot|machine|ai|human|person))`,
	` am i (talking|speaking|chatting|writing|texting) (to|with) (an? )?((real|actual|live) )?(bot|robot|chatbot|machine|computer|ai|human|human being|person|people|someone real|real someone|automated)`,
	` (is there|are there) (an? )?((real|actual|live) )?(human|person|people) (behind (this|the)|on the other (end|side)|typing|reading this)`,
	` (bist du|sind sie) (etwa |wirklich )?(ein |eine )?(echter |echte |richtiger |richtige )?(mensch|bot|roboter|maschine|ki|computer|chatbot|person)`,
	` (ist das|ist dies) (ein |eine )?(echter |echte )?(bot|roboter|mensch|ki|maschine|chatbot|person)( \?| $)`,
	` (rede|spreche|schreibe|chatte) ich (gerade )?mit (einem |einer )?(echten |echte )?(menschen|mensch|bot|roboter|maschine|ki|person)`,
	` (etes vous|es tu|tu es|vous etes) (vraiment )?(un |une )?(vrai |vraie )?(robot|bot|humain|humaine|machine|ia|personne|etre humain|ordinateur)`,
	` (est ce|cest|est ce que cest) (un |une )?(vrai |vraie )?(robot|bot|humain|ia|machine|personne)( \?| $)`,
	` (je parle|suis je en train de parler|est ce que je parle) (a|avec) (un |une )?(vrai |vraie )?(robot|bot|humain|machine|ia|personne)`,
	` (eres|es usted|sos) (un |una )?(humano|humana|robot|bot|maquina|ia|persona|ser humano|persona real)`,
	` (es esto|esto es) (un |una )?(bot|robot|humano|ia|maquina)( \?| $)`,
	` (estoy hablando|hablo|estoy chateando) con (un |una )?(humano|robot|bot|maquina|persona real|persona|ia)`,
)

func oldCompileAlternatives(alts ...string) *regexp.Regexp {
	return regexp.MustCompile("(?:" + strings.Join(alts, ")|(?:") + ")")
}

// oldDetectRightsRequest recognises a data-subject request in free text:
// "export" (a copy of their data, DSR-1/DSR-2), "erase" (DSR-4) or
// "withdraw" (consent, CONS-5). English, German, French and Spanish.
// Withdrawal is checked first: "stop storing my details" withdraws
// consent rather than asking to erase.
func oldDetectRightsRequest(text string) (kind string, ok bool) {
	n := oldNormaliseIntent(text)
	switch {
	case oldWithdrawRe.MatchString(n):
		return oldRightsWithdraw, true
	case oldEraseRe.MatchString(n):
		return oldRightsErase, true
	case oldExportRe.MatchString(n):
		return oldRightsExport, true
	}
	return "", false
}

// oldAsksIfHuman reports whether the customer asks if they are talking to a
// bot or a person (DISC-4: the bot must answer truthfully).
func oldAsksIfHuman(text string) bool {
	return oldHumanRe.MatchString(oldNormaliseIntent(text))
}

// oldNormaliseIntent lower-cases text, removes accents and apostrophes, turns
// sentence punctuation into " ? " and other non-letters into spaces, and
// pads with single spaces so patterns can use spaces as word boundaries.
func oldNormaliseIntent(text string) string {
	if len(text) > 1000 {
		text = text[:1000] // intents live in short messages; bound the work
	}
	var b strings.Builder
	b.Grow(len(text) + 2)
	b.WriteByte(' ')
	space := true
	emit := func(s string) {
		for i := 0; i < len(s); i++ {
			if s[i] == ' ' {
				if space {
					continue
				}
				space = true
			} else {
				space = false
			}
			b.WriteByte(s[i])
		}
	}
	for _, r := range text {
		switch {
		case r == '\'' || r == '’' || r == '`' || r == '´':
			// dropped: "you're" -> "youre", "l'oubli" -> "loubli"
		case r == '?' || r == '.' || r == '!' || r == ';' || r == ',' || r == ':' || r == '¿' || r == '¡':
			emit(" ? ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			emit(oldFoldAccent(unicode.ToLower(r)))
		default:
			emit(" ")
		}
	}
	emit(" ")
	return b.String()
}

// oldFoldAccent maps common Latin letters with diacritics to their base
// letters so that patterns match text typed with or without accents.
func oldFoldAccent(r rune) string {
	switch r {
	case 'à', 'á', 'â', 'ä', 'ã', 'å':
		return "a"
	case 'ç':
		return "c"
	case 'è', 'é', 'ê', 'ë':
		return "e"
	case 'ì', 'í', 'î', 'ï':
		return "i"
	case 'ñ':
		return "n"
	case 'ò', 'ó', 'ô', 'ö', 'õ':
		return "o"
	case 'ù', 'ú', 'û', 'ü':
		return "u"
	case 'ß':
		return "ss"
	}
	return string(r)
}

// oldHumanNouns name a person the customer may ask for, in English, German,
// French and Spanish (HUM-2).
var oldHumanNouns = map[string]bool{
	"human": true, "humans": true, "person": true, "people": true, "agent": true, "agents": true,
	"representative": true, "rep": true, "operator": true, "someone": true, "somebody": true,
	"staff": true, "employee": true, "advisor": true, "adviser": true, "manager": true, "supervisor": true,
	"mensch": true, "menschen": true, "mitarbeiter": true, "mitarbeiterin": true, "berater": true, "beraterin": true,
	"jemandem": true, "jemanden": true, "jemand": true, "kundendienst": true, "menschlichen": true,
	"humain": true, "personne": true, "conseiller": true, "conseillère": true, "opérateur": true, "operateur": true,
	"quelqu'un": true,
	"humano":    true, "persona": true, "agente": true, "asesor": true, "asesora": true, "operador": true, "alguien": true,
}

// oldRequestCues mark that the customer asks to be put through.
var oldRequestCues = map[string]bool{
	"speak": true, "talk": true, "chat": true, "connect": true, "transfer": true, "through": true,
	"get": true, "want": true, "need": true, "give": true, "let": true, "contact": true, "reach": true,
	"call": true, "escalate": true, "with": true, "to": true, "please": true, "pls": true, "plz": true,
	"sprechen": true, "reden": true, "möchte": true, "will": true, "bitte": true, "einen": true, "einem": true, "mit": true,
	"parler": true, "veux": true, "voudrais": true, "avec": true, "un": true, "une": true, "à": true,
	"hablar": true, "quiero": true, "con": true, "necesito": true, "una": true, "favor": true, "comunicarme": true,
}

// oldTalkVerbs after the noun also make a request ("a person I can talk to").
var oldTalkVerbs = map[string]bool{"talk": true, "speak": true, "chat": true, "sprechen": true, "reden": true, "parler": true, "hablar": true}

// oldSubjectAux marks a question about what a person does ("is a human
// reviewing my refund?"), not a request to talk to one.
var oldSubjectAux = map[string]bool{
	"is": true, "does": true, "will": true, "can": true, "could": true, "would": true, "did": true,
	"has": true, "are": true, "do": true, "was": true, "were": true, "have": true, "had": true,
	"ist": true, "est": true, "es": true,
}

var oldDeterminers = map[string]bool{"a": true, "an": true, "the": true, "real": true, "actual": true, "live": true, "any": true,
	"echten": true, "echte": true, "vrai": true, "véritable": true, "real's": true, "de": true, "verdadera": true, "verdadero": true}

// oldCommonMisspellings maps frequent typos of the nouns above to the noun.
var oldCommonMisspellings = map[string]string{
	"humna": "human", "huamn": "human", "hooman": "human", "humen": "human", "hman": "human", "humam": "human", "humaan": "human", "hunan": "human",
	"agnet": "agent", "agen": "agent", "agant": "agent", "aggent": "agent", "agetn": "agent", "ajent": "agent",
	"represenative": "representative", "reprsentative": "representative", "representive": "representative",
	"represntative": "representative", "representitive": "representative", "representatve": "representative",
	"repersentative": "representative", "represenatative": "representative",
	"persn": "person", "peson": "person", "preson": "person", "perosn": "person", "persom": "person", "persoon": "person",
	"opperator": "operator", "operater": "operator", "someon": "someone", "somone": "someone", "sombody": "somebody",
}

// oldShortAllowed is the length up to which a message naming a person is a
// request by itself ("agent", "real person now").
const oldShortAllowed = 4

func oldWords(text string) []string {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})
	for i, w := range f {
		w = strings.ReplaceAll(w, "’", "'")
		if fix, ok := oldCommonMisspellings[w]; ok {
			w = fix
		}
		f[i] = w
	}
	return f
}

// oldWantsHuman reports whether the customer asks for a person (HUM-2).
func oldWantsHuman(text string) bool {
	w := oldWords(text)
	if len(w) == 0 {
		return false
	}
	for i, tok := range w {
		if !oldHumanNouns[tok] {
			continue
		}
		// Walk back over oldDeterminers ("a real person") to see what precedes.
		j := i - 1
		for j >= 0 && oldDeterminers[w[j]] {
			j--
		}
		if j >= 0 && oldSubjectAux[w[j]] && (j+1 < i || oldIsPronounSubject(w, j+1)) {
			continue // "is a human reviewing ...", "can someone check ..."
		}
		if j >= 0 && oldSubjectAux[w[j]] && i == j+1 && i+1 < len(w) && !oldRequestCues[w[i+1]] {
			continue // "does someone read ...", "will someone call me"
		}
		if i+1 < len(w) && (w[i+1] == "said" || w[i+1] == "told" || w[i+1] == "promised" || w[i+1] == "sent") {
			continue // reporting what a person did, not asking for one
		}
		if len(w) <= oldShortAllowed {
			return true // "agent", "human please", "real person now"
		}
		for k := i + 1; k < min(len(w), i+5); k++ {
			if oldTalkVerbs[w[k]] {
				return true // "is there a person I can talk to"
			}
		}
		for k := max(0, i-6); k < i; k++ {
			if oldRequestCues[w[k]] {
				return true
			}
		}
	}
	return false
}

func oldIsPronounSubject(w []string, i int) bool {
	return i < len(w) && (w[i] == "someone" || w[i] == "somebody" || w[i] == "anyone" || w[i] == "jemand" || w[i] == "alguien")
}

// oldSensitiveTopics are built-in patterns per topic name of
// handover.sensitive_topics: these always go to a person (HUM-2).
func oldSensitiveTopics() map[string]*regexp.Regexp {
	return map[string]*regexp.Regexp{
		"legal":        regexp.MustCompile(`(?i)\b((my|our) (lawyer|attorney|solicitor)s?|(get|hire|call|contact|involve|instruct) (a |an )?(lawyer|attorney|solicitor)|su(e|ing)\b|lawsuit|legal action|(to|in) court|court (case|action)|small claims|trading standards|ombudsman|consumer protection|chargeback|anwalt|anwältin|gericht|klage|verklagen|avocat|tribunal|poursuivre|abogad[oa]|demandar|demanda|denuncia)`),
		"complaint":    regexp.MustCompile(`(?i)\b(complaint|complain(ing)?|formal grievance|beschwerde|beschweren|plainte|réclamation|reclamation|queja|reclamación|reclamacion)\b`),
		"medical":      regexp.MustCompile(`(?i)\b(allergic reaction|anaphyla\w*|injur(ed|y|ies)|hospital|ambulance|emergency room|poison(ed|ing)?|bleeding|burned myself|burnt myself|hurt myself|medical|doctor|verletzt|krankenhaus|allergische|blessé|blessure|hôpital|médecin|herid[oa]|hospital|alergia|médico)\b`),
		"cancellation": regexp.MustCompile(`(?i)(\b(cancel|terminate|end|quit)\b.{0,20}\b(contract|subscription|membership|plan|account)\b|\bkündig\w*|vertrag\s+(beenden|aufheben)|\brésili\w*|annuler\s+(mon|l')\s*(abonnement|contrat)|\bcancelar\b.{0,15}\b(contrato|suscripci[oó]n|membres[ií]a)\b|darme de baja)`),
	}
}

var (
	oldReBangs    = regexp.MustCompile(`!!!|(\?!|!\?){2,}`) // "!!!" or "?!?!"
	oldReSwear    = regexp.MustCompile(`(?i)\b(fuck\w*|f\*+k\w*|shit\w*|bullshit|crap|crappy|damn|dammit|wtf|ffs|bloody|idiot\w*|stupid|scheiße|scheisse|merde|putain|mierda|joder)\b`)
	oldReFedUp    = regexp.MustCompile(`(?i)(this is (useless|pointless|ridiculous|a joke|a waste)|(you'?re|you are|ur|u r|bot is|this bot is|totally|completely) (useless|no help|pointless|hopeless)|(you'?re|you are|this is|it'?s|that'?s) not help(ing|ful)|not helping( me)?\b|\bnot (very |at all )?helpful\b|no help at all|waste of (my )?time|fed up|sick (and tired )?of (this|you|waiting)|(i )?(already|just) (told|said|asked)|for the (second|third|fourth|last) time|you (don'?t|do not) understand|doesn'?t understand|(this|that) (doesn'?t|does not|didn'?t) help|ridiculous|unacceptable|absolutely terrible|nutzlos|nervt|inutile|ça ne sert à rien|no sirve|inútil)`)
	oldRePositive = regexp.MustCompile(`(?i)\b(thanks?|thank you|great|awesome|love|perfect|amazing|brilliant|wonderful|excellent|danke|merci|gracias|super)\b`)
)

// oldFrustrated reports visible frustration: oldShouting in capitals, "!!!",
// swearing, or oldPhrases like "this is useless" and "you're not helping".
func oldFrustrated(text string) bool {
	if oldReSwear.MatchString(text) || oldReFedUp.MatchString(text) {
		return true
	}
	positive := oldRePositive.MatchString(text)
	if oldReBangs.MatchString(text) && !positive {
		return true
	}
	return oldShouting(text) && !positive
}

// oldShouting is mostly capital letters over several words.
func oldShouting(text string) bool {
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

// oldEscalator decides whether a customer message needs a person, and why.
type oldEscalator struct {
	topics      []string
	patterns    map[string]*regexp.Regexp
	frustration bool
}

// oldNewEscalator uses the handover section of the configuration.
func oldNewEscalator(topics []string, frustration bool) *oldEscalator {
	return &oldEscalator{topics: topics, patterns: oldSensitiveTopics(), frustration: frustration}
}

// Escalation reasons as written to the audit log and shown in the queue.
const (
	oldReasonRequest     = "request"
	oldReasonMisses      = "misses"
	oldReasonFrustration = "frustration"
	oldReasonSensitive   = "sensitive:"
)

// Detect returns the reason a message needs a person: "request",
// "sensitive:<topic>" or "frustration".
func (x *oldEscalator) Detect(text string) (string, bool) {
	if oldWantsHuman(text) {
		return oldReasonRequest, true
	}
	for _, topic := range x.topics {
		if p := x.patterns[topic]; p != nil && p.MatchString(text) {
			return oldReasonSensitive + topic, true
		}
	}
	if x.frustration && oldFrustrated(text) {
		return oldReasonFrustration, true
	}
	return "", false
}

// oldSmallTalkKind names what a message that carries no question is.
type oldSmallTalkKind string

// Kinds of small talk; each has its own configurable reply (answer.small_talk.*).
const (
	oldGreeting    oldSmallTalkKind = "greeting"
	oldThanks      oldSmallTalkKind = "thanks"
	oldGoodbye     oldSmallTalkKind = "goodbye"
	oldAcknowledge oldSmallTalkKind = "acknowledge" // ok, got it, a bare yes or no, oldLaughter
)

// oldSmallTalkPhrases are the word sequences small talk is made of. A
// message is small talk only when these (and oldFillers) cover every word:
// "hi, where is my order" leaves "where is my order" and is a question.
var oldSmallTalkPhrases = map[oldSmallTalkKind][]string{
	oldGreeting: {
		"hi", "hello", "hey", "hiya", "heya", "howdy", "yo", "greetings", "hallo", "hola", "bonjour",
		"good morning", "good afternoon", "good evening", "good day", "morning", "evening",
		"how are you", "how are you doing", "how's it going", "hows it going", "what's up", "whats up",
	},
	oldThanks: {
		"thanks", "thank you", "thankyou", "thx", "thnx", "ty", "tysm", "tyvm", "cheers", "ta",
		"many thanks", "much appreciated", "appreciate it", "appreciated", "i appreciate it",
		"that helps", "that helped", "that's helpful", "thats helpful", "very helpful", "helpful",
		"danke", "merci", "gracias",
	},
	oldGoodbye: {
		"bye", "goodbye", "bye bye", "byebye", "see you", "see ya", "see you later", "cya", "later",
		"that's all", "thats all", "that is all", "that's it", "thats it", "that is it", "nothing else",
		"have a nice day", "have a good day", "have a great day", "good night", "take care",
		"i'm done", "im done", "all done", "i'm good", "im good",
		"tschüss", "tschuss", "ciao", "adios", "adiós", "au revoir",
	},
	oldAcknowledge: {
		"ok", "okay", "okey", "k", "kk", "okie", "cool", "great", "got it", "gotcha", "alright", "all right",
		"sure", "fine", "nice", "perfect", "awesome", "understood", "i see", "sounds good", "noted",
		"good", "excellent", "brilliant", "lovely", "right", "makes sense", "fair enough",
		"yes", "yeah", "yep", "yup", "ya", "no", "nope", "nah", "hmm", "hm", "ah", "oh",
		"lol", "lmao", "lmfao", "rofl", "xd",
	},
}

// oldFillers may stand around small talk without making it a question.
var oldFillers = map[string]bool{
	"so": true, "very": true, "much": true, "a": true, "lot": true, "again": true, "well": true, "then": true,
	"you": true, "there": true, "all": true, "everyone": true, "guys": true, "team": true, "folks": true,
	"for": true, "your": true, "the": true, "help": true, "info": true, "answer": true, "and": true,
	"uh": true, "um": true, "just": true, "really": true, "too": true, "now": true,
	"please": true, "pls": true, "plz": true,
}

// oldKindRank orders kinds when a message holds several: "ok thanks, bye" is a goodbye.
var oldKindRank = map[oldSmallTalkKind]int{oldGoodbye: 4, oldThanks: 3, oldGreeting: 2, oldAcknowledge: 1}

// oldSmallTalkEmoji are emoji that are small talk on their own.
var oldSmallTalkEmoji = map[rune]oldSmallTalkKind{
	'😂': oldAcknowledge, '🤣': oldAcknowledge, '😀': oldAcknowledge, '😃': oldAcknowledge, '😄': oldAcknowledge, '😁': oldAcknowledge,
	'😆': oldAcknowledge, '😅': oldAcknowledge, '🙂': oldAcknowledge, '😊': oldAcknowledge, '😉': oldAcknowledge, '👍': oldAcknowledge,
	'👌': oldAcknowledge, '✅': oldAcknowledge, '🙏': oldThanks, '❤': oldThanks, '👋': oldGreeting,
}

var oldLaughter = regexp.MustCompile(`^(?:a?(?:ha|he|hi)+h?|(?:lo)+l|lmf?ao+|rofl)$`)

type oldPhrase struct {
	words []string
	kind  oldSmallTalkKind
}

// oldPhrases holds oldSmallTalkPhrases longest first, so "thank you" wins over "thank".
var oldPhrases = func() []oldPhrase {
	var out []oldPhrase
	for k, list := range oldSmallTalkPhrases {
		for _, p := range list {
			out = append(out, oldPhrase{strings.Fields(p), k})
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].words) > len(out[j-1].words); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}()

// oldDetectSmallTalk reports whether text is only small talk, and which kind.
// Anything with content beyond greetings, thanks, goodbyes and
// acknowledgements is not small talk ("no it still doesn't work", "ok so
// how do I cancel"): it goes to the knowledge base like any question.
func oldDetectSmallTalk(text string) (oldSmallTalkKind, bool) {
	var best oldSmallTalkKind
	note := func(k oldSmallTalkKind) {
		if oldKindRank[k] > oldKindRank[best] {
			best = k
		}
	}
	var rest strings.Builder
	for _, r := range text {
		if k, ok := oldSmallTalkEmoji[r]; ok {
			note(k)
			rest.WriteRune(' ')
			continue
		}
		rest.WriteRune(r)
	}
	ws := oldSmallTalkWords(rest.String())
	for i := 0; i < len(ws); {
		if n, k := oldMatchPhrase(ws[i:]); n > 0 {
			note(k)
			i += n
			continue
		}
		if oldLaughter.MatchString(ws[i]) {
			note(oldAcknowledge)
			i++
			continue
		}
		if oldFillers[ws[i]] || oldFillers[oldSqueeze(ws[i], 1)] {
			i++
			continue
		}
		return "", false
	}
	return best, best != ""
}

// oldMatchPhrase returns the length and kind of the longest oldPhrase ws starts with.
func oldMatchPhrase(ws []string) (int, oldSmallTalkKind) {
	for _, p := range oldPhrases {
		if len(p.words) > len(ws) {
			continue
		}
		ok := true
		for j, w := range p.words {
			if ws[j] != w && oldSqueeze(ws[j], 1) != w && oldSqueeze(ws[j], 2) != w {
				ok = false
				break
			}
		}
		if ok {
			return len(p.words), p.kind
		}
	}
	return 0, ""
}

// oldSmallTalkWords splits text into lower-case words, keeping apostrophes
// inside words ("that's"); punctuation and emoji separate words.
func oldSmallTalkWords(text string) []string {
	text = strings.ReplaceAll(strings.ToLower(text), "’", "'")
	f := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	out := f[:0]
	for _, w := range f {
		if w = strings.Trim(w, "'"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// oldSqueeze shortens runs of a repeated letter to at most n ("hiii" → "hi",
// "cooool" → "cool" with n = 2), as people stretch words in chat.
func oldSqueeze(w string, n int) string {
	var b strings.Builder
	var last rune
	run := 0
	for _, r := range w {
		if r == last {
			run++
		} else {
			last, run = r, 1
		}
		if run <= n {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// oldYesWords accept an offer; oldIsYes needs one of them and nothing but oldFillers.
var oldYesWords = map[string]bool{"yes": true, "yeah": true, "yep": true, "yup": true, "ya": true, "sure": true, "y": true}

func oldIsYes(raw string) bool {
	ws := oldSmallTalkWords(raw)
	yes := false
	for _, w := range ws {
		switch {
		case oldYesWords[w] || oldYesWords[oldSqueeze(w, 1)]:
			yes = true
		case w == "please" || w == "pls" || w == "ok" || w == "okay" || w == "thanks" || w == "thank" || w == "you":
		default:
			return false
		}
	}
	return yes
}
