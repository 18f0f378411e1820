// Package stats holds the descriptive statistics that several valuepath
// packages use. Every function documents what it does with empty input;
// none returns NaN or Inf for finite input.
package stats

import (
	"math"
	"slices"
)

// Mean returns the arithmetic mean of xs, and 0 for empty input. The mean
// of finite values is finite: the sum is compensated, and scaled by the
// largest magnitude when it would overflow.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var k Sum
	for _, x := range xs {
		k.Add(x)
	}
	if s := k.Value(); !math.IsNaN(s) && !math.IsInf(s, 0) {
		return s / float64(len(xs))
	}
	scale := 0.0
	for _, x := range xs {
		scale = max(scale, math.Abs(x))
	}
	if scale == 0 || math.IsInf(scale, 0) || math.IsNaN(scale) {
		return math.NaN() // a non-finite input: the caller's to reject
	}
	k = Sum{}
	for _, x := range xs {
		k.Add(x / scale)
	}
	return k.Value() / float64(len(xs)) * scale
}

// Sum is a running sum with Neumaier's compensation: the rounding error of
// each addition is carried apart and added back at the end, so that a sum
// of many terms of mixed size and sign stays exact to a few ulps. The zero
// value is an empty sum. When a partial sum overflows, Value is ±Inf or
// NaN; callers that must stay finite rescale and sum again.
type Sum struct {
	s, c float64
}

// Add adds x to the sum.
func (k *Sum) Add(x float64) {
	t := k.s + x
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += (k.s - t) + x
	} else {
		k.c += (x - t) + k.s
	}
	k.s = t
}

// Value returns the compensated sum.
func (k *Sum) Value() float64 { return k.s + k.c }

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of sorted by linear
// interpolation between closest ranks (Hyndman and Fan type 7, the default of
// R and NumPy). sorted must be in ascending order; q is clamped to [0, 1].
// It returns 0 for empty input.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if math.IsNaN(q) || q <= 0 {
		return sorted[0]
	}
	if q >= 1 {
		return sorted[n-1]
	}
	h := q * float64(n-1)
	lo := int(h)
	if lo+1 >= n {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// Median returns the median of sorted (ascending), and 0 for empty input.
func Median(sorted []float64) float64 { return Quantile(sorted, 0.5) }

// Sorted returns a sorted copy of xs; xs is not modified.
func Sorted(xs []float64) []float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s
}

// PercentRank returns the share of sorted (ascending) that is below v, with
// ties counting one half: 0 when v is below everything, 1 when above,
// 0.5 for the median of distinct values. It returns 0.5 for empty input.
func PercentRank(sorted []float64, v float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0.5
	}
	lo, _ := slices.BinarySearch(sorted, v)
	hi := lo
	for hi < n && sorted[hi] == v {
		hi++
	}
	return (float64(lo) + 0.5*float64(hi-lo)) / float64(n)
}

// Histogram counts xs into len(edges)-1 bins [edges[i], edges[i+1]); the last
// bin also holds values equal to its upper edge. Values outside every bin are
// not counted. edges must be ascending with at least two entries; otherwise
// Histogram returns nil.
func Histogram(xs, edges []float64) []int {
	if len(edges) < 2 || !slices.IsSorted(edges) {
		return nil
	}
	counts := make([]int, len(edges)-1)
	last := len(edges) - 1
	for _, x := range xs {
		if x < edges[0] || x > edges[last] || math.IsNaN(x) {
			continue
		}
		i, found := slices.BinarySearch(edges, x)
		if !found {
			i--
		}
		if i >= len(counts) {
			i = len(counts) - 1
		}
		counts[i]++
	}
	return counts
}
