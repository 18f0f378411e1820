package health_test

import (
	"iter"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

const batchAccounts = 1_000_000

// benchSnapshots returns distinct snapshots on one schema with 12 metrics,
// about 5% of values missing. A stream of a million accounts cycles through
// them, to keep memory small on a shared machine.
func benchSnapshots(b *testing.B, n int) (*valuepath.Schema, []*valuepath.Snapshot) {
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

func stream(snaps []*valuepath.Snapshot, n int) iter.Seq[*valuepath.Snapshot] {
	return func(yield func(*valuepath.Snapshot) bool) {
		for i := range n {
			if !yield(snaps[i%len(snaps)]) {
				return
			}
		}
	}
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

// BenchmarkBatch scores a stream of 1,000,000 accounts × 12 measures in 3
// groups per op, with the scorecard (full explanation into a reused Score)
// and with the hand-written loop; "x-handwritten" is the ratio of the two.
func BenchmarkBatch(b *testing.B) {
	benchAgainstHandWritten(b,
		func(sc *health.Scorecard, s *valuepath.Snapshot) float64 { return valuepath.Must(sc.Score(s)).Value },
		func(sc *health.Scorecard, snaps iter.Seq[*valuepath.Snapshot]) {
			for s, err := range sc.ScoreAll(snaps, valuepath.BatchOptions{Concurrency: 1}) {
				if err != nil {
					panic(err)
				}
				sink += s.Value
			}
		})
}

// BenchmarkSummarizeAll is BenchmarkBatch's ratio for the summary path, which
// computes the same weighted sum as the hand-written loop plus bands,
// coverage and rules: one op is 1,000,000 accounts through each.
func BenchmarkSummarizeAll(b *testing.B) {
	benchAgainstHandWritten(b,
		func(sc *health.Scorecard, s *valuepath.Snapshot) float64 { return summarize(b, sc, s).Value },
		func(sc *health.Scorecard, snaps iter.Seq[*valuepath.Snapshot]) {
			for s, err := range sc.SummarizeAll(snaps, valuepath.BatchOptions{Concurrency: 1}) {
				if err != nil {
					panic(err)
				}
				sink += s.Value
			}
		})
}

// benchAgainstHandWritten times batch, the scorecard's path over a stream
// of 1,000,000 accounts, against the hand-written loop over the same
// stream, alternating the two in every op, after checking with one that
// both compute the same score; it reports both per-account times, their
// ratio ("x-handwritten") and the scorecard's throughput.
func benchAgainstHandWritten(b *testing.B, one func(*health.Scorecard, *valuepath.Snapshot) float64, batch func(*health.Scorecard, iter.Seq[*valuepath.Snapshot])) {
	spec, _ := benchSpec()
	sc := valuepath.Must(health.NewScorecard(spec))
	schema, snaps := benchSnapshots(b, 1024)
	h := newHandWritten(schema)
	// The two must agree, or the comparison means nothing.
	for _, s := range snaps {
		if got, want := one(sc, s), h.score(s); got-want > 1e-9 || want-got > 1e-9 {
			b.Fatalf("scorecard %v, hand-written %v", got, want)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var tScore, tHand time.Duration
	for range b.N {
		start := time.Now()
		batch(sc, stream(snaps, batchAccounts))
		tScore += time.Since(start)
		start = time.Now()
		for s := range stream(snaps, batchAccounts) {
			sink += h.score(s)
		}
		tHand += time.Since(start)
	}
	n := float64(b.N) * batchAccounts
	b.ReportMetric(float64(tScore.Nanoseconds())/n, "ns/account")
	b.ReportMetric(float64(tHand.Nanoseconds())/n, "ns/account-handwritten")
	b.ReportMetric(float64(tScore)/float64(tHand), "x-handwritten")
	b.ReportMetric(n/tScore.Seconds(), "accounts/s")
}

// BenchmarkScoreAll is the scorecard half of BenchmarkBatch on its own: one
// op is 1,000,000 accounts.
func BenchmarkScoreAll(b *testing.B) {
	spec, _ := benchSpec()
	sc := valuepath.Must(health.NewScorecard(spec))
	_, snaps := benchSnapshots(b, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for s, err := range sc.ScoreAll(stream(snaps, batchAccounts), valuepath.BatchOptions{Concurrency: 1}) {
			if err != nil {
				b.Fatal(err)
			}
			sink += s.Value
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batchAccounts, "ns/account")
}

// BenchmarkHandWritten is the baseline half of BenchmarkBatch on its own.
func BenchmarkHandWritten(b *testing.B) {
	_, snaps := benchSnapshots(b, 1024)
	h := newHandWritten(snaps[0].Schema())
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for s := range stream(snaps, batchAccounts) {
			sink += h.score(s)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batchAccounts, "ns/account")
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
