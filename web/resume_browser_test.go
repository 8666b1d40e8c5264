package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"deskbot/config"
)

// historyView is what a tab shows of the conversation.
type historyView struct {
	Question, Answer     bool // the earlier question and its cited answer
	QuestionTime         string
	AnswerTime           string
	Greetings            int // "welcome back" lines (disclosures not replayed)
	Disclosures          int
	DuplicateIDs         []string
	Token, SessionStored string
}

const historyViewJS = `(() => {
  const msgs = [...document.querySelectorAll('#log .msg')];
  const q = msgs.find(m => m.classList.contains('msg-user') && m.querySelector('.text').textContent === 'How do I return an item?');
  const a = msgs.find(m => m.classList.contains('msg-bot') && m.querySelector('.sources'));
  const ids = msgs.map(m => m.dataset.id).filter(Boolean);
  const t = m => { const e = m && m.querySelector('.label time'); return e ? e.dateTime : ''; };
  return {Question: !!q, Answer: !!a, QuestionTime: t(q), AnswerTime: t(a),
    Greetings: msgs.filter(m => m.dataset.disclosure === 'true' && /Welcome back/.test(m.textContent)).length,
    Disclosures: msgs.filter(m => m.dataset.disclosure === 'true').length,
    DuplicateIDs: ids.filter((id, i) => ids.indexOf(id) !== i),
    Token: (JSON.parse(localStorage.getItem('deskbot.session') || 'null') || {}).v || '',
    SessionStored: sessionStorage.getItem('deskbot.session') || ''};
})()`

// Issue 11: after a reload the earlier question and answer are shown with
// their times, then one "welcome back"; a second tab shows the same
// conversation (the token is in localStorage under the eu profile).
func TestBrowserHistoryReloadAndSecondTab(t *testing.T) {
	l := startBot(t, nil)
	ctx := newBrowser(t)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	openChat(t, tctx, l.URL)
	if err := chromedp.Do(tctx, typeLine("How do I return an item?")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the answer", `!!document.querySelector('#log .msg-bot .sources')`)
	first := evalJS[historyView](t, tctx, historyViewJS)
	if first.Token == "" || first.SessionStored != "" {
		t.Fatalf("token not in localStorage (eu profile): %+v", first)
	}

	check := func(where string, v historyView) {
		t.Helper()
		if !v.Question || !v.Answer {
			t.Errorf("%s: earlier question shown %v, answer shown %v", where, v.Question, v.Answer)
		}
		for _, at := range []string{v.QuestionTime, v.AnswerTime} {
			if _, err := time.Parse(time.RFC3339, at); err != nil {
				t.Errorf("%s: line without a time (%q)", where, at)
			}
		}
		if v.Greetings != 1 || v.Disclosures != 2 {
			t.Errorf("%s: %d \"welcome back\" and %d disclosures, want the opening one and one welcome back", where, v.Greetings, v.Disclosures)
		}
		if len(v.DuplicateIDs) > 0 {
			t.Errorf("%s: lines drawn twice: %v", where, v.DuplicateIDs)
		}
		if v.Token != first.Token {
			t.Errorf("%s: another conversation (token changed)", where)
		}
	}

	if err := chromedp.Do(tctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the resumed conversation", `document.body.dataset.connected === 'true' && /Welcome back/.test(document.getElementById('log').textContent)`)
	check("after reload", evalJS[historyView](t, tctx, historyViewJS))

	tab2, cancel2 := chromedp.NewContext(ctx)
	defer cancel2()
	installProbe(t, tab2)
	t2ctx, cancel3 := context.WithTimeout(tab2, 30*time.Second)
	defer cancel3()
	openChat(t, t2ctx, l.URL)
	waitJS(t, t2ctx, "the conversation in the second tab", `/Welcome back/.test(document.getElementById('log').textContent)`)
	check("second tab", evalJS[historyView](t, t2ctx, historyViewJS))
}

// A line the server refuses (here: rate limited) is marked "Not sent" by its
// ref and its text comes back to the input, even though an answer to the
// line before it may still be arriving.
func TestBrowserRefusedByServer(t *testing.T) {
	l := startBot(t, func(c *config.Config) { c.Limits.MessagesPerMinute = 1; c.Limits.Burst = 1 })
	ctx := newBrowser(t)
	installProbe(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	openChat(t, tctx, l.URL)
	if err := chromedp.Do(tctx, typeLine("What are your opening hours?")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the first line marked sent", `document.querySelector('#log .msg-user').dataset.delivery === 'sent'`)
	if _, err := chromedp.Call(tctx, input.InsertText, input.InsertTextParams{Text: "and on Sundays?"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "the refused line marked not sent", `(() => { const u = [...document.querySelectorAll('#log .msg-user')].pop();
	  return u && u.dataset.delivery === 'failed' && /Not sent/.test(u.querySelector('.label').textContent) && !!u.querySelector('.retry'); })()`)
	if got := evalJS[string](t, tctx, `document.getElementById('input').value`); got != "and on Sundays?" {
		t.Errorf("refused text not back in the input: %q", got)
	}
	if got := evalJS[string](t, tctx, `[...document.querySelectorAll('#log .msg-error')].map(m => m.dataset.code).join()`); !strings.Contains(got, "rate_limited") {
		t.Errorf("error notices %q, want rate_limited", got)
	}
	if got := evalJS[string](t, tctx, `document.querySelector('#log .msg-user').dataset.delivery`); got != "sent" {
		t.Errorf("the first line became %q", got)
	}
}
