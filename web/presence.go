package web

import (
	"time"

	"deskbot/conversation"
	"deskbot/protocol"
)

// presenceOf is the engine's view of whether a customer is there.
type presenceOf interface {
	Seen(s *conversation.Session)
	CustomerPresence(id string) (online bool, goneSince time.Time, ok bool)
}

// seen records an HTTP mirror call as the customer's presence.
func (s *Server) seen(sess *conversation.Session) {
	if p, ok := s.engine.(presenceOf); ok {
		p.Seen(sess)
	}
}

// withPresence marks each queue item with whether its customer has a chat
// open, or since when they have not.
func (c *console) withPresence(items []protocol.QueueItem) []protocol.QueueItem {
	p, ok := c.e.(presenceOf)
	if !ok {
		return items
	}
	for i := range items {
		online, since, known := p.CustomerPresence(items[i].ID)
		switch {
		case !known:
		case online:
			items[i].Customer = protocol.CustomerOnline
		default:
			items[i].Customer = protocol.CustomerLeft
			items[i].GoneSince = &since
		}
	}
	return items
}
