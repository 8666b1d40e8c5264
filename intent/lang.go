package intent

import "strings"

// language is every phrase set and word list, compiled once.
type language struct {
	vocabulary
	withdraw, dropContact, erase, eraseQuestion, export, identity, fedUp, leaveMessage, callback *phraseSet
	topics                                                                                       map[string]*topic
	smallTalk                                                                                    trie
}

var lang = build()

func build() *language {
	l := &language{vocabulary: vocabulary{ids: map[string]int32{}}}
	v := &l.vocabulary
	l.withdraw = v.compileSet(withdrawPhrases...)
	l.dropContact = v.compileSet(dropContactPhrases...)
	l.erase = v.compileSet(erasePhrases...)
	l.eraseQuestion = v.compileSet(eraseQuestionPhrases...)
	l.export = v.compileSet(exportPhrases...)
	l.identity = v.compileSet(identityPhrases...)
	l.fedUp = v.compileSet(fedUpPhrases...)
	l.leaveMessage = v.compileSet(leaveMessagePhrases...)
	l.callback = v.compileSet(callbackPhrases...)
	l.topics = map[string]*topic{}
	for name, phrases := range topicPhrases {
		l.topics[name] = &topic{phrases: v.compileSet(phrases...), near: topicNear[name]}
	}
	v.mark(humanNoun, humanNouns...)
	v.mark(requestCue, requestCues...)
	v.mark(talkVerb, talkVerbs...)
	v.mark(subjectAux, subjectAuxs...)
	v.mark(determiner, determiners...)
	v.mark(pronounSubject, pronounSubjects...)
	v.mark(reportVerb, reportVerbs...)
	v.mark(positiveWord, positiveWords...)
	v.mark(swearWord, swearWords...)
	v.mark(cancelVerb, "cancel", "terminate", "end", "quit")
	v.mark(cancelObject, "contract", "subscription", "membership", "plan", "account")
	v.mark(cancelarVerb, "cancelar")
	v.mark(cancelarObject, "contrato", "suscripción", "membresía")
	v.mark(smallTalkFiller, smallTalkFillers...)
	v.mark(yesWord, yesWords...)
	v.mark(yesFiller, yesFillers...)
	v.mark(noWord, noWords...)
	for bad, good := range misspellings {
		v.alias(bad, good)
	}
	l.smallTalk = trie{kind: []SmallTalkKind{""}, next: map[[2]int32]int32{}}
	for k, list := range smallTalkPhrases {
		for _, p := range list {
			var ids []int32
			for _, w := range strings.Fields(p) {
				ids = append(ids, v.add(normWord(w)))
			}
			l.smallTalk.add(ids, k)
		}
	}
	return l
}
