package health_test

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

const exampleScorecard = `{
  "name": "mid-market health",
  "groups": [
    {"id": "adoption", "weight": 3, "measures": [
      {"id": "utilisation", "metric": "seat_utilisation", "weight": 2, "timing": "leading",
       "scheme": {"kind": "thresholds", "points": [{"value": 0.2, "score": 0}, {"value": 0.5, "score": 60}, {"value": 0.8, "score": 100}]}},
      {"id": "logins", "metric": "logins_30d", "weight": 1, "timing": "leading",
       "scheme": {"kind": "thresholds", "points": [{"value": 0, "score": 0}, {"value": 400, "score": 100}]}}
    ]},
    {"id": "relationship", "weight": 1, "measures": [
      {"id": "cases", "metric": "support_cases_90d", "weight": 1, "direction": "lower",
       "scheme": {"kind": "steps", "points": [{"value": 0, "score": 100}, {"value": 3, "score": 60}, {"value": 8, "score": 20}]}},
      {"id": "survey", "metric": "survey_score_latest", "weight": 1, "missing": "neutral",
       "scheme": {"kind": "thresholds", "points": [{"value": 0, "score": 0}, {"value": 10, "score": 100}]}}
    ]}
  ],
  "rules": [
    {"id": "sponsor", "reason": "executive sponsor changed in the last 60 days",
     "metric": "days_since_sponsor_change", "op": "<=", "value": 60, "cap": "yellow"}
  ]
}`

// exampleSchema is the schema of the examples' snapshots: every metric
// the example scorecard reads, as a host's derivations would produce.
var exampleSchema = valuepath.Must(valuepath.NewSchema("seat_utilisation", "logins_30d", "support_cases_90d", "survey_score_latest", "days_since_sponsor_change"))

// exampleSnapshot returns a snapshot of acct-0042 on exampleSchema holding
// values; the metrics it leaves out are missing.
func exampleSnapshot(values map[valuepath.Metric]float64) *valuepath.Snapshot {
	s := valuepath.NewSnapshot(exampleSchema, "acct-0042", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	for m, v := range values {
		if err := s.Set(m, v); err != nil {
			panic(err)
		}
	}
	return s
}

// A scorecard loaded from JSON scores a snapshot; every measure's
// contribution explains the score.
func ExampleScorecard_Score() {
	sc, err := health.ParseScorecard([]byte(exampleScorecard))
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := sc.Score(exampleSnapshot(map[valuepath.Metric]float64{
		"seat_utilisation": 0.8, "logins_30d": 300, "support_cases_90d": 4, "days_since_sponsor_change": 21,
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("score %.1f, data says %s, band %s, coverage %d/%d\n", s.Value, s.DataBand, s.Band, s.Coverage.Present, s.Coverage.Measures)
	for _, m := range s.Measures {
		fmt.Printf("  %-12s %-16s score %5.1f  share %4.1f%%  contributes %4.1f\n", m.ID, m.Status, m.Score, 100*m.Share, m.Contribution)
	}
	for _, r := range s.Rules {
		fmt.Printf("rule %s: %s (at most %s)\n", r.ID, r.Reason, r.Cap)
	}
	// Output:
	// score 82.5, data says green, band yellow, coverage 3/4
	//   utilisation  scored           score 100.0  share 50.0%  contributes 50.0
	//   logins       scored           score  75.0  share 25.0%  contributes 18.8
	//   cases        scored           score  60.0  share 12.5%  contributes  7.5
	//   survey       missing_neutral  score  50.0  share 12.5%  contributes  6.2
	// rule sponsor: executive sponsor changed in the last 60 days (at most yellow)
}

// NewScorecard reports every problem of a scorecard at once, with field paths.
func ExampleNewScorecard() {
	_, err := health.NewScorecard(health.ScorecardSpec{Groups: []health.Group{{
		ID: "usage", Weight: 0,
		Measures: []health.Measure{{ID: "logins", Metric: "logins", Weight: 1,
			Scheme: health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 10, Score: 0}, {Value: 5, Score: 100}}}}},
	}}})
	fmt.Println(err)
	// Output:
	// health: groups[0].weight: invalid value: must be > 0, got 0
	// health: groups[0].measures[0].scheme.points[1].value: out of time order: values must be strictly ascending: 5 after 10
}

// Check finds, at start-up, a metric the scorecard reads but the host's
// snapshots lack, such as a typo; scoring a snapshot on that schema fails
// with the same error.
func ExampleScorecard_Check() {
	sc := valuepath.Must(health.NewScorecard(health.ScorecardSpec{Groups: []health.Group{{
		ID: "usage", Weight: 1,
		Measures: []health.Measure{
			{ID: "logins", Metric: "logins_30d", Weight: 1, Scheme: health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 0, Score: 0}, {Value: 400, Score: 100}}}},
			{ID: "tenure", Metric: "tenrue", Weight: 1, Scheme: health.Scheme{Kind: health.Steps, Points: []health.Point{{Value: 0, Score: 50}, {Value: 365, Score: 100}}}},
		},
	}}}))
	fmt.Println(sc.Check(exampleSchema))
	_, err := sc.Score(exampleSnapshot(map[valuepath.Metric]float64{"logins_30d": 120}))
	fmt.Println(errors.Is(err, valuepath.ErrUnknownMetric))
	// Output:
	// health: groups[0].measures[1].metric: unknown metric "tenrue"
	// true
}

