package features

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// StepInfo describes one step phrase for `deskbot steps` and the README.
type StepInfo struct {
	Phrase  string // how it reads, with <placeholders>
	Example string // one line a feature file can use as is
	Help    string // what it does or checks, briefly
	Pattern string // the regular expression godog matches
}

// stepDef binds a phrase to its handler for one scenario's World.
type stepDef struct {
	StepInfo
	bind func(w *World) any
}

// Steps lists every step phrase the library understands, canonical ones
// (DESIGN.md, "Gherkin") first. `deskbot steps` prints this list, so it
// cannot drift from what runs.
func Steps() []StepInfo {
	defs := stepDefs()
	out := make([]StepInfo, len(defs))
	for i, d := range defs {
		out[i] = d.StepInfo
	}
	return out
}

const (
	q    = `"([^"]*)"` // a quoted argument without quotes inside
	qAny = `"(.*)"`    // a quoted argument that may hold quotes (greedy, last quote ends it)
)

func def(pattern, phrase, example, help string, bind func(w *World) any) stepDef {
	return stepDef{StepInfo: StepInfo{Phrase: phrase, Example: example, Help: help, Pattern: "^" + pattern + "$"}, bind: bind}
}

func stepDefs() []stepDef {
	return append([]stepDef{
		// --- canonical phrases (DESIGN.md) ---
		def(`a customer opens the chat`, `a customer opens the chat`, `Given a customer opens the chat`,
			"Connects a new customer over WebSocket (/ws) and reads the session frame and disclosure.",
			func(w *World) any {
				return func(ctx context.Context) error { return w.open(ctx, chatclient.Options{}) }
			}),
		def(`a customer from `+q+` opens the chat`, `a customer from "<region>" opens the chat`, `Given a customer from "California" opens the chat`,
			"Connects with ?region=<region>, which selects the jurisdiction profile (JUR-1).",
			func(w *World) any {
				return func(ctx context.Context, region string) error {
					return w.open(ctx, chatclient.Options{Query: map[string][]string{"region": {region}}})
				}
			}),
		def(`the knowledge base has an article `+q+` answering `+qAny, `the knowledge base has an article "<title>" answering "<text>"`,
			`Given the knowledge base has an article "Returns" answering "You can return items within 30 days."`,
			"Gives the scenario's bot its own knowledge base (in-process only); the title is also its example question. Must come before the chat opens.",
			func(w *World) any {
				return func(title, text string) error { return w.addArticle(article{title: title, body: text}) }
			}),
		def(`no agent is online`, `no agent is online`, `Given no agent is online`,
			"No agent is logged in to the console (in-process: the default).",
			func(w *World) any { return w.noAgent }),
		def(`agent `+q+` is online`, `agent "<name>" is online`, `Given agent "Anna" is online`,
			"Creates the agent account (in-process) and logs in through the agent console API.",
			func(w *World) any { return w.agentOnline }),
		def(`the time is `+q, `the time is "<RFC3339>"`, `Given the time is "2026-03-02T10:00:00Z"`,
			"Sets the scenario bot's clock (in-process only); it keeps running from there.",
			func(w *World) any { return w.setTime }),
		def(`(\d+) days? pass(?:es)?`, `<n> days pass`, `When 31 days pass`,
			"Moves the clock forward and runs the retention purge (admin API) at the new time.",
			func(w *World) any { return w.daysPass }),
		def(`the customer says `+qAny, `the customer says "<text>"`, `When the customer says "How long do refunds take?"`,
			"Sends {\"type\":\"say\"} and waits for the bot's whole turn.",
			func(w *World) any { return w.says }),
		def(`the customer accepts consent for `+q, `the customer accepts consent for "<purpose>"`, `When the customer accepts consent for "contact"`,
			"Sends {\"type\":\"consent\",\"purpose\":...,\"granted\":true}.",
			func(w *World) any {
				return func(ctx context.Context, p string) error { return w.consent(ctx, p, true) }
			}),
		def(`the customer declines consent for `+q, `the customer declines consent for "<purpose>"`, `When the customer declines consent for "contact"`,
			"Sends {\"type\":\"consent\",\"purpose\":...,\"granted\":false}.",
			func(w *World) any {
				return func(ctx context.Context, p string) error { return w.consent(ctx, p, false) }
			}),
		def(`the customer withdraws consent for `+q, `the customer withdraws consent for "<purpose>"`, `When the customer withdraws consent for "contact"`,
			"Presses the one-step withdraw action (CONS-5).",
			func(w *World) any { return w.withdraws }),
		def(`agent `+q+` takes the conversation`, `agent "<name>" takes the conversation`, `When agent "Anna" takes the conversation`,
			"The agent takes the customer's conversation in the console; waits for the customer's handover frame \"joined\".",
			func(w *World) any { return w.agentTakes }),
		def(`agent `+q+` says `+qAny, `agent "<name>" says "<text>"`, `When agent "Anna" says "Hello, I'm Anna."`,
			"The agent writes in the conversation; waits until the customer receives it.",
			func(w *World) any { return w.agentSays }),
		def(`the bot discloses that it is an automated assistant`, `the bot discloses that it is an automated assistant`,
			`Then the bot discloses that it is an automated assistant`,
			"The first message of the current session has \"disclosure\":true and says it is automated (DISC-1).",
			func(w *World) any { return w.discloses }),
		def(`the bot replies `+qAny, `the bot replies "<text>"`, `Then the bot replies "Refunds take 5 working days."`,
			"The reply's text equals <text> exactly (surrounding spaces ignored).",
			func(w *World) any { return w.replies }),
		def(`the reply contains `+qAny, `the reply contains "<text>"`, `Then the reply contains "30 days"`,
			"The reply's text contains <text> (ignoring case).",
			func(w *World) any { return w.replyContains }),
		def(`the reply matches `+qAny, `the reply matches "<regex>"`, `Then the reply matches "(?i)within \d+ days"`,
			"The reply's text matches the Go regular expression.",
			func(w *World) any { return w.replyMatches }),
		def(`the reply cites the article `+q, `the reply cites the article "<title>"`, `Then the reply cites the article "Returns"`,
			"The reply's sources name the article by title or id (ACC-1, ACC-2).",
			func(w *World) any { return w.cites }),
		def(`the bot offers a human`, `the bot offers a human`, `Then the bot offers a human`,
			"A message of the latest turn offers the \"human\" action, or the turn already hands over.",
			func(w *World) any { return w.offersHuman }),
		def(`the bot asks for consent for `+q, `the bot asks for consent for "<purpose>"`, `Then the bot asks for consent for "contact"`,
			"The latest turn holds a consent_request for the purpose, with text, version and policy link (CONS-2, CONS-4).",
			func(w *World) any { return w.asksConsent }),
		def(`the conversation is handed over to a human`, `the conversation is handed over to a human`, `Then the conversation is handed over to a human`,
			"Since the customer last spoke, a handover frame \"queued\" or \"joined\" arrived (HUM-2).",
			func(w *World) any { return w.handedOver }),
		def(`the customer is told no agent is available and offered to leave a message`, `the customer is told no agent is available and offered to leave a message`,
			`Then the customer is told no agent is available and offered to leave a message`,
			"A handover frame \"offline\" and a message offering \"leave_message\" (HUM-2).",
			func(w *World) any { return w.toldOffline }),
		def(`the stored data does not contain `+qAny, `the stored data does not contain "<text>"`, `Then the stored data does not contain "jane@example.com"`,
			"Raw byte scan (as typed, lower case, UTF-16) of every file the bot wrote except key files (admin API, SEC-1).",
			func(w *World) any { return w.storedNotContains }),
		def(`the consent ledger shows `+q+` as `+q, `the consent ledger shows "<purpose>" as "<granted|declined|withdrawn>"`,
			`Then the consent ledger shows "contact" as "granted"`,
			"The latest ledger record for the purpose has that decision, a text version, a hash and a time (CONS-4).",
			func(w *World) any { return w.ledgerShows }),
		def(`no data about the customer remains`, `no data about the customer remains`, `Then no data about the customer remains`,
			"No rows are left for any of the customer's conversations up to the latest erasure or purge (DSR-4, RET-1); one started afresh after it is a new record.",
			func(w *World) any { return w.noDataRemains }),
		def(`the audit log records `+q, `the audit log records "<event>"`, `Then the audit log records "consent"`,
			"The audit log holds the event for this customer (or, for purge and key_rotation, at all) and its chain verifies (AUD-1).",
			func(w *World) any { return w.auditRecords }),

		// --- further phrases ---
		def(`a customer opens the chat with Global Privacy Control`, `a customer opens the chat with Global Privacy Control`,
			`Given a customer opens the chat with Global Privacy Control`, "Connects with the header Sec-GPC: 1 (JUR-1).",
			func(w *World) any {
				return func(ctx context.Context) error {
					return w.open(ctx, chatclient.Options{Header: map[string][]string{"Sec-GPC": {"1"}}})
				}
			}),
		def(`a customer from `+q+` opens the chat with Global Privacy Control`, `a customer from "<region>" opens the chat with Global Privacy Control`,
			`Given a customer from "California" opens the chat with Global Privacy Control`, "Region plus Sec-GPC: 1 (JUR-1).",
			func(w *World) any {
				return func(ctx context.Context, region string) error {
					return w.open(ctx, chatclient.Options{Query: map[string][]string{"region": {region}}, Header: map[string][]string{"Sec-GPC": {"1"}}})
				}
			}),
		def(`a customer on the page `+q+` opens the chat`, `a customer on the page "<origin>" opens the chat`, `Given a customer on the page "https://shop.example" opens the chat`,
			"Connects as the widget embedded on another site does (Origin header); the bot must accept it (allowed_origins).",
			func(w *World) any {
				return func(ctx context.Context, origin string) error { return w.open(ctx, chatclient.Options{Origin: origin}) }
			}),
		def(`a customer on the page `+q+` is refused the chat`, `a customer on the page "<origin>" is refused the chat`, `Then a customer on the page "https://evil.example" is refused the chat`,
			"A connection from that Origin must be refused (cross-site WebSocket hijacking).",
			func(w *World) any { return w.refused }),
		def(`a customer opens the chat over HTTP`, `a customer opens the chat over HTTP`, `Given a customer opens the chat over HTTP`,
			"Uses the HTTP mirror (POST /api/v1/chat) instead of the socket; text, buttons and consent decisions as the socket would send them; agent lines are polled.",
			func(w *World) any { return w.openHTTP }),
		def(`the customer reconnects`, `the customer reconnects`, `When the customer reconnects`,
			"Closes the socket and resumes the same session (/ws?session=TOKEN).",
			func(w *World) any { return w.reconnects }),
		def(`the knowledge base has an article `+q+` answering:`, `the knowledge base has an article "<title>" answering:`,
			"Given the knowledge base has an article \"Returns\" answering:  (then a \"\"\" doc string)",
			"Like the canonical step, with a multi-line answer in a doc string.",
			func(w *World) any {
				return func(title string, doc *godog.DocString) error {
					return w.addArticle(article{title: title, body: doc.Content})
				}
			}),
		def(`the knowledge base has these articles:`, `the knowledge base has these articles:`,
			"Given the knowledge base has these articles:  (then a table: | title | answer | questions |)",
			"Several articles at once; columns title and answer, optional questions (separated by \";\"), id, version.",
			func(w *World) any { return w.addArticles }),
		def(`the customer says:`, `the customer says:`, "When the customer says:  (then a \"\"\" doc string)",
			"Sends a multi-line message.",
			func(w *World) any {
				return func(ctx context.Context, doc *godog.DocString) error { return w.says(ctx, doc.Content) }
			}),
		def(`the customer says `+qAny+` (\d+) times`, `the customer says "<text>" <n> times`, `When the customer says "hello" 12 times`,
			"Sends the same message n times, each waiting for its turn (rate limits, repeated misses).",
			func(w *World) any {
				return func(ctx context.Context, text string, n int) error {
					for i := 0; i < n; i++ {
						if err := w.says(ctx, text); err != nil {
							return err
						}
					}
					return nil
				}
			}),
		def(`the customer says a message of (\d+) characters`, `the customer says a message of <n> characters`, `When the customer says a message of 2500 characters`,
			"Sends a message of exactly n characters (size limits).",
			func(w *World) any {
				return func(ctx context.Context, n int) error {
					return w.says(ctx, strings.Repeat("abcdefghi ", n/10+1)[:n])
				}
			}),
		def(`the customer clicks `+q, `the customer clicks "<action name or button label>"`, `When the customer clicks "Talk to a person"`,
			"Presses a button the bot offered (by label or action name), one of the chat page's own buttons by its label (Talk to a person, Get my data, Delete my data, Withdraw consent, Leave a message) or sends the named action.",
			func(w *World) any { return w.clicks }),
		def(`the customer sends the frame:`, `the customer sends the frame:`, "When the customer sends the frame:  (then a \"\"\" doc string with raw JSON)",
			"Sends the doc string as one raw text frame (malformed input, custom consent frames).",
			func(w *World) any {
				return func(ctx context.Context, doc *godog.DocString) error {
					_, err := w.sendRaw(ctx, doc.Content)
					return err
				}
			}),
		def(`the customer sends consent `+q+` for `+q, `the customer sends consent "<true|false>" for "<purpose>"`, `When the customer sends consent "true" for "contact"`,
			"Sends a consent frame without the bot asking first.",
			func(w *World) any {
				return func(ctx context.Context, granted, purpose string) error {
					g, err := strconv.ParseBool(granted)
					if err != nil {
						return fmt.Errorf("consent must be \"true\" or \"false\", not %q", granted)
					}
					return w.consent(ctx, purpose, g)
				}
			}),
		def(`the customer downloads their data`, `the customer downloads their data`, `When the customer downloads their data`,
			"POST /api/v1/export with the session token, as the chat page's download button does (DSR-1, DSR-2).",
			func(w *World) any { return w.downloads }),
		def(`the export has schema `+q, `the export has schema "<schema>"`, `Then the export has schema "deskbot.export/v1"`,
			"The downloaded JSON names that schema version (DSR-2).",
			func(w *World) any { return w.exportSchema }),
		def(`the export contains `+qAny, `the export contains "<text>"`, `Then the export contains "refund"`,
			"The downloaded JSON contains the text (ignoring case).",
			func(w *World) any { return w.exportContains }),
		def(`the export does not contain `+qAny, `the export does not contain "<text>"`, `Then the export does not contain "4111 1111 1111 1111"`,
			"The downloaded JSON does not contain the text (ignoring case).",
			func(w *World) any { return w.exportNotContains }),
		def(`the reply does not contain `+qAny, `the reply does not contain "<text>"`, `Then the reply does not contain "4111 1111 1111 1111"`,
			"The reply's text does not contain <text> (ignoring case).",
			func(w *World) any { return w.replyNotContains }),
		def(`the reply is:`, `the reply is:`, "Then the reply is:  (then a \"\"\" doc string)",
			"The reply's text equals the doc string (surrounding spaces ignored).",
			func(w *World) any { return func(doc *godog.DocString) error { return w.replies(doc.Content) } }),
		def(`the reply arrives within (\d+) ?ms`, `the reply arrives within <n> ms`, `Then the reply arrives within 500 ms`,
			"The first message of the latest turn came within n milliseconds of sending.",
			func(w *World) any { return w.within }),
		def(`the reply cites no article`, `the reply cites no article`, `Then the reply cites no article`,
			"The reply has no sources (e.g. the bot cannot confirm).",
			func(w *World) any { return w.citesNone }),
		def(`the reply offers `+q, `the reply offers "<action name or button label>"`, `Then the reply offers "Leave a message"`,
			"A message of the latest turn offers that quick-reply button.",
			func(w *World) any { return w.offers }),
		def(`the reply offers the buttons:`, `the reply offers the buttons:`, "Then the reply offers the buttons:  (then a one-column table of labels or names)",
			"Every listed button is offered in the latest turn.",
			func(w *World) any { return w.offersTable }),
		def(`the reply comes from `+q, `the reply comes from "<bot|agent|system>"`, `Then the reply comes from "agent"`,
			"The reply's sender.",
			func(w *World) any { return w.replyFrom }),
		def(`the bot's (\d+)(?:st|nd|rd|th) message contains `+qAny, `the bot's <n>th message contains "<text>"`, `Then the bot's 1st message contains "automated assistant"`,
			"Counts the bot's messages in the scenario from 1 (the disclosure is the 1st).",
			func(w *World) any { return w.nthContains }),
		def(`the bot's (\d+)(?:st|nd|rd|th) message is a disclosure`, `the bot's <n>th message is a disclosure`, `Then the bot's 1st message is a disclosure`,
			"That bot message has \"disclosure\":true.",
			func(w *World) any { return w.nthDisclosure }),
		def(`one of the bot's replies contains `+qAny, `one of the bot's replies contains "<text>"`, `Then one of the bot's replies contains "masked"`,
			"Some message of the latest turn contains the text (ignoring case).",
			func(w *World) any { return w.turnContains }),
		def(`the consent request links `+q, `the consent request links "<url>"`, `Then the consent request links "/articles/privacy-policy"`,
			"The latest consent request's policy link (NOTC-1, NOTC-2: notice at collection).",
			func(w *World) any { return w.consentLinks }),
		def(`the bot does not ask for consent`, `the bot does not ask for consent`, `Then the bot does not ask for consent`,
			"The latest turn holds no consent_request.",
			func(w *World) any { return w.noConsentAsked }),
		def(`the customer receives an error `+q, `the customer receives an error "<code>"`, `Then the customer receives an error "too_large"`,
			"The latest turn holds an error frame with that code; the chat stays open.",
			func(w *World) any { return w.errorCode }),
		def(`a new conversation starts`, `a new conversation starts`, `Then a new conversation starts`,
			"The latest turn began a new session (new token, disclosure first), as after an erasure.",
			func(w *World) any { return w.newConversation }),
		def(`the session profile is `+q, `the session profile is "<eu|us-ca|strict>"`, `Then the session profile is "us-ca"`,
			"The jurisdiction profile the session frame announced (JUR-1).",
			func(w *World) any { return w.profileIs }),
		def(`the consent ledger has no record for `+q, `the consent ledger has no record for "<purpose>"`, `Then the consent ledger has no record for "contact"`,
			"Silence is not consent: no ledger row for the purpose (CONS-1).",
			func(w *World) any { return w.ledgerEmpty }),
		def(`the stored transcript contains `+qAny, `the stored transcript contains "<text>"`, `Then the stored transcript contains "[email]"`,
			"What is stored (decrypted, admin API) for the customer contains the text, e.g. a placeholder (MIN-1).",
			func(w *World) any {
				return func(ctx context.Context, s string) error { return w.transcriptHas(ctx, s, true) }
			}),
		def(`the stored transcript does not contain `+qAny, `the stored transcript does not contain "<text>"`, `Then the stored transcript does not contain "jane@example.com"`,
			"What is stored for the customer, decrypted, does not contain the text (MIN-1, PCI-1).",
			func(w *World) any {
				return func(ctx context.Context, s string) error { return w.transcriptHas(ctx, s, false) }
			}),
		def(`the bot keeps (\d+) contact details? for the customer`, `the bot keeps <n> contact details for the customer`, `Then the bot keeps 1 contact detail for the customer`,
			"Number of sealed contact details held for the customer (CONS-1, CONS-5).",
			func(w *World) any { return w.contactsKept }),
		def(`the audit log does not record `+q, `the audit log does not record "<event>"`, `Then the audit log does not record "handover"`,
			"No such audit event for this customer.",
			func(w *World) any { return w.auditNotRecords }),
		def(`the audit log chain verifies`, `the audit log chain verifies`, `Then the audit log chain verifies`,
			"The hash chain of the audit log is intact (AUD-1).",
			func(w *World) any { return w.chainVerifies }),
		def(`the retention purge runs`, `the retention purge runs`, `When the retention purge runs`,
			"Runs the purge now at the scenario's time (admin API).",
			func(w *World) any {
				return func(ctx context.Context) error { return w.purge(ctx) }
			}),
		def(`the bot is configured with:`, `the bot is configured with:`, "Given the bot is configured with:  (then a table: | key | value |)",
			"Overrides configuration keys (as in config.yaml, e.g. business_hours.enabled) for the scenario's bot; in-process only, before the chat opens.",
			func(w *World) any { return w.configure }),
		def(`the configuration is rejected mentioning `+qAny, `the configuration is rejected mentioning "<text>"`, `Then the configuration is rejected mentioning "disclosure"`,
			"The overrides given must make the configuration invalid, with an error naming <text> (e.g. DISC-3).",
			func(w *World) any { return w.configRejected }),
		def(`agent `+q+` opens the conversation`, `agent "<name>" opens the conversation`, `When agent "Anna" opens the conversation`,
			"The agent reads the customer's transcript in the console (SEC-2: audited as agent_access).",
			func(w *World) any { return w.agentViews }),
		def(`agent `+q+` hands the conversation back`, `agent "<name>" hands the conversation back`, `When agent "Anna" hands the conversation back`,
			"The agent hands back to the bot; waits for the handover frame \"left\".",
			func(w *World) any { return w.agentHandsBack }),
		def(`the bot suggests `+q, `the bot suggests "<article title or id>"`, `Then the bot suggests "Returning an item"`,
			"The latest turn offers the article as a \"did you mean\" button (action \"article\"), in a message that cites no article (ACC-1).",
			func(w *World) any { return w.suggests }),
		def(`the bot does not suggest anything`, `the bot does not suggest anything`, `Then the bot does not suggest anything`,
			"The latest turn offers no article button.",
			func(w *World) any { return w.suggestsNothing }),
		def(`the customer picks the suggestion `+q, `the customer picks the suggestion "<article title or id>"`, `When the customer picks the suggestion "Returning an item"`,
			"Presses the newest article button with that title or id: sends {\"type\":\"action\",\"name\":\"article\",\"id\":...}.",
			func(w *World) any { return w.picks }),
		def(`the bot does not say it cannot confirm`, `the bot does not say it cannot confirm`, `Then the bot does not say it cannot confirm`,
			"No message of the latest turn says it can't confirm (e.g. small talk is not a miss).",
			func(w *World) any { return w.notCannotConfirm }),
		def(`the conversation has not been handed over`, `the conversation has not been handed over`, `Then the conversation has not been handed over`,
			"No handover frame (queued, joined or offline) arrived since the chat opened.",
			func(w *World) any { return w.notHandedOver }),
	}, extraStepDefs()...)
}

