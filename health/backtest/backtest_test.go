package backtest_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/health/backtest"
	"github.com/valuepath/valuepath/internal/validate"
)

var (
	asOf   = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	approx = cmpopts.EquateApprox(0, 1e-9)
	schema = valuepath.Must(valuepath.NewSchema("logins", "util", "cases"))
)

// smallSpec: two groups.
//
//	usage (weight 3): logins (1, 0..100), seats (1, 0..1)
//	relationship (weight 1): cases (lower is better, 10..0)
func smallSpec() health.ScorecardSpec {
	linear := func(lo, hi float64) health.Scheme {
		return health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: lo, Score: 0}, {Value: hi, Score: 100}}}
	}
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

// level scores an account so that every measure of smallSpec, and so the
// overall score, equals l.
func level(t *testing.T, sc *health.Scorecard, account valuepath.AccountID, day int, l float64) *health.Score {
	t.Helper()
	s := valuepath.NewSnapshot(schema, account, asOf.AddDate(0, 0, day))
	for i, v := range []float64{l, l / 100, 10 - l/10} {
		require.NoError(t, s.SetAt(i, v))
	}
	out, err := sc.Score(s)
	require.NoError(t, err)
	return out
}

func TestAUC(t *testing.T) {
	tests := []struct {
		name    string
		scores  []float64
		churned []bool
		want    float64
	}{
		{"perfect", []float64{90, 80, 20, 10}, []bool{false, false, true, true}, 1},
		{"reversed", []float64{10, 20, 80, 90}, []bool{false, false, true, true}, 0},
		{"all tied", []float64{5, 5, 5}, []bool{false, true, true}, 0.5},
		// retained 70 beats 60 and ties 70: 1.5 of 2; retained 50 beats none: 0.
		{"ties count half", []float64{70, 50, 60, 70}, []bool{false, false, true, true}, 0.375},
		{"negative scores", []float64{-1, -2}, []bool{false, true}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := backtest.AUC(tt.scores, tt.churned)
			require.NoError(t, err)
			assert.Equal(t, valuepath.Defined(tt.want), got)
		})
	}
	errs := []struct {
		name    string
		scores  []float64
		churned []bool
		is      error
	}{
		{"length mismatch", []float64{1, 2}, []bool{true}, valuepath.ErrInvalid},
		{"NaN", []float64{1, math.NaN()}, []bool{true, false}, valuepath.ErrNotFinite},
		{"Inf", []float64{math.Inf(-1), 2}, []bool{true, false}, valuepath.ErrNotFinite},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := backtest.AUC(tt.scores, tt.churned)
			require.ErrorIs(t, err, tt.is)
		})
	}
	// Without both classes the AUC is undefined: absent, never 0.
	undefined := []struct {
		name    string
		scores  []float64
		churned []bool
		reason  string
	}{
		{"no churned", []float64{1, 2}, []bool{false, false}, "no churned account"},
		{"no retained", []float64{1, 2}, []bool{true, true}, "no retained account"},
		{"empty", nil, nil, "no churned account"},
	}
	for _, tt := range undefined {
		t.Run(tt.name, func(t *testing.T) {
			got, err := backtest.AUC(tt.scores, tt.churned)
			require.NoError(t, err)
			assert.Equal(t, valuepath.Absent(tt.reason), got)
		})
	}
}

// bruteAUC is the definition, in O(n²).
func bruteAUC(scores []float64, churned []bool) float64 {
	var wins, pairs float64
	for i := range scores {
		for j := range scores {
			if churned[i] || !churned[j] {
				continue
			}
			pairs++
			switch {
			case scores[i] > scores[j]:
				wins++
			case scores[i] == scores[j]:
				wins += 0.5
			}
		}
	}
	return wins / pairs
}

func TestAUCMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 2 + r.IntN(200)
		scores, churned := make([]float64, n), make([]bool, n)
		for i := range n {
			scores[i] = float64(r.IntN(20)) // many ties
			churned[i] = r.IntN(3) == 0
		}
		churned[0], churned[1] = true, false
		orig := append([]float64(nil), scores...)
		got, err := backtest.AUC(scores, churned)
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteAUC(scores, churned); !got.Present || math.Abs(got.Value-want) > 1e-12 {
			t.Fatalf("trial %d: AUC = %v, want %v", trial, got, want)
		}
		if diff := cmp.Diff(orig, scores); diff != "" {
			t.Fatalf("AUC modified its input:\n%s", diff)
		}
	}
}

