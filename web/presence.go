package web

import (
	"deskbot/conversation"
	"deskbot/protocol"
)

// seen records an HTTP mirror call as the customer's presence.
func (s *Server) seen(sess *conversation.Session) {
	s.engine.Seen(sess)
}

// withPresence marks each queue item with whether its customer has a chat
// open, or since when they have not.
func (c *console) withPresence(items []protocol.QueueItem) []protocol.QueueItem {
	for i := range items {
		online, since, known := c.e.CustomerPresence(items[i].ID)
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
