package cluster

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"deskbot/conversation"
	"deskbot/desk"
	"deskbot/protocol"
)

// Command is what an agent does to a conversation another instance holds.
type Command struct {
	Op      string        `json:"op"` // take, say, hand_back, view, note, set_note, typing, presence
	ID      string        `json:"id"`
	Agent   desk.AgentRef `json:"agent"`
	Text    string        `json:"text,omitempty"`
	Closing bool          `json:"closing,omitempty"`
}

// Reply is the holder's answer; Err is a kind, never internal detail.
type Reply struct {
	Err   string                     `json:"err,omitempty"`
	MsgID string                     `json:"msg_id,omitempty"`
	View  *protocol.ConversationView `json:"view,omitempty"`
	Note  *protocol.ConversationNote `json:"note,omitempty"`
	// Presence: whether the customer has a chat open, else since when
	// they have not (Known false: the holder has no such conversation).
	Known     bool      `json:"known,omitempty"`
	Online    bool      `json:"online,omitempty"`
	GoneSince time.Time `json:"gone_since,omitzero"`
}

// Error kinds carried in Reply.Err.
const (
	errNotQueued   = "not_queued"
	errHeldByOther = "held_by_other"
	errBadInput    = "bad_input"
	errInternal    = "internal"
)

// Conversations is the engine as the web surface sees it on an instance
// of a cluster: what agents do to a conversation runs on the instance that
// holds the customer's session, so the turn is stored and delivered there.
type Conversations struct {
	*conversation.Engine
	Desk *desk.Desk
	Bus  *Bus
	Log  *slog.Logger
}

// Run runs another instance's command on the local engine.
func (c *Conversations) Run(ctx context.Context, cmd Command) Reply {
	var r Reply
	var err error
	switch cmd.Op {
	case "take":
		err = c.Engine.TakeConversation(ctx, cmd.ID, cmd.Agent)
	case "say":
		r.MsgID, err = c.Engine.AgentSay(ctx, cmd.ID, cmd.Agent, cmd.Text)
	case "hand_back":
		err = c.Engine.HandBack(ctx, cmd.ID, cmd.Agent, cmd.Closing)
	case "view":
		var v protocol.ConversationView
		if v, err = c.Engine.ViewConversation(ctx, cmd.ID, cmd.Agent); err == nil {
			r.View = &v
		}
	case "note":
		var n protocol.ConversationNote
		if n, err = c.Engine.ConversationNote(ctx, cmd.ID, cmd.Agent); err == nil {
			r.Note = &n
		}
	case "set_note":
		var n protocol.ConversationNote
		if n, err = c.Engine.SetConversationNote(ctx, cmd.ID, cmd.Agent, cmd.Text); err == nil {
			r.Note = &n
		}
	case "typing":
		err = c.Engine.AgentTyping(ctx, cmd.ID, cmd.Agent)
	case "presence":
		r.Online, r.GoneSince, r.Known = c.Engine.CustomerPresence(cmd.ID)
	default:
		err = errors.New("unknown command " + cmd.Op)
	}
	switch {
	case err == nil:
	case errors.Is(err, desk.ErrNotQueued):
		r.Err = errNotQueued
	case errors.Is(err, desk.ErrHeldByOther):
		r.Err = errHeldByOther
	case errors.Is(err, conversation.ErrBadAgentInput):
		r.Err = errBadInput
	default:
		c.Log.Error("cluster: a command from another instance failed", "op", cmd.Op, "from_agent", cmd.Agent.Name, "err", err)
		r.Err = errInternal
	}
	return r
}

// errInternalReply is what an agent's console gets when the holder failed;
// the holder logged the detail.
var errInternalReply = errors.New("the instance holding this conversation could not do it (see its log)")

func replyErr(r Reply) error {
	switch r.Err {
	case "":
		return nil
	case errNotQueued:
		return desk.ErrNotQueued
	case errHeldByOther:
		return desk.ErrHeldByOther
	case errBadInput:
		return conversation.ErrBadAgentInput
	}
	return errInternalReply
}

// remote returns the instance that holds conversation id when it is not
// this one; ErrOwnerGone when that instance stopped answering.
func (c *Conversations) remote(id string) (string, error) {
	conv, ok := c.Desk.Conv(id)
	if !ok || conv.Owner == "" || conv.Owner == c.Bus.Self() {
		return "", nil
	}
	if !c.Bus.Alive(conv.Owner) {
		return "", desk.ErrHolderGone
	}
	return conv.Owner, nil
}

