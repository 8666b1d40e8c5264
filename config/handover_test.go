package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// HUM-2: handover, business hours and SMTP keys are validated, naming the key.
func TestHandoverConfigNamesKey(t *testing.T) {
	cases := []struct {
		flags map[string]string
		key   string
	}{
		{map[string]string{"handover.sensitive_topics": "legal,weather"}, "handover.sensitive_topics[1]"},
		{map[string]string{"business_hours.timezone": "Mars/Olympus"}, "business_hours.timezone"},
		{map[string]string{"business_hours.mon": "9-5"}, "business_hours.mon"},
		{map[string]string{"business_hours.tue": "17:30-09:00"}, "business_hours.tue"},
		{map[string]string{"business_hours.enabled": "true", "business_hours.mon": "", "business_hours.tue": "", "business_hours.wed": "", "business_hours.thu": "", "business_hours.fri": ""}, "business_hours"},
		{map[string]string{"smtp.host": "mail.example", "smtp.from": ""}, "smtp.from"},
		{map[string]string{"smtp.host": "mail.example", "smtp.from": "a@b.example", "smtp.to": "x"}, "smtp.to"},
		{map[string]string{"smtp.host": "mail.example", "smtp.port": "0"}, "smtp.port"},
	}
	for _, c := range cases {
		_, err := Load(Options{NoFile: true, Getenv: env(nil), Flags: c.flags})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.key+":") {
			t.Errorf("flags %v: err = %v, want one naming %s", c.flags, err, c.key)
		}
	}
	ok, err := Load(Options{NoFile: true, Getenv: env(nil), Flags: map[string]string{"business_hours.enabled": "true", "business_hours.timezone": "Europe/London", "business_hours.sat": "10:00-24:00"}})
	if err != nil || ok.BusinessHours.Days()[6] != "10:00-24:00" {
		t.Fatalf("valid hours: %v %+v", err, ok.BusinessHours)
	}
}

func TestSMTPPasswordFromFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(p, []byte("s3cret-mail-pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Options{NoFile: true, Getenv: env(map[string]string{"DESKBOT_SMTP_PASSWORD_FILE": p}),
		Flags: map[string]string{"smtp.host": "127.0.0.1", "smtp.from": "bot@shop.example", "smtp.to": "team@shop.example", "smtp.username": "bot"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Password.Reveal() != "s3cret-mail-pass" || c.SMTP.Password.String() != "[redacted]" {
		t.Fatalf("smtp.password = %q", c.SMTP.Password.Reveal())
	}
}
