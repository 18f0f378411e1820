package valuepath

import (
	"fmt"

	"github.com/valuepath/valuepath/internal/short"
)

// Comparison is how a value is compared with a threshold: the one
// comparison vocabulary of the SDK, used by behaviors, rules, triggers and
// alerts alike. Its JSON form is the operator ("<", "<=", ">", ">=", "==",
// "!="). The zero value is not valid.
type Comparison string

// The comparisons.
const (
	Below    Comparison = "<"
	AtMost   Comparison = "<="
	Above    Comparison = ">"
	AtLeast  Comparison = ">="
	Equal    Comparison = "=="
	NotEqual Comparison = "!="
)

// Valid reports whether c is one of the six comparisons.
func (c Comparison) Valid() bool {
	switch c {
	case Below, AtMost, Above, AtLeast, Equal, NotEqual:
		return true
	}
	return false
}

// Holds reports whether "v c threshold" is true, for example
// AtLeast.Holds(0.8, 0.5). An invalid comparison never holds.
func (c Comparison) Holds(v, threshold float64) bool {
	switch c {
	case Below:
		return v < threshold
	case AtMost:
		return v <= threshold
	case Above:
		return v > threshold
	case AtLeast:
		return v >= threshold
	case Equal:
		return v == threshold
	case NotEqual:
		return v != threshold
	}
	return false
}

// String returns the operator.
func (c Comparison) String() string { return string(c) }

// ParseComparison returns the comparison written as s ("<", "<=", ">",
// ">=", "==", "!="), and an error wrapping [ErrInvalid] for anything else.
func ParseComparison(s string) (Comparison, error) {
	c := Comparison(s)
	if !c.Valid() {
		return "", fmt.Errorf("%w: comparison %s: want one of < <= > >= == !=", ErrInvalid, short.Quote(s))
	}
	return c, nil
}

// Direction says which way a value improves. The zero value means
// [HigherIsBetter].
type Direction string

// The directions.
const (
	HigherIsBetter Direction = "higher"
	LowerIsBetter  Direction = "lower"
)

// Valid reports whether d is a direction; the zero value is valid and
// means [HigherIsBetter].
func (d Direction) Valid() bool { return d == "" || d == HigherIsBetter || d == LowerIsBetter }

// Sign returns +1 when higher is better and -1 when lower is better, so
// that Sign()*(new-old) is positive for an improvement.
func (d Direction) Sign() float64 {
	if d == LowerIsBetter {
		return -1
	}
	return 1
}

// Better reports whether a is strictly better than b in direction d.
func (d Direction) Better(a, b float64) bool { return d.Sign()*(a-b) > 0 }