// --- Given ---

func (w *World) addArticle(a article) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: articles cannot be added to a --target bot; its own knowledge base answers", ErrUnavailable)
	}
	if w.base != "" {
		return errors.New("articles must come before the steps that start the scenario's bot (a customer opening the chat, an agent coming online, a storage check): move this step up")
	}
	if strings.TrimSpace(a.title) == "" || strings.TrimSpace(a.body) == "" {
		return errors.New("an article needs a title and an answer")
	}
	w.articles = append(w.articles, a)
	return nil
}

func (w *World) addArticles(t *godog.Table) error {
	if len(t.Rows) < 2 {
		return errors.New("the table needs a header row (title | answer | questions) and at least one article")
	}
	col := map[string]int{}
	for i, c := range t.Rows[0].Cells {
		col[strings.ToLower(strings.TrimSpace(c.Value))] = i
	}
	ti, ok1 := col["title"]
	ai, ok2 := col["answer"]
	if !ok1 || !ok2 {
		return errors.New(`the table needs columns "title" and "answer" (optional: "questions", "id", "version")`)
	}
	cell := func(r *godog.Table, row int, name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(r.Rows[row].Cells[i].Value)
		}
		return ""
	}
	for i := 1; i < len(t.Rows); i++ {
		a := article{title: t.Rows[i].Cells[ti].Value, body: t.Rows[i].Cells[ai].Value, id: cell(t, i, "id"), version: cell(t, i, "version")}
		if qs := cell(t, i, "questions"); qs != "" {
			for _, q := range strings.Split(qs, ";") {
				if q = strings.TrimSpace(q); q != "" {
					a.questions = append(a.questions, q)
				}
			}
			a.questions = append(a.questions, a.title)
		}
		if err := w.addArticle(a); err != nil {
			return err
		}
	}
	return nil
}

