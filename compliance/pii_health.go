package compliance

import (
	"slices"
	"strings"
)

// DefaultHealthTerms is the built-in list of health and medical terms
// (English plus common German, French and Spanish ones) used when
// NewDetector gets no list. Words that are common in a shop context with a
// non-medical meaning (French "enceinte" = loudspeaker; "operation",
// "stroke", "aids", "medicine ball", "std shipping", "diagnose the
// problem", golf "handicap") are left out on purpose: a false positive
// destroys the customer's question, and operators can pass their own list.
func DefaultHealthTerms() []string {
	return []string{
		// English
		"diagnosis", "diagnosed", "diagnoses", "diabetes", "diabetic", "cancer", "tumour", "tumor",
		"chemotherapy", "chemo", "hiv", "hiv positive", "pregnant", "pregnancy", "depression",
		"depressed", "anxiety disorder", "panic attack", "medication", "medications", "prescription",
		"antidepressant", "insulin", "surgery", "allergy", "allergies", "allergic", "asthma",
		"epilepsy", "epileptic", "seizure", "dementia", "alzheimer", "adhd", "autism", "autistic",
		"bipolar", "schizophrenia", "hepatitis", "heart attack", "heart condition", "blood pressure",
		"hypertension", "miscarriage", "abortion", "disability", "chronic illness", "chronic pain",
		"illness", "disease", "multiple sclerosis", "crohn", "coeliac", "celiac", "mental health",
		"eating disorder", "anorexia", "bulimia", "addiction", "rehab", "overdose", "psychiatrist",
		"therapist", "medical condition", "health condition", "covid", "covid 19",
		"ivf", "arthritis", "parkinson", "stroke patient",
		// Care and injuries: where someone was treated says as much about
		// their health as a diagnosis (MIN-2; the escalator's medical
		// topic sends these to a person too).
		"hospital", "hospitalised", "hospitalized", "hospitalisation", "hospitalization",
		"emergency room", "intensive care", "anaphylaxis", "anaphylactic", "allergic reaction",
		"injury", "injuries", "injured", "food poisoning", "hurt myself", "burned myself", "burnt myself",
		// Skin and scalp conditions and reactions, which salons, groomers and
		// cafés hear about. The ranking still sees these words (in memory;
		// conversation.question), so redacting them costs no answer.
		"eczema", "psoriasis", "dermatitis", "alopecia", "rosacea", "lupus", "vitiligo",
		"migraine", "migraines", "rash", "rashes", "hives", "itchy scalp", "sore scalp",
		"burning scalp", "scalp is burning", "scalp is itchy", "skin condition", "skin reaction",
		"had a reaction", "methotrexate", "steroids", "antibiotics", "antihistamine", "antihistamines",
		"epipen", "inhaler", "thyroid", "breastfeeding",
		"asthmatic", "vomiting", "vomited", "nausea", "nauseous", "diarrhoea", "diarrhea",
		// German
		"krebs", "diagnosen", "schwanger", "schwangerschaft", "depressionen", "medikament",
		"medikamente", "allergie", "krankheit", "erkrankung", "behinderung", "zuckerkrankheit",
		"krankenhaus", "notaufnahme",
		// French
		"diabète", "grossesse", "dépression", "médicament", "médicaments",
		"chirurgie", "maladie", "handicapé", "hôpital", "urgences", "blessure", "blessé", "blessée",
		// Spanish ("hospital" is in the English list)
		"diagnóstico", "cáncer", "embarazada", "embarazo", "depresión", "medicamento",
		"medicamentos", "cirugía", "alergia", "enfermedad", "discapacidad", "hospitalizado",
		"hospitalizada", "lesión",
	}
}

// MIN-2: health data is a special category; it is found by term list.
func (d *Detector) findHealth(w words, out []Finding) []Finding {
	if len(d.health) == 0 {
		return out
	}
	folded := w.folded
	for i := 0; i < len(folded); i++ {
		if n := notHealthAt(folded, i); n > 0 {
			i += n - 1
			continue
		}
		for _, seq := range d.health[stemPlural(folded[i], d.health)] {
			if i+len(seq) > len(folded) {
				continue
			}
			ok := true
			for k := 1; k < len(seq); k++ {
				if folded[i+k] != seq[k] && strings.TrimSuffix(folded[i+k], "s") != seq[k] {
					ok = false
					break
				}
			}
			if ok {
				s, e := w.spans[i].start, w.spans[i+len(seq)-1].end
				out = append(out, Finding{Kind: KindHealth, Start: s, End: e, Text: w.text[s:e]})
				i += len(seq) - 1
				break
			}
		}
	}
	return out
}

// notHealth are phrases that begin with a health term but mean something
// else in a shop: "hospital corners" is how a sheet is folded.
var notHealth = [][]string{{"hospital", "corner"}, {"hospital", "corners"}}

// notHealthAt returns the length of a notHealth phrase starting at word i, or 0.
func notHealthAt(folded []string, i int) int {
	for _, p := range notHealth {
		if i+len(p) <= len(folded) && slices.Equal(folded[i:i+len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// stemPlural returns w, or w without a plural "s"/"es" when only that form
// is a known first word.
func stemPlural(w string, known map[string][][]string) string {
	if _, ok := known[w]; ok {
		return w
	}
	if t, ok := strings.CutSuffix(w, "es"); ok {
		if _, ok := known[t]; ok {
			return t
		}
	}
	if t, ok := strings.CutSuffix(w, "s"); ok {
		return t
	}
	return w
}
