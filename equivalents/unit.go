package equivalents

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
)

// Unit names a unit of measure in a catalog, such as "transaction",
// "minute", "fte_year" or "kwh". Names are case-sensitive, must not be
// empty, and mean only what the catalog that declares them says.
type Unit string

// UnitDef declares a unit of a catalog and how people write it.
type UnitDef struct {
	// Name is the unit's name, unique within its catalog.
	Name Unit `json:"name"`
	// Singular is the word for one of the unit ("staff-year"). Empty means
	// the name itself.
	Singular string `json:"singular,omitempty"`
	// Plural is the word for any other amount ("staff-years"). Empty means
	// Singular followed by "s".
	Plural string `json:"plural,omitempty"`
	// Time is the length of one unit when the unit is a span of time, such
	// as 1m for "minute". Formatters then write amounts of it the way people
	// say durations ("1 hour 15 minutes"). Zero means the unit is not a span
	// of time; a staff-year is not, since it counts work, not elapsed time.
	Time valuepath.Duration `json:"time,omitempty"`
}

// Word returns the singular or plural word of u for an amount: singular for
// exactly 1 or -1, plural otherwise ("0 hours", "1 hour", "1.5 hours").
func (u UnitDef) Word(v decimal.Decimal) string {
	if v.Abs().Equal(one) {
		return u.singular()
	}
	return u.plural()
}

func (u UnitDef) singular() string {
	if u.Singular != "" {
		return u.Singular
	}
	return string(u.Name)
}

func (u UnitDef) plural() string {
	if u.Plural != "" {
		return u.Plural
	}
	return u.singular() + "s"
}

// Quantity is an amount of a unit. The zero value is zero of no unit, which
// no catalog accepts.
type Quantity struct {
	Value decimal.Decimal `json:"value"`
	Unit  Unit            `json:"unit"`
}

// Q returns a Quantity of v units of u; for literals and tests, since it
// takes an int64 it cannot fail.
func Q(v int64, u Unit) Quantity { return Quantity{Value: decimal.NewFromInt(v), Unit: u} }

// QuantityOf returns a Quantity of v units of u, for values that arrive as
// float64 (such as a [valuepath.Snapshot] metric). NaN and infinite values
// are rejected with an error wrapping [valuepath.ErrNotFinite]. The decimal
// is the shortest one that round-trips to v, so 0.1 stays 0.1.
func QuantityOf(v float64, u Unit) (Quantity, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Quantity{}, fmt.Errorf("equivalents: quantity of %q: %w: %v", u, valuepath.ErrNotFinite, v)
	}
	return Quantity{Value: decimal.NewFromFloat(v), Unit: u}, nil
}

// String writes the quantity plainly, for logs and debugging: "12408 transaction".
// Use a [Formatter] for text people read.
func (q Quantity) String() string { return plain(q.Value) + " " + string(q.Unit) }

var (
	one = decimal.NewFromInt(1)
)

// Limits on decimals that the package accepts, so that no arithmetic can
// overflow the decimal exponent or take unbounded time: a value's exponent
// must lie within ±maxExp and its coefficient within maxDigits digits.
const (
	maxExp    = 1000
	maxDigits = 200
)

// checkValue reports why d is outside the accepted range, or "" if it is fine.
func checkValue(d decimal.Decimal) string {
	if e := d.Exponent(); e > maxExp || e < -maxExp {
		return fmt.Sprintf("exponent %d is outside ±%d", e, maxExp)
	}
	if d.NumDigits() > maxDigits {
		return fmt.Sprintf("more than %d digits", maxDigits)
	}
	return ""
}

// plain writes d without exponent and without trailing fractional zeros,
// independent of the decimal package's global formatting switches.
func plain(d decimal.Decimal) string {
	if checkValue(d) != "" {
		return d.ScientificNotationString()
	}
	s := d.StringFixed(max(-d.Exponent(), 0))
	return trimZeros(s)
}

func trimZeros(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			j := len(s)
			for j > i+1 && s[j-1] == '0' {
				j--
			}
			if j == i+1 {
				j = i
			}
			return s[:j]
		}
	}
	return s
}
