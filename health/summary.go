package health

import (
	"iter"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
)

// Summary is the part of a [Score] a batch over a whole customer base
// usually keeps: the overall score, its bands and coverage, without the
// per-measure explanation. It is a small value; computing it with
// [Scorecard.SummarizeAll] is the fastest way to score millions of
// accounts. [Scorecard.Score] gives the same Present, Reason, Value, Band,
// DataBand and Coverage with the explanation.
type Summary struct {
	Account valuepath.AccountID `json:"account"`
	AsOf    time.Time           `json:"as_of"`
	// Present and Reason are as in [Score]: Value and Band must not be
	// shown when Present is false.
	Present  bool            `json:"present"`
	Reason   string          `json:"reason,omitempty"`
	Value    float64         `json:"score"`
	Band     Band            `json:"band"`
	DataBand Band            `json:"data_band"`
	Coverage MeasureCoverage `json:"coverage"`
	// Rules counts the rules that fired.
	Rules int `json:"rules"`
}

// summarizer scores snapshots into summaries with scratch space it reuses.
// It is not safe for concurrent use, while the scorecard is.
type summarizer struct {
	sc   *Scorecard
	sums []float64 // per group: weighted sum of available children
	ws   []float64 // per group: weight of available children
	b    *binding  // for the schema seen last
}

func (sc *Scorecard) newSummarizer() *summarizer {
	// The sums are written for every measure: padded to their own cache
	// lines, two summarizers on two cores never share one.
	n := len(sc.groups)
	buf := make([]float64, 2*n+2*pad)
	return &summarizer{sc: sc, sums: buf[pad : pad+n], ws: buf[pad+n : pad+2*n]}
}

// pad is a cache line in float64s.
const pad = 8

// summarizeInto scores snap without explanation into out, which it
// overwrites, and fails as [Scorecard.ScoreInto] does. It does not
// allocate.
func (z *summarizer) summarizeInto(snap *valuepath.Snapshot, out *Summary) error {
	sc := z.sc
	*out = Summary{Coverage: MeasureCoverage{Measures: len(sc.measures)}}
	if snap == nil {
		out.Reason = reasonOf(errNilSnapshot)
		return errNilSnapshot
	}
	out.Account, out.AsOf = snap.Account, snap.AsOf
	b := z.b
	if b == nil || b.schema != snap.Schema() {
		b = sc.bind(snap.Schema())
		z.b = b
	}
	if b.err != nil {
		out.Reason = "not scored: " + reasonOf(b.err)
		return b.err
	}
	pos := b.measures[:len(sc.measures)]
	sums, ws := z.sums[:len(sc.groups)], z.ws[:len(sc.groups)]
	clear(sums)
	clear(ws)
	present, covered := 0, 0.0
	hot := sc.hot
	pos = pos[:len(hot)]
	for i := range hot {
		m := &hot[i]
		{
			v, ok := snap.ValueAt(pos[i])
			if !ok || v-v != 0 {
				goto missing
			}
			var score float64
			if m.inline {
				// scoreOf, inlined for thresholds of up to four points.
				score = m.inlineScore(v)
			} else if score, ok = sc.measures[i].scoreOf(v); !ok {
				goto missing
			}
			present++
			covered += m.share
			sums[m.group] += m.weight * score
			ws[m.group] += m.weight
			continue
		}
	missing:
		if countMissing(m, sums, ws) {
			*out = Summary{Account: out.Account, AsOf: out.AsOf, Coverage: z.coverage(snap, pos)}
			out.Reason = ReasonRequiredMissing
			if out.Coverage.Present == 0 {
				out.Reason = ReasonNoData
			}
			return nil
		}
	}
	if !z.rollUp(out, present, covered) {
		return nil
	}
	if len(sc.rules) > 0 {
		out.Band, out.Rules = sc.ruleBand(snap, b, out.Band)
	}
	return nil
}

// countMissing adds missing measure m to its group's sums and weights as
// its scheme says (neutral, worst or left out) and reports whether the
// summary is cut short instead: a required measure.
func countMissing(m *hotMeasure, sums, ws []float64) (unavailable bool) {
	switch m.missing {
	case missNeutral:
		sums[m.group] += m.weight * NeutralScore
		ws[m.group] += m.weight
	case missWorst:
		ws[m.group] += m.weight
	case missUnavailable:
		return true
	}
	return false
}

