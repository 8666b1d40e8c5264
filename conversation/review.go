package conversation

import (
	"deskbot/kb"
	"deskbot/locale"
	"deskbot/protocol"
)

// HUM-1 (GDPR Art. 22): an article marked `human_review: true` describes a
// decision with legal or similarly significant effect on the customer (a
// refund refused, an account closed, credit declined). The assistant
// gives the article's text with its source, but never as the final word:
// it says that a person can review the decision and offers one.

// EventHumanReview is the audit event of such an offer (the article id only).
const EventHumanReview = "human_review_offered"

// offerReview adds the offer of a person after an answer from an article
// marked human_review; other articles are left alone.
func (e *Engine) offerReview(t *turn, a *kb.Article) {
	if a == nil || !a.HumanReview {
		return
	}
	m := e.botMessage(e.text(t.s, locale.ReviewOffer), false)
	m.Actions = []protocol.Action{{Name: protocol.ActionHuman, Label: e.text(t.s, locale.ActionReview)}}
	t.s.st.OfferedHuman = true // a bare "yes" now brings a person (HUM-2)
	t.send(m)
	t.audit(EventHumanReview, "bot", "article="+a.ID)
}