func (w *World) configure(t *godog.Table) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: the configuration of a --target bot cannot be changed by a scenario", ErrUnavailable)
	}
	if w.base != "" {
		return errors.New("configuration must come before the steps that start the scenario's bot (a customer opening the chat, an agent coming online, a storage check): move this step up")
	}
	if w.cfgEdits == nil {
		w.cfgEdits = map[string]string{}
	}
	for _, r := range t.Rows {
		if len(r.Cells) != 2 {
			return errors.New("each row needs two cells: | key | value |")
		}
		k, v := strings.TrimSpace(r.Cells[0].Value), strings.TrimSpace(r.Cells[1].Value)
		if k == "key" && v == "value" {
			continue // a header row
		}
		w.cfgEdits[k] = v
	}
	_, err := w.suite.botConfig(w.cfgEdits, filepath.Join(os.TempDir(), "deskbot-unused"))
	w.cfgErr = err
	return nil
}

func (w *World) configRejected(text string) error {
	if w.cfgErr == nil {
		return fmt.Errorf("expected the configuration to be rejected mentioning %q, but it is valid", text)
	}
	if !strings.Contains(strings.ToLower(w.cfgErr.Error()), strings.ToLower(text)) {
		return fmt.Errorf("expected the configuration error to mention %q, but it says: %v", text, w.cfgErr)
	}
	w.cfgEdits, w.cfgErr = nil, nil
	return nil
}

