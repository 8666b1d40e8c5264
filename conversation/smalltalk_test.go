package bot

import "testing"

// Small talk is never a miss and never brings a person (HUM-2 counts only
// real questions); look-alikes that carry a question must not be small talk.
func TestDetectSmallTalk(t *testing.T) {
	cases := []struct {
		text string
		want SmallTalkKind // "" means not small talk
	}{
		{"hi", Greeting},
		{"Hello there", Greeting},
		{"good morning", Greeting},
		{"hey!", Greeting},
		{"Hiii", Greeting},
		{"hi team", Greeting},
		{"thanks!", Thanks},
		{"thank you so much", Thanks},
		{"Thank you very much for your help", Thanks},
		{"ty", Thanks},
		{"cheers", Thanks},
		{"🙏", Thanks},
		{"merci!", Thanks},
		{"ciao", Goodbye},
		{"bye", Goodbye},
		{"ok thanks, bye", Goodbye},
		{"see you", Goodbye},
		{"that's all", Goodbye},
		{"That’s all, thanks", Goodbye},
		{"ok", Acknowledge},
		{"okay", Acknowledge},
		{"cool", Acknowledge},
		{"great", Acknowledge},
		{"got it", Acknowledge},
		{"Okkk", Acknowledge},
		{"yes", Acknowledge},
		{"no", Acknowledge},
		{"lol", Acknowledge},
		{"haha", Acknowledge},
		{"😂", Acknowledge},
		{"👍", Acknowledge},
		{"ok 👍", Acknowledge},

		{"hi, where is my order", ""},
		{"hi, how do I return an item?", ""},
		{"thanks but my parcel never arrived", ""},
		{"no it still doesn't work", ""},
		{"ok so how do I cancel", ""},
		{"thanks for nothing", ""},
		{"yes I want a refund", ""},
		{"no, the wrong size arrived", ""},
		{"help", ""},
		{"returns", ""},
		{"good product?", ""},
		{"", ""},
		{"?!", ""},
	}
	for _, tc := range cases {
		got, ok := DetectSmallTalk(tc.text)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("DetectSmallTalk(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
}
