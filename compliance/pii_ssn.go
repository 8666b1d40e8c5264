package compliance

// findSSNs finds ddd-dd-dddd outside the never-issued ranges (area 000, 666
// or 9xx, group 00, serial 0000).
func findSSNs(text string, out []Finding) []Finding {
	for i := 0; i+11 <= len(text); i++ {
		if !isDigit(text[i]) || !boundaryBefore(text, i) {
			continue
		}
		s := text[i : i+11]
		if !allDigits(s[0:3]) || s[3] != '-' || !allDigits(s[4:6]) || s[6] != '-' || !allDigits(s[7:11]) {
			continue
		}
		if !boundaryAfter(text, i+11) || (i+12 < len(text) && text[i+11] == '-' && isDigit(text[i+12])) {
			continue
		}
		if i > 1 && text[i-1] == '-' && isDigit(text[i-2]) {
			continue
		}
		area, group, serial := s[0:3], s[4:6], s[7:11]
		if area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000" {
			continue
		}
		out = append(out, Finding{Kind: KindSSN, Start: i, End: i + 11, Text: s})
		i += 10
	}
	return out
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