func (w *World) noAgent(ctx context.Context) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: whether agents are online on a --target cannot be arranged by a scenario", ErrUnavailable)
	}
	for name, a := range w.agents {
		a.call(ctx, http.MethodPost, "/agent/api/logout", map[string]string{}, nil)
		delete(w.agents, name)
	}
	return nil
}

func (w *World) setTime(ts string) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: the clock of a --target bot cannot be set", ErrUnavailable)
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return fmt.Errorf("the time must be RFC 3339, like \"2026-03-02T10:00:00Z\": %w", err)
	}
	w.clock.Set(t)
	return nil
}

func (w *World) daysPass(ctx context.Context, n int) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: days cannot pass on a --target bot's clock", ErrUnavailable)
	}
	w.clock.Advance(time.Duration(n) * 24 * time.Hour)
	return w.purge(ctx)
}

func (w *World) purge(ctx context.Context) error {
	adm, err := w.needAdmin(ctx, "running the retention purge")
	if err != nil {
		return err
	}
	if _, err = adm.purge(ctx); err != nil {
		return err
	}
	// A conversation opened after the purge is a new customer record.
	w.erasures = append(w.erasures, len(w.turns)-1)
	return nil
}

// --- When ---

func (w *World) says(ctx context.Context, text string) error {
	_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeSay, Text: text})
	return err
}

