package intent

// Rights request kinds; they match the protocol's action names.
const (
	RightsExport   = "export"
	RightsErase    = "erase"
	RightsWithdraw = "withdraw"
)

// CONS-5: withdrawing consent must be as easy as giving it, so free text
// works as well as the button.
var withdrawPhrases = []string{
	`(withdraw|withdrawing|revoke|revoking|retract|retracting|cancel|cancelling|canceling|take back|taking back) all? of? (my|the|our)? previous? consent*`,
	`i (no longer|dont|do not) (give|want to give)? my? consent*`,
	`stop (storing|keeping|saving|using|processing) my (personal|contact)? (details*|data*|information*|info*|email*|e mail*|phone*|number*)`,
	`(einwilligung|zustimmung|einverständnis) _? (widerrufen*|zurückziehen*|zurücknehmen*)`,
	`(widerrufe|widerrufen sie|ziehe) hiermit? (meine|die) (einwilligung*|zustimmung*)`,
	`(retire|retirer|révoque|révoquer|annule|annuler) (mon|le) consentement*`,
	`(retiro|retirar|revoco|revocar|quito) (mi|el) consentimiento*`,
}

// CONS-5: a contact detail named alone is the consent-based data, not
// everything (DSR-4): "delete my phone number" withdraws the consent and
// drops the details kept under it. "how do I delete my email?" asks about
// the shop's product (a webmail help desk) and is left to the articles.
var dropContactPhrases = []string{
	`(delete|erase|remove|wipe|forget|bin|scrap) my (phone|mobile|telephone|cell)? (number|email|e mail|email address|e mail address) (pls|please|thanks|thx|now|too|as well)? <end>`,
	`(dont|do not|please dont|please do not) (keep|store|save|hold on to) my (phone|mobile|telephone|cell)? (number|email|e mail|email address|e mail address)`,
	`(dont|do not) want (you|u|you guys|the shop) (keeping|storing|saving|holding|having|to keep|to store|to save|to have) my (phone|mobile|telephone|cell|contact)? (number|email|e mail|email address|e mail address|details|data|info|information)`,
	`(lösch|lösche|löschen|entferne|entfernen) sie? bitte? meine (telefonnummer|handynummer|nummer|e mail adresse|email adresse|e mail|email)`,
	`meine (telefonnummer|handynummer|nummer|e mail adresse|email adresse|e mail|email) (löschen*|entfernen*)`,
}

// DSR-4: erasure requests in the customer's words.
var erasePhrases = []string{
	`(delete|erase|remove|wipe|purge|destroy|clear) all? of? my (personal|contact|customer|private)? (data|information|info|details|record|records|chat history|chat|chats|conversation|conversations|transcript|transcripts|messages)`,
	`(delete|erase|remove|wipe) (this|our|the) (chat*|conversation*|transcript*)`,
	`(delete|erase|remove) me from (your|the) (database*|system*|records*|files*)`,
	`(delete|erase|remove|wipe|destroy) (everything|anything|all|all the data|all data|the data|all the information|all the info|all info) (you|u) (have|hold|keep|store|stored|got|collected) (on|about|of) me`,
	`(i want|i would like|id like|i need|please have|please get|get) my (personal)? (data|information|info|details|chat|chats|conversation|conversations|messages) (deleted|erased|removed|wiped|destroyed)`,
	`forget about? (me|everything about me) <end>`,
	`right to (be forgotten*|erasure*)`,
	`(lösch|lösche|löschen|entferne|entfernen) sie? bitte? alle? meine persönlichen? daten*`,
	`meine persönlichen? daten _? (löschen*|entfernen*)`,
	`(vergiss|vergessen sie) mich*`,
	`recht auf (löschung*|vergessenwerden*|vergessen werden*)`,
	`(supprime|supprimez|supprimer|efface|effacez|effacer) toutes? mes (données*|informations*|coordonnées*)`,
	`(oubliez|oublie) moi*`,
	`droit à (l'oubli*|l'effacement*)`,
	`(borra|borre|borren|borrad|borrar|elimina|elimine|eliminen|eliminar|suprime|suprima|suprimir) todos? mis (datos*|información*)`,
	`(olvídame*|olvídenme*|olvidadme*)`,
	`derecho al olvido*`,
}

