package health_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/internal/batch/batchtest"
)

// BenchmarkSummarizeSlice scores the 1,000,000 distinct accounts × 12
// measures of BenchmarkSummarizeAll per op with SummarizeSlice, on 1 and 2
// goroutines, against the hand-written loop over the same slice on as many
// shards, writing each account's score to a slice of its own, in the same
// op; "x-handwritten" is the ratio.
func BenchmarkSummarizeSlice(b *testing.B) {
	dst := make([]health.Summary, batchAccounts)
	benchSlice(b, func(sc *health.Scorecard, snaps []*valuepath.Snapshot, opt valuepath.BatchOptions) error {
		return sc.SummarizeSlice(snaps, dst, opt)
	}, func(i int) float64 { return dst[i].Value })
}

// BenchmarkScoreSlice is BenchmarkSummarizeSlice for ScoreSlice, full
// explanation into a reused []Score.
func BenchmarkScoreSlice(b *testing.B) {
	dst := make([]health.Score, batchAccounts)
	benchSlice(b, func(sc *health.Scorecard, snaps []*valuepath.Snapshot, opt valuepath.BatchOptions) error {
		return sc.ScoreSlice(snaps, dst, opt)
	}, func(i int) float64 { return dst[i].Value })
}

// benchSlice times run, a slice batch over the million accounts, against
// the hand-written loop over as many shards writing to a []float64, and
// checks that value(i), the batch's score of account i, agrees with the
// hand-written loop's.
func benchSlice(b *testing.B, run func(*health.Scorecard, []*valuepath.Snapshot, valuepath.BatchOptions) error, value func(int) float64) {
	spec, _ := benchSpec()
	sc := valuepath.Must(health.NewScorecard(spec))
	schema, snaps, _ := millionAccounts(b)
	h := newHandWritten(schema)
	out := make([]float64, len(snaps))
	// Grow a reused destination before timing.
	if err := run(sc, snaps, valuepath.BatchOptions{}); err != nil {
		b.Fatal(err)
	}
	batchtest.CompareSlice(b, len(snaps), func(b *testing.B, opt valuepath.BatchOptions) {
		if err := run(sc, snaps, opt); err != nil {
			b.Fatal(err)
		}
	}, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = h.score(snaps[i])
		}
	}, func() error {
		for i := range out {
			if math.Abs(value(i)-out[i]) > 1e-9 {
				return fmt.Errorf("account %d: scorecard %v, hand-written %v", i, value(i), out[i])
			}
		}
		return nil
	})
}
