package compliance

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// kinds renders findings as "kind:text" for compact comparison.
func kinds(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f.Kind) + ":" + f.Text
	}
	return out
}

// TestFindPositives checks each real-world format is found with the exact
// matched text (MIN-1, MIN-2, PCI-1, PCI-2).
func TestFindPositives(t *testing.T) {
	d := NewDetector(nil)
	tests := []struct {
		text string
		kind Kind
		want string
	}{
		// e-mail
		{"write to jane.doe@example.com please", KindEmail, "jane.doe@example.com"},
		{"my mail: Jane.Doe+orders@Mail.Example.CO.UK.", KindEmail, "Jane.Doe+orders@Mail.Example.CO.UK"},
		{"(bob_smith-1@sub.domain.io)", KindEmail, "bob_smith-1@sub.domain.io"},
		{"mailto:x@y.de", KindEmail, "x@y.de"},
		{"ADDRESS: JOHN@EXAMPLE.ORG", KindEmail, "JOHN@EXAMPLE.ORG"},
		{"email is o'connor@example.ie, thanks", KindEmail, "o'connor@example.ie"},
		{"schreib an jürgen.müller@müller-shop.de bitte", KindEmail, "jürgen.müller@müller-shop.de"},
		{"«anna@example.fr»", KindEmail, "anna@example.fr"},
		{"first.last@a-b.example.museum", KindEmail, "first.last@a-b.example.museum"},
		// phone, international
		{"call +44 20 7946 0958 today", KindPhone, "+44 20 7946 0958"},
		{"US: +1 (415) 555-0123", KindPhone, "+1 (415) 555-0123"},
		{"ring 0044 20 7946 0958", KindPhone, "0044 20 7946 0958"},
		{"Berlin +49 30 1234567", KindPhone, "+49 30 1234567"},
		{"+33 6 12 34 56 78 is my mobile", KindPhone, "+33 6 12 34 56 78"},
		{"+442079460958", KindPhone, "+442079460958"},
		{"+44 (0)20 7946 0958", KindPhone, "+44 (0)20 7946 0958"},
		{"+1-415-555-0123", KindPhone, "+1-415-555-0123"},
		// phone, national
		{"phone 020 7946 0958", KindPhone, "020 7946 0958"},
		{"(415) 555-0123 is my cell", KindPhone, "(415) 555-0123"},
		{"reach me at 415-555-0123.", KindPhone, "415-555-0123"},
		{"415.555.0123", KindPhone, "415.555.0123"},
		{"1-800-555-0199", KindPhone, "1-800-555-0199"},
		{"portable 06 12 34 56 78", KindPhone, "06 12 34 56 78"},
		{"Festnetz 030 1234567", KindPhone, "030 1234567"},
		{"Tel. 030/1234567", KindPhone, "030/1234567"},
		{"Handy 0171-1234567", KindPhone, "0171-1234567"},
		{"mobile 07700900123", KindPhone, "07700900123"},
		{"+49 (0)30 1234567", KindPhone, "+49 (0)30 1234567"},
		{"+1 415 555 0123", KindPhone, "+1 415 555 0123"},
		{"freephone 0800 123 4567", KindPhone, "0800 123 4567"},
		{"+44 7700 900123", KindPhone, "+44 7700 900123"},
		{"07700 900123", KindPhone, "07700 900123"},
		{"(020) 7946 0958", KindPhone, "(020) 7946 0958"},
		{"+91 98765 43210", KindPhone, "+91 98765 43210"},
		{"+86 138 0013 8000", KindPhone, "+86 138 0013 8000"},
		{"1 (415) 555-0123", KindPhone, "1 (415) 555-0123"},
		{"06.12.34.56.78", KindPhone, "06.12.34.56.78"},
		{"+33 1 23 45 67 89", KindPhone, "+33 1 23 45 67 89"},
		{"+34 612 34 56 78", KindPhone, "+34 612 34 56 78"},
		// card (PCI-1)
		{"card 4111 1111 1111 1111 exp 12/28", KindCard, "4111 1111 1111 1111"},
		{"4111111111111111", KindCard, "4111111111111111"},
		{"pay with 5555-5555-5555-4444!", KindCard, "5555-5555-5555-4444"},
		{"amex 3782 822463 10005", KindCard, "3782 822463 10005"},
		{"amex 371449635398431", KindCard, "371449635398431"},
		{"diners 3056 930902 5904", KindCard, "3056 930902 5904"},
		{"discover 6011111111111117.", KindCard, "6011111111111117"},
		{"visa13 4222222222222", KindCard, "4222222222222"},
		{"4242424242424242 12/28", KindCard, "4242424242424242"},
		{"4111.1111.1111.1111", KindCard, "4111.1111.1111.1111"},
		{"jcb 3530111333300000", KindCard, "3530111333300000"},
		{"mc 2223003122003222", KindCard, "2223003122003222"},
		// IBAN
		{"IBAN DE89 3704 0044 0532 0130 00 ok", KindIBAN, "DE89 3704 0044 0532 0130 00"},
		{"DE89370400440532013000", KindIBAN, "DE89370400440532013000"},
		{"GB82 WEST 1234 5698 7654 32", KindIBAN, "GB82 WEST 1234 5698 7654 32"},
		{"fr14 2004 1010 0505 0001 3m02 606", KindIBAN, "fr14 2004 1010 0505 0001 3m02 606"},
		{"NL91ABNA0417164300.", KindIBAN, "NL91ABNA0417164300"},
		{"ES91 2100 0418 4502 0005 1332", KindIBAN, "ES91 2100 0418 4502 0005 1332"},
		{"BE68539007547034", KindIBAN, "BE68539007547034"},
		{"NO9386011117947", KindIBAN, "NO9386011117947"},
		// SSN
		{"ssn 123-45-6789", KindSSN, "123-45-6789"},
		{"SSN: 078-05-1120.", KindSSN, "078-05-1120"},
		// CVV (PCI-2)
		{"the cvv is 123", KindCVV, "123"},
		{"CVC: 4321", KindCVV, "4321"},
		{"security code 987", KindCVV, "987"},
		{"cvv2=555", KindCVV, "555"},
		{"Prüfnummer ist 321", KindCVV, "321"},
		// health (MIN-2)
		{"I was diagnosed with diabetes last year", KindHealth, "diagnosed"},
		{"I'm PREGNANT, can I use this?", KindHealth, "PREGNANT"},
		{"I have HIV", KindHealth, "HIV"},
		{"after my surgery I need help", KindHealth, "surgery"},
		{"my allergies are bad", KindHealth, "allergies"},
		{"she has a heart attack history", KindHealth, "heart attack"},
		{"Ich bin schwanger", KindHealth, "schwanger"},
		{"j'ai une dépression", KindHealth, "dépression"},
		{"tengo cáncer", KindHealth, "cáncer"},
		{"my mental health is poor", KindHealth, "mental health"},
		// care and injuries (MIN-2): the security review's "went to hospital"
		{"I had an allergic reaction and went to hospital", KindHealth, "hospital"},
		{"I had an allergic reaction and went to hospital", KindHealth, "allergic reaction"},
		{"two hospitals later", KindHealth, "hospitals"},
		{"I was hospitalised for a week", KindHealth, "hospitalised"},
		{"he was Hospitalized", KindHealth, "Hospitalized"},
		{"ended up in the emergency room", KindHealth, "emergency room"},
		{"anaphylactic shock from the snack bar", KindHealth, "anaphylactic"},
		{"the buckle caused an injury", KindHealth, "injury"},
		{"I injured my back lifting it", KindHealth, "injured"},
		{"I burned myself on the stove", KindHealth, "burned myself"},
		{"Ich war im Krankenhaus", KindHealth, "Krankenhaus"},
		{"je suis allé à l'hôpital", KindHealth, "hôpital"},
		{"fui al hospital ayer", KindHealth, "hospital"},
		// skin and scalp (MIN-2): a salon trial stored these word for word
		{"I have eczema, do I need a patch test?", KindHealth, "eczema"},
		{"I'm pregnant and asthmatic, is the waiting room busy?", KindHealth, "asthmatic"},
		{"I have been vomiting since I handled the worming tablets", KindHealth, "vomiting"},
		{"I have alopecia", KindHealth, "alopecia"},
		{"I take methotrexate for psoriasis", KindHealth, "methotrexate"},
		{"I take methotrexate for psoriasis", KindHealth, "psoriasis"},
		{"I came up in a rash after the colour", KindHealth, "rash"},
		{"my scalp is itchy and burning", KindHealth, "scalp is itchy"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			fs := d.Find(tc.text)
			for _, f := range fs {
				if f.Kind == tc.kind && f.Text == tc.want {
					return
				}
			}
			t.Errorf("Find(%q) = %v, want %s:%s", tc.text, kinds(fs), tc.kind, tc.want)
		})
	}
}

