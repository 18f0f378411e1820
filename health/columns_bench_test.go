package health_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/valuepath/valuepath/internal/batch/batchtest"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

// handRow is what the flat hand-written loop keeps per account: the score
// and the index of its band (red, yellow, green).
type handRow struct {
	score float64
	band  uint8
	ok    bool
}

// handColumns is benchSpec's scorecard written by hand over columns, the
// way a team scoring an Arrow block would: the 12 columns in the
// scorecard's order, weights (1..4 per group) and thresholds ((0,0),
// (50,60), (100,100)) inlined, a missing (NaN) value left out and its
// siblings renormalised, the default bands. No coverage, no rules.
func handColumns(cols *[12][]float64, lo, hi int, out []handRow) {
	for i := lo; i < hi; i++ {
		var sums, ws [3]float64
		for k := range 12 {
			v := cols[k][i]
			if v != v {
				continue
			}
			var s float64
			switch {
			case v <= 0:
				s = 0
			case v <= 50:
				s = v * 1.2
			case v <= 100:
				s = 60 + (v-50)*0.8
			default:
				s = 100
			}
			w := float64(k&3 + 1)
			sums[k>>2] += w * s
			ws[k>>2] += w
		}
		var total, totalW float64
		if ws[0] > 0 {
			total, totalW = 0.5*sums[0]/ws[0], 0.5
		}
		if ws[1] > 0 {
			total, totalW = total+0.3*sums[1]/ws[1], totalW+0.3
		}
		if ws[2] > 0 {
			total, totalW = total+0.2*sums[2]/ws[2], totalW+0.2
		}
		r := &out[i]
		if totalW == 0 {
			*r = handRow{}
			continue
		}
		s := total / totalW
		var band uint8
		switch {
		case s >= 75:
			band = 2
		case s >= 50:
			band = 1
		}
		*r = handRow{score: s, band: band, ok: true}
	}
}

func handColumnsOf(cols health.Columns) *[12][]float64 {
	var c [12][]float64
	copy(c[:], cols.Values)
	return &c
}

// handColumnsDiffer returns an error unless the hand-written loop gives
// the scorecard's scores and bands, row for row.
func handColumnsDiffer(sums []health.Summary, hand []handRow) error {
	bands := []health.Band{health.Red, health.Yellow, health.Green}
	for i := range sums {
		s, h := &sums[i], &hand[i]
		if s.Present != h.ok || (h.ok && (math.Abs(s.Value-h.score) > 1e-9 || s.Band != bands[h.band])) {
			return fmt.Errorf("row %d: scorecard %v %v %v, hand-written %v %v %v", i, s.Present, s.Value, s.Band, h.ok, h.score, bands[h.band])
		}
	}
	return nil
}

// The hand-written loop of the benchmark computes what the scorecard does.
func TestHandColumnsAgrees(t *testing.T) {
	spec, _ := benchSpec()
	sc := valuepath.Must(health.NewScorecard(spec))
	cols := columnBlock(50_000, 8)
	sums := make([]health.Summary, 50_000)
	if err := sc.SummarizeColumns(cols, sums, valuepath.BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	hand := make([]handRow, 50_000)
	handColumns(handColumnsOf(cols), 0, 50_000, hand)
	if err := handColumnsDiffer(sums, hand); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkSummarizeColumns scores 1,000,000 distinct accounts × 12
// measures held as columns per op, on 1 and 2 goroutines, against the flat
// hand-written loop over the same columns on as many shards in the same
// op; "x-handwritten" is the ratio.
func BenchmarkSummarizeColumns(b *testing.B) {
	spec, _ := benchSpec()
	sc := valuepath.Must(health.NewScorecard(spec))
	_, _, cols := millionAccounts(b)
	hc := handColumnsOf(cols)
	sums := make([]health.Summary, batchAccounts)
	hand := make([]handRow, batchAccounts)
	batchtest.CompareSlice(b, batchAccounts, func(b *testing.B, opt valuepath.BatchOptions) {
		if err := sc.SummarizeColumns(cols, sums, opt); err != nil {
			b.Fatal(err)
		}
	}, func(lo, hi int) { handColumns(hc, lo, hi, hand) }, func() error { return handColumnsDiffer(sums, hand) })
}
