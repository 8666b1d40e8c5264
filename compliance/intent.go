package compliance

import (
	"regexp"
	"strings"
	"unicode"
)

// Rights request kinds returned by DetectRightsRequest; they match the
// protocol's action names.
const (
	RightsExport   = "export"
	RightsErase    = "erase"
	RightsWithdraw = "withdraw"
)

// The patterns below run on normalised text (see normaliseIntent): lower
// case, accents removed, apostrophes dropped, sentence punctuation turned
// into " ? ", other punctuation into spaces, single spaces, and one space
// at each end. Words are therefore delimited by spaces in the patterns.

// CONS-5: withdrawing consent must be as easy as giving it, so free text
// works as well as the button.
var withdrawRe = compileAlternatives(
	` (i )?(withdraw|revoke|retract|cancel|take back)(ing)? (all )?(of )?(my |the |our )?(previous )?consent`,
	` i (no longer|dont|do not) (give |want to give )?(my )?consent`,
	` stop (storing|keeping|saving|using|processing) my (personal |contact )?(details|data|information|info|email|e mail|phone( number)?|number)`,
	` (einwilligung|zustimmung|einverstandnis) (\pL+ )?(widerrufen|zuruckziehen|zurucknehmen)`,
	` (widerrufe|widerrufen sie|ziehe) (hiermit )?(meine|die) (einwilligung|zustimmung)`,
	` (je )?(retire|retirer|revoque|revoquer|annule|annuler) (mon|le) consentement`,
	` (retiro|retirar|revoco|revocar|quito) (mi|el) consentimiento`,
)

// DSR-4: erasure requests in the customer's words.
var eraseRe = compileAlternatives(
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
var exportRe = compileAlternatives(
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
var humanRe = compileAlternatives(
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

func compileAlternatives(alts ...string) *regexp.Regexp {
	return regexp.MustCompile("(?:" + strings.Join(alts, ")|(?:") + ")")
}

// DetectRightsRequest recognises a data-subject request in free text:
// "export" (a copy of their data, DSR-1/DSR-2), "erase" (DSR-4) or
// "withdraw" (consent, CONS-5). English, German, French and Spanish.
// Withdrawal is checked first: "stop storing my details" withdraws
// consent rather than asking to erase.
func DetectRightsRequest(text string) (kind string, ok bool) {
	n := normaliseIntent(text)
	switch {
	case withdrawRe.MatchString(n):
		return RightsWithdraw, true
	case eraseRe.MatchString(n):
		return RightsErase, true
	case exportRe.MatchString(n):
		return RightsExport, true
	}
	return "", false
}

// AsksIfHuman reports whether the customer asks if they are talking to a
// bot or a person (DISC-4: the bot must answer truthfully).
func AsksIfHuman(text string) bool {
	return humanRe.MatchString(normaliseIntent(text))
}

// normaliseIntent lower-cases text, removes accents and apostrophes, turns
// sentence punctuation into " ? " and other non-letters into spaces, and
// pads with single spaces so patterns can use spaces as word boundaries.
func normaliseIntent(text string) string {
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
			emit(foldAccent(unicode.ToLower(r)))
		default:
			emit(" ")
		}
	}
	emit(" ")
	return b.String()
}

// foldAccent maps common Latin letters with diacritics to their base
// letters so that patterns match text typed with or without accents.
func foldAccent(r rune) string {
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
