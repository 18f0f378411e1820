package main

// Every call into the valuepath library is in this file, so that switching
// to a new batch API touches nothing else.

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/health/backtest"
	"github.com/valuepath/valuepath/revenue"
)

var nan = math.NaN()

var libAsOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// healthSpec is the scorecard every contender computes: 3 groups weighted
// 0.5, 0.3 and 0.2, each of 4 measures m<4g+k> weighted k+1, scored by
// thresholds (0, 0), (50, 60), (100, 100), linear in between and flat
// outside; a missing measure is left out and its group renormalised, a
// group with no measure is left out and the groups renormalised; default
// bands: red below 50, yellow below 75, green from 75.
func healthSpec() health.ScorecardSpec {
	spec := health.ScorecardSpec{Name: "bench"}
	for g, gw := range healthGroupWeights {
		grp := health.Group{ID: fmt.Sprintf("g%d", g), Weight: gw}
		for k := range 4 {
			m := valuepath.Metric(fmt.Sprintf("m%d", g*4+k))
			grp.Measures = append(grp.Measures, health.Measure{
				ID: string(m), Metric: m, Weight: float64(k + 1),
				Scheme: health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 0, Score: 0}, {Value: 50, Score: 60}, {Value: 100, Score: 100}}},
			})
		}
		spec.Groups = append(spec.Groups, grp)
	}
	return spec
}

var healthGroupWeights = [3]float64{0.5, 0.3, 0.2}

// libHealthInput is the library's input: one distinct snapshot per
// account, and for the library-slice contender the summaries it fills.
type libHealthInput struct {
	sc    *health.Scorecard
	snaps []*valuepath.Snapshot
	dst   []health.Summary
}

// healthScorecard compiles healthSpec and the schema of its measures
// m0…m11, in order.
func healthScorecard() (*health.Scorecard, *valuepath.Schema, error) {
	sc, err := health.NewScorecard(healthSpec())
	if err != nil {
		return nil, nil, err
	}
	metrics := make([]valuepath.Metric, healthMeasures)
	for j := range metrics {
		metrics[j] = valuepath.Metric(fmt.Sprintf("m%d", j))
	}
	schema, err := valuepath.NewSchema(metrics...)
	return sc, schema, err
}

func newLibHealth(d healthData) (*libHealthInput, error) {
	sc, schema, err := healthScorecard()
	if err != nil {
		return nil, err
	}
	in := &libHealthInput{sc: sc, snaps: make([]*valuepath.Snapshot, d.n)}
	for i := range d.n {
		s := valuepath.NewSnapshot(schema, valuepath.AccountID(healthAccount(i)), libAsOf)
		for j, v := range d.vals[i*healthMeasures : (i+1)*healthMeasures] {
			if v == v { // not NaN: present
				if err := s.SetAt(j, v); err != nil {
					return nil, err
				}
			}
		}
		in.snaps[i] = s
	}
	return in, nil
}

// libHealth summarises every account with Scorecard.SummarizeAll on
// GOMAXPROCS goroutines, reading the distinct snapshots in place.
func libHealth(in *libHealthInput) (healthAnswer, error) {
	var a healthAnswer
	for s, err := range in.sc.SummarizeAll(slices.Values(in.snaps), valuepath.BatchOptions{InPlace: true}) {
		if err != nil {
			return a, err
		}
		a.add(s.Present, s.Value, string(s.Band))
	}
	return a, nil
}

// libSlice summarises every account with Scorecard.SummarizeSlice on
// GOMAXPROCS goroutines, into in.dst.
func libSlice(in *libHealthInput) (healthAnswer, error) {
	if err := in.sc.SummarizeSlice(in.snaps, in.dst, valuepath.BatchOptions{}); err != nil {
		return healthAnswer{}, err
	}
	return summaryAnswer(in.dst), nil
}

// newSummaries makes the summaries the library-slice contender fills.
func newSummaries(n int) []health.Summary { return make([]health.Summary, n) }

// summaryAnswer is the answer of a slice of summaries.
func summaryAnswer(dst []health.Summary) healthAnswer {
	var a healthAnswer
	for i := range dst {
		s := &dst[i]
		a.add(s.Present, s.Value, string(s.Band))
	}
	return a
}

// libColumnsInput is the columnar entry's input: one column per measure,
// NaN missing, and the summaries it fills.
type libColumnsInput struct {
	sc   *health.Scorecard
	cols health.Columns
	dst  []health.Summary
}