func (c *Conversations) call(ctx context.Context, owner string, cmd Command) (Reply, error) {
	r, err := c.Bus.Call(ctx, owner, cmd)
	if err != nil {
		return r, err
	}
	return r, replyErr(r)
}

func (c *Conversations) TakeConversation(ctx context.Context, id string, a desk.AgentRef) error {
	owner, err := c.remote(id)
	if err != nil {
		return err
	}
	if owner == "" {
		return c.Engine.TakeConversation(ctx, id, a)
	}
	_, err = c.call(ctx, owner, Command{Op: "take", ID: id, Agent: a})
	return err
}

func (c *Conversations) AgentSay(ctx context.Context, id string, a desk.AgentRef, text string) (string, error) {
	owner, err := c.remote(id)
	if err != nil {
		return "", err
	}
	if owner == "" {
		return c.Engine.AgentSay(ctx, id, a, text)
	}
	r, err := c.call(ctx, owner, Command{Op: "say", ID: id, Agent: a, Text: text})
	return r.MsgID, err
}

func (c *Conversations) HandBack(ctx context.Context, id string, a desk.AgentRef, closing bool) error {
	owner, err := c.remote(id)
	if err != nil {
		return err
	}
	if owner == "" {
		return c.Engine.HandBack(ctx, id, a, closing)
	}
	_, err = c.call(ctx, owner, Command{Op: "hand_back", ID: id, Agent: a, Closing: closing})
	return err
}

func (c *Conversations) ViewConversation(ctx context.Context, id string, a desk.AgentRef) (protocol.ConversationView, error) {
	owner, err := c.remote(id)
	if err != nil {
		return protocol.ConversationView{}, err
	}
	if owner == "" {
		return c.Engine.ViewConversation(ctx, id, a)
	}
	r, err := c.call(ctx, owner, Command{Op: "view", ID: id, Agent: a})
	if err != nil || r.View == nil {
		return protocol.ConversationView{}, errors.Join(err, errIf(r.View == nil && err == nil))
	}
	return *r.View, nil
}

func (c *Conversations) ConversationNote(ctx context.Context, id string, a desk.AgentRef) (protocol.ConversationNote, error) {
	owner, err := c.remote(id)
	if err != nil {
		return protocol.ConversationNote{}, err
	}
	if owner == "" {
		return c.Engine.ConversationNote(ctx, id, a)
	}
	r, err := c.call(ctx, owner, Command{Op: "note", ID: id, Agent: a})
	if err != nil || r.Note == nil {
		return protocol.ConversationNote{}, errors.Join(err, errIf(r.Note == nil && err == nil))
	}
	return *r.Note, nil
}

func (c *Conversations) SetConversationNote(ctx context.Context, id string, a desk.AgentRef, text string) (protocol.ConversationNote, error) {
	owner, err := c.remote(id)
	if err != nil {
		return protocol.ConversationNote{}, err
	}
	if owner == "" {
		return c.Engine.SetConversationNote(ctx, id, a, text)
	}
	r, err := c.call(ctx, owner, Command{Op: "set_note", ID: id, Agent: a, Text: text})
	if err != nil || r.Note == nil {
		return protocol.ConversationNote{}, errors.Join(err, errIf(r.Note == nil && err == nil))
	}
	return *r.Note, nil
}

func errIf(b bool) error {
	if b {
		return errInternalReply
	}
	return nil
}

// presenceWait bounds asking the holder about its customer: the console's
// queue is listed with or without the answer.
const presenceWait = time.Second

// CustomerPresence says whether the customer of conversation id has a chat
// open, asking the instance that holds it when that is another one.
func (c *Conversations) CustomerPresence(id string) (online bool, goneSince time.Time, ok bool) {
	owner, err := c.remote(id)
	if err != nil || owner == "" {
		return c.Engine.CustomerPresence(id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), presenceWait)
	defer cancel()
	r, err := c.call(ctx, owner, Command{Op: "presence", ID: id})
	if err != nil {
		return false, time.Time{}, false
	}
	return r.Online, r.GoneSince, r.Known
}

// AgentTyping tells the customer that the agent is typing, through the
// instance that holds the chat. The frame is stale within seconds, so a
// remote one is sent without waiting for the answer.
func (c *Conversations) AgentTyping(ctx context.Context, id string, a desk.AgentRef) error {
	owner, err := c.remote(id)
	if err != nil {
		return err
	}
	if owner == "" {
		return c.Engine.AgentTyping(ctx, id, a)
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), presenceWait)
		defer cancel()
		c.call(ctx, owner, Command{Op: "typing", ID: id, Agent: a})
	}()
	return nil
}
