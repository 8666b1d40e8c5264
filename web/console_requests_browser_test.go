package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"deskbot/compliance"
	"deskbot/store"
)

// DSR-3: the console shows how many data-subject requests are open and how
// many are near or past their deadline; "Show open requests" lists them
// with days left, the overdue one flagged in words, the closed one absent,
// no customer named; axe finds nothing in light or dark, and a phone's
// width does not scroll sideways.
func TestBrowserConsoleOpenRequests(t *testing.T) {
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	ctx := context.Background()
	now := time.Now().UTC()
	const subject = "subj-DSR3-browser-ref"
	add := func(kind string, received time.Time) int64 {
		t.Helper()
		id, err := l.App.Store.AddRequest(ctx, store.Request{Kind: kind, Subject: subject, Received: received, Profile: "eu", Channel: "email"}, "operator")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	overdue := add(compliance.RequestErasure, now.AddDate(0, 0, -40))
	fresh := add(compliance.RequestExport, now.Add(-time.Hour))
	closed := add(compliance.RequestOptOut, now.AddDate(0, 0, -3))
	if err := l.App.Store.UpdateRequest(ctx, closed, store.RequestClosed, "operator", now); err != nil {
		t.Fatal(err)
	}

	bctx := newBrowser(t)
	console := watchConsole(bctx)
	actx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	consoleLogin(t, actx, l.URL, "anna")
	waitJS(t, actx, "the count and the warning in the side bar", `document.getElementById('requests-count').textContent === '2' &&
	  !document.getElementById('requests-due').hidden && /1 overdue/.test(document.getElementById('requests-due').textContent)`)
	if err := chromedp.Do(actx, chromedp.Click(chromedp.ID("show-requests"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, actx, "the list", `!document.getElementById('requests').hidden && document.querySelectorAll('#requests-list tr[data-request]').length === 2`)
	type row struct {
		ID, Flag, Days, Text string
	}
	rows := evalJS[[]row](t, actx, `[...document.querySelectorAll('#requests-list tr[data-request]')].map(r => ({
	  id: r.dataset.request, flag: r.dataset.flag, days: r.querySelector('.req-days').textContent, text: r.textContent}))`)
	if len(rows) != 2 || rows[0].ID != strconv.FormatInt(overdue, 10) || rows[1].ID != strconv.FormatInt(fresh, 10) {
		t.Fatalf("rows %+v, want %d (overdue) then %d, not the closed %d", rows, overdue, fresh, closed)
	}
	wantOver := fmt.Sprintf("Overdue by %d days", -compliance.DaysLeft(time.Now(), now.AddDate(0, 0, -40).AddDate(0, 1, 0)))
	if rows[0].Flag != "overdue" || rows[0].Days != wantOver {
		t.Errorf("overdue row: %+v, want flag overdue and %q", rows[0], wantOver)
	}
	if rows[1].Flag != "" || !regexpMatch(`^\d+ days left$`, rows[1].Days) {
		t.Errorf("fresh row: %+v, want no flag and days left", rows[1])
	}
	for _, r := range rows {
		if regexpMatch(subject, r.Text) {
			t.Errorf("row names the customer: %q", r.Text)
		}
	}
	if got := evalJS[string](t, actx, `document.activeElement && document.activeElement.id`); got != "requests-heading" {
		t.Errorf("focus on %q after opening the list, want the list's heading", got)
	}
	for _, dark := range []bool{false, true} {
		setMedia(t, actx, dark)
		checkAxe(t, actx, fmt.Sprintf("console open requests (dark=%v)", dark))
	}
	setMedia(t, actx, false)
	if err := chromedp.Do(actx, chromedp.EmulateViewport(375, 667)); err != nil {
		t.Fatal(err)
	}
	type width struct{ Scroll, Inner int }
	if w := evalJS[width](t, actx, `({Scroll: document.documentElement.scrollWidth, Inner: innerWidth})`); w.Scroll > w.Inner {
		t.Errorf("open requests at 375 px scroll sideways: scrollWidth %d > %d", w.Scroll, w.Inner)
	}
	checkAxe(t, actx, "console open requests at 375 px")
	if p := console.problems(); len(p) > 0 {
		t.Errorf("console errors or CSP reports: %v", p)
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