// Questions about deleting are not requests to delete: "do you delete the
// chat after a while?" asks about retention (the privacy article answers
// it) and must not erase the customer's data, messages left included.
// "delete my data", "can you delete my data" and "please delete this chat"
// still are requests.
var eraseQuestionPhrases = []string{
	`(do|does|did|when do|when does|how long do|how long does|how often do|how soon do|why do|why does|how do|how does|how can|how would|what if|if) (you|u|ya|it|they|i|we|one|the chat|this chat|the bot|your system) (ever|actually|automatically|really|then|also|always|still)? (delete*|erase*|remove*|wipe*|purge*|destroy*|clear*)`,
	`how long (until|before|till) (you|u|they|it) (delete*|erase*|remove*|wipe*|purge*)`,
	`(is|are|will|does|do|would|can) (my|the|this|our|your) (personal)? (data|chat*|conversation*|messages|information|info|details|transcript*|history) (ever|automatically|also|then)? (get|gets|be|being|been)? (deleted|erased|removed|wiped|purged|kept|stored|saved)`,
	`(werden|wird) (meine|die|der|mein)? (daten|chat|chats|nachrichten|verlauf) (automatisch|irgendwann|auch|dann)? gelöscht`,
	`(est ce que vous|vous) (supprimez|effacez) (automatiquement|les|mes)? _? <punct>`,
	`(borran|eliminan|borráis|elimináis) (ustedes|automáticamente)? (los|mis)? _? <punct>`,
}

// DSR-1, DSR-2: access and portability requests.
var exportPhrases = []string{
	`(send|give|email|e mail|mail|show) me? (a copy of)? all? of? my personal? (data|information|info)`,
	`what personal? (data|information|info|details) (do|does|did) (you|your _|this _) (have|had|hold|held|store|stored|keep|kept|collect|collected|save|saved|process|processed) (about|on|of|from) me*`,
	`what (do|does) (you|your _) (have|hold|store|keep|know) (about|on) me*`,
	`(copy|export|download|printout|list) of? (all|everything)? of? (the|my)? personal? (data|information|info|details)? (you|u) (have|hold|keep|store|stored|collected|got) (on|about|of) me`,
	`(copy|export|download|extract) of? all? of? my personal? (data*|information*|info*)`,
	`(access|see) to? all? my personal? data*`,
	`(subject access request*|data access request*|dsar*)`,
	`(schick|schicken|schickt|senden|sende|send|geben|gib) sie? mir bitte? alle? meine persönlichen? daten*`,
	`welche persönlichen? daten (haben|speichern|sammeln|hast|speicherst|habt) (sie|ihr|du) (über mir*|von mir*|über mich*)`,
	`kopie (meiner|aller meiner) persönlichen? daten*`,
	`auskunft über (meine|die über mich) gespeicherten? persönlichen? daten*`,
	`meine persönlichen? daten (herunterladen*|exportieren*|anfordern*|zusenden*|einsehen*)`,
	`(envoyez|envoie|envoyer|donnez|donne) moi? toutes? mes (données*|informations*)`,
	`quelles (données|informations) (avez vous|as tu|détenez vous|conservez vous|possédez vous) sur moi*`,
	`copie de toutes? mes (données*|informations*)`,
	`(télécharger|exporter|accéder à) toutes? mes données*`,
	`(envíame|enviadme|envíenme|mándame|dame|denme) todos? mis datos*`,
	`qué datos (tienen|tenéis|tienes|tiene|guardan|guardáis|guardas) (sobre|de) mí*`,
	`copia de todos? mis datos*`,
	`(descargar|exportar|acceder a) todos? mis datos*`,
}

// DISC-4: questions about whether the customer is talking to a machine.
// Requests for a person ("can a real person check my order") are not
// questions about identity and are left to handover detection.
var identityPhrases = []string{
	`(are|r) (you|u) (a|an)? (real|actual|live|really|actually|just)? (a|an)? (bot|robot|chatbot|chat bot|machine|computer|program|ai|human|human being|person|real person|automated|automatic|real) (or ...)? <end>`,
	`(you are|youre|u r|ur) (a|an)? (real|actual|just)? (bot|robot|chatbot|machine|computer|ai|human|real person|person|automated) (or ...)? <punct>`,
	`is (this|that|it) (a|an)? (real|actual|live)? (bot|robot|chatbot|chat bot|ai|machine|computer|human|human being|person|automated|automatic|a real person|an automated (chat|reply|response|system|service|assistant)) (or ...)? <end>`,
	`(is|are) (this|these) (replies|answers|messages|responses) (automated*|automatic*|written by (a|an)? (bot*|machine*|ai*|human*|person*))`,
	`am i (talking|speaking|chatting|writing|texting) (to|with) (a|an)? (real|actual|live)? (bot*|robot*|chatbot*|machine*|computer*|ai*|human*|person*|people*|someone real*|real someone*|automated*)`,
	`(is there|are there) (a|an)? (real|actual|live)? (human|person|people) (behind (this*|the*)|on the other (end*|side*)|typing*|reading this*)`,
	// "is there a real person there?": asks what it is talking to; the
	// identity reply also offers a person.
	`(is there|are there|is their|is anyone|is anybody) (a|an|any)? (real|actual|live)? (human|humans|person|people|human being|one) (there|here|around|at all)? <punct>`,
	`(is)? (anyone|anybody|someone|somebody) (there|here|around) <punct>`,
	`(bist du|sind sie) (etwa|wirklich)? (ein|eine)? (echter|echte|richtiger|richtige)? (mensch*|bot*|roboter*|maschine*|ki*|computer*|chatbot*|person*)`,
	`(ist das|ist dies) (ein|eine)? (echter|echte)? (bot|roboter|mensch|ki|maschine|chatbot|person) <end>`,
	`(rede|spreche|schreibe|chatte) ich gerade? mit (einem|einer)? (echten|echte)? (menschen*|mensch*|bot*|roboter*|maschine*|ki*|person*)`,
	`(êtes vous|es tu|tu es|vous êtes) vraiment? (un|une)? (vrai|vraie)? (robot*|bot*|humain*|humaine*|machine*|ia*|personne*|être humain*|ordinateur*)`,
	`(est ce|c'est|est ce que c'est) (un|une)? (vrai|vraie)? (robot|bot|humain|ia|machine|personne) <end>`,
	`(je parle|suis je en train de parler|est ce que je parle) (à|avec) (un|une)? (vrai|vraie)? (robot*|bot*|humain*|machine*|ia*|personne*)`,
	`(eres|es usted|sos) (un|una)? (humano*|humana*|robot*|bot*|máquina*|ia*|persona*|ser humano*)`,
	`(es esto|esto es) (un|una)? (bot|robot|humano|ia|máquina) <end>`,
	`(estoy hablando|hablo|estoy chateando) con (un|una)? (humano*|robot*|bot*|máquina*|persona*|ia*)`,
}

