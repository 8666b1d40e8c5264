package desk

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"deskbot/config"
)

// OfflineNotice says that a message was left. It carries no personal data:
// the e-mail only points the team to the console (MIN-1).
type OfflineNotice struct {
	At time.Time
}

// NoNotice is the notifier when smtp.host is not set: nobody is told.
type NoNotice struct{}

// Notify does nothing.
func (NoNotice) Notify(context.Context, OfflineNotice) error { return nil }

// NewNotifier is the notifier smtp.* asks for: e-mail when smtp.host is
// set, otherwise none.
func NewNotifier(c config.Config) interface {
	Notify(ctx context.Context, n OfflineNotice) error
} {
	if c.SMTP.Host == "" {
		return NoNotice{}
	}
	return NewSMTPNotifier(c)
}

// SMTPNotifier sends the notice by e-mail (STARTTLS when offered).
type SMTPNotifier struct {
	host, from, to, user, pass, business, consoleURL string
	port                                             int
}

// NewSMTPNotifier uses the smtp.* configuration.
func NewSMTPNotifier(c config.Config) *SMTPNotifier {
	console := "/agent"
	if c.PublicURL != "" {
		console = strings.TrimRight(c.PublicURL, "/") + "/agent"
	}
	return &SMTPNotifier{host: c.SMTP.Host, port: c.SMTP.Port, from: c.SMTP.From, to: c.SMTP.To,
		user: c.SMTP.Username, pass: c.SMTP.Password.Reveal(), business: c.BusinessName, consoleURL: console}
}

// Body is the whole message: no customer text, no contact details.
func (n *SMTPNotifier) Body(o OfflineNotice) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: New message left for the %s team\r\n", n.from, n.to, n.business)
	fmt.Fprintf(&b, "Date: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", o.At.UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "A customer left a message for the team at %s (UTC) while no one was available.\r\n", o.At.UTC().Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "Log in to the agent console to read it: %s\r\n", n.consoleURL)
	return []byte(b.String())
}

// Notify delivers the notice; ctx bounds the whole exchange.
func (n *SMTPNotifier) Notify(ctx context.Context, o OfflineNotice) error {
	addr := net.JoinHostPort(n.host, strconv.Itoa(n.port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, n.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: n.host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("smtp: starttls: %w", err)
		}
	}
	if n.user != "" {
		if err := c.Auth(smtp.PlainAuth("", n.user, n.pass, n.host)); err != nil {
			return fmt.Errorf("smtp: auth: %w", err)
		}
	}
	if err := c.Mail(n.from); err != nil {
		return fmt.Errorf("smtp: mail from: %w", err)
	}
	if err := c.Rcpt(n.to); err != nil {
		return fmt.Errorf("smtp: rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: data: %w", err)
	}
	if _, err := w.Write(n.Body(o)); err != nil {
		return fmt.Errorf("smtp: data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp: data: %w", err)
	}
	return c.Quit()
}