func (w *World) consent(ctx context.Context, purpose string, granted bool) error {
	_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeConsent, Purpose: purpose, Granted: &granted})
	return err
}

func (w *World) withdraws(ctx context.Context, purpose string) error {
	if purpose != "contact" {
		return fmt.Errorf("only the purpose \"contact\" can be withdrawn in chat, not %q", purpose)
	}
	_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionWithdraw})
	return err
}

func (w *World) clicks(ctx context.Context, button string) error {
	name, id := "", ""
	for _, f := range w.sinceCustomer() {
		for _, a := range f.Actions {
			if strings.EqualFold(a.Label, button) || a.Name == button {
				name, id = a.Name, a.ID
			}
		}
	}
	if name == "" {
		if n, ok := pageButtons[strings.ToLower(strings.TrimSpace(button))]; ok {
			button = n // a button the chat page always shows, by its label
		}
		switch button {
		case protocol.ActionHuman, protocol.ActionExport, protocol.ActionErase, protocol.ActionWithdraw,
			protocol.ActionLeaveMessage, protocol.ActionConsentAccept, protocol.ActionConsentDecline:
			name = button
		default:
			return fmt.Errorf("no button %q was offered since the customer last acted; offered: %s", button, w.offered())
		}
	}
	_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeAction, Name: name, ID: id})
	return err
}

// pageButtons are the chat page's own buttons (assets/chat/index.html) and
// the bot's usual labels, by lower-cased label: a scenario may press them
// by what the customer reads before the bot offered them.
var pageButtons = map[string]string{
	"talk to a person": protocol.ActionHuman,
	"get my data":      protocol.ActionExport,
	"delete my data":   protocol.ActionErase,
	"withdraw consent": protocol.ActionWithdraw,
	"leave a message":  protocol.ActionLeaveMessage,
}

func (w *World) refused(ctx context.Context, origin string) error {
	if err := w.ensureBot(ctx); err != nil {
		return err
	}
	c, err := chatclient.Dial(ctx, w.base, chatclient.Options{Origin: origin})
	if err == nil {
		c.Close()
		return fmt.Errorf("expected the chat to be refused to a page on %s, but the connection was accepted", origin)
	}
	if !strings.Contains(err.Error(), "HTTP 403") {
		return fmt.Errorf("expected the chat to be refused (HTTP 403) to a page on %s, but: %w", origin, err)
	}
	return nil
}

func (w *World) reconnects(ctx context.Context) error {
	if len(w.sessions) == 0 {
		return ErrNoChat
	}
	return w.open(ctx, chatclient.Options{Session: w.sessions[len(w.sessions)-1].token})
}

func (w *World) agentTakes(ctx context.Context, name string) error {
	since := len(w.transcript)
	if err := w.agentPost(ctx, name, "take", map[string]string{}); err != nil {
		return err
	}
	if _, err := w.waitFor(ctx, since, `the handover frame "joined"`, func(f protocol.Frame) bool {
		return f.Type == protocol.TypeHandover && f.State == protocol.HandoverJoined
	}); err != nil {
		return err
	}
	// DISC-6: the customer is told in words that a person has joined.
	if _, err := w.waitFor(ctx, since, "the notice that a person joined", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeMessage && f.From == protocol.FromSystem
	}); err != nil {
		return fmt.Errorf("DISC-6: after agent %q joined, the customer was not told (no system message): %w", name, err)
	}
	return nil
}

func (w *World) agentSays(ctx context.Context, name, text string) error {
	since := len(w.transcript)
	if err := w.agentPost(ctx, name, "messages", map[string]string{"text": text}); err != nil {
		return err
	}
	_, err := w.waitFor(ctx, since, "the agent's message", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeMessage && f.From == protocol.FromAgent
	})
	return err
}

func (w *World) agentViews(ctx context.Context, name string) error {
	a, err := w.agent(name)
	if err != nil {
		return err
	}
	id, err := w.conversationID(ctx)
	if err != nil {
		return err
	}
	var conv struct {
		Messages []struct {
			From string `json:"from"`
			Text string `json:"text"`
		} `json:"messages"`
	}
	if _, err := a.call(ctx, http.MethodGet, "/agent/api/conversations/"+url.PathEscape(id), nil, &conv); err != nil {
		return err
	}
	if len(conv.Messages) == 0 {
		return errors.New("the agent console shows an empty conversation")
	}
	return nil
}

func (w *World) agentHandsBack(ctx context.Context, name string) error {
	since := len(w.transcript)
	if err := w.agentPost(ctx, name, "handback", map[string]string{}); err != nil {
		return err
	}
	_, err := w.waitFor(ctx, since, `the handover frame "left"`, func(f protocol.Frame) bool {
		return f.Type == protocol.TypeHandover && f.State == protocol.HandoverLeft
	})
	return err
}

func (w *World) downloads(ctx context.Context) error {
	if len(w.sessions) == 0 {
		return ErrNoChat
	}
	b, _ := json.Marshal(map[string]string{"session": w.sessions[len(w.sessions)-1].token})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base+"/api/v1/export", bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("export: HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if !json.Valid(body) {
		return errors.New("export: the download is not valid JSON")
	}
	w.exported = body
	return nil
}

