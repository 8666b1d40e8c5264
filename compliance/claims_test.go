package compliance

import (
	"reflect"
	"testing"
)

// TestFindActionClaims: ACC-3, a completed action claimed in the bot's
// voice is found with its verb, words and sentence; rules, general
// statements and questions are not claims. The cases are those of the
// scenario runner's built-in check (features TestClaimsCheck) and of the
// article texts `deskbot kb lint` reads.
func TestFindActionClaims(t *testing.T) {
	type c = ActionClaim
	tests := []struct {
		name, text string
		want       []ActionClaim
	}{
		// claims
		{"cancelled order", "I've cancelled your order.",
			[]c{{"cancelled", "I've cancelled", "I've cancelled your order."}}},
		{"refunded", "I have refunded the payment to your card.",
			[]c{{"refunded", "I have refunded", "I have refunded the payment to your card."}}},
		{"US spelling", "We've canceled it for you.",
			[]c{{"cancelled", "We've canceled", "We've canceled it for you."}}},
		{"passive", "Your order has been cancelled and your refund has been processed.",
			[]c{{"cancelled", "Your order has been cancelled", "Your order has been cancelled and your refund has been processed."},
				{"processed", "your refund has been processed", "Your order has been cancelled and your refund has been processed."}}},
		{"deleted", "I have deleted your account.",
			[]c{{"deleted", "I have deleted", "I have deleted your account."}}},
		{"curly apostrophe, adverb", "Thanks! We’ve already shipped your parcel.",
			[]c{{"shipped", "We’ve already shipped", "We’ve already shipped your parcel."}}},
		{"second sentence of an article", "Returns are free.\n\nI have issued your refund.",
			[]c{{"issued", "I have issued", "I have issued your refund."}}},
		// not claims
		{"rule, not claim", "Once we have received your return, we refund within 5 days. If you have changed your mind, tell us.", nil},
		{"general statement", "Refunds are issued within 5 days.", nil},
		{"rule with when", "When we have shipped your order, you get an e-mail with the tracking link.", nil},
		{"question", "Have you already placed an order?", nil},
		{"can help", "A person from our team can cancel an order that has not shipped yet.", nil},
		{"card masked", "For your security, please don't share card numbers in chat. I have masked it and not kept it.", nil},
		{"future", "We will refund you within 5 days of receiving the item.", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FindActionClaims(tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FindActionClaims(%q)\n got  %+v\n want %+v", tt.text, got, tt.want)
			}
		})
	}
}
