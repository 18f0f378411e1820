package health

import (
	"iter"
	"time"

	"github.com/valuepath/valuepath"
)

// Summary is the part of a [Score] a batch over a whole customer base
// usually keeps: the overall score, its bands and coverage, without the
// per-measure explanation. It is a small value; computing it is the fastest
// way to score millions of accounts. [Scorecard.Score] gives the same
// Value, Band, DataBand and Coverage with the explanation.
type Summary struct {
	Account   valuepath.AccountID `json:"account"`
	AsOf      time.Time           `json:"as_of"`
	Available bool                `json:"available"`
	Value     float64             `json:"score"`
	Band      Band                `json:"band"`
	DataBand  Band                `json:"data_band"`
	Coverage  Coverage            `json:"coverage"`
	// Rules counts the rules that fired.
	Rules int `json:"rules"`
}

// Summarizer scores snapshots into summaries with scratch space it reuses.
// Get one from [Scorecard.Summarizer]; it is not safe for concurrent use
// (use one per goroutine), while the scorecard is.
type Summarizer struct {
	sc   *Scorecard
	sums []float64 // per group: weighted sum of available children
	ws   []float64 // per group: weight of available children
	b    *binding  // for the schema seen last
}

// Summarizer returns a [Summarizer] for sc.
func (sc *Scorecard) Summarizer() *Summarizer {
	return &Summarizer{sc: sc, sums: make([]float64, len(sc.groups)), ws: make([]float64, len(sc.groups))}
}

// Summarize scores snap without explanation and without allocating.
func (z *Summarizer) Summarize(snap *valuepath.Snapshot) Summary {
	var out Summary
	z.summarizeInto(snap, &out)
	return out
}

// summarizeInto is Summarize writing into out, which it overwrites.
func (z *Summarizer) summarizeInto(snap *valuepath.Snapshot, out *Summary) {
	sc := z.sc
	*out = Summary{Coverage: Coverage{Measures: len(sc.measures)}}
	if snap == nil {
		return
	}
	out.Account, out.AsOf = snap.Account, snap.AsOf
	b := z.b
	if b == nil || b.schema != snap.Schema() {
		b = sc.bind(snap.Schema())
		z.b = b
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
		p := pos[i]
		if p < 0 {
			goto missing
		}
		{
			v, ok := snap.ValueAt(p)
			if !ok || v-v != 0 {
				goto missing
			}
			var score float64
			if m.inline {
				// scoreOf, inlined for thresholds of up to four points.
				switch {
				case v <= m.lo.Value:
					score = m.lo.Score
				case v > m.hi.Value:
					score = m.hi.Score
				default:
					k := 1
					for v > m.pv[k&3] {
						k++
					}
					k &= 3
					score = m.ps[k-1] + (v-m.pv[k-1])*m.sl[k]
					if score != score || score < 0 || score > 100 {
						score = interpolate(Point{Value: m.pv[k-1], Score: m.ps[k-1]}, m.sl[k], v)
					}
				}
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
		switch m.missing {
		case missNeutral:
			sums[m.group] += m.weight * NeutralScore
			ws[m.group] += m.weight
		case missWorst:
			ws[m.group] += m.weight
		case missUnavailable:
			*out = Summary{Account: out.Account, AsOf: out.AsOf, Coverage: z.coverage(snap, pos)}
			return
		}
	}
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
		return // no measure had data: see Scorecard.ScoreInto
	}
	out.Available = true
	out.Value = clampScore(topSum / topW)
	out.DataBand = sc.bands[sc.bands.index(out.Value)].Name
	out.Band = out.DataBand
	if len(sc.rules) > 0 {
		out.Band, out.Rules = sc.ruleBand(snap, b, out.Band)
	}
}

// coverage counts the usable measures of snap, for a summary cut short by a
// required measure.
func (z *Summarizer) coverage(snap *valuepath.Snapshot, pos []int) Coverage {
	c := Coverage{Measures: len(z.sc.measures)}
	for i := range z.sc.measures {
		m := &z.sc.measures[i]
		if pos[i] < 0 {
			continue
		}
		if v, ok := snap.ValueAt(pos[i]); ok && v-v == 0 {
			if _, ok := m.scoreOf(v); ok {
				c.Present++
				c.Weight += m.share
			}
		}
	}
	return c
}

// Summaries scores a stream of snapshots without explanation and yields
// each account with its summary. Metric names are resolved once per schema;
// nothing is allocated per snapshot.
func (sc *Scorecard) Summaries(snaps iter.Seq[*valuepath.Snapshot]) iter.Seq2[valuepath.AccountID, Summary] {
	return func(yield func(valuepath.AccountID, Summary) bool) {
		z := sc.Summarizer()
		var s Summary
		for snap := range snaps {
			z.summarizeInto(snap, &s)
			if !yield(s.Account, s) {
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
	switch {
	case v <= m.lo.Value:
		return m.lo.Score, true
	case v > m.hi.Value:
		return m.hi.Score, true
	}
	k := 1
	for v > m.pv[k&3] {
		k++
	}
	k &= 3
	score := m.ps[k-1] + (v-m.pv[k-1])*m.sl[k]
	if score != score || score < 0 || score > 100 {
		score = interpolate(Point{Value: m.pv[k-1], Score: m.ps[k-1]}, m.sl[k], v)
	}
	return score, true
}