// --- Then ---

func (w *World) discloses() error {
	var first *protocol.Frame
	for i := len(w.transcript) - 1; i >= 0; i-- {
		l := w.transcript[i]
		if l.Outbound {
			continue
		}
		if l.Frame.Type == protocol.TypeMessage {
			f := l.Frame
			first = &f
		}
		if l.Frame.Type == protocol.TypeSession {
			break
		}
	}
	if first == nil {
		return errors.New("expected a disclosure message, but the customer has received no message in this session")
	}
	if !first.Disclosure {
		return fmt.Errorf("expected the first message of the session to be the disclosure (\"disclosure\":true), but it was:\n  %s", fmtFrame(*first))
	}
	if !reAutomated.MatchString(first.Text) {
		return fmt.Errorf("expected the disclosure to say in words that this is an automated assistant, but it says:\n  %q", first.Text)
	}
	return nil
}

var reAutomated = regexp.MustCompile(`(?i)\b(automated|bot|chatbot|AI|artificial intelligence|virtual assistant|not a (human|person))\b`)

// expectReply checks the latest message with ok and, when it fails, says
// what was expected next to what arrived.
func (w *World) expectReply(expected, want string, ok func(text string) bool) error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	if !ok(r.Text) {
		return fmt.Errorf("expected %s:\n  %s\nbut the latest message (from %s) was:\n  %q", expected, want, r.From, r.Text)
	}
	return nil
}

func (w *World) replies(want string) error {
	return w.expectReply("the bot to reply", fmt.Sprintf("%q", want), func(text string) bool {
		return strings.TrimSpace(text) == strings.TrimSpace(want)
	})
}

func (w *World) replyContains(want string) error {
	return w.expectReply("the reply to contain", fmt.Sprintf("%q", want), func(text string) bool {
		return strings.Contains(strings.ToLower(text), strings.ToLower(want))
	})
}

func (w *World) replyNotContains(bad string) error {
	return w.expectReply("the reply not to contain", fmt.Sprintf("%q", bad), func(text string) bool {
		return !strings.Contains(strings.ToLower(text), strings.ToLower(bad))
	})
}

func (w *World) replyMatches(expr string) error {
	re, err := regexp.Compile(expr)
	if err != nil {
		return fmt.Errorf("not a valid regular expression %q: %w", expr, err)
	}
	return w.expectReply("the reply to match", expr, re.MatchString)
}

func (w *World) cites(title string) error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	for _, s := range r.Sources {
		if strings.EqualFold(s.Title, title) || s.ID == title {
			if s.Version == "" {
				return fmt.Errorf("the reply cites %q but without a version (ACC-2)", title)
			}
			return nil
		}
	}
	return fmt.Errorf("expected the reply to cite the article %q, but it cites %s:\n  %q", title, fmtSources(r.Sources), r.Text)
}

func (w *World) citesNone() error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	if len(r.Sources) > 0 {
		return fmt.Errorf("expected the reply to cite no article, but it cites %s", fmtSources(r.Sources))
	}
	return nil
}

func (w *World) offersHuman() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	if t.Has(protocol.TypeHandover) {
		return nil
	}
	for _, m := range t.Messages() {
		if m.HasAction(protocol.ActionHuman) {
			return nil
		}
	}
	return fmt.Errorf("expected the bot to offer a person (action \"human\"), but the latest turn was:\n%s", describeTurn(t))
}

func (w *World) offered() string {
	t := w.lastTurn()
	if t == nil {
		return "none"
	}
	var b []string
	for _, m := range t.Messages() {
		for _, a := range m.Actions {
			b = append(b, fmt.Sprintf("%q (%s)", a.Label, a.Name))
		}
	}
	if len(b) == 0 {
		return "none"
	}
	return strings.Join(b, ", ")
}

func (w *World) offers(button string) error {
	on, err := w.offersButton(button)
	if err != nil || on {
		return err
	}
	return fmt.Errorf("expected the button %q to be offered; offered: %s", button, w.offered())
}

// offersButton says whether the latest turn offers the button, named by its
// label (any case) or its action name; ErrNoChat before any turn.
func (w *World) offersButton(button string) (bool, error) {
	t := w.lastTurn()
	if t == nil {
		return false, ErrNoChat
	}
	for _, m := range t.Messages() {
		for _, a := range m.Actions {
			if strings.EqualFold(a.Label, button) || a.Name == button {
				return true, nil
			}
		}
	}
	return false, nil
}

func (w *World) offersTable(tb *godog.Table) error {
	for _, r := range tb.Rows {
		if len(r.Cells) == 0 {
			continue
		}
		if err := w.offers(strings.TrimSpace(r.Cells[0].Value)); err != nil {
			return err
		}
	}
	return nil
}

func (w *World) replyFrom(from string) error {
	r, err := w.reply()
	if err != nil {
		return err
	}
	if r.From != from {
		return fmt.Errorf("expected the reply to come from %q, but it came from %q:\n  %q", from, r.From, r.Text)
	}
	return nil
}

func (w *World) asksConsent(purpose string) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	for _, f := range t.Frames {
		if f.Type == protocol.TypeConsentRequest && f.Purpose == purpose {
			if f.Text == "" || f.Version == "" || f.PolicyURL == "" {
				return fmt.Errorf("the consent request for %q lacks its text, version or policy link (CONS-2, CONS-4): %s", purpose, fmtFrame(f))
			}
			return nil
		}
	}
	return fmt.Errorf("expected a consent request for %q, but the latest turn was:\n%s", purpose, describeTurn(t))
}

func (w *World) consentLinks(url string) error {
	for i := len(w.transcript) - 1; i >= 0; i-- {
		if f := w.transcript[i].Frame; !w.transcript[i].Outbound && f.Type == protocol.TypeConsentRequest {
			if f.PolicyURL != url {
				return fmt.Errorf("expected the consent request to link %q, but it links %q", url, f.PolicyURL)
			}
			return nil
		}
	}
	return errors.New("the bot has not asked for consent in this scenario")
}

func (w *World) noConsentAsked() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	if t.Has(protocol.TypeConsentRequest) {
		return fmt.Errorf("expected no consent request, but the latest turn was:\n%s", describeTurn(t))
	}
	return nil
}

// sinceCustomer returns the frames received since the customer last sent something.
func (w *World) sinceCustomer() []protocol.Frame {
	var out []protocol.Frame
	for i := len(w.transcript) - 1; i >= 0; i-- {
		if w.transcript[i].Outbound {
			break
		}
		out = append([]protocol.Frame{w.transcript[i].Frame}, out...)
	}
	return out
}

