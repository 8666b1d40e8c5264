package desk

import (
	"fmt"
	"strings"
	"time"

	"deskbot/config"
)

// Hours answers whether the team can be reached at a given instant, in the
// configured time zone (daylight-saving changes included).
type Hours struct {
	enabled bool
	loc     *time.Location
	spans   [7][2]int // minutes after midnight by time.Weekday; {0,0} closed
	text    [7]string
}

// NewHours parses business_hours (validated by config already).
func NewHours(b config.BusinessHours) (Hours, error) {
	h := Hours{enabled: b.Enabled, loc: time.UTC}
	if b.Timezone != "" {
		loc, err := time.LoadLocation(b.Timezone)
		if err != nil {
			return Hours{}, fmt.Errorf("business_hours.timezone: %w", err)
		}
		h.loc = loc
	}
	for d, span := range b.Days() {
		if span == "" {
			continue
		}
		start, end, err := config.ParseSpan(span)
		if err != nil {
			return Hours{}, fmt.Errorf("business_hours: %w", err)
		}
		h.spans[d] = [2]int{start, end}
		h.text[d] = strings.TrimSpace(span)
	}
	return h, nil
}

// Open reports whether t falls inside the opening hours; always true when
// business hours are not enabled.
func (h Hours) Open(t time.Time) bool {
	if !h.enabled {
		return true
	}
	lt := t.In(h.loc)
	sp := h.spans[lt.Weekday()]
	m := lt.Hour()*60 + lt.Minute()
	return sp[1] > 0 && m >= sp[0] && m < sp[1]
}

// Describe says when the team is there, e.g. "Mon 09:00-17:30, ... (Europe/London)".
func (h Hours) Describe() string {
	return h.DescribeWith([7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"})
}

// DescribeWith is Describe with the day names given, Sunday first (the
// customer's language).
func (h Hours) DescribeWith(names [7]string) string {
	if !h.enabled {
		return ""
	}
	var parts []string
	for i := 1; i <= 7; i++ { // Monday first
		d := i % 7
		if h.text[d] != "" {
			parts = append(parts, names[d]+" "+h.text[d])
		}
	}
	return strings.Join(parts, ", ") + " (" + h.loc.String() + ")"
}
