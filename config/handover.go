package config

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// validateHandover checks handover, business_hours and smtp (HUM-2).
func (c Config) validateHandover(bad func(key, why string) error) error {
	if c.Handover.QueueDropAfter < 0 {
		return bad("handover.queue_drop_after", "must be 0 (never) or a positive duration such as 10m")
	}
	for i, topic := range c.Handover.SensitiveTopics {
		if !slices.Contains(KnownSensitiveTopics(), topic) {
			return bad(fmt.Sprintf("handover.sensitive_topics[%d]", i), fmt.Sprintf("unknown topic %q; known: %s", topic, strings.Join(KnownSensitiveTopics(), ", ")))
		}
	}
	if _, err := time.LoadLocation(c.BusinessHours.Timezone); err != nil || c.BusinessHours.Timezone == "" {
		return bad("business_hours.timezone", fmt.Sprintf("%q is not an IANA time zone (e.g. Europe/London)", c.BusinessHours.Timezone))
	}
	names := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	open := false
	for i, span := range c.BusinessHours.Days() {
		if span == "" {
			continue
		}
		open = true
		if _, _, err := ParseSpan(span); err != nil {
			return bad("business_hours."+names[i], err.Error())
		}
	}
	if c.BusinessHours.Enabled && !open {
		return bad("business_hours", "enabled but every day is closed; set at least one day's hours (e.g. mon: \"09:00-17:30\")")
	}
	if c.SMTP.Host != "" {
		if c.SMTP.Port < 1 || c.SMTP.Port > 65535 {
			return bad("smtp.port", "must be between 1 and 65535")
		}
		if !strings.Contains(c.SMTP.From, "@") {
			return bad("smtp.from", "must be an e-mail address when smtp.host is set")
		}
		if !strings.Contains(c.SMTP.To, "@") {
			return bad("smtp.to", "must be an e-mail address when smtp.host is set")
		}
		if c.SMTP.Username != "" && c.SMTP.Password == "" {
			return bad("smtp.password", "must be set when smtp.username is set (or use DESKBOT_SMTP_PASSWORD_FILE)")
		}
	}
	return nil
}

// ParseSpan parses "HH:MM-HH:MM" into minutes after midnight; the end must
// be after the start (24:00 allowed as the end).
func ParseSpan(span string) (start, end int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(span), "-")
	if !ok {
		return 0, 0, fmt.Errorf("%q must look like \"09:00-17:30\" (or \"\" for closed)", span)
	}
	if start, err = parseClock(a); err != nil {
		return 0, 0, fmt.Errorf("%q: %w", span, err)
	}
	if end, err = parseClock(b); err != nil {
		return 0, 0, fmt.Errorf("%q: %w", span, err)
	}
	if end <= start {
		return 0, 0, fmt.Errorf("%q: closing time must be after opening time", span)
	}
	return start, end, nil
}

func parseClock(s string) (int, error) {
	var h, m int
	if n, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &h, &m); err != nil || n != 2 || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return h*60 + m, nil
}
