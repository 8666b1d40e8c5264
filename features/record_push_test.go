package features

import (
	"slices"
	"testing"

	"deskbot/compliance"
	"deskbot/protocol"
)

// Frames the customer did not ask for (an agent joining, writing, handing
// back) arrive between the customer's lines; the recording replays them
// as agent steps in their place, so the replay brings the same person in.
func TestPushedSteps(t *testing.T) {
	d := compliance.NewDetector(nil)
	var holder string
	got := pushedSteps(d, []protocol.Frame{
		{Type: protocol.TypeHandover, State: protocol.HandoverJoined, Agent: "Maria"},
		{Type: protocol.TypeMessage, From: protocol.FromSystem, Text: "Maria joined the conversation."},
		{Type: protocol.TypeMessage, From: protocol.FromAgent, Name: "Maria", Text: "Hi, write to me at maria.private@gmail.com"},
	}, &holder)
	want := []string{
		`When agent "Maria" takes the conversation`,
		`When agent "Maria" says "Hi, write to me at customer@example.com"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("joined and said:\n got %q\nwant %q", got, want)
	}
	got = pushedSteps(d, []protocol.Frame{{Type: protocol.TypeHandover, State: protocol.HandoverLeft}}, &holder)
	if want := []string{`When agent "Maria" hands the conversation back`}; !slices.Equal(got, want) {
		t.Errorf("handed back:\n got %q\nwant %q", got, want)
	}
}
