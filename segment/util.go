package segment

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"strconv"
)

// ErrMixedCurrency reports an amount in a currency that a model cannot
// convert to its reporting currency because it has no rate for it.
var ErrMixedCurrency = errors.New("mixed currencies")

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// num formats a float for explanations: at most four decimals, no
// exponent, no trailing zeros ("0.3048", "12", "1250000").
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	r := math.Round(v*1e4) / 1e4
	if math.Abs(v) >= 1e15 || math.IsInf(r, 0) {
		r = v
	}
	s := strconv.FormatFloat(r, 'f', -1, 64)
	if s == "-0" {
		s = "0"
	}
	return s
}

// finite returns v, or 0 if it is NaN or infinite, so no result carries
// either.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
