// Package chatclient is a client for wire protocol v1 over WebSocket. Tests,
// the Gherkin step library and load tools drive the bot through it, so they
// exercise exactly what a customer's browser does.
package chatclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/coder/websocket"

	"deskbot/protocol"
)

// ErrClosed is returned by Next after the socket closed and every frame was read.
var ErrClosed = errors.New("chatclient: connection closed")

// Options for Dial.
type Options struct {
	Session string      // resume token
	Origin  string      // Origin header; empty uses the server's own origin
	Header  http.Header // extra headers (e.g. Sec-GPC)
	Query   url.Values  // extra query parameters
}

// Client is one customer connection. Frames are read in the background and
// queued, so a slow test never stalls the server.
type Client struct {
	ws     *websocket.Conn
	frames chan protocol.Frame
	raw    chan []byte
	mu     sync.Mutex
	err    error // why the reader stopped
	done   chan struct{}
}

// Dial connects to base (http://host:port) at /ws.
func Dial(ctx context.Context, base string, o Options) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("chatclient: %w", err)
	}
	origin := o.Origin
	if origin == "" {
		origin = u.Scheme + "://" + u.Host
	}
	switch u.Scheme {
	case "https":
		u.Scheme = "wss"
	default:
		u.Scheme = "ws"
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/ws"
	q := url.Values{}
	for k, v := range o.Query {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	// The resume token travels as a subprotocol, never in the URL (which
	// proxies and access logs record).
	protos := []string{protocol.Subprotocol}
	if o.Session != "" {
		protos = append(protos, protocol.SessionSubprotocolPrefix+o.Session)
	}
	h := http.Header{}
	for k, v := range o.Header {
		h[k] = v
	}
	h.Set("Origin", origin)
	ws, resp, err := websocket.Dial(ctx, u.String(), &websocket.DialOptions{HTTPHeader: h, Subprotocols: protos})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("chatclient: dial: %w (HTTP %d)", err, resp.StatusCode)
		}
		return nil, fmt.Errorf("chatclient: dial: %w", err)
	}
	ws.SetReadLimit(1 << 20)
	c := &Client{ws: ws, frames: make(chan protocol.Frame, 1024), raw: make(chan []byte, 1024), done: make(chan struct{})}
	go c.read()
	return c, nil
}

func (c *Client) read() {
	defer close(c.done)
	defer close(c.frames)
	for {
		_, b, err := c.ws.Read(context.Background())
		if err != nil {
			c.mu.Lock()
			c.err = err
			c.mu.Unlock()
			return
		}
		var f protocol.Frame
		if err := json.Unmarshal(b, &f); err != nil {
			f = protocol.Frame{Type: "invalid", Text: string(b)}
		}
		c.frames <- f
	}
}

// Next returns the next frame, waiting until ctx ends.
func (c *Client) Next(ctx context.Context) (protocol.Frame, error) {
	select {
	case f, ok := <-c.frames:
		if !ok {
			return protocol.Frame{}, fmt.Errorf("%w: %v", ErrClosed, c.Err())
		}
		return f, nil
	case <-ctx.Done():
		return protocol.Frame{}, ctx.Err()
	}
}

// NextOf skips frames until one of the given type arrives.
func (c *Client) NextOf(ctx context.Context, typ string) (protocol.Frame, error) {
	for {
		f, err := c.Next(ctx)
		if err != nil || f.Type == typ {
			return f, err
		}
	}
}

// Err is why the connection ended (nil while open).
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// CloseStatus is the close code the server sent, or -1.
func (c *Client) CloseStatus() websocket.StatusCode { return websocket.CloseStatus(c.Err()) }

// Done is closed when the connection has ended.
func (c *Client) Done() <-chan struct{} { return c.done }

// Send writes one frame.
func (c *Client) Send(ctx context.Context, in protocol.Inbound) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.WriteRaw(ctx, websocket.MessageText, b)
}

// Say sends {"type":"say","text":text}.
func (c *Client) Say(ctx context.Context, text string) error {
	return c.Send(ctx, protocol.Inbound{Type: protocol.TypeSay, Text: text})
}

// WriteRaw writes arbitrary bytes, for malformed-input tests.
func (c *Client) WriteRaw(ctx context.Context, typ websocket.MessageType, b []byte) error {
	return c.ws.Write(ctx, typ, b)
}

// Close closes the connection normally.
func (c *Client) Close() error { return c.ws.Close(websocket.StatusNormalClosure, "bye") }