func (w *World) handedOver() error {
	if !w.chatOpen() {
		return ErrNoChat
	}
	fs := w.sinceCustomer()
	for _, f := range fs {
		if f.Type == protocol.TypeHandover && (f.State == protocol.HandoverQueued || f.State == protocol.HandoverJoined) {
			return nil
		}
	}
	for _, f := range fs {
		if f.Type == protocol.TypeHandover {
			return fmt.Errorf("expected the conversation to be handed over (handover \"queued\" or \"joined\"), but the bot sent handover %q:\n%s", f.State, describeFrames(fs))
		}
	}
	return fmt.Errorf("expected the conversation to be handed over to a human, but no handover frame arrived; since the customer last spoke:\n%s", describeFrames(fs))
}

func (w *World) toldOffline() error {
	if !w.chatOpen() {
		return ErrNoChat
	}
	fs := w.sinceCustomer()
	offline, leave := false, false
	for _, f := range fs {
		if f.Type == protocol.TypeHandover && f.State == protocol.HandoverOffline {
			offline = true
		}
		if f.Type == protocol.TypeMessage && f.HasAction(protocol.ActionLeaveMessage) {
			leave = true
		}
	}
	if !offline || !leave {
		return fmt.Errorf("expected handover \"offline\" and a message offering \"leave_message\" (offline: %v, offer: %v); since the customer last spoke:\n%s", offline, leave, describeFrames(fs))
	}
	return nil
}

func (w *World) storedNotContains(ctx context.Context, text string) error {
	adm, err := w.needAdmin(ctx, "scanning the stored data")
	if err != nil {
		return err
	}
	res, err := adm.scan(ctx, []string{text})
	if err != nil {
		return err
	}
	if len(res.Found) > 0 {
		return fmt.Errorf("expected the stored data not to contain %q, but a raw scan of %d files found it: %s", text, res.FilesScanned, fmtHits(res.Found))
	}
	if res.FilesScanned == 0 {
		return errors.New("the raw scan read no files: it cannot prove anything")
	}
	return nil
}

func (w *World) latestConsents(ctx context.Context) ([]protocol.ExportConsent, error) {
	sub, err := w.subject(ctx)
	if err != nil {
		return nil, err
	}
	return w.admin.consents(ctx, sub)
}

func (w *World) ledgerShows(ctx context.Context, purpose, decision string) error {
	switch decision {
	case "granted", "declined", "withdrawn":
	default:
		return fmt.Errorf("the decision must be granted, declined or withdrawn, not %q", decision)
	}
	recs, err := w.latestConsents(ctx)
	if err != nil {
		return err
	}
	var last *protocol.ExportConsent
	for i := range recs {
		if recs[i].Purpose == purpose {
			last = &recs[i]
		}
	}
	if last == nil {
		return fmt.Errorf("expected the consent ledger to show %q as %q, but it has no record for %q (records: %s)", purpose, decision, purpose, fmtConsents(recs))
	}
	if last.Decision != decision {
		return fmt.Errorf("expected the consent ledger to show %q as %q, but the latest record says %q (records: %s)", purpose, decision, last.Decision, fmtConsents(recs))
	}
	if last.TextVersion == "" || len(last.TextHash) < 32 || last.At.IsZero() {
		return fmt.Errorf("CONS-4: the ledger record for %q lacks the text version, hash or time: %+v", purpose, *last)
	}
	return nil
}

func (w *World) ledgerEmpty(ctx context.Context, purpose string) error {
	recs, err := w.latestConsents(ctx)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if r.Purpose == purpose {
			return fmt.Errorf("expected no consent record for %q, but the ledger has: %s", purpose, fmtConsents(recs))
		}
	}
	return nil
}

// pastSubjects are the customer's subjects up to the latest erasure or
// purge: a conversation started afresh after it is a new customer record.
func (w *World) pastSubjects() []string {
	last := -1
	if len(w.erasures) > 0 {
		last = w.erasures[len(w.erasures)-1]
	}
	var out []string
	for _, s := range w.sessions {
		if s.subject != "" && (last < 0 || s.turn <= last) && !contains(out, s.subject) {
			out = append(out, s.subject)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (w *World) noDataRemains(ctx context.Context) error {
	adm, err := w.needAdmin(ctx, "counting what is held about the customer")
	if err != nil {
		return err
	}
	subs := w.pastSubjects()
	if len(subs) == 0 {
		return errors.New("no customer subject is known for this scenario (did the customer open the chat?)")
	}
	for _, s := range subs {
		c, err := adm.subject(ctx, s)
		if err != nil {
			return err
		}
		if c.Exists || c.Sessions+c.Messages+c.Consents+c.Contacts+c.Unanswered+c.Lookups > 0 {
			return fmt.Errorf("expected no data about the customer to remain, but for subject %s the bot still holds: exists=%v sessions=%d messages=%d consents=%d contacts=%d unanswered=%d lookups=%d",
				s, c.Exists, c.Sessions, c.Messages, c.Consents, c.Contacts, c.Unanswered, c.Lookups)
		}
	}
	return nil
}

// subjectlessEvents are written for the whole store, not one customer.
var subjectlessEvents = map[string]bool{"purge": true, "key_rotation": true}

func (w *World) auditEvents(ctx context.Context, event string) ([]protocol.AuditRecord, protocol.AdminAudit, error) {
	adm, err := w.needAdmin(ctx, "reading the audit log")
	if err != nil {
		return nil, protocol.AdminAudit{}, err
	}
	all, err := adm.audit(ctx, "", event)
	if err != nil {
		return nil, all, err
	}
	var subs []string
	for _, s := range w.sessions {
		subs = append(subs, s.subject)
	}
	var mine []protocol.AuditRecord
	for _, r := range all.Records {
		if contains(subs, r.Subject) || (subjectlessEvents[event] && (w.inProcess() || r.At.After(w.started.Add(-time.Minute)))) {
			mine = append(mine, r)
		}
	}
	return mine, all, nil
}

func (w *World) auditRecords(ctx context.Context, event string) error {
	mine, all, err := w.auditEvents(ctx, event)
	if err != nil {
		return err
	}
	if !all.ChainOK {
		return fmt.Errorf("AUD-1: the audit log's hash chain does not verify: %s", all.ChainError)
	}
	if len(mine) == 0 {
		return fmt.Errorf("expected the audit log to record %q for this customer, but it has none (%d %q records for others)", event, len(all.Records), event)
	}
	return nil
}

func (w *World) auditNotRecords(ctx context.Context, event string) error {
	mine, _, err := w.auditEvents(ctx, event)
	if err != nil {
		return err
	}
	if len(mine) > 0 {
		return fmt.Errorf("expected no %q audit record for this customer, but found %d (first: %s %s)", event, len(mine), mine[0].Actor, mine[0].Detail)
	}
	return nil
}

func (w *World) chainVerifies(ctx context.Context) error {
	adm, err := w.needAdmin(ctx, "verifying the audit log")
	if err != nil {
		return err
	}
	all, err := adm.audit(ctx, "", "")
	if err != nil {
		return err
	}
	if !all.ChainOK {
		return fmt.Errorf("AUD-1: the audit log's hash chain does not verify: %s", all.ChainError)
	}
	return nil
}

func (w *World) within(ms int) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	if t.Latency == 0 {
		return fmt.Errorf("the latest turn brought no message:\n%s", describeTurn(t))
	}
	if t.Latency > time.Duration(ms)*time.Millisecond {
		return fmt.Errorf("expected the reply within %d ms, but it took %d ms", ms, t.Latency.Milliseconds())
	}
	return nil
}

func (w *World) nth(n int) (protocol.Frame, error) {
	bm := w.botMessages()
	if n < 1 || n > len(bm) {
		return protocol.Frame{}, fmt.Errorf("the bot has sent %d message(s) so far; there is no message %d", len(bm), n)
	}
	return bm[n-1], nil
}

func (w *World) nthContains(n int, want string) error {
	m, err := w.nth(n)
	if err != nil {
		return err
	}
	if !strings.Contains(strings.ToLower(m.Text), strings.ToLower(want)) {
		return fmt.Errorf("expected the bot's message %d to contain:\n  %q\nbut it was:\n  %q", n, want, m.Text)
	}
	return nil
}

func (w *World) nthDisclosure(n int) error {
	m, err := w.nth(n)
	if err != nil {
		return err
	}
	if !m.Disclosure {
		return fmt.Errorf("expected the bot's message %d to be a disclosure, but it was:\n  %s", n, fmtFrame(m))
	}
	return nil
}

func (w *World) turnContains(want string) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	for _, m := range t.Messages() {
		if strings.Contains(strings.ToLower(m.Text), strings.ToLower(want)) {
			return nil
		}
	}
	return fmt.Errorf("expected one of the bot's replies to contain %q, but the latest turn was:\n%s", want, describeTurn(t))
}

func (w *World) errorCode(code string) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	for _, f := range t.Frames {
		if f.Type == protocol.TypeError && f.Code == code {
			return nil
		}
	}
	return fmt.Errorf("expected an error %q, but the latest turn was:\n%s", code, describeTurn(t))
}

