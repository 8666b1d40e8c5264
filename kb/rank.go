package kb

import "sort"

// rank scores query with the model: the classifier's n best candidates,
// refined by BM25 over the same candidates (bm25Blend, normalised by the
// best candidate's) and by their similarity in meaning (semBlend). Scores
// only; confidence comes from calibration. It returns nil when the
// classifier knows no feature of the query.
func (m *intentModel) rank(query string, toks []string, n int) []ranked {
	preds := m.predict(query, n)
	if len(preds) == 0 {
		return nil
	}
	scores := make(map[int32]float64, len(preds))
	cands := make([]int32, len(preds))
	for i, p := range preds {
		scores[p.class] = p.score
		cands[i] = p.class
	}
	if bm25Blend > 0 {
		lex := m.lex.score(toks, cands)
		top := 0.0
		for _, s := range lex {
			top = max(top, s)
		}
		if top > 0 {
			for i, s := range lex {
				scores[cands[i]] += bm25Blend * s / top
			}
		}
	}
	qv := m.sem.vector(query)
	sims := make(map[int32]float64, len(cands))
	for _, c := range cands {
		sims[c] = m.sem.score(qv, c)
		scores[c] += semBlend * sims[c]
	}
	out := make([]ranked, 0, len(scores))
	for c, s := range scores {
		out = append(out, ranked{id: m.ids[c], class: c, score: s, meaning: sims[c]})
	}
	sortRanked(out)
	return out
}

// signal is what confidence is computed from: the article's score and its
// margin over the best other article.
func signalOf(rs []ranked, i int) (score, margin float64) {
	score = rs[i].score
	other := 0.0
	switch {
	case i > 0:
		other = rs[0].score
	case len(rs) > 1:
		other = max(rs[1].score, 0)
	}
	return score, score - other
}

func sortRanked(rs []ranked) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].score != rs[j].score {
			return rs[i].score > rs[j].score
		}
		return rs[i].id < rs[j].id
	})
}
