package health_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/internal/validate"
)

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
			got, err := health.AUC(tt.scores, tt.churned)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("AUC = %v, want %v", got, tt.want)
			}
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
		{"no churned", []float64{1, 2}, []bool{false, false}, valuepath.ErrInvalid},
		{"no retained", []float64{1, 2}, []bool{true, true}, valuepath.ErrInvalid},
		{"empty", nil, nil, valuepath.ErrInvalid},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := health.AUC(tt.scores, tt.churned); !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
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
		got, err := health.AUC(scores, churned)
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteAUC(scores, churned); math.Abs(got-want) > 1e-12 {
			t.Fatalf("trial %d: AUC = %v, want %v", trial, got, want)
		}
		if diff := cmp.Diff(orig, scores); diff != "" {
			t.Fatalf("AUC modified its input:\n%s", diff)
		}
	}
}

// level scores an account so that every measure of smallSpec, and so the
// overall score, equals l.
func level(t *testing.T, sc *health.Scorecard, account valuepath.AccountID, day int, l float64) *health.Score {
	t.Helper()
	s := snap(t, map[valuepath.Metric]float64{"logins": l, "util": l / 100, "cases": 10 - l/10})
	s.Account, s.AsOf = account, asOf.AddDate(0, 0, day)
	return score(t, sc, s)
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
	outcomes := []health.Outcome{{Account: "A", Churned: true, At: day(100)}, {Account: "B", At: day(200)}, {Account: "C", Churned: true, At: day(60)}}
	bt, err := sc.Backtest(hist, outcomes, health.BacktestOptions{Thresholds: []float64{50, 75}})
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Observations, Churned int
		BaseRate, AUC, Lift   float64
		Thresholds            []health.ThresholdStat
		Bands                 []health.BandStat
		FirstDecile           health.DecileStat
		Warning               health.Warning
		MeasureAUC            []float64
	}
	got := view{Observations: bt.Observations, Churned: bt.Churned, BaseRate: bt.BaseRate, AUC: bt.AUC, Lift: bt.WorstBandLift,
		Thresholds: bt.Thresholds, Bands: bt.Bands, FirstDecile: bt.Deciles[0], Warning: bt.Warning}
	for _, m := range bt.Measures {
		got.MeasureAUC = append(got.MeasureAUC, m.AUC)
	}
	want := view{Observations: 10, Churned: 5, BaseRate: 0.5, AUC: 0.96, Lift: 2,
		Thresholds: []health.ThresholdStat{{Threshold: 50, Flagged: 3, Precision: 1, Recall: 0.6}, {Threshold: 75, Flagged: 6, Precision: 5.0 / 6, Recall: 1}},
		Bands: []health.BandStat{
			{Band: health.Red, Observations: 3, Churned: 3, Rate: 1, Lift: 2},
			{Band: health.Yellow, Observations: 3, Churned: 2, Rate: 2.0 / 3, Lift: 4.0 / 3},
			{Band: health.Green, Observations: 4},
		},
		FirstDecile: health.DecileStat{Decile: 1, Min: 20, Max: 20, Observations: 1, Churned: 1, Rate: 1},
		Warning: health.Warning{ChurnedAccounts: 2, Warned: 2, MedianLeadDays: 35, Leads: []health.LeadStat{
			{Before: valuepath.Days(30), Churners: 2, Below: 2, Share: 1},
			{Before: valuepath.Days(60), Churners: 2, Below: 2, Share: 1},
			{Before: valuepath.Days(90), Churners: 1, Below: 0, Share: 0},
		}},
		MeasureAUC: []float64{0.96, 0.96, 0.96},
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("backtest (-want +got):\n%s", diff)
	}

	t.Run("errors", func(t *testing.T) {
		other := score(t, valuepath.Must(health.NewScorecard(benchSpecOnly())), snap(t, nil))
		bad := append([]*health.Score{nil, other}, hist...)
		_, err := sc.Backtest(bad, append(outcomes[:2:2], health.Outcome{Account: "A"}), health.BacktestOptions{Leads: []valuepath.Duration{0}})
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
	t.Run("one class", func(t *testing.T) {
		_, err := sc.Backtest(hist[:0], nil, health.BacktestOptions{})
		if !errors.Is(err, valuepath.ErrInvalid) {
			t.Errorf("err = %v", err)
		}
	})
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
		Mean, Median       float64
		Hist               []int
		Bands              []health.BandCount
		AtRisk, Advocates  health.Tail
		P90                float64
	}
	got := view{d.Count, d.Unavailable, d.Mean, d.Median, hist, d.Bands, d.AtRisk, d.Advocates, d.Percentiles[4].Value}
	want := view{Count: 6, Unavailable: 1, Mean: 55, Median: 57.5, Hist: []int{0, 1, 0, 1, 0, 1, 1, 0, 1, 1},
		Bands:     []health.BandCount{{Band: health.Red, Count: 2, Share: 1.0 / 3}, {Band: health.Yellow, Count: 2, Share: 1.0 / 3}, {Band: health.Green, Count: 2, Share: 1.0 / 3}},
		AtRisk:    health.Tail{By: "band", Band: health.Red, Bound: 30, Count: 2, Share: 1.0 / 3, Accounts: []valuepath.AccountID{"b", "d"}},
		Advocates: health.Tail{By: "band", Band: health.Green, Bound: 80, Count: 2, Share: 1.0 / 3, Accounts: []valuepath.AccountID{"c", "f"}},
		P90:       87.5,
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
	if shift.Moved != "right" || math.Abs(shift.Mean.Delta-5) > 1e-9 || shift.AtRiskShare.Delta != 0 {
		t.Errorf("shift: moved %s, mean %+v, at-risk %+v", shift.Moved, shift.Mean, shift.AtRiskShare)
	}
	if _, err := health.Compare(nil, d2); err == nil {
		t.Error("Compare(nil) succeeded")
	}
	if _, err := sc.Distribution(scores, health.DistributionOptions{Bins: -1, TailShare: 0.9}); len(validate.Paths(err)) != 2 {
		t.Errorf("bad options: %v", err)
	}
}
