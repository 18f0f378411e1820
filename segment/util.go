package segment

import (
	"math"
	"strconv"
)

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