// TestFindLookAlikes checks that things that merely look like personal data
// are left alone, so redaction does not destroy order numbers, dates or
// prices the bot needs.
func TestFindLookAlikes(t *testing.T) {
	d := NewDetector(nil)
	texts := []string{
		"where is order #A-10023?",
		"order 12345678 has not arrived",
		"order number: 0123456789",
		"invoice 0207946095 is wrong",
		"delivered on 2026-11-24",
		"delivered on 24/11/2026",
		"delivered on 24.11.2026",
		"delivered on 01.02.2026",
		"meeting at 10:30 or 14:45",
		"it costs €1,299.00",
		"it costs 19.99",
		"it costs $1 234,50",
		"price 1.299,00 EUR",
		"version 1.61.1 and 10.0.19045.2965",
		"firmware v2.14.5",
		"card 4111 1111 1111 1112 fails Luhn",
		"4111111111111112",
		"postcode 10115 Berlin, SW1A 1AA London, 75008 Paris, 01067 Dresden",
		"I want 3 x 500 ml and 2 pairs size 42",
		"tracking 1Z999AA10123456784",
		"server 192.168.100.200",
		"ssn 000-12-3456 and 666-12-3456 and 912-34-5678 and 123-00-4567 and 123-45-0000",
		"DE89 3704 0044 0532 0130 01",
		"my email is jane at example dot com",
		"user@localhost",
		"a@b.c",
		"between 2020-2026 we sold 15000 units",
		"call me between 9 and 5",
		"size 10 1/2",
		"12345678901234567890123",
		"the security code was wrong",
		"SKU 5012345678900",
		"I take my medicine cabinet",
		"ISBN 978-3-16-148410-0",
		"amazon order 302-1234567-1234567",
		"ships in 20-30 days, 2-3 per box",
		"table 120x60x75 cm, 1,000,000 units",
		"on 24.11.2026 10:30 and 24. 11. 2026",
		"tracking 00340434161094042557",
		"10.30 - 11.45",
		"2+2=4 and 3*7=21",
		"std shipping, medicine ball, golf handicap 12, please diagnose the problem",
		"my size is 38/40 and colour 0404",
		"call me at 555",
		"price 1 299,00 € or 1.299 EUR",
		"room 101, floor 3, gate 12B",
		"the Sicherheitscode of my bike lock",
		"version 2026.11.24",
		"lot 2026112400123",
		// near "hospital" (MIN-2 must not eat shop words)
		"is the hospitality suite open?",
		"very hospitable staff",
		"how do I make hospital corners with this fitted sheet",
		"Hospital Corners Sheet Set, king size",
		"we sell to the hospitality industry",
	}
	for _, text := range texts {
		t.Run(text, func(t *testing.T) {
			fs := d.Find(text)
			if len(fs) != 0 {
				t.Errorf("Find(%q) = %v, want nothing", text, kinds(fs))
			}
		})
	}
}

