package features

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"deskbot/chatclient"
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
// (README.md, "Canonical phrases") first. `deskbot steps` prints this list, so it
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
		// --- canonical phrases (README.md, "Canonical phrases") ---
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
			"Creates the agent account (in-process; against a --target with the admin token a test agent of the run shown as <name>, removed at the end) and logs in through the agent console API.",
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
			"Several articles at once; columns title and answer, optional questions (separated by \";\"), id, version, human_review (true: the article describes a decision a person can review, HUM-1), lang (the article's language, e.g. de; empty: config language).",
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
		def(`one of the bot's replies cites the article `+q, `one of the bot's replies cites the article "<title>"`, `Then one of the bot's replies cites the article "Repeat prescriptions"`,
			"Some message of the latest turn cites the article by title or id, with its version (ACC-1, ACC-2): an answer followed by a further message (a pointer to a person) still passes.",
			func(w *World) any { return w.turnCites }),
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

// --- When ---

// --- Then ---