// Rights recognises a data-subject request: RightsExport (a copy of
// their data, DSR-1/DSR-2), RightsErase (DSR-4) or RightsWithdraw
// (consent, CONS-5), in English, German, French and Spanish. Withdrawal
// is checked first: "stop storing my details" withdraws consent rather
// than asking to erase.
func (m Message) Rights() (kind string, ok bool) {
	switch {
	case lang.withdraw.in(&m, m.bounded),
		lang.dropContact.in(&m, m.bounded) && !lang.eraseQuestion.in(&m, m.bounded):
		return RightsWithdraw, true
	case lang.erase.in(&m, m.bounded) && !lang.eraseQuestion.in(&m, m.bounded):
		return RightsErase, true
	case lang.export.in(&m, m.bounded):
		return RightsExport, true
	}
	return "", false
}

// AsksIfHuman reports whether the customer asks if they are talking to a
// bot or a person (DISC-4: the bot must answer truthfully).
func (m Message) AsksIfHuman() bool {
	return lang.identity.in(&m, m.bounded)
}

// HUM-2: typing that one wants to leave a message for the team works as
// the "leave_message" button does, so what the customer types next is kept
// for the team rather than read as a question.
var leaveMessagePhrases = []string{
	`(leave|leaving|send|drop) (you|u|the team|your team|someone|somebody)? (a|an)? (message|msg|note|voicemail) (for (you*|u|the team|your team|someone|somebody|staff))? (please|pls|plz)? <end>`,
	`(take|pass on) (a|an|my) (message|msg|note) (please|pls|plz)? <end>`,
	`(eine|ihnen eine)? nachricht (hinterlassen*|hinterlegen*) <end>`,
	`laisser (un|une)? (message|mot) <end>`,
	`dejar (un|una)? (mensaje|nota|recado) <end>`,
}

// HUM-2: asking to be called back is asking for a person, by phone: with
// nobody available the message itself is left for the team. "will you
// call me when it's ready" asks how something works and is not one.
var callbackPhrases = []string{
	`(call|ring|phone) (me|us) back`,
	`(can|could|would|will) (someone|somebody|anyone|one of you|a person|someone from (the|your) team) (please|pls|plz)? (call|ring|phone|contact) (me|us)`,
	`(please|pls|plz) (call|ring|phone) (me|us)`,
	`(call|ring|phone) (me|us) (please|pls|plz)`,
	`(want|like|need|get|have|request|arrange|book) (a|an)? (call back|callback|phone call from (someone|somebody|you|u|the team|your team))`,
	`(callback|call back) (please|pls|plz)? <end>`,
	`(nobody|no one|noone|never|still not|not yet|havent been|hasnt) (has|have)? (called|rung|rang|phoned) (me|us)? back`,
	`(waiting|wait) for (a|my|the|your)? (call back|callback|call)`,
	`(rufen sie|ruft|ruf) (mich|uns) (bitte)? (zurück|an)`, `(um)? (einen|einem)? rückruf*`,
	`(rappelez|rappelle|rappeler) (moi|nous)?`, `me rappeler`,
	`(llámenme|llamenme|llámame|llamame)`, `devolver (me)? la llamada`, `me (pueden|puede|podrían|podria|podría) llamar`,
}

// AsksCallback reports whether the customer asks to be called back
// ("can someone call me back", "callback please").
func (m Message) AsksCallback() bool {
	return lang.callback.in(&m, m.bounded)
}

// LeavesMessage reports whether the customer asks to leave a message for
// the team ("can I leave a message", "leave a msg pls").
func (m Message) LeavesMessage() bool {
	return lang.leaveMessage.in(&m, m.bounded)
}