// rollUp finishes out from the measures' group sums and weights in z: the
// coverage, each group's score into its parent's, the overall score and its
// band. It reports false, with the reason, when nothing could be scored.
func (z *summarizer) rollUp(out *Summary, present int, covered float64) bool {
	sc := z.sc
	sums, ws := z.sums[:len(sc.groups)], z.ws[:len(sc.groups)]
	out.Coverage.Present, out.Coverage.Weight = present, covered
	var topSum, topW float64
	for i := len(sc.groups) - 1; i >= 0; i-- {
		if ws[i] == 0 {
			continue
		}
		s := clampScore(sums[i] / ws[i])
		g := &sc.groups[i]
		if g.parent >= 0 {
			sums[g.parent] += g.weight * s
			ws[g.parent] += g.weight
		} else {
			topSum += g.weight * s
			topW += g.weight
		}
	}
	if present == 0 || topW == 0 {
		out.Reason = ReasonNoData // see Scorecard.ScoreInto
		return false
	}
	out.Present = true
	out.Value = clampScore(topSum / topW)
	out.DataBand = sc.bands[sc.bands.index(out.Value)].Name
	out.Band = out.DataBand
	return true
}

// coverage counts the usable measures of snap, for a summary cut short by a
// required measure.
func (z *summarizer) coverage(snap *valuepath.Snapshot, pos []int) MeasureCoverage {
	c := MeasureCoverage{Measures: len(z.sc.measures)}
	for i := range z.sc.measures {
		m := &z.sc.measures[i]
		if v, ok := snap.ValueAt(pos[i]); ok && v-v == 0 {
			if _, ok := m.scoreOf(v); ok {
				c.Present++
				c.Weight += m.share
			}
		}
	}
	return c
}

// SummarizeAll scores a stream of snapshots without explanation, in order,
// and yields each summary: the fastest way to score a whole base when only
// the overall score and band are needed. The yielded *Summary is reused: it
// is valid until the loop body returns (copy the value to keep it). A
// snapshot that cannot be scored is yielded with a *valuepath.AccountError
// as in [Scorecard.ScoreAll], and the stream goes on. Metric names are
// resolved once per schema; nothing is allocated per snapshot.
//
// opt.Concurrency sets how many goroutines score: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 scores on the caller's goroutine. Above
// 1, snaps is still ranged over on the caller's goroutine, which scores
// chunks of it beside opt.Concurrency-1 helper goroutines, and each snapshot
// is copied before it is scored, so an iterator that reuses one snapshot is
// safe, unless opt.InPlace says the input stays as it is; results still come
// in input order. For accounts already held in a slice or as columns,
// [Scorecard.SummarizeSlice] and [Scorecard.SummarizeColumns] gain more from
// a second core: the stream's results all come back to one goroutine.
func (sc *Scorecard) SummarizeAll(snaps iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) iter.Seq2[*Summary, error] {
	if n := batch.Workers(opt.Concurrency); n > 1 {
		return func(yield func(*Summary, error) bool) {
			batch.Ordered(snaps, n, batch.PutSnap(opt), func() func(*batch.Snap, *Summary) error {
				z := sc.newSummarizer()
				return func(in *batch.Snap, s *Summary) error {
					if e := z.summarizeInto(in.Get(), s); e != nil {
						return &valuepath.AccountError{Account: s.Account, Err: e}
					}
					return nil
				}
			}, yield)
		}
	}
	return func(yield func(*Summary, error) bool) {
		z := sc.newSummarizer()
		var s Summary
		for snap := range snaps {
			var err error
			if e := z.summarizeInto(snap, &s); e != nil {
				err = &valuepath.AccountError{Account: s.Account, Err: e}
			}
			if !yield(&s, err) {
				return
			}
		}
	}
}

// measureScore scores value v of measure i, like cmeasure.scoreOf but
// reading the packed fields for thresholds of up to four points; the two
// give identical results.
func (sc *Scorecard) measureScore(i int, v float64) (float64, bool) {
	m := &sc.hot[i]
	if !m.inline {
		return sc.measures[i].scoreOf(v)
	}
	return m.inlineScore(v), true
}
