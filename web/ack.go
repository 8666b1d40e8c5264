package web

import "deskbot/protocol"

// maxRefBytes bounds the "ref" a client may attach to a frame.
const maxRefBytes = 64

// acknowledge echoes the client's "ref" (issue 11): on the error frame
// when the frame was refused (too large, rate limited, not stored…),
// otherwise on a "delivered" frame before the replies, sent only once the
// turn is stored. While a person holds the conversation the bot stays
// silent, so "delivered" is the only answer. A frame without a ref, or with
// one too long to be a client's counter, gets no acknowledgement.
func acknowledge(in protocol.Inbound, out []protocol.Outbound) []protocol.Outbound {
	if in.Ref == "" || len(in.Ref) > maxRefBytes {
		return out
	}
	for i, f := range out {
		if e, ok := f.(protocol.Error); ok {
			e.Ref = in.Ref
			acked := append([]protocol.Outbound(nil), out...)
			acked[i] = e
			return acked
		}
	}
	return append([]protocol.Outbound{protocol.Delivered{Type: protocol.TypeDelivered, Ref: in.Ref}}, out...)
}
