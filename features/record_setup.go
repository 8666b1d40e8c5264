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
	why     string    // why, as the latest offline handover frame said (protocol.OfflineClosed, OfflineNoAgent)
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
			if f.Why != "" {
				r.why = f.Why
			}
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

// hoursEnabledSteps turn business hours on for the replay's bot, so an
// hours step replays with any configuration (one with hours off, too);
// the hours themselves are the replaying configuration's.
var hoursEnabledSteps = []string{"Given the bot is configured with:", "| business_hours.enabled | true |"}

// steps are the Given steps of the preconditions. An in-process recording
// always writes its clock; one against a --target writes the clock it saw
// when the conversation reached the team (the only outcome the clock
// changes), since the clock and business-hours steps arrange an
// in-process bot and skip the scenario against a target.
func (r *recordedSetup) steps(s *Suite) []string {
	var out []string
	where := r.hours(s)
	if where != "" {
		out = append(out, hoursEnabledSteps...)
	}
	if s.Target == "" || r.offline || r.queued {
		out = append(out, `Given the time is "`+r.start.UTC().Truncate(time.Minute).Format(time.RFC3339)+`"`)
	}
	if where != "" {
		out = append(out, "Given it is "+where+" business hours")
	}
	switch {
	case r.queued && len(r.agents) == 0:
		out = append(out, "# a person from the team was online: the handover was queued",
			`Given agent "`+recordedAgent+`" is online`)
	case r.queued:
		for _, a := range r.agents {
			out = append(out, `Given agent `+quote(a)+` is online`)
		}
	case r.offline && (s.Target == "" || r.why == protocol.OfflineNoAgent):
		out = append(out, "Given no agent is online")
	}
	return out
}

// hours is "inside" or "outside" when the business-hours state decided
// where the conversation went, "" when it did not or cannot be told. A
// queued handover was inside hours; an offline one says why (closed, or
// nobody online inside hours). In-process the recorder knows the
// configuration: with hours off they do not matter, and an offline frame
// without a reason is placed by the clock. Against a --target whose
// offline frames carry no reason (an older server) it cannot be told.
func (r *recordedSetup) hours(s *Suite) string {
	if !r.offline && !r.queued {
		return ""
	}
	if s.Target == "" && !s.BotConfig.BusinessHours.Enabled {
		return ""
	}
	switch {
	case r.queued:
		return "inside"
	case r.why == protocol.OfflineClosed:
		return "outside"
	case r.why == protocol.OfflineNoAgent:
		return "inside"
	case s.Target == "":
		h, err := desk.NewHours(s.BotConfig.BusinessHours)
		if err != nil {
			return ""
		}
		if h.Open(r.start) {
			return "inside"
		}
		return "outside"
	}
	return ""
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