// Attribute says which measures moved a score, largest first.
func ExampleAttribute() {
	sc, _ := health.ParseScorecard([]byte(exampleScorecard))
	before, err := sc.Score(exampleSnapshot(map[valuepath.Metric]float64{"seat_utilisation": 0.7, "logins_30d": 350, "support_cases_90d": 1, "survey_score_latest": 8}))
	if err != nil {
		fmt.Println(err)
		return
	}
	after, err := sc.Score(exampleSnapshot(map[valuepath.Metric]float64{"seat_utilisation": 0.45, "logins_30d": 200, "support_cases_90d": 1, "survey_score_latest": 9}))
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := health.Attribute(before, after, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.1f -> %.1f (%s)\n", a.From, a.To, a.Trend)
	for _, c := range a.Changes {
		fmt.Printf("  %-12s %+5.1f\n", c.Measure, c.Delta)
	}
	// Output:
	// 87.7 -> 61.2 (down)
	//   utilisation  -18.3
	//   logins        -9.4
	//   survey        +1.2
}

// BandSet.Sticky keeps a score that wobbles around a boundary in its band.
func ExampleBandSet_Sticky() {
	bands := health.DefaultBands()
	band := health.Yellow
	for _, s := range []float64{74, 76, 77, 79, 76, 73, 71} {
		band = bands.Sticky(band, s, 3)
		fmt.Printf("%.0f:%s ", s, band)
	}
	fmt.Println()
	// Output:
	// 74:yellow 76:yellow 77:yellow 79:green 76:green 73:green 71:yellow
}

// Alerts raises a band drop once, then holds it back for the cooldown.
func ExampleScorecard_Alerts() {
	sc, _ := health.ParseScorecard([]byte(exampleScorecard))
	var history []*health.Score
	for i, util := range []float64{0.8, 0.8, 0.4, 0.8, 0.4} {
		s := exampleSnapshot(map[valuepath.Metric]float64{"seat_utilisation": util, "logins_30d": 300, "support_cases_90d": 1})
		s.AsOf = s.AsOf.AddDate(0, 0, 7*i)
		score, err := sc.Score(s)
		if err != nil {
			fmt.Println(err)
			return
		}
		history = append(history, score)
	}
	alerts, err := sc.Alerts(history, nil, health.AlertOptions{Cooldown: valuepath.Days(30)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range alerts {
		fmt.Println(a.At.Format(time.DateOnly), a.Key, "-", a.Reason)
	}
	// Output:
	// 2026-11-15 acct-0042|band_drop|yellow - band fell from green to yellow
	// 2026-11-15 acct-0042|measure_red|utilisation - utilisation entered red (score 40)
	// 2026-11-15 acct-0042|point_drop - score fell 30 points since 2026-11-08 (87.5 to 57.5)
}

// SummarizeAll scores a stream of snapshots without explanation and
// without allocating per account: the way to score a whole customer base.
// A snapshot that cannot be scored comes with its error, and the stream
// goes on.
func ExampleScorecard_SummarizeAll() {
	sc, _ := health.ParseScorecard([]byte(exampleScorecard))
	snaps := func(yield func(*valuepath.Snapshot) bool) {
		for i, row := range [][3]float64{{0.8, 380, 0}, {0.45, 150, 5}, {0.25, 40, 9}} {
			s := valuepath.NewSnapshot(exampleSchema, valuepath.AccountID(fmt.Sprintf("acct-%d", i+1)), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
			for j, v := range row {
				_ = s.SetAt(j, v)
			}
			if !yield(s) {
				return
			}
		}
	}
	for s, err := range sc.SummarizeAll(snaps, valuepath.BatchOptions{}) {
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s %5.1f %-6s coverage %.1f%%\n", s.Account, s.Value, s.Band, 100*s.Coverage.Weight)
	}
	// Output:
	// acct-1  92.5 green  coverage 87.5%
	// acct-2  48.1 red    coverage 87.5%
	// acct-3  16.2 red    coverage 87.5%
}

// SummarizeColumns scores a block of accounts held as columns, as a Parquet
// or Arrow reader gives them, into a caller's slice of summaries: no
// snapshot per account, nothing allocated per account, and every core by
// default. NaN is a missing value; an infinite one fails its row only.
func ExampleScorecard_SummarizeColumns() {
	sc, _ := health.ParseScorecard([]byte(exampleScorecard))
	cols := health.Columns{
		Schema:   exampleSchema,
		Accounts: []valuepath.AccountID{"acct-1", "acct-2", "acct-3", "acct-4", "acct-5"},
		AsOf:     time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	}
	nan := math.NaN()
	// By name, in any order; or set cols.Values in the schema's order.
	_ = cols.Set("support_cases_90d", []float64{0, 5, 9, nan, 1})
	_ = cols.Set("seat_utilisation", []float64{0.8, 0.45, 0.25, nan, math.Inf(1)})
	_ = cols.Set("logins_30d", []float64{380, 150, 40, nan, 200})
	_ = cols.Set("survey_score_latest", []float64{nan, nan, nan, nan, nan})
	_ = cols.Set("days_since_sponsor_change", []float64{nan, nan, nan, nan, nan})
	dst := make([]health.Summary, len(cols.Accounts))
	if err := sc.SummarizeColumns(cols, dst, valuepath.BatchOptions{}); err != nil {
		fmt.Println(err)
	}
	for _, s := range dst {
		if !s.Present {
			fmt.Printf("%s %s\n", s.Account, s.Reason)
			continue
		}
		fmt.Printf("%s %5.1f %-6s coverage %.1f%%\n", s.Account, s.Value, s.Band, 100*s.Coverage.Weight)
	}
	// Output:
	// valuepath: account "acct-5": metric "seat_utilisation": health: values["seat_utilisation"][4]: not a finite number: +Inf
	// acct-1  92.5 green  coverage 87.5%
	// acct-2  48.1 red    coverage 87.5%
	// acct-3  16.2 red    coverage 87.5%
	// acct-4 no measure has data
	// acct-5 not scored: a value is not finite
}

// SummarizeSlice scores a base already held as a slice of snapshots into a
// caller's slice of summaries, every core by default, each goroutine on its
// own range: summary i is what SummarizeAll yields for snapshot i. A
// snapshot that cannot be scored says why in its summary, and the error
// names its index.
func ExampleScorecard_SummarizeSlice() {
	sc, _ := health.ParseScorecard([]byte(exampleScorecard))
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var snaps []*valuepath.Snapshot
	for i, row := range [][3]float64{{0.8, 380, 0}, {0.45, 150, 5}, {0.25, 40, 9}} {
		s := valuepath.NewSnapshot(exampleSchema, valuepath.AccountID(fmt.Sprintf("acct-%d", i+1)), asOf)
		for j, v := range row {
			_ = s.SetAt(j, v)
		}
		snaps = append(snaps, s)
	}
	snaps = append(snaps, nil)
	dst := make([]health.Summary, len(snaps))
	if err := sc.SummarizeSlice(snaps, dst, valuepath.BatchOptions{}); err != nil {
		fmt.Println(err)
	}
	for _, s := range dst {
		if !s.Present {
			fmt.Printf("%q %s\n", s.Account, s.Reason)
			continue
		}
		fmt.Printf("%s %5.1f %s\n", s.Account, s.Value, s.Band)
	}
	// Output:
	// health: snaps[3]: valuepath: account "": health: invalid value: nil snapshot
	// acct-1  92.5 green
	// acct-2  48.1 red
	// acct-3  16.2 red
	// "" nil snapshot
}

// Distribution summarises a base's scores and marks its two tails.
func ExampleScorecard_Distribution() {
	sc, _ := health.ParseScorecard([]byte(exampleScorecard))
	var scores []*health.Score
	for i, util := range []float64{0.2, 0.3, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8} {
		s := exampleSnapshot(map[valuepath.Metric]float64{"seat_utilisation": util, "logins_30d": 100 + 40*float64(i), "support_cases_90d": 2})
		s.Account = valuepath.AccountID(fmt.Sprintf("acct-%d", i+1))
		score, err := sc.Score(s)
		if err != nil {
			fmt.Println(err)
			return
		}
		scores = append(scores, score)
	}
	d, err := sc.Distribution(scores, health.DistributionOptions{Bins: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mean %.1f, median %.1f\n", d.Mean.Value, d.Median.Value)
	for _, b := range d.Histogram {
		fmt.Printf("%3.0f-%-3.0f %d\n", b.Min, b.Max, b.Count)
	}
	fmt.Println("at risk:", d.AtRisk.Accounts, "advocates:", d.Advocates.Accounts)
	// Output:
	// mean 62.3, median 65.4
	//   0-20  0
	//  20-40  2
	//  40-60  1
	//  60-80  3
	//  80-100 2
	// at risk: [acct-1 acct-2] advocates: [acct-8 acct-7]
}
