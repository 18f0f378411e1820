package health_test

import (
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/valuepath/valuepath/internal/batch/batchtest"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/internal/batch"
)

const batchAccounts = 1_000_000

// benchSnapshots returns n snapshots on one schema with 12 metrics, about
// 5% of values missing, drawn with a fixed seed.
func benchSnapshots(b testing.TB, n int) (*valuepath.Schema, []*valuepath.Snapshot) {
	b.Helper()
	_, metrics := benchSpec()
	schema := valuepath.Must(valuepath.NewSchema(metrics...))
	r := rand.New(rand.NewPCG(7, 7))
	snaps := make([]*valuepath.Snapshot, n)
	for i := range snaps {
		s := valuepath.NewSnapshot(schema, valuepath.AccountID("a"), asOf)
		for j := range metrics {
			if r.IntN(20) == 0 {
				continue
			}
			if err := s.SetAt(j, r.Float64()*120); err != nil {
				b.Fatal(err)
			}
		}
		snaps[i] = s
	}
	return schema, snaps
}

// million holds the batch benchmarks' data, built once per process: a
// million distinct accounts, as snapshots and as the same values in
// columns, so that no benchmark cycles a small cache-hot set.
var million struct {
	once   sync.Once
	schema *valuepath.Schema
	snaps  []*valuepath.Snapshot
	cols   health.Columns
}

func millionAccounts(b testing.TB) (*valuepath.Schema, []*valuepath.Snapshot, health.Columns) {
	million.once.Do(func() {
		million.schema, million.snaps = benchSnapshots(b, batchAccounts)
		cols := health.Columns{Schema: million.schema, Values: make([][]float64, million.schema.Len()), AsOf: asOf}
		for j := range cols.Values {
			col := make([]float64, batchAccounts)
			for i, s := range million.snaps {
				v, ok := s.ValueAt(j)
				if !ok {
					v = math.NaN()
				}
				col[i] = v
			}
			cols.Values[j] = col
		}
		million.cols = cols
	})
	return million.schema, million.snaps, million.cols
}

// handWritten computes the same weighted sum as the scorecard of benchSpec
// the way a team would write it by hand for its own scorecard: the
// measures' positions, weights and thresholds in arrays, missing measures
// left out and their siblings renormalised, nothing else (no bands, no
// coverage, no rules, no explanation).
type handWritten struct {
	measures [12]struct {
		idx, group int
		weight     float64
		points     [3][2]float64 // value, score
	}
	groupW [3]float64
}

func newHandWritten(schema *valuepath.Schema) *handWritten {
	h := &handWritten{groupW: [3]float64{0.5, 0.3, 0.2}}
	_, metrics := benchSpec()
	for i, m := range metrics {
		hm := &h.measures[i]
		hm.idx, _ = schema.Index(m)
		hm.group, hm.weight = i/4, float64(i%4+1)
		hm.points = [3][2]float64{{0, 0}, {50, 60}, {100, 100}}
	}
	return h
}

func (h *handWritten) score(s *valuepath.Snapshot) float64 {
	var sums, ws [3]float64
	for i := range h.measures {
		m := &h.measures[i]
		v, ok := s.ValueAt(m.idx)
		if !ok {
			continue
		}
		p := &m.points
		var sc float64
		switch {
		case v <= p[0][0]:
			sc = p[0][1]
		case v <= p[1][0]:
			sc = p[0][1] + (v-p[0][0])/(p[1][0]-p[0][0])*(p[1][1]-p[0][1])
		case v <= p[2][0]:
			sc = p[1][1] + (v-p[1][0])/(p[2][0]-p[1][0])*(p[2][1]-p[1][1])
		default:
			sc = p[2][1]
		}
		sums[m.group] += m.weight * sc
		ws[m.group] += m.weight
	}
	var total, totalW float64
	for g := range 3 {
		if ws[g] > 0 {
			total += h.groupW[g] * sums[g] / ws[g]
			totalW += h.groupW[g]
		}
	}
	if totalW == 0 {
		return 0
	}
	return total / totalW
}

var sink float64

// handSums runs the hand-written loop over snaps on workers goroutines, one
// contiguous shard each, as a team would split a batch by hand.
func (h *handWritten) sumAll(snaps []*valuepath.Snapshot, workers int) float64 {
	parts := make([]float64, workers)
	batch.Split(workers, len(snaps), 1, func(w, lo, hi int) {
		var t float64
		for _, s := range snaps[lo:hi] {
			t += h.score(s)
		}
		parts[w] = t
	})
	var t float64
	for _, p := range parts {
		t += p
	}
	return t
}

