package features

// extraStepDefs are the phrases kept outside steps.go: answer quality
// (quality_steps.go), paraphrase lists (phrasings.go) and the finer
// checks of more_steps.go.
func extraStepDefs() []stepDef {
	var out []stepDef
	for _, defs := range [][]stepDef{moreStepDefs(), confidenceStepDefs(), offlineStepDefs(), hoursStepDefs(), handoverReasonStepDefs(), qualityStepDefs(), phrasingStepDefs(), operatorStepDefs(), languageStepDefs(), frameStepDefs()} {
		out = append(out, defs...)
	}
	return out
}
