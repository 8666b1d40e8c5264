package kb

import (
	"context"
	"math"
)

// bm25Candidates is how many articles the text index proposes per query.
const bm25Candidates = 20

// DefaultThreshold is the confidence below which the bot says it cannot
// confirm an answer and offers a person.
const DefaultThreshold = 0.5

// intentModel turns text-index candidates into ranked hits with a
// confidence.
type intentModel struct{}

func loadOrTrainModel(ctx context.Context, dir string, arts []*Article) (*intentModel, bool, error) {
	return &intentModel{}, false, ctx.Err()
}

func (m *intentModel) rank(query string, toks []string, cands []bm25Hit, byID map[string]*Article) []ranked {
	out := make([]ranked, 0, len(cands))
	var z float64
	for _, c := range cands {
		if _, ok := byID[c.id]; !ok {
			continue
		}
		out = append(out, ranked{id: c.id, score: c.score})
	}
	sortRanked(out)
	if len(out) == 0 {
		return out
	}
	top := out[0].score
	for _, r := range out {
		z += math.Exp(r.score - top)
	}
	for i := range out {
		out[i].conf = math.Exp(out[i].score-top) / z
	}
	return out
}