// BenchmarkBatch scores 1,000,000 distinct accounts × 12 measures in 3
// groups per op with ScoreAll (full explanation into a reused Score), on 1
// and 2 goroutines, and the hand-written loop on as many shards in the same
// op; "x-handwritten" is the ratio of the two.
func BenchmarkBatch(b *testing.B) {
	benchAgainstHandWritten(b,
		func(sc *health.Scorecard, s *valuepath.Snapshot) float64 { return valuepath.Must(sc.Score(s)).Value },
		func(sc *health.Scorecard, snaps iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) {
			for s, err := range sc.ScoreAll(snaps, opt) {
				if err != nil {
					panic(err)
				}
				sink += s.Value
			}
		})
}

// BenchmarkSummarizeAll is BenchmarkBatch for the summary path, which
// computes the same weighted sum as the hand-written loop plus bands,
// coverage and rules.
func BenchmarkSummarizeAll(b *testing.B) {
	benchAgainstHandWritten(b,
		func(sc *health.Scorecard, s *valuepath.Snapshot) float64 { return summarize(b, sc, s).Value },
		func(sc *health.Scorecard, snaps iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) {
			for s, err := range sc.SummarizeAll(snaps, opt) {
				if err != nil {
					panic(err)
				}
				sink += s.Value
			}
		})
}

// benchAgainstHandWritten times run, the scorecard's path over the million
// distinct accounts, against the hand-written loop over the same accounts
// split into as many shards, alternating the two in every op, after
// checking that both compute the same scores; it reports both per-account
// times, their ratio ("x-handwritten") and the scorecard's throughput.
func benchAgainstHandWritten(b *testing.B, one func(*health.Scorecard, *valuepath.Snapshot) float64, run func(*health.Scorecard, iter.Seq[*valuepath.Snapshot], valuepath.BatchOptions)) {
	spec, _ := benchSpec()
	sc := valuepath.Must(health.NewScorecard(spec))
	schema, snaps, _ := millionAccounts(b)
	h := newHandWritten(schema)
	// The two must agree, or the comparison means nothing.
	for _, s := range snaps[:4096] {
		if got, want := one(sc, s), h.score(s); math.Abs(got-want) > 1e-9 {
			b.Fatalf("scorecard %v, hand-written %v", got, want)
		}
	}
	for _, opt := range batchtest.BenchOptions {
		w := opt.Concurrency
		b.Run(batchtest.BenchName(opt), func(b *testing.B) {
			b.ReportAllocs()
			var tLib, tHand batchtest.Clock
			for range b.N {
				start := batchtest.Now()
				run(sc, slices.Values(snaps), opt)
				tLib.Add(start.Since())
				start = batchtest.Now()
				sink += h.sumAll(snaps, w)
				tHand.Add(start.Since())
			}
			batchtest.ReportRatio(b, batchAccounts, tLib, tHand)
		})
	}
}

// BenchmarkScore scores one account with full explanation into a new Score.
func BenchmarkScore(b *testing.B) {
	spec, _ := benchSpec()
	spec.Rules = []health.Rule{{ID: "r", Reason: "low m0", Metric: "m0", Op: valuepath.Below, Value: 10, Cap: health.Yellow}}
	sc := valuepath.Must(health.NewScorecard(spec))
	_, snaps := benchSnapshots(b, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		s, err := sc.Score(snaps[i%len(snaps)])
		if err != nil {
			b.Fatal(err)
		}
		sink += s.Value
	}
}

// BenchmarkScoreInto scores one account with full explanation into a
// reused Score: the cost of the explanation without the allocation.
func BenchmarkScoreInto(b *testing.B) {
	spec, _ := benchSpec()
	spec.Rules = []health.Rule{{ID: "r", Reason: "low m0", Metric: "m0", Op: valuepath.Below, Value: 10, Cap: health.Yellow}}
	sc := valuepath.Must(health.NewScorecard(spec))
	_, snaps := benchSnapshots(b, 64)
	var dst health.Score
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := sc.ScoreInto(snaps[i%len(snaps)], &dst); err != nil {
			b.Fatal(err)
		}
		sink += dst.Value
	}
}