func newLibColumns(d healthData) (*libColumnsInput, error) {
	sc, schema, err := healthScorecard()
	if err != nil {
		return nil, err
	}
	in := &libColumnsInput{sc: sc, cols: health.Columns{Schema: schema, Values: make([][]float64, healthMeasures), AsOf: libAsOf}, dst: make([]health.Summary, d.n)}
	for j := range healthMeasures {
		col := make([]float64, d.n)
		for i := range d.n {
			col[i] = d.vals[i*healthMeasures+j]
		}
		in.cols.Values[j] = col
	}
	return in, nil
}

// libColumns summarises every account with Scorecard.SummarizeColumns on
// GOMAXPROCS goroutines.
func libColumns(in *libColumnsInput) (healthAnswer, error) {
	if err := in.sc.SummarizeColumns(in.cols, in.dst, valuepath.BatchOptions{}); err != nil {
		return healthAnswer{}, err
	}
	return summaryAnswer(in.dst), nil
}

// libAUC is backtest.AUC.
func libAUC(d aucData) (aucAnswer, error) {
	n, err := backtest.AUC(d.scores, d.churned)
	if err != nil {
		return aucAnswer{}, err
	}
	if !n.Present {
		return aucAnswer{}, fmt.Errorf("auc absent: %s", n.Reason)
	}
	return aucAnswer{AUC: n.Value}, nil
}

// libRevenueInput is the library's input: the events as
// revenue.SubscriptionEvents, and where each account's run of them starts.
type libRevenueInput struct {
	events  []revenue.SubscriptionEvent
	starts  []int // account i's events are events[starts[i]:starts[i+1]]
	periods []valuepath.Interval
}

func newLibRevenue(ev []revEvent, months int) *libRevenueInput {
	kinds := [...]revenue.EventKind{revenue.Start, revenue.Change, revenue.Cancel, revenue.Reactivate}
	in := &libRevenueInput{events: make([]revenue.SubscriptionEvent, len(ev)), periods: revenue.Months(revStart, months)}
	for i, e := range ev {
		if i == 0 || e.acct != ev[i-1].acct {
			in.starts = append(in.starts, i)
		}
		in.events[i] = revenue.SubscriptionEvent{Account: valuepath.AccountID(revAccount(e.acct)), Kind: kinds[e.kind],
			At: time.Unix(e.at, 0).UTC(), Amount: decimal.New(e.cents, -2), Currency: "USD", IntervalMonths: int(e.interval)}
	}
	in.starts = append(in.starts, len(ev))
	return in
}

// libRevenue normalises every account's events to MRR and bridges the
// months in one pass with NewBridgeEvents (default policy, GOMAXPROCS
// goroutines, events read in place), never holding the book's timelines.
func libRevenue(in *libRevenueInput) (bridgeAnswer, error) {
	accounts := func(yield func([]revenue.SubscriptionEvent) bool) {
		for i := range len(in.starts) - 1 {
			if !yield(in.events[in.starts[i]:in.starts[i+1]]) {
				return
			}
		}
	}
	b, err := revenue.NewBridgeEvents(accounts, revenue.Policy{}, in.periods, revenue.BridgeOptions{Batch: valuepath.BatchOptions{InPlace: true}})
	if err != nil {
		return bridgeAnswer{}, err
	}
	cents := func(m valuepath.Money) int64 { return m.Amount().Shift(2).IntPart() }
	a := bridgeAnswer{Months: make([]bridgeMonth, len(b.Periods))}
	for i, p := range b.Periods {
		a.Months[i] = bridgeMonth{New: cents(p.New), Expansion: cents(p.Expansion), Reactivation: cents(p.Reactivation),
			Contraction: cents(p.Contraction), Churn: cents(p.Churn), Closing: cents(p.Closing)}
	}
	return a, nil
}

// handHealthSnapshots is the hand-written loop over the library's own
// snapshots (read with Snapshot.ValueAt), which is what a team that keeps
// its accounts as snapshots would write.
func handHealthSnapshots(in *libHealthInput) healthAnswer {
	var a healthAnswer
	var v [healthMeasures]float64
	for _, s := range in.snaps {
		for j := range v {
			x, ok := s.ValueAt(j)
			if !ok {
				x = nan
			}
			v[j] = x
		}
		sc, ok := handScore(v[:])
		if !ok {
			a.add(false, 0, "")
			continue
		}
		a.add(true, sc, bandOf(sc))
	}
	return a
}
