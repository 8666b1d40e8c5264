package kb

import "strings"

// A question naming a country is not answered by an article about another
// one (ACC-1): "how much is delivery to germany" took "UK delivery times
// and costs" at confidence 0.995, the article sharing "delivery" and the
// question's one other content word being a place it never names. Word
// meanings cannot catch it (countries are near each other), so places are
// known by name: countries, the nations of the UK, and the regions they
// belong to. "china", "turkey", "jersey", "jordan", "georgia" and "chad"
// are left out: they are things and names as often as places.
var placeRegions = func() map[string][]string {
	m := map[string][]string{}
	add := func(region string, names string) {
		for _, n := range strings.Fields(names) {
			n = strings.ReplaceAll(n, "_", " ")
			m[placeKey(n)] = append(m[placeKey(n)], region)
		}
	}
	// The European Union's members are in "eu" and "europe".
	eu := `austria belgium bulgaria croatia cyprus czechia czech_republic denmark estonia finland france germany
		greece hungary ireland italy latvia lithuania luxembourg malta netherlands holland poland portugal
		romania slovakia slovenia spain sweden`
	add("eu", eu)
	add("europe", eu)
	add("europe", `uk britain great_britain united_kingdom england scotland wales northern_ireland norway switzerland
		iceland liechtenstein albania serbia montenegro bosnia macedonia moldova ukraine belarus russia monaco
		andorra gibraltar`)
	add("uk", `england scotland wales northern_ireland britain great_britain united_kingdom`)
	add("america", `usa canada mexico brazil argentina chile peru colombia venezuela ecuador bolivia uruguay paraguay`)
	add("asia", `japan india korea singapore thailand vietnam malaysia indonesia philippines taiwan pakistan
		bangladesh nepal israel uae dubai qatar`)
	add("oceania", `australia new_zealand`)
	add("africa", `south_africa nigeria kenya egypt morocco ghana tunisia`)
	for _, r := range []string{"eu", "europe", "uk", "america", "asia", "oceania", "africa"} {
		if _, ok := m[placeKey(r)]; !ok {
			m[placeKey(r)] = nil
		}
	}
	// Names of one place: an article naming one covers the others.
	for _, names := range [][]string{
		{"uk", "united kingdom", "britain", "great britain"},
		{"usa", "united states", "america"},
		{"eu", "european union"},
		{"europe", "european"},
		{"netherlands", "holland"},
		{"czechia", "czech republic"},
	} {
		for _, n := range names {
			for _, o := range names {
				if o != n {
					m[placeKey(n)] = append(m[placeKey(n)], o)
				}
			}
		}
	}
	return m
}()

// everywhere are words with which an article covers every place.
var everywhere = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"worldwide", "international", "internationally", "abroad", "overseas", "anywhere", "countries", "country"} {
		for _, s := range analyze(w) {
			m[s] = true
		}
	}
	return m
}()

// placeKey is a place's analysed words joined, as questions are analysed.
func placeKey(name string) string { return strings.Join(analyze(name), " ") }

// placesIn returns the places a text (analysed words) names, one- and
// two-word names.
func placesIn(toks []string) []string {
	var out []string
	for i, w := range toks {
		if _, ok := placeRegions[w]; ok {
			out = append(out, w)
		}
		if i+1 < len(toks) {
			if _, ok := placeRegions[w+" "+toks[i+1]]; ok {
				out = append(out, w+" "+toks[i+1])
			}
		}
	}
	return out
}

// otherPlace reports whether the question names places of which the
// article (its analysed words, cover) names none, while it names another
// place: the article speaks of somewhere else. An article naming no place
// ("Delivery takes 3 days") or covering everywhere is not of another
// place.
func otherPlace(asked []string, cover map[string]bool) bool {
	if len(asked) == 0 {
		return false
	}
	named := false
	for w := range cover {
		if everywhere[w] {
			return false
		}
		if _, ok := placeRegions[w]; ok {
			named = true
		}
	}
	if !named {
		return false
	}
	for _, p := range asked {
		if coversPlace(cover, p) {
			return false
		}
	}
	return true
}

// coversPlace: the article names the place or a region it is in.
func coversPlace(cover map[string]bool, p string) bool {
	if coverHas(cover, p) {
		return true
	}
	for _, r := range placeRegions[p] {
		if coverHas(cover, placeKey(r)) {
			return true
		}
	}
	return false
}

// coverHas: every word of a (possibly two-word) analysed name is covered.
func coverHas(cover map[string]bool, key string) bool {
	for _, w := range strings.Fields(key) {
		if !cover[w] {
			return false
		}
	}
	return key != ""
}
