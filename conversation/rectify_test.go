package conversation

import (
	"context"
	"strings"
	"testing"

	"deskbot/protocol"
)

// TestRectifyField: DSR-5, the id of a "rectify" action names the field to
// correct: none or "email" the e-mail address, "phone" the phone number;
// anything else names nothing and is refused.
func TestRectifyField(t *testing.T) {
	for _, tt := range []struct {
		id, field string
		ok        bool
	}{
		{"", "email", true},
		{"email", "email", true},
		{"EMAIL", "email", true},
		{"phone", "phone", true},
		{" Phone ", "phone", true},
		{"fax", "", false},
		{"e-mail", "", false},
		{"address", "", false},
		{"phone,email", "", false},
	} {
		field, ok := RectifyField(tt.id)
		if field != tt.field || ok != tt.ok {
			t.Errorf("RectifyField(%q) = %q, %v; want %q, %v", tt.id, field, ok, tt.field, tt.ok)
		}
	}
}

// TestRectifyActionIDs: DSR-5, the engine (behind both the socket and the
// HTTP mirror) asks for the e-mail address on "rectify" without an id or
// with "email", for the phone number with "phone", and refuses an unknown
// id such as "fax" with bad_request, recording no turn for it.
func TestRectifyActionIDs(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	for _, tt := range []struct{ id, want string }{
		{"", "correct e-mail address"},
		{"email", "correct e-mail address"},
		{"phone", "correct phone number"},
	} {
		ms := messages(r.e.Handle(context.Background(), s, protocol.Inbound{Type: protocol.TypeAction, Name: ActionRectify, ID: tt.id}))
		if len(ms) != 1 || !strings.Contains(ms[0].Text, tt.want) {
			t.Errorf("rectify with id %q: %+v, want a message asking for the %s", tt.id, ms, tt.want)
		}
	}
	turns := len(r.store.turns)
	for _, id := range []string{"fax", "sms"} {
		out := r.e.Handle(context.Background(), s, protocol.Inbound{Type: protocol.TypeAction, Name: ActionRectify, ID: id})
		if len(out) != 1 {
			t.Fatalf("rectify with id %q: %+v, want one error frame", id, out)
		}
		if e, ok := out[0].(protocol.Error); !ok || e.Code != protocol.ErrBadRequest || !strings.Contains(e.Message, `"phone"`) {
			t.Errorf("rectify with id %q: %+v, want bad_request naming the ids it takes", id, out[0])
		}
	}
	if len(r.store.turns) != turns {
		t.Errorf("a refused rectify action was recorded: %d turns, want %d", len(r.store.turns), turns)
	}
	if s.st.Rectify != "phone" {
		t.Errorf("pending correction = %q; a refused action must leave the last one (phone)", s.st.Rectify)
	}
}
