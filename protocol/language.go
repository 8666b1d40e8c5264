package protocol

// ActionLanguage switches the session's language:
// {"type":"action","name":"language","value":"de"}. The reply is a new
// session frame (lang, dir, ui) and the disclosure in that language
// (DISC-1); an unavailable language is refused with bad_request.
const ActionLanguage = "language"

// Language is one language the customer can pick, named in itself
// ("Deutsch", "français").
type Language struct {
	Tag  string `json:"tag"`
	Name string `json:"name"`
}
