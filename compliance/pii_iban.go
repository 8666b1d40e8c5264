package compliance

// ibanLengths is the IBAN length per country (SWIFT IBAN registry).
func ibanLength(cc string) int {
	switch cc {
	case "NO":
		return 15
	case "BE":
		return 16
	case "DK", "FI", "FO", "GL", "NL":
		return 18
	case "MK", "SI":
		return 19
	case "AT", "BA", "EE", "KZ", "LT", "LU", "XK":
		return 20
	case "CH", "CR", "HR", "LI", "LV":
		return 21
	case "BG", "BH", "DE", "GB", "GE", "IE", "ME", "RS", "VA":
		return 22
	case "AE", "GI", "IL", "IQ", "TL":
		return 23
	case "AD", "CZ", "ES", "MD", "PK", "RO", "SA", "SE", "SK", "TN", "VG":
		return 24
	case "PT", "ST":
		return 25
	case "IS", "TR":
		return 26
	case "FR", "GR", "IT", "MC", "MR", "SM":
		return 27
	case "AL", "AZ", "BY", "CY", "DO", "GT", "HU", "LB", "PL", "SV":
		return 28
	case "BR", "EG", "PS", "QA", "UA":
		return 29
	case "JO", "KW", "MU":
		return 30
	case "MT", "SC":
		return 31
	case "LC":
		return 32
	}
	return 0
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// findIBANs finds country code + 2 check digits + BBAN, written with or
// without single spaces, of the country's length and valid under ISO 7064
// mod 97-10.
func findIBANs(text string, out []Finding) []Finding {
	for i := 0; i+4 <= len(text); i++ {
		if !isASCIILetter(text[i]) || !isASCIILetter(text[i+1]) || !isDigit(text[i+2]) || !isDigit(text[i+3]) {
			continue
		}
		if !boundaryBefore(text, i) {
			continue
		}
		want := ibanLength(string([]byte{upper(text[i]), upper(text[i+1])}))
		if want == 0 {
			continue
		}
		var compact [34]byte
		n, j := 0, i
		for j < len(text) && n < want {
			c := text[j]
			switch {
			case isDigit(c) || isASCIILetter(c):
				compact[n] = upper(c)
				n++
				j++
			case c == ' ' && n >= 4 && j+1 < len(text) && (isDigit(text[j+1]) || isASCIILetter(text[j+1])):
				j++
			default:
				goto done
			}
		}
	done:
		if n != want || !boundaryAfter(text, j) || !ibanValid(compact[:n]) {
			continue
		}
		out = append(out, Finding{Kind: KindIBAN, Start: i, End: j, Text: text[i:j]})
		i = j
	}
	return out
}

func ibanValid(iban []byte) bool {
	// Move the first four characters to the end, letters become 10..35,
	// and the whole number mod 97 must be 1.
	rem := 0
	add := func(c byte) bool {
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			v := int(c-'A') + 10
			rem = (rem*100 + v) % 97
		default:
			return false
		}
		return true
	}
	for _, c := range iban[4:] {
		if !add(c) {
			return false
		}
	}
	for _, c := range iban[:4] {
		if !add(c) {
			return false
		}
	}
	return rem == 1
}
