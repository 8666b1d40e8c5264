package locale

// Key names one sentence the bot says to customers. The English file
// (messages/en.json) has every key; the page's own strings start with "ui_"
// and are sent to the page as a set (Catalog.UI), and the agent console's
// start with "console_" (Catalog.Console), so neither has a constant.
type Key string

// The bot's sentences. Placeholders in braces ({bot}, {business}, {agent},
// {position}, {hours}, {language}, {contact} and the export counts) are
// filled by Text.
const (
	Disclosure                Key = "disclosure"
	Identity                  Key = "identity"
	WelcomeBack               Key = "welcome_back"
	WelcomeBackAgent          Key = "welcome_back_agent"
	Fallback                  Key = "fallback"
	SuggestMany               Key = "suggest_many"
	SuggestOne                Key = "suggest_one"
	SuggestGone               Key = "suggest_gone"
	ActionHuman               Key = "action_human"
	SmallTalkGreeting         Key = "small_talk_greeting"
	SmallTalkThanks           Key = "small_talk_thanks"
	SmallTalkGoodbye          Key = "small_talk_goodbye"
	SmallTalkAcknowledge      Key = "small_talk_acknowledge"
	ConsentContact            Key = "consent_contact"
	ConsentGranted            Key = "consent_granted"
	ConsentDeclined           Key = "consent_declined"
	ConsentNothingToWithdraw  Key = "consent_nothing_to_withdraw"
	ConsentWithdrawn          Key = "consent_withdrawn"
	CardMasked                Key = "card_masked"
	HandoverQueued            Key = "handover_queued"
	HandoverStillQueued       Key = "handover_still_queued"
	HandoverQueueDropped      Key = "handover_queue_dropped"
	HandoverNobody            Key = "handover_nobody"
	HandoverClosed            Key = "handover_closed"
	HandoverLeaveMessage      Key = "handover_leave_message"
	HandoverReasonMisses      Key = "handover_reason_misses"
	HandoverReasonFrustration Key = "handover_reason_frustration"
	HandoverReasonSensitive   Key = "handover_reason_sensitive"
	AgentJoined               Key = "agent_joined"
	AgentLeft                 Key = "agent_left"
	AgentLeftRestart          Key = "agent_left_restart"
	AgentHandedBack           Key = "agent_handed_back"
	AgentClosed               Key = "agent_closed"
	LeaveMessagePrompt        Key = "leave_message_prompt"
	LeaveMessageUnavailable   Key = "leave_message_unavailable"
	LeaveMessageFailed        Key = "leave_message_failed"
	LeaveMessageSaved         Key = "leave_message_saved"
	LeaveMessageSavedConsent  Key = "leave_message_saved_consent"
	ExportSummary             Key = "export_summary"
	ExportDownload            Key = "export_download"
	ExportFailed              Key = "export_failed"
	EraseDone                 Key = "erase_done"
	EraseFailed               Key = "erase_failed"
	SessionErased             Key = "session_erased"
	ErrorNotSaved             Key = "error_not_saved"
	ErrorInternal             Key = "error_internal"
	ErrorTooFast              Key = "error_too_fast"
	ErrorTooLarge             Key = "error_too_large"
	ErrorBusy                 Key = "error_busy"
	ErrorTooManyChats         Key = "error_too_many_chats"
	ActionLeaveMessage        Key = "action_leave_message"
	ErrorLanguage             Key = "error_language"
	OtherLanguage             Key = "other_language"
	// WeekdaysShort are the day names of business hours, Sunday first,
	// separated by commas.
	WeekdaysShort Key = "weekdays_short"

	// DSR-5, HUM-1, MIN-3 (conversation/rectify.go, review.go, health.go).
	RectifyAskEmail        Key = "rectify_ask_email"
	RectifyAskPhone        Key = "rectify_ask_phone"
	RectifyAskConsentEmail Key = "rectify_ask_consent_email"
	RectifyAskConsentPhone Key = "rectify_ask_consent_phone"
	RectifyDoneEmail       Key = "rectify_done_email"
	RectifyDonePhone       Key = "rectify_done_phone"
	RectifyFailed          Key = "rectify_failed"
	ReviewOffer            Key = "review_offer"
	ActionReview           Key = "action_review"
	HealthGranted          Key = "health_granted"
	HealthDeclined         Key = "health_declined"
	HealthWithdrawn        Key = "health_withdrawn"
	// MIN-2: an answer to a question that names the customer's health
	// also offers a person (conversation/engine.go).
	HealthPointer Key = "health_pointer"
	// A typed pick that names no suggestion: none shown ("the first one"),
	// or "yes" to several (conversation/suggest.go).
	PickNothing Key = "pick_nothing"
	PickWhich   Key = "pick_which"
	// Contact details typed with nothing else, unasked: not a question for
	// the articles (conversation/engine.go).
	ContactNoted Key = "contact_noted"

	// A left message when the customer already typed contact details in
	// this chat ({contact}: those kept under consent), and the replies to
	// contact details typed when the bot asked for them (CONS-1, MIN-1;
	// conversation/handover.go).
	LeaveMessageSavedKnown        Key = "leave_message_saved_known"
	LeaveMessageSavedConsentKnown Key = "leave_message_saved_consent_known"
	LeaveMessageContactKept       Key = "leave_message_contact_kept"
	LeaveMessageContactConsent    Key = "leave_message_contact_consent"
)
