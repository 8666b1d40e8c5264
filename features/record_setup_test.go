package features

import (
	"slices"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/protocol"
)

// A recording writes the clock, business-hours state and agents it saw as
// Given steps, so the replay arranges the same bot.
func TestRecordedSetupSteps(t *testing.T) {
	at := time.Date(2026, 12, 2, 11, 30, 0, 0, time.UTC)
	hours := config.Defaults(t.TempDir())
	hours.BusinessHours.Enabled = true
	const hoursOn, hoursRow = "Given the bot is configured with:", "| business_hours.enabled | true |"
	for _, c := range []struct {
		name   string
		suite  *Suite
		frames []protocol.Frame
		want   []string
	}{
		{"in-process, no handover: the clock", &Suite{}, nil,
			[]string{`Given the time is "2026-12-02T11:30:00Z"`}},
		{"in-process, offline: nobody online", &Suite{}, []protocol.Frame{{Type: protocol.TypeHandover, State: protocol.HandoverOffline}},
			[]string{`Given the time is "2026-12-02T11:30:00Z"`, "Given no agent is online"}},
		{"in-process with business hours, joined: hours on, hours and the agent", &Suite{BotConfig: hours},
			[]protocol.Frame{{Type: protocol.TypeHandover, State: protocol.HandoverQueued}, {Type: protocol.TypeHandover, State: protocol.HandoverJoined, Agent: "Maria"}},
			[]string{hoursOn, hoursRow, `Given the time is "2026-12-02T11:30:00Z"`, "Given it is inside business hours", `Given agent "Maria" is online`}},
		{"in-process with business hours, closed: outside hours by the frame's reason", &Suite{BotConfig: hours},
			[]protocol.Frame{{Type: protocol.TypeHandover, State: protocol.HandoverOffline, Why: protocol.OfflineClosed}},
			[]string{hoursOn, hoursRow, `Given the time is "2026-12-02T11:30:00Z"`, "Given it is outside business hours", "Given no agent is online"}},
		{"in-process, hours off, nobody online: no hours step", &Suite{},
			[]protocol.Frame{{Type: protocol.TypeHandover, State: protocol.HandoverOffline, Why: protocol.OfflineNoAgent}},
			[]string{`Given the time is "2026-12-02T11:30:00Z"`, "Given no agent is online"}},
		{"target, queued: hours on, the clock, inside hours and an agent", &Suite{Target: "http://x"}, []protocol.Frame{{Type: protocol.TypeHandover, State: protocol.HandoverQueued}},
			[]string{hoursOn, hoursRow, `Given the time is "2026-12-02T11:30:00Z"`, "Given it is inside business hours", "# a person from the team was online: the handover was queued", `Given agent "Team member" is online`}},
		{"target, offline because closed: outside hours", &Suite{Target: "http://x"},
			[]protocol.Frame{{Type: protocol.TypeHandover, State: protocol.HandoverOffline, Why: protocol.OfflineClosed}},
			[]string{hoursOn, hoursRow, `Given the time is "2026-12-02T11:30:00Z"`, "Given it is outside business hours"}},
		{"target, offline with nobody online: inside hours, no agent", &Suite{Target: "http://x"},
			[]protocol.Frame{{Type: protocol.TypeHandover, State: protocol.HandoverOffline, Why: protocol.OfflineNoAgent}},
			[]string{hoursOn, hoursRow, `Given the time is "2026-12-02T11:30:00Z"`, "Given it is inside business hours", "Given no agent is online"}},
		{"target, offline without a reason (older server): the clock only", &Suite{Target: "http://x"},
			[]protocol.Frame{{Type: protocol.TypeHandover, State: protocol.HandoverOffline}},
			[]string{`Given the time is "2026-12-02T11:30:00Z"`}},
		{"target, no handover: nothing that would skip the replay", &Suite{Target: "http://x"}, nil, nil},
	} {
		r := recordedSetup{start: at}
		r.see(&Turn{Frames: c.frames})
		if got := r.steps(c.suite); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// A suggestion is recorded by the article's id, not its title, so a
// retitled article still replays (and the echo shows the ids to /pick).
func TestSuggestionRecordedByID(t *testing.T) {
	tr := &Turn{Frames: []protocol.Frame{{Type: protocol.TypeMessage, From: protocol.FromBot, Text: "Did you mean one of these?",
		Actions: []protocol.Action{{Name: protocol.ActionArticle, ID: "returns-policy", Label: "Returning an item"}, {Name: protocol.ActionHuman, Label: "Talk to a person"}}}}}
	got := thenSteps(compliance.NewDetector(nil), tr, protocol.Inbound{Type: protocol.TypeSay, Text: "returns"})
	if want := []string{"Then the bot offers a human", `And the bot suggests "returns-policy"`}; !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if f := fmtFrame(tr.Frames[0]); !strings.Contains(f, "returns-policy") {
		t.Errorf("the echo does not show the suggested article's id to /pick: %s", f)
	}
}

// A bot prompt after a button (e.g. "Please type your message for our
// team" after "Leave a message") is not small talk.
func TestButtonReplyIsNotSmallTalk(t *testing.T) {
	tr := &Turn{Frames: []protocol.Frame{{Type: protocol.TypeMessage, From: protocol.FromBot, Text: "Please type your message for our team."}}}
	got := thenSteps(compliance.NewDetector(nil), tr, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionLeaveMessage})
	if slices.Contains(got, "Then the bot makes small talk") {
		t.Errorf("a prompt after a button was recorded as small talk: %q", got)
	}
}
