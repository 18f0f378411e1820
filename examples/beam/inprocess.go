package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/health/backtest"
)

// inProcess scores the population in one process with the library's batch
// path — Derivations.EvaluateAll, Scorecard.SummarizeAll and ScoreAll,
// Assessor.AssessAll, Scorecard.Distribution and backtest.AUC — reading
// through p. It is what the pipeline must agree with.
func inProcess(ctx context.Context, m Models, p valuepath.Provider, pop []AccountRow, asOf time.Time) ([]Result, *BaseStats, error) {
	c, err := m.compile()
	if err != nil {
		return nil, nil, err
	}
	churned := make(map[valuepath.AccountID]bool, len(pop))
	for _, r := range pop {
		churned[r.Account] = r.Churned
	}
	ids := slices.Sorted(maps.Keys(churned))
	snaps := make([]*valuepath.Snapshot, 0, len(ids))
	for s, err := range c.derivations.EvaluateAll(ctx, p, slices.Values(ids), asOf, valuepath.BatchOptions{}) {
		if err != nil {
			return nil, nil, err
		}
		snaps = append(snaps, s.Clone())
	}
	results := make([]Result, len(snaps))
	i := 0
	for sum, err := range c.scorecard.SummarizeAll(slices.Values(snaps), valuepath.BatchOptions{InPlace: true}) {
		if err != nil {
			return nil, nil, err
		}
		results[i] = Result{Account: sum.Account, Health: *sum, Churned: churned[sum.Account]}
		i++
	}
	i = 0
	for a, err := range c.assessor.AssessAll(slices.Values(snaps), valuepath.BatchOptions{InPlace: true}) {
		if err != nil {
			return nil, nil, err
		}
		if a.Account != results[i].Account {
			return nil, nil, fmt.Errorf("assessment %d is of %q, want %q", i, a.Account, results[i].Account)
		}
		results[i].Effectiveness = Placement{Level: a.Level, Phase: a.Phase, Next: a.Next.Level, Progress: a.Next.Progress}
		i++
	}
	scores := make([]*health.Score, 0, len(snaps))
	for s, err := range c.scorecard.ScoreAll(slices.Values(snaps), valuepath.BatchOptions{InPlace: true}) {
		if err != nil {
			return nil, nil, err
		}
		scores = append(scores, s.Clone())
	}
	dist, err := c.scorecard.Distribution(scores, health.DistributionOptions{})
	if err != nil {
		return nil, nil, err
	}
	st := &BaseStats{Accounts: len(scores), Count: dist.Count, Unavailable: dist.Unavailable, Bands: dist.Bands, Percentiles: dist.Percentiles}
	var values []float64
	var outcomes []bool
	for _, s := range scores {
		if s.Present {
			values = append(values, s.Value)
			outcomes = append(outcomes, churned[s.Account])
			if churned[s.Account] {
				st.Churned++
			} else {
				st.Retained++
			}
		}
	}
	if st.AUC, err = backtest.AUC(values, outcomes); err != nil {
		return nil, nil, err
	}
	return results, st, nil
}
