package web_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/protocol"
)

// smtpSink is a tiny SMTP server on 127.0.0.1 that hands over each message.
func smtpSink(t *testing.T) (port int, got <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	out := make(chan string, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveSMTP(c, out)
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, out
}

func serveSMTP(c net.Conn, out chan<- string) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(s string) { c.Write([]byte(s + "\r\n")) }
	say("220 sink ESMTP")
	var msg strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 sink")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go on")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				msg.WriteString(l)
			}
			out <- msg.String()
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

// HUM-2, CONS-1, SEC-1, SEC-2: with nobody available the customer leaves a
// message; contact details wait for consent; the message is sealed, the
// shop gets an e-mail without personal data, and agents see the message
// (audited) when they come online.
func TestLeaveMessageWhenOffline(t *testing.T) {
	t.Parallel()
	port, mails := smtpSink(t)
	l := startBot(t, func(c *config.Config) {
		c.SMTP = config.SMTP{Host: "127.0.0.1", Port: port, From: "bot@shop.example", To: "team@shop.example"}
	})
	addAgent(t, l, "anna", "Anna")
	c, tok := openSession(t, l)
	got := ask(t, c, "real person please")
	if got[0].State != protocol.HandoverOffline || !lastMessage(got).HasAction(protocol.ActionLeaveMessage) {
		t.Fatalf("offline answer = %+v", got)
	}
	if err := c.Send(ctxT(t), protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionLeaveMessage}); err != nil {
		t.Fatal(err)
	}
	if m, err := c.NextOf(ctxT(t), protocol.TypeMessage); err != nil || !contains(m.Text, "type your message") {
		t.Fatalf("leave_message prompt = %+v, %v", m, err)
	}
	text := "My tent pole snapped on day two. Please reach me at jo.tester@example.com"
	if err := c.Say(ctxT(t), text); err != nil {
		t.Fatal(err)
	}
	saved := nextMessageFrom(t, c, protocol.FromBot)
	if !contains(saved.Text, "saved") {
		t.Fatalf("confirmation = %q", saved.Text)
	}
	cr, err := c.NextOf(ctxT(t), protocol.TypeConsentRequest)
	if err != nil || cr.Purpose != "contact" {
		t.Fatalf("want a consent request before keeping contact details: %+v, %v", cr, err)
	}

	// The e-mail says only that a message is waiting.
	select {
	case mail := <-mails:
		for _, secret := range []string{"tent pole", "jo.tester", "example.com"} {
			if strings.Contains(mail, secret) {
				t.Fatalf("notification e-mail contains %q:\n%s", secret, mail)
			}
		}
		if !strings.Contains(mail, "/agent") {
			t.Fatalf("notification should point to the console:\n%s", mail)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no notification e-mail")
	}

	// Stored redacted, without the address (no consent yet).
	ctx := context.Background()
	msgs, err := l.App.Store.OfflineMessages(ctx)
	if err != nil || len(msgs) != 1 || strings.Contains(msgs[0].Text, "jo.tester") || !strings.Contains(msgs[0].Text, "tent pole") {
		t.Fatalf("stored offline messages = %+v, %v", msgs, err)
	}

	// The customer consents: the address typed before is kept now.
	yes := true
	if err := c.Send(ctxT(t), protocol.Inbound{Type: protocol.TypeConsent, Purpose: "contact", Granted: &yes}); err != nil {
		t.Fatal(err)
	}
	nextMessageFrom(t, c, protocol.FromBot)

	// Anna comes online and sees it.
	anna := newAgentSim(t, l)
	anna.login("anna")
	if q := anna.queue(); q.Offline != 1 {
		t.Fatalf("queue shows %d offline messages, want 1", q.Offline)
	}
	var inbox struct {
		Messages []struct {
			ID       int64
			Text     string
			Contacts []string
		}
	}
	if code := anna.do("GET", "/agent/api/offline", nil, &inbox); code != 200 || len(inbox.Messages) != 1 {
		t.Fatalf("offline inbox: HTTP %d, %+v", code, inbox)
	}
	if m := inbox.Messages[0]; !strings.Contains(m.Text, "tent pole") || len(m.Contacts) != 1 || m.Contacts[0] != "jo.tester@example.com" {
		t.Fatalf("inbox message = %+v; want the text and the consented address", m)
	}
	s, _ := l.App.Engine.Lookup(ctx, tok)
	recs, _ := l.App.Store.AuditRecords(ctx, compliance.EventAgentAccess)
	if len(recs) == 0 || recs[len(recs)-1].Actor != "anna" || recs[len(recs)-1].Subject != s.Subject {
		t.Fatalf("agent_access audit = %+v", recs)
	}
	if code := anna.do("POST", "/agent/api/offline/"+strconv.FormatInt(inbox.Messages[0].ID, 10)+"/done", map[string]any{}, nil); code != http.StatusOK {
		t.Fatalf("done: HTTP %d", code)
	}
	if q := anna.queue(); q.Offline != 0 {
		t.Fatalf("after done: %d offline messages", q.Offline)
	}
}