func TestBacktest(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	var hist []*health.Score
	for acct, levels := range map[valuepath.AccountID][]float64{
		"A": {90, 60, 30, 20}, // churns on day 100
		"B": {80, 85, 90, 55}, // stays until day 200
		"C": {50, 40, 45, 10}, // churns on day 60
	} {
		for k, l := range levels {
			hist = append(hist, level(t, sc, acct, 30*k, l))
		}
	}
	day := func(d int) time.Time { return asOf.AddDate(0, 0, d) }
	outcomes := []backtest.Outcome{{Account: "A", Churned: true, At: day(100)}, {Account: "B", At: day(200)}, {Account: "C", Churned: true, At: day(60)}}
	bt, err := backtest.Run(sc, hist, outcomes, backtest.Options{Thresholds: []float64{50, 75}})
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Observations, Churned int
		BaseRate              float64
		AUC, Lift             valuepath.Number
		Thresholds            []backtest.ThresholdStat
		Bands                 []backtest.BandStat
		FirstDecile           backtest.DecileStat
		Warning               backtest.Warning
		MeasureAUC            []valuepath.Number
	}
	got := view{Observations: bt.Observations, Churned: bt.Churned, BaseRate: bt.BaseRate, AUC: bt.AUC, Lift: bt.WorstBandLift,
		Thresholds: bt.Thresholds, Bands: bt.Bands, FirstDecile: bt.Deciles[0], Warning: bt.Warning}
	for _, m := range bt.Measures {
		got.MeasureAUC = append(got.MeasureAUC, m.AUC)
	}
	n := valuepath.Defined
	want := view{Observations: 10, Churned: 5, BaseRate: 0.5, AUC: n(0.96), Lift: n(2),
		Thresholds: []backtest.ThresholdStat{{Threshold: 50, Flagged: 3, Precision: n(1), Recall: 0.6}, {Threshold: 75, Flagged: 6, Precision: n(5.0 / 6), Recall: 1}},
		Bands: []backtest.BandStat{
			{Band: health.Red, Observations: 3, Churned: 3, Rate: n(1), Lift: n(2)},
			{Band: health.Yellow, Observations: 3, Churned: 2, Rate: n(2.0 / 3), Lift: n(4.0 / 3)},
			{Band: health.Green, Observations: 4, Rate: n(0), Lift: n(0)},
		},
		FirstDecile: backtest.DecileStat{Decile: 1, Min: 20, Max: 20, Observations: 1, Churned: 1, Rate: 1},
		Warning: backtest.Warning{ChurnedAccounts: 2, Warned: 2, MedianLeadDays: n(35), Leads: []backtest.LeadStat{
			{Before: valuepath.Days(30), Churners: 2, Below: 2, Share: n(1)},
			{Before: valuepath.Days(60), Churners: 2, Below: 2, Share: n(1)},
			{Before: valuepath.Days(90), Churners: 1, Below: 0, Share: n(0)},
		}},
		MeasureAUC: []valuepath.Number{n(0.96), n(0.96), n(0.96)},
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("backtest (-want +got):\n%s", diff)
	}

	t.Run("errors", func(t *testing.T) {
		otherSpec := smallSpec()
		otherSpec.Name = "other"
		other := level(t, valuepath.Must(health.NewScorecard(otherSpec)), "A", 0, 50)
		bad := append([]*health.Score{nil, other}, hist...)
		_, err := backtest.Run(sc, bad, append(outcomes[:2:2], backtest.Outcome{Account: "A"}), backtest.Options{Leads: []valuepath.Duration{0}})
		want := []string{"history[0]", "history[1].scorecard", "options.leads[0]", "outcomes[2].account", "outcomes[2].at"}
		paths := validate.Paths(err)
		// C has no outcome: its scores are reported with ErrUnknownAccount.
		for _, w := range want {
			found := false
			for _, p := range paths {
				found = found || p == w
			}
			if !found {
				t.Errorf("missing error at %s in %v", w, err)
			}
		}
		if !errors.Is(err, valuepath.ErrUnknownAccount) {
			t.Errorf("no ErrUnknownAccount for C: %v", err)
		}
	})
	t.Run("duplicate score", func(t *testing.T) {
		// The same (account, asOf) twice would count one observation
		// twice: rejected, naming both indexes.
		dup := append(append([]*health.Score(nil), hist...), hist[1])
		_, err := backtest.Run(sc, dup, outcomes, backtest.Options{})
		require.ErrorIs(t, err, valuepath.ErrDuplicate)
		assert.Equal(t, []string{validate.Index("history", len(hist)) + ".as_of"}, validate.Paths(err))
		assert.Contains(t, err.Error(), "(also history[1])")
		// Two scores of one account at different times are fine.
		_, err = backtest.Run(sc, hist, outcomes, backtest.Options{})
		require.NoError(t, err)
	})
	t.Run("one class", func(t *testing.T) {
		_, err := backtest.Run(sc, hist[:0], nil, backtest.Options{})
		if !errors.Is(err, valuepath.ErrInvalid) {
			t.Errorf("err = %v", err)
		}
	})
}