func (w *World) newConversation() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	if len(w.sessions) < 2 || !t.Has(protocol.TypeSession) {
		return fmt.Errorf("expected a new conversation (a new session frame) in the latest turn, but it was:\n%s", describeTurn(t))
	}
	if w.sessions[len(w.sessions)-1].token == w.sessions[len(w.sessions)-2].token {
		return errors.New("the new session frame carries the old session token")
	}
	return nil
}

func (w *World) profileIs(p string) error {
	if len(w.sessions) == 0 {
		return ErrNoChat
	}
	if got := w.sessions[len(w.sessions)-1].profile; got != p {
		return fmt.Errorf("expected the session profile %q, but the session frame said %q", p, got)
	}
	return nil
}

func (w *World) transcriptHas(ctx context.Context, text string, want bool) error {
	sub, err := w.subject(ctx)
	if err != nil {
		return err
	}
	entries, err := w.admin.transcript(ctx, sub)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.Contains(strings.ToLower(string(unescapeJSON(e.Content))), strings.ToLower(text)) {
			if !want {
				return fmt.Errorf("expected the stored transcript not to contain %q, but a stored %s line holds it: %s", text, e.Sender, e.Content)
			}
			return nil
		}
	}
	if want {
		return fmt.Errorf("expected the stored transcript to contain %q, but it does not; stored customer lines: %s", text, customerLines(entries))
	}
	return nil
}

// unescapeJSON turns a JSON body into its text, so "[email]" matches
// regardless of how the encoder escaped it.
func unescapeJSON(b []byte) []byte {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return b
	}
	var out bytes.Buffer
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				out.WriteString(k + ": ")
				walk(y)
				out.WriteString("\n")
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case string:
			out.WriteString(x)
		default:
			fmt.Fprint(&out, x)
		}
	}
	walk(v)
	return out.Bytes()
}

func customerLines(entries []protocol.ExportEntry) string {
	var b []string
	for _, e := range entries {
		if e.Sender == "customer" {
			b = append(b, string(e.Content))
		}
	}
	if len(b) == 0 {
		return "none"
	}
	return strings.Join(b, ", ")
}

func (w *World) contactsKept(ctx context.Context, n int) error {
	sub, err := w.subject(ctx)
	if err != nil {
		return err
	}
	c, err := w.admin.subject(ctx, sub)
	if err != nil {
		return err
	}
	if c.Contacts != n {
		return fmt.Errorf("expected the bot to keep %d contact detail(s) for the customer, but it keeps %d", n, c.Contacts)
	}
	return nil
}

func (w *World) exportSchema(schema string) error {
	if w.exported == nil {
		return errors.New(`nothing was downloaded: add "When the customer downloads their data" first`)
	}
	var doc struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(w.exported, &doc); err != nil {
		return fmt.Errorf("the export is not a JSON object: %w", err)
	}
	if doc.Schema != schema {
		return fmt.Errorf("expected the export schema %q, but it is %q", schema, doc.Schema)
	}
	return nil
}

// exportText is the downloaded export as searchable text.
func (w *World) exportText() (string, error) {
	if w.exported == nil {
		return "", errors.New(`nothing was downloaded: add "When the customer downloads their data" first`)
	}
	return strings.ToLower(string(unescapeJSON(w.exported))), nil
}

func (w *World) exportNotContains(text string) error {
	got, err := w.exportText()
	if err != nil {
		return err
	}
	if strings.Contains(got, strings.ToLower(text)) {
		return fmt.Errorf("expected the export not to contain %q, but it does", text)
	}
	return nil
}

func (w *World) exportContains(text string) error {
	got, err := w.exportText()
	if err != nil {
		return err
	}
	if !strings.Contains(got, strings.ToLower(text)) {
		return fmt.Errorf("expected the export to contain %q, but it does not (%d bytes)", text, len(w.exported))
	}
	return nil
}
