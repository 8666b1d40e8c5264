package intent

// Words that may stand around a contact detail typed in answer to the
// bot's request for one: "it's …", "my e-mail is …", "sure, you can reach
// me at …", in the languages deskbot ships, folded as Read folds them
// ("c'est" reads "cest", "E-Mail" reads "e" "mail", "à" reads "a").
var contactFiller = wordSet(
	// English
	"it", "its", "is", "my", "mine", "email", "e", "mail", "address", "phone", "number", "mobile", "cell",
	"here", "sure", "yes", "yeah", "yep", "ok", "okay", "please", "thanks", "thank", "you", "can", "could",
	"reach", "contact", "call", "text", "write", "me", "at", "on", "via", "by", "to", "use", "this", "that",
	"the", "and", "or", "hi", "hello",
	// German
	"meine", "mein", "ist", "lautet", "adresse", "emailadresse", "mailadresse", "telefon", "telefonnummer",
	"handy", "handynummer", "nummer", "hier", "ja", "bitte", "danke", "sie", "konnen", "mich", "unter",
	"erreichen", "erreichbar", "per", "oder", "und", "die", "das", "ich", "bin",
	// French
	"cest", "mon", "ma", "est", "courriel", "telephone", "numero", "voici", "oui", "merci", "svp", "vous",
	"pouvez", "joindre", "contacter", "a", "au", "par", "ou", "et", "le", "la", "l", "moi",
	// Spanish
	"es", "mi", "correo", "electronico", "direccion", "movil", "aqui", "esta", "si", "gracias", "por", "favor",
	"puede", "pueden", "contactarme", "escribirme", "llamarme", "en", "al", "o", "y", "el",
)

// maxContactFiller bounds the words around the contact detail: a longer
// message says more than "here is my address".
const maxContactFiller = 8

// OnlyContact reports whether m, a customer message with its contact
// details (e-mail addresses, phone numbers) taken out, says nothing else:
// nothing at all, or "it's", "my e-mail is", "sure, you can reach me at",
// "c'est", "meine E-Mail-Adresse ist". A question or request ("where is
// my order?") is more than that and reads false.
func (m Message) OnlyContact() bool {
	if len(m.toks) > maxContactFiller {
		return false
	}
	for _, t := range m.toks {
		if !contactFiller[t.text] {
			return false
		}
	}
	return true
}
