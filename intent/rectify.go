package intent

// Fields a customer can ask to correct (DSR-5).
const (
	RectifyEmail = "email"
	RectifyPhone = "phone"
)

// The words are folded as Read folds them ("ändern" reads "andern"), in
// English, German, French and Spanish, the languages deskbot ships.
var (
	rectifyVerbs = wordSet("correct", "change", "update", "fix", "replace", "amend", "edit",
		"korrigieren", "andern", "aktualisieren", "berichtigen", "ersetzen",
		"corriger", "modifier", "changer", "rectifier", "remplacer",
		"corregir", "cambiar", "actualizar", "rectificar", "modificar")
	rectifyWrong = wordSet("wrong", "incorrect", "outdated", "mistake", "typo", "misspelt", "misspelled", "changed", "new",
		"falsch", "falsche", "fehlerhaft", "veraltet", "geandert", "neue",
		"faux", "fausse", "erronee", "incorrecte", "nouvelle", "nouveau", "change",
		"incorrecto", "incorrecta", "equivocado", "equivocada", "erroneo", "erronea", "nuevo", "nueva", "cambiado")
	ownWords   = wordSet("my", "mine", "mein", "meine", "meiner", "meinen", "ma", "mon", "mes", "mi", "mis")
	phoneWords = wordSet("phone", "mobile", "telephone", "cell",
		"telefon", "telefonnummer", "handy", "handynummer", "mobilnummer",
		"portable", "telefono", "movil", "celular")
	emailWords = wordSet("email", "emailadresse", "mailadresse", "courriel", "correo")
)

func wordSet(words ...string) map[string]bool {
	s := make(map[string]bool, len(words))
	for _, w := range words {
		s[w] = true
	}
	return s
}

// Rectify reads a request to correct the customer's own e-mail address or
// phone number (DSR-5): "my email is wrong", "I want to update my phone
// number". ok is false for anything else, such as "change my order" or
// "what is your email?", which names no contact detail of the customer's.
func (m Message) Rectify() (field string, ok bool) {
	w := m.Words()
	var own, verb, email, phone bool
	for i, x := range w {
		next := func(s string) bool { return i+1 < len(w) && w[i+1] == s }
		switch {
		case ownWords[x]:
			own = true
		case rectifyVerbs[x], rectifyWrong[x]:
			verb = true
		case x == "out" && next("of") && i+2 < len(w) && w[i+2] == "date":
			verb = true
		case emailWords[x], x == "e" && next("mail"):
			email = true
		case phoneWords[x]:
			phone = true
		}
	}
	switch {
	case !own || !verb:
		return "", false
	case email:
		return RectifyEmail, true
	case phone:
		return RectifyPhone, true
	}
	return "", false
}