func TestFindSeveralSortedNonOverlapping(t *testing.T) {
	d := NewDetector(nil)
	text := "Hi, I'm jane@example.com, +44 20 7946 0958, card 4111-1111-1111-1111 cvv 123, IBAN DE89370400440532013000, I'm pregnant."
	got := kinds(d.Find(text))
	want := []string{
		"email:jane@example.com", "phone:+44 20 7946 0958", "card:4111-1111-1111-1111",
		"cvv:123", "iban:DE89370400440532013000", "health:pregnant",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}

func TestCustomHealthTerms(t *testing.T) {
	d := NewDetector([]string{"Migraine", "sleep apnoea"})
	got := kinds(d.Find("I get migraines and have Sleep Apnoea, but no cancer"))
	want := []string{"health:migraines", "health:Sleep Apnoea"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v (custom list replaces defaults)", got, want)
	}
}

func TestRedact(t *testing.T) {
	d := NewDetector(nil)
	text := "mail jane@example.com or +44 20 7946 0958, card 4111 1111 1111 1111 cvc 123, SSN 123-45-6789, IBAN GB82WEST12345698765432; I have diabetes"
	fs := d.Find(text)

	all := Redact(text, fs, nil)
	wantAll := "mail [email] or [phone], card [card ****1111] cvc [cvv], SSN [ssn], IBAN [iban]; I have [health]"
	if all != wantAll {
		t.Errorf("Redact(nil keep)\n got %q\nwant %q", all, wantAll)
	}

	// MIN-1: with consent for contact details, e-mail and phone are kept.
	// PCI-1, PCI-2, MIN-2: cards, CVVs and health data are never kept even
	// when keep says yes to everything.
	keepAll := Redact(text, fs, func(Kind) bool { return true })
	wantKeep := "mail jane@example.com or +44 20 7946 0958, card [card ****1111] cvc [cvv], SSN 123-45-6789, IBAN GB82WEST12345698765432; I have [health]"
	if keepAll != wantKeep {
		t.Errorf("Redact(keep all)\n got %q\nwant %q", keepAll, wantKeep)
	}
	for _, secret := range []string{"4111", "123 ", "diabetes"} {
		if strings.Contains(strings.ReplaceAll(keepAll, "****1111", ""), secret) && secret != "123 " {
			t.Errorf("PCI-1/MIN-2: %q survived redaction: %q", secret, keepAll)
		}
	}
}

// PCI-2: the placeholder shows only the last four digits.
func TestPlaceholderCardLastFour(t *testing.T) {
	for text, want := range map[string]string{
		"4111 1111 1111 1111": "[card ****1111]",
		"3782 822463 10005":   "[card ****0005]",
		"5555-5555-5555-4444": "[card ****4444]",
	} {
		if got := Placeholder(Finding{Kind: KindCard, Text: text}); got != want {
			t.Errorf("Placeholder(%q) = %q, want %q", text, got, want)
		}
	}
}

// PCI-1: text echoed back or shown to agents has card numbers masked and
// nothing else changed.
func TestMaskCards(t *testing.T) {
	in := "card 4111 1111 1111 1111 for jane@example.com, order 12345678, and 5105105105105100."
	want := "card [card ****1111] for jane@example.com, order 12345678, and [card ****5100]."
	if got := MaskCards(in); got != want {
		t.Errorf("MaskCards\n got %q\nwant %q", got, want)
	}
	if got := MaskCards("no cards here 4111 1111 1111 1112"); got != "no cards here 4111 1111 1111 1112" {
		t.Errorf("MaskCards changed text without a valid card: %q", got)
	}
}

func TestFindingLogValueHidesText(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	f := NewDetector(nil).Find("mail jane@example.com")[0]
	log.Info("found", "finding", f)
	if strings.Contains(buf.String(), "jane") || !strings.Contains(buf.String(), `"kind":"email"`) {
		t.Errorf("log line = %s", buf.String())
	}
}

func TestLuhn(t *testing.T) {
	for s, want := range map[string]bool{
		"4111111111111111": true, "4111111111111112": false, "79927398713": true,
		"0000000000000000": false, "378282246310005": true,
	} {
		if got := luhnValid(s); got != want {
			t.Errorf("luhnValid(%s) = %v", s, got)
		}
	}
}

func checkFindings(t *testing.T, text string, fs []Finding) {
	t.Helper()
	last := 0
	for _, f := range fs {
		if f.Start < last || f.End <= f.Start || f.End > len(text) {
			t.Fatalf("bad offsets %d..%d (prev end %d, len %d) in %q", f.Start, f.End, last, len(text), text)
		}
		if text[f.Start:f.End] != f.Text {
			t.Fatalf("Text %q != text[%d:%d] %q", f.Text, f.Start, f.End, text[f.Start:f.End])
		}
		last = f.End
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"", "+", "(", "@", "a@b.cd", "+44 20 7946 0958", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00",
		"cvv 123", "123-45-6789", "I'm pregnant", "(415) 555-0123", "é@é.é", "\xff\xfe@x.de", "+(((1",
		"1-2-3-4-5-6-7-8-9", "AA00 ", "cvv", "06 12 34 56 78 06 12", "İstanbul diabetes",
	} {
		f.Add(s)
	}
	d := NewDetector(nil)
	f.Fuzz(func(t *testing.T, text string) {
		fs := d.Find(text)
		checkFindings(t, text, fs)
		_ = Redact(text, fs, nil)
		_ = MaskCards(text)
	})
}

func BenchmarkFind(b *testing.B) {
	d := NewDetector(nil)
	text := "Hi, my order 12345678 from 24.11.2026 has not arrived; please mail jane.doe@example.com or call +44 20 7946 0958. It cost €129.00."
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		d.Find(text)
	}
}
