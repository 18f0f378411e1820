package health_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

var asOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// linear scores 0 at lo and 100 at hi.
func linear(lo, hi float64) health.Scheme {
	return health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: lo, Score: 0}, {Value: hi, Score: 100}}}
}

// smallSpec: two groups.
//
//	usage (weight 3): logins (1, 0..100), seats (1, 0..1)
//	relationship (weight 1): cases (lower is better, 10..0)
func smallSpec() health.ScorecardSpec {
	return health.ScorecardSpec{
		Name: "small",
		Groups: []health.Group{
			{ID: "usage", Weight: 3, Measures: []health.Measure{
				{ID: "logins", Metric: "logins", Weight: 1, Scheme: linear(0, 100), Timing: health.Leading, Scope: health.Generic},
				{ID: "seats", Metric: "util", Weight: 1, Scheme: linear(0, 1)},
			}},
			{ID: "relationship", Weight: 1, Measures: []health.Measure{
				{ID: "cases", Metric: "cases", Weight: 1, Direction: valuepath.LowerIsBetter, Scheme: health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 0, Score: 100}, {Value: 10, Score: 0}}}},
			}},
		},
	}
}

// universe holds every metric the tests' scorecards read. snap puts them
// all in its schema, so that a metric left out of values is missing from
// the snapshot, not unknown to its schema.
var universe = []valuepath.Metric{"logins", "util", "cases", "sponsor_days", "w", "x", "y", "z",
	"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11"}

// snap returns a snapshot of acct-1 as of asOf with values, on a schema of
// the universe and the keys of values.
func snap(t testing.TB, values map[valuepath.Metric]float64) *valuepath.Snapshot {
	t.Helper()
	names := slices.Clone(universe)
	for _, m := range slices.Sorted(maps.Keys(values)) {
		if !slices.Contains(names, m) {
			names = append(names, m)
		}
	}
	s := valuepath.NewSnapshot(valuepath.Must(valuepath.NewSchema(names...)), "acct-1", asOf)
	for m, v := range values {
		require.NoError(t, s.Set(m, v))
	}
	return s
}

// score scores s with sc and fails the test on an error.
func score(t testing.TB, sc *health.Scorecard, s *valuepath.Snapshot) *health.Score {
	t.Helper()
	out, err := sc.Score(s)
	require.NoError(t, err)
	return out
}

// benchSpec: 12 measures in 3 groups, all thresholds with three points.
func benchSpec() (health.ScorecardSpec, []valuepath.Metric) {
	var metrics []valuepath.Metric
	spec := health.ScorecardSpec{Name: "bench"}
	for g, gw := range []float64{0.5, 0.3, 0.2} {
		grp := health.Group{ID: fmt.Sprintf("g%d", g), Weight: gw}
		for k := range 4 {
			m := valuepath.Metric(fmt.Sprintf("m%d", g*4+k))
			metrics = append(metrics, m)
			grp.Measures = append(grp.Measures, health.Measure{
				ID: string(m), Metric: m, Weight: float64(k + 1),
				Scheme: health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 0, Score: 0}, {Value: 50, Score: 60}, {Value: 100, Score: 100}}},
			})
		}
		spec.Groups = append(spec.Groups, grp)
	}
	return spec, metrics
}

// summarize returns the summary of s through SummarizeAll, failing the test
// on an error.
func summarize(t testing.TB, sc *health.Scorecard, s *valuepath.Snapshot) health.Summary {
	t.Helper()
	for sum, err := range sc.SummarizeAll(func(yield func(*valuepath.Snapshot) bool) { yield(s) }, valuepath.BatchOptions{Concurrency: 1}) {
		require.NoError(t, err)
		return *sum
	}
	t.Fatal("SummarizeAll yielded nothing")
	return health.Summary{}
}
