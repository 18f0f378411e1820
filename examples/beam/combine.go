package main

import (
	"cmp"
	"encoding/json"
	"reflect"
	"slices"
	"sort"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

// BaseStats is the base's distribution and the backtest's AUC, as the
// pipeline writes them: one JSON line.
type BaseStats struct {
	// Accounts is the number of accounts scored; Count those with a score
	// present, Unavailable the others, which nothing below includes.
	Accounts    int `json:"accounts"`
	Count       int `json:"count"`
	Unavailable int `json:"unavailable"`
	// Bands counts the scores per band, worst band first, as
	// health.Distribution does.
	Bands []health.BandCount `json:"bands"`
	// Percentiles holds the 10th, 25th, 50th, 75th and 90th percentiles,
	// computed exactly as health.Distribution computes them.
	Percentiles []health.Percentile `json:"percentiles"`
	// Churned and Retained count the present scores by outcome; AUC is
	// backtest.AUC of the present scores against churn.
	Churned  int              `json:"churned"`
	Retained int              `json:"retained"`
	AUC      valuepath.Number `json:"auc"`
}

// percentiles are the ones health.Distribution reports.
var percentiles = []int{10, 25, 50, 75, 90}

// Tally is the accumulator of [baseFn]: how many retained and churned
// accounts have each distinct score, and the band counts. Its size is
// the number of distinct scores, not of accounts, and tallies merge
// exactly, so the combine is exact at any scale: no approximate quantile
// sketch is involved.
type Tally struct {
	Cells       []Cell
	Sorted      int // Cells[:Sorted] is sorted by Value with distinct values
	Bands       []BandTally
	Unavailable int64
}

// Cell counts the accounts with one score.
type Cell struct {
	Value             float64
	Retained, Churned int64
}

// BandTally counts the accounts in one band.
type BandTally struct {
	Band  string
	Count int64
}

// baseFn combines the per-account points into the base's [BaseStats].
type baseFn struct {
	Bands []string // the scorecard's bands, worst first
}

// CreateAccumulator returns an empty tally.
func (f *baseFn) CreateAccumulator() Tally {
	t := Tally{Bands: make([]BandTally, len(f.Bands))}
	for i, b := range f.Bands {
		t.Bands[i].Band = b
	}
	return t
}

// AddInput counts one account.
func (f *baseFn) AddInput(t Tally, p Point) Tally {
	if !p.Present {
		t.Unavailable++
		return t
	}
	c := Cell{Value: p.Value, Retained: 1}
	if p.Churned {
		c = Cell{Value: p.Value, Churned: 1}
	}
	t.Cells = append(t.Cells, c)
	t.Bands = addBand(t.Bands, p.Band, 1)
	// Compact when the unsorted tail has grown as large as the sorted
	// head, so that adding stays amortised O(log n) per account.
	if len(t.Cells)-t.Sorted > max(t.Sorted, 1024) {
		t = compact(t)
	}
	return t
}

// MergeAccumulators adds b's counts to a's.
func (f *baseFn) MergeAccumulators(a, b Tally) Tally {
	a.Cells = append(a.Cells, b.Cells...)
	for _, bt := range b.Bands {
		a.Bands = addBand(a.Bands, bt.Band, bt.Count)
	}
	a.Unavailable += b.Unavailable
	return compact(a)
}

// ExtractOutput computes the statistics and returns them as one JSON line.
func (f *baseFn) ExtractOutput(t Tally) string {
	line, err := json.Marshal(stats(compact(t)))
	if err != nil {
		// BaseStats holds only finite numbers and strings.
		panic(err)
	}
	return string(line)
}

func addBand(bands []BandTally, band string, n int64) []BandTally {
	for i := range bands {
		if bands[i].Band == band {
			bands[i].Count += n
			return bands
		}
	}
	return append(bands, BandTally{Band: band, Count: n})
}

// compact sorts t's cells and merges equal scores.
func compact(t Tally) Tally {
	cells := slices.Clone(t.Cells)
	slices.SortFunc(cells, func(a, b Cell) int { return cmp.Compare(a.Value, b.Value) })
	out := cells[:0]
	for _, c := range cells {
		if n := len(out); n > 0 && out[n-1].Value == c.Value {
			out[n-1].Retained += c.Retained
			out[n-1].Churned += c.Churned
			continue
		}
		out = append(out, c)
	}
	t.Cells, t.Sorted = out, len(out)
	return t
}

// stats computes the statistics of a compacted tally with the same
// arithmetic, in the same order, as health.Distribution and backtest.AUC,
// so that the results are equal to theirs to the last bit.
func stats(t Tally) BaseStats {
	var s BaseStats
	cum := make([]int64, len(t.Cells)) // accounts with a score ≤ Cells[i].Value
	var n, churned int64
	for i, c := range t.Cells {
		n += c.Retained + c.Churned
		churned += c.Churned
		cum[i] = n
	}
	s.Count, s.Unavailable = int(n), int(t.Unavailable)
	s.Accounts = s.Count + s.Unavailable
	s.Churned, s.Retained = int(churned), int(n-churned)
	for _, b := range t.Bands {
		s.Bands = append(s.Bands, health.BandCount{Band: health.Band(b.Band), Count: int(b.Count), Share: share(b.Count, n)})
	}
	// at returns the k-th smallest score (0-based).
	at := func(k int64) float64 {
		return t.Cells[sort.Search(len(cum), func(i int) bool { return cum[i] > k })].Value
	}
	for _, p := range percentiles {
		q := valuepath.Absent("no score present")
		if n > 0 {
			q = valuepath.Defined(quantile(at, n, float64(p)/100))
		}
		s.Percentiles = append(s.Percentiles, health.Percentile{P: p, Value: q})
	}
	s.AUC = auc(t.Cells, churned, n-churned)
	return s
}

// quantile is the q-quantile of n sorted values read through at, by linear
// interpolation between closest ranks: the method of health.Distribution.
func quantile(at func(int64) float64, n int64, q float64) float64 {
	h := q * float64(n-1)
	lo := int64(h)
	if lo+1 >= n {
		return at(n - 1)
	}
	a := at(lo)
	return a + (h-float64(lo))*(at(lo+1)-a)
}

// auc is the probability that a retained account scores above a churned
// one, ties counting half: backtest.AUC over the cells.
func auc(cells []Cell, churned, retained int64) valuepath.Number {
	switch {
	case churned == 0:
		return valuepath.Absent("no churned account")
	case retained == 0:
		return valuepath.Absent("no retained account")
	}
	var wins float64
	var below int64 // churned accounts with a lower score
	for _, c := range cells {
		if c.Retained > 0 {
			wins += float64(c.Retained) * (float64(below) + 0.5*float64(c.Churned))
		}
		below += c.Churned
	}
	return valuepath.Defined(wins / (float64(retained) * float64(churned)))
}

// share is k/n, absent when no score is present.
func share(k, n int64) valuepath.Number {
	if n == 0 {
		return valuepath.Absent("no score present")
	}
	return valuepath.Defined(float64(k) / float64(n))
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
