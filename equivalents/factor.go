package equivalents

import "github.com/shopspring/decimal"

// Factor states that one From is Ratio To, and who says so. A factor is
// applied both ways: forwards it multiplies by Ratio, backwards it divides
// by it. Publish each figure the way its source does (EPA publishes metric
// tons of CO2 per gallon of gasoline, not gallons per ton) so that Ratio
// can be checked against the source by eye.
type Factor struct {
	From Unit `json:"from"`
	To   Unit `json:"to"`
	// Ratio is how many To make one From. It must be positive, within
	// [1e-30, 1e30] (a ratio outside is almost certainly a unit mistake)
	// and have at most 40 significant digits. A figure that arrives as a
	// float64 is decimal.NewFromFloat(r), the shortest decimal that
	// round-trips to it (0.000709 stays 0.000709).
	Ratio decimal.Decimal `json:"ratio"`
	// Source is the justification: a publication, a standard, or the
	// caller's own study. A factor without one is rejected.
	Source string `json:"source"`
	// Edition is the edition or year of the source's figure, so that a newer
	// edition can be added beside it rather than silently replace it.
	Edition string `json:"edition,omitempty"`
	// Note says anything a reader of the figure should know: assumptions,
	// rounding, or doubts.
	Note string `json:"note,omitempty"`
}

// ratioExponent bounds a factor's ratio to [1e-30, 1e30], which keeps
// every chained conversion far from the limits of decimal arithmetic.
const ratioExponent = 30

var (
	minRatio = decimal.New(1, -ratioExponent)
	maxRatio = decimal.New(1, ratioExponent)
)

func checkRatio(r decimal.Decimal) string {
	if r.Sign() <= 0 {
		return "must be > 0, got " + plain(r)
	}
	if r.LessThan(minRatio) || r.GreaterThan(maxRatio) {
		return "must be within [1e-30, 1e30], got " + r.ScientificNotationString()
	}
	if r.NumDigits() > 40 {
		return "more than 40 significant digits"
	}
	return ""
}

// String writes the factor as "1 kwh = 0.000709 t_co2 (source, edition)".
func (f Factor) String() string {
	s := "1 " + string(f.From) + " = " + plain(f.Ratio) + " " + string(f.To) + " (" + f.Source
	if f.Edition != "" {
		s += ", " + f.Edition
	}
	return s + ")"
}
