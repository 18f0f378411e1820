package health_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/internal/validate"
)

// level scores an account so that every measure of smallSpec, and so the
// overall score, equals l.
func level(t *testing.T, sc *health.Scorecard, account valuepath.AccountID, day int, l float64) *health.Score {
	t.Helper()
	s := snap(t, map[valuepath.Metric]float64{"logins": l, "util": l / 100, "cases": 10 - l/10})
	s.Account, s.AsOf = account, asOf.AddDate(0, 0, day)
	return score(t, sc, s)
}

func TestDistribution(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	var scores []*health.Score
	for i, l := range []float64{60, 10, 95, 30, 55, 80} {
		scores = append(scores, level(t, sc, valuepath.AccountID(rune('a'+i)), 0, l))
	}
	scores = append(scores, score(t, sc, snap(t, nil))) // no data: not present
	d, err := sc.Distribution(scores, health.DistributionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var hist []int
	for _, b := range d.Histogram {
		hist = append(hist, b.Count)
	}
	type view struct {
		Count, Unavailable int
		Mean, Median       valuepath.Number
		Hist               []int
		Bands              []health.BandCount
		AtRisk, Advocates  health.Tail
		P90                valuepath.Number
	}
	got := view{d.Count, d.Unavailable, d.Mean, d.Median, hist, d.Bands, d.AtRisk, d.Advocates, d.Percentiles[4].Value}
	third := valuepath.Defined(1.0 / 3)
	want := view{Count: 6, Unavailable: 1, Mean: valuepath.Defined(55), Median: valuepath.Defined(57.5), Hist: []int{0, 1, 0, 1, 0, 1, 1, 0, 1, 1},
		Bands:     []health.BandCount{{Band: health.Red, Count: 2, Share: third}, {Band: health.Yellow, Count: 2, Share: third}, {Band: health.Green, Count: 2, Share: third}},
		AtRisk:    health.Tail{By: "band", Band: health.Red, Bound: valuepath.Defined(30), Count: 2, Share: third, Accounts: []valuepath.AccountID{"b", "d"}},
		Advocates: health.Tail{By: "band", Band: health.Green, Bound: valuepath.Defined(80), Count: 2, Share: third, Accounts: []valuepath.AccountID{"c", "f"}},
		P90:       valuepath.Defined(87.5),
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("distribution (-want +got):\n%s", diff)
	}
	p, err := sc.Distribution(scores, health.DistributionOptions{TailShare: 0.2, Bins: 4})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]valuepath.AccountID{"b", "d"}, p.AtRisk.Accounts); diff != "" || p.AtRisk.By != "percentile" || len(p.Histogram) != 4 {
		t.Errorf("percentile tail: %v %s %d bins", p.AtRisk.Accounts, p.AtRisk.By, len(p.Histogram))
	}

	var later []*health.Score
	for i, l := range []float64{65, 15, 100, 35, 60, 85} {
		later = append(later, level(t, sc, valuepath.AccountID(rune('a'+i)), 90, l))
	}
	d2, _ := sc.Distribution(later, health.DistributionOptions{})
	shift, err := health.Compare(d, d2)
	if err != nil {
		t.Fatal(err)
	}
	if shift.Moved != "right" || math.Abs(shift.Mean.Delta.Value-5) > 1e-9 || shift.AtRiskShare.Delta != valuepath.Defined(0) {
		t.Errorf("shift: moved %s, mean %+v, at-risk %+v", shift.Moved, shift.Mean, shift.AtRiskShare)
	}
	if _, err := health.Compare(nil, d2); err == nil {
		t.Error("Compare(nil) succeeded")
	}
	if _, err := sc.Distribution(scores, health.DistributionOptions{Bins: -1, TailShare: 0.9}); len(validate.Paths(err)) != 2 {
		t.Errorf("bad options: %v", err)
	}

	t.Run("nothing present", func(t *testing.T) {
		empty, err := sc.Distribution([]*health.Score{score(t, sc, snap(t, nil))}, health.DistributionOptions{Bins: 2})
		require.NoError(t, err)
		assert.Equal(t, 0, empty.Count)
		assert.Equal(t, 1, empty.Unavailable)
		absent := valuepath.Absent("no score present")
		for _, n := range []valuepath.Number{empty.Mean, empty.Median, empty.Percentiles[0].Value, empty.Histogram[0].Share, empty.Bands[0].Share, empty.AtRisk.Share} {
			assert.Equal(t, absent, n)
		}
		assert.False(t, empty.AtRisk.Bound.Present)
		shift, err := health.Compare(empty, d)
		require.NoError(t, err)
		assert.Equal(t, "unknown", shift.Moved)
		assert.False(t, shift.Mean.Delta.Present)
		assert.Equal(t, d.Mean, shift.Mean.To)
	})
}

// TestDistributionDuplicateAccount: an account given twice would be counted
// twice in every statistic; it is an error naming both indexes.
func TestDistributionDuplicateAccount(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	a := level(t, sc, "a", 0, 60)
	b := level(t, sc, "b", 0, 10)
	_, err := sc.Distribution([]*health.Score{a, b, a, level(t, sc, "a", 30, 90)}, health.DistributionOptions{})
	require.ErrorIs(t, err, valuepath.ErrDuplicate)
	assert.Equal(t, []string{"scores[2].account", "scores[3].account"}, validate.Paths(err))
	assert.Contains(t, err.Error(), `account "a" is also scores[0]`)
}
