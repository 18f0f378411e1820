package health_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

// TestSummariesMatchScores checks that the summary path and the explained
// path agree on every policy, scheme and rule, over random snapshots.
func TestSummariesMatchScores(t *testing.T) {
	spec, metrics := benchSpec()
	g := &spec.Groups[1]
	g.Measures[0].Missing = health.MissingNeutral
	g.Measures[1].Missing = health.MissingWorst
	g.Measures[2].Scheme = health.Scheme{Kind: health.Steps, Points: []health.Point{{Value: 0, Score: 10}, {Value: 40, Score: 70}, {Value: 90, Score: 95}}}
	g.Measures[3].Scheme = health.Scheme{Kind: health.Categories, Categories: []health.Category{{Value: 1, Score: 20}, {Value: 2, Score: 90}}}
	spec.Groups[2].Groups = []health.Group{{ID: "nested", Weight: 2, Measures: []health.Measure{{ID: "n", Metric: "m0", Weight: 1, Direction: valuepath.LowerIsBetter,
		Scheme: health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 0, Score: 100}, {Value: 100, Score: 0}}}}}}}
	spec.Rules = []health.Rule{
		{ID: "cap", Reason: "m1 low", Metric: "m1", Op: valuepath.Below, Value: 20, Cap: health.Yellow},
		{ID: "floor", Reason: "m2 high", Metric: "m2", Op: valuepath.AtLeast, Value: 110, Floor: health.Yellow},
	}
	required := spec
	required.Groups = slices.Clone(spec.Groups)
	required.Groups[0].Measures = slices.Clone(spec.Groups[0].Measures)
	required.Groups[0].Measures[0].Missing = health.MissingUnavailable
	schema := valuepath.Must(valuepath.NewSchema(metrics...))
	r := rand.New(rand.NewPCG(11, 12))
	for _, sp := range []health.ScorecardSpec{spec, required} {
		sc := valuepath.Must(health.NewScorecard(sp))
		var snaps []*valuepath.Snapshot
		for range 500 {
			s := valuepath.NewSnapshot(schema, "a", asOf)
			for j := range metrics {
				switch r.IntN(6) {
				case 0: // missing
				case 1:
					_ = s.SetAt(j, float64(r.IntN(3)))
				default:
					_ = s.SetAt(j, r.Float64()*130-10)
				}
			}
			snaps = append(snaps, s)
		}
		i := 0
		for got, err := range sc.SummarizeAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 1}) {
			require.NoError(t, err)
			full := score(t, sc, snaps[i])
			want := health.Summary{Account: full.Account, AsOf: full.AsOf, Present: full.Present, Reason: full.Reason, Value: full.Value,
				Band: full.Band, DataBand: full.DataBand, Coverage: full.Coverage, Rules: len(full.Rules)}
			if diff := cmp.Diff(want, *got, approx); diff != "" {
				t.Fatalf("snapshot %d: summary differs from score (-score +summary):\n%s", i, diff)
			}
			i++
		}
		if i != len(snaps) {
			t.Fatalf("yielded %d summaries for %d snapshots", i, len(snaps))
		}
	}
}

// TestBatchesDoNotAllocatePerAccount streams 1,000 snapshots through each
// batch: the allocations of a whole stream (its scratch space) must not
// grow with the accounts.
func TestBatchesDoNotAllocatePerAccount(t *testing.T) {
	spec, metrics := benchSpec()
	sc := valuepath.Must(health.NewScorecard(spec))
	sn := valuepath.NewSnapshot(valuepath.Must(valuepath.NewSchema(metrics...)), "a", asOf)
	for i := range metrics {
		_ = sn.SetAt(i, float64(i*9))
	}
	snaps := func(yield func(*valuepath.Snapshot) bool) {
		for range 1000 {
			if !yield(sn) {
				return
			}
		}
	}
	summaries := testing.AllocsPerRun(10, func() {
		for s, err := range sc.SummarizeAll(snaps, valuepath.BatchOptions{Concurrency: 1}) {
			if err == nil {
				sink += s.Value
			}
		}
	})
	scores := testing.AllocsPerRun(10, func() {
		for s, err := range sc.ScoreAll(snaps, valuepath.BatchOptions{Concurrency: 1}) {
			if err == nil {
				sink += s.Value
			}
		}
	})
	assert.LessOrEqual(t, summaries, 10.0, "SummarizeAll allocations per stream of 1,000")
	assert.LessOrEqual(t, scores, 10.0, "ScoreAll allocations per stream of 1,000")
}

// TestConcurrentSchemas scores snapshots of two schemas from several
// goroutines at once: the binding cache must stay correct (run with -race).
func TestConcurrentSchemas(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	a := snap(t, map[valuepath.Metric]float64{"logins": 80, "util": 0.6, "cases": 2})
	b := snap(t, map[valuepath.Metric]float64{"cases": 2, "logins": 80, "util": 0.6, "zzz": 1})
	want := score(t, sc, a).Value
	done := make(chan float64)
	for g := range 4 {
		go func() {
			bad := 0.0
			for i := range 200 {
				s := a
				if (i+g)%2 == 0 {
					s = b
				}
				if v, err := sc.Score(s); err != nil || v.Value != want {
					bad = -1
				}
				for v, err := range sc.SummarizeAll(slices.Values([]*valuepath.Snapshot{s}), valuepath.BatchOptions{Concurrency: 1}) {
					if err != nil || v.Value != want {
						bad = -1
					}
				}
			}
			done <- bad
		}()
	}
	for range 4 {
		if bad := <-done; bad != 0 {
			t.Errorf("got %v, want %v", bad, want)
		}
	}
}

func TestStreamsStopEarly(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	snaps := []*valuepath.Snapshot{
		snap(t, map[valuepath.Metric]float64{"logins": 10}),
		snap(t, map[valuepath.Metric]float64{"logins": 20}),
		snap(t, map[valuepath.Metric]float64{"logins": 30}),
	}
	var got []float64
	for s, err := range sc.ScoreAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 1}) {
		require.NoError(t, err)
		got = append(got, s.Value)
		if len(got) == 2 {
			break
		}
	}
	for s, err := range sc.SummarizeAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 1}) {
		require.NoError(t, err)
		got = append(got, s.Value)
		break
	}
	if diff := cmp.Diff([]float64{10, 20, 10}, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}
