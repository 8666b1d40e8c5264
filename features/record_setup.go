package features

import (
	"slices"
	"time"

	"deskbot/compliance"
	"deskbot/desk"
	"deskbot/protocol"
)

// What `deskbot record` saw that the replay has to arrange: the clock,
// the business-hours state and the agents, written as Given steps before
// the chat opens, so a conversation recorded in opening hours with an
// agent online replays the same at night.

// recordedSetup collects the preconditions a recording observed.
type recordedSetup struct {
	start   time.Time // the bot's time when the recording started
	offline bool      // the bot said nobody was available
	queued  bool      // a handover was queued or joined: an agent was online
	agents  []string  // display names of agents who joined
}

// see notes what one turn's frames say about the preconditions.
func (r *recordedSetup) see(t *Turn) {
	for _, f := range t.Frames {
		if f.Type != protocol.TypeHandover {
			continue
		}
		switch f.State {
		case protocol.HandoverOffline:
			r.offline = true
		case protocol.HandoverQueued:
			r.queued = true
		case protocol.HandoverJoined:
			r.queued = true
			if f.Agent != "" && !slices.Contains(r.agents, f.Agent) {
				r.agents = append(r.agents, f.Agent)
			}
		}
	}
}

// recordedAgent stands for the agent who was online when a handover was
// queued but nobody joined before the recording ended.
const recordedAgent = "Team member"

// steps are the Given steps of the preconditions. An in-process recording
// always writes its clock; one against a --target writes the clock it saw
// when the conversation reached the team (the only outcome the clock
// changes), since the clock and business-hours steps arrange an
// in-process bot and skip the scenario against a target.
func (r *recordedSetup) steps(s *Suite) []string {
	var out []string
	if s.Target == "" || r.offline || r.queued {
		out = append(out, `Given the time is "`+r.start.UTC().Truncate(time.Minute).Format(time.RFC3339)+`"`)
	}
	if r.offline || r.queued {
		if h, err := desk.NewHours(s.BotConfig.BusinessHours); err == nil && s.Target == "" && s.BotConfig.BusinessHours.Enabled {
			if h.Open(r.start) {
				out = append(out, "Given it is inside business hours")
			} else {
				out = append(out, "Given it is outside business hours")
			}
		}
	}
	switch {
	case r.queued && len(r.agents) == 0:
		out = append(out, "# a person from the team was online: the handover was queued",
			`Given agent "`+recordedAgent+`" is online`)
	case r.queued:
		for _, a := range r.agents {
			out = append(out, `Given agent `+quote(a)+` is online`)
		}
	case r.offline && s.Target == "":
		out = append(out, "Given no agent is online")
	}
	return out
}

// pushedSteps write what arrived between the customer's lines without the
// customer asking (an agent taking the conversation, writing, handing it
// back) as the agent steps that make it happen on replay, in its place.
// holder is the agent who holds the conversation, kept across calls.
func pushedSteps(d *compliance.Detector, frames []protocol.Frame, holder *string) []string {
	var out []string
	for _, f := range frames {
		switch {
		case f.Type == protocol.TypeHandover && f.State == protocol.HandoverJoined && f.Agent != "":
			*holder = f.Agent
			out = append(out, "When agent "+quote(f.Agent)+" takes the conversation")
		case f.Type == protocol.TypeMessage && f.From == protocol.FromAgent && f.Name != "":
			out = append(out, "When agent "+quote(f.Name)+" says "+quote(Scrub(d, f.Text)))
		case f.Type == protocol.TypeHandover && f.State == protocol.HandoverLeft && *holder != "":
			out = append(out, "When agent "+quote(*holder)+" hands the conversation back")
			*holder = ""
		}
	}
	return out
}
