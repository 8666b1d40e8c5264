package web_test

import (
	"testing"

	"deskbot/config"
	"deskbot/protocol"
)

func handoverIn(fs []protocol.Frame) (protocol.Frame, bool) {
	for _, f := range fs {
		if f.Type == protocol.TypeHandover {
			return f, true
		}
	}
	return protocol.Frame{}, false
}

// HUM-2: every trigger yields a handover frame in the same turn; DISC-4:
// asked whether it is human, the bot says it is not.
func TestHandoverTriggers(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	cases := []struct {
		name string
		say  []string
	}{
		{"explicit request", []string{"can I speak to a real person please"}},
		{"single word", []string{"agent"}},
		{"misspelt", []string{"get me a humna"}},
		{"french", []string{"je veux parler à un humain"}},
		{"legal threat", []string{"I'm going to take you to court over this"}},
		{"complaint", []string{"I want to make a formal complaint"}},
		{"medical", []string{"I had an allergic reaction to the jacket lining"}},
		{"contract cancellation", []string{"please terminate my contract"}},
		{"frustration", []string{"THIS IS THE THIRD TIME I AM ASKING"}},
		{"low confidence", []string{"xqzv blorp fnord", "zzkq wibble plonk", "vrrp quux gronk"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conv, _ := openSession(t, l)
			for i, text := range c.say {
				got := ask(t, conv, text)
				h, ok := handoverIn(got)
				if i < len(c.say)-1 {
					if ok {
						t.Fatalf("handover too early after %q", text)
					}
					continue
				}
				if !ok || h.State != protocol.HandoverOffline {
					t.Fatalf("after %q: frames %+v, want a handover frame (offline: no agent)", text, got)
				}
			}
		})
	}
	t.Run("are you human", func(t *testing.T) {
		conv, _ := openSession(t, l)
		got := ask(t, conv, "are you a human?")
		if _, ok := handoverIn(got); ok {
			t.Fatal("asking what the bot is must not trigger a handover")
		}
		if m := lastMessage(got); !contains(m.Text, "automated assistant") || !contains(m.Text, "not a human") {
			t.Fatalf("reply %q must say it is an automated assistant (DISC-4)", m.Text)
		}
	})
	t.Run("hard negative", func(t *testing.T) {
		conv, _ := openSession(t, l)
		if got := ask(t, conv, "is a human reviewing my refund?"); func() bool { _, ok := handoverIn(got); return ok }() {
			t.Fatal(`"is a human reviewing my refund?" triggered a handover`)
		}
	})
}

// The configurable triggers can be switched off.
func TestHandoverTriggersConfigurable(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) {
		c.Handover.SensitiveTopics = []string{"medical"}
		c.Handover.Frustration = false
	})
	for _, text := range []string{"THIS IS THE THIRD TIME I AM ASKING", "please terminate my contract"} {
		conv, _ := openSession(t, l)
		if _, ok := handoverIn(ask(t, conv, text)); ok {
			t.Errorf("%q triggered a handover although its trigger is off", text)
		}
	}
	conv, _ := openSession(t, l)
	if _, ok := handoverIn(ask(t, conv, "I had an allergic reaction to the jacket lining")); !ok {
		t.Error("configured topic medical did not trigger")
	}
}