// TestUndefinedIsAbsent backtests a history in which no churner ever had
// data for one measure: its AUC, lead shares and median lead are absent
// with a reason, never 0; and a band nobody was in has no rate.
func TestUndefinedIsAbsent(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	var hist []*health.Score
	add := func(account valuepath.AccountID, day int, values map[valuepath.Metric]float64) {
		s := valuepath.NewSnapshot(schema, account, asOf.AddDate(0, 0, day))
		for m, v := range values {
			require.NoError(t, s.Set(m, v))
		}
		out, err := sc.Score(s)
		require.NoError(t, err)
		hist = append(hist, out)
	}
	for k := range 3 {
		add("stays", 30*k, map[valuepath.Metric]float64{"logins": 90, "util": 0.9, "cases": 1})
		add("leaves", 30*k, map[valuepath.Metric]float64{"util": 0.8, "cases": 2}) // never logins
	}
	outcomes := []backtest.Outcome{{Account: "stays", At: asOf.AddDate(1, 0, 0)}, {Account: "leaves", Churned: true, At: asOf.AddDate(0, 0, 70)}}
	r, err := backtest.Run(sc, hist, outcomes, backtest.Options{})
	require.NoError(t, err)
	logins := r.Measures[0]
	require.Equal(t, "logins", logins.ID)
	assert.Equal(t, valuepath.Absent("no churned account"), logins.AUC)
	assert.Equal(t, valuepath.Absent("no churner was in the worst band before churning"), logins.MedianLeadDays)
	for _, l := range logins.Leads {
		assert.False(t, l.Share.Present, "lead %s", l.Before)
	}
	assert.Equal(t, valuepath.Absent("no observation in the band"), r.Bands[0].Rate, "nobody was red")
	assert.Equal(t, r.Bands[0].Rate, r.WorstBandLift)
	assert.True(t, r.AUC.Present)
}

// TestEvidence: a measure's label is the host's claim; its lead time in the
// backtest is the evidence.
func TestEvidence(t *testing.T) {
	n := valuepath.Defined
	report := func(claim health.Timing, churned, warned int, median valuepath.Number) backtest.MeasureReport {
		return backtest.MeasureReport{ID: "m", Timing: claim, Warning: backtest.Warning{ChurnedAccounts: churned, Warned: warned, MedianLeadDays: median}}
	}
	sixty := valuepath.Days(60)
	tests := []struct {
		name string
		m    backtest.MeasureReport
		want health.Timing
		why  string
	}{
		// 20 of 32 warned (2·20 = 40 ≥ 32), median 72 days ≥ 60: leading.
		{"leads", report(health.Leading, 32, 20, n(72)), health.Leading, "red a median of 72 days before churn (20 of 32 churners)"},
		// Claimed leading, but the median warning is 41 days < 60: trailing.
		{"late", report(health.Leading, 32, 23, n(41)), health.Trailing, "red a median of 41 days before churn, under 60"},
		// Early for the few it warned, but 2 of 32 (2·2 = 4 < 32): trailing.
		{"rare", report(health.Trailing, 32, 2, n(72)), health.Trailing, "2 of 32 churners turned red on it first"},
		// Exactly half (2·16 = 32) and exactly 60 days: leading.
		{"edge", report("", 32, 16, n(60)), health.Leading, "red a median of 60 days before churn (16 of 32 churners)"},
		{"no churn", report(health.Leading, 0, 0, valuepath.Absent("x")), "", "no account churned"},
	}
	for _, tt := range tests {
		got, why := tt.m.Evidence(sixty)
		assert.Equal(t, tt.want, got, tt.name)
		assert.Equal(t, tt.why, why, tt.name)
	}
	got, why := report(health.Leading, 32, 20, n(72)).Evidence(0)
	assert.Equal(t, health.Timing(""), got)
	assert.NotEmpty(t, why)

	// From a real run: in TestUndefinedIsAbsent's history the churner never
	// turned red on logins, so 0 of 1 warned: trailing.
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	var hist []*health.Score
	for k := range 3 {
		for _, a := range []valuepath.AccountID{"stays", "leaves"} {
			s := valuepath.NewSnapshot(schema, a, asOf.AddDate(0, 0, 30*k))
			require.NoError(t, s.Set("logins", 90))
			require.NoError(t, s.Set("util", 0.9))
			require.NoError(t, s.Set("cases", 1))
			out, err := sc.Score(s)
			require.NoError(t, err)
			hist = append(hist, out)
		}
	}
	r, err := backtest.Run(sc, hist, []backtest.Outcome{{Account: "stays", At: asOf.AddDate(1, 0, 0)}, {Account: "leaves", Churned: true, At: asOf.AddDate(0, 0, 70)}}, backtest.Options{})
	require.NoError(t, err)
	got, why = r.Measures[0].Evidence(sixty)
	assert.Equal(t, health.Trailing, got)
	assert.Equal(t, "0 of 1 churners turned red on it first", why)
}
