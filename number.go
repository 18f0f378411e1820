package valuepath

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/valuepath/valuepath/internal/strictjson"
)

// Number is a result that may be undefined: a mean, a median, a percentile,
// an AUC, a rate. When Present is false the number does not exist (a median
// of nothing, an AUC without both classes, a ratio over zero), Value is 0
// and must not be shown, and Reason says why. A Number never holds NaN or
// Inf: [Defined] refuses them.
//
// The zero value is absent with no reason; results of this module always
// give one.
type Number struct {
	Value   float64
	Present bool
	Reason  string
}

// Defined returns the present number v. A NaN or infinite v gives an absent
// Number whose reason says so, never a Number holding it.
func Defined(v float64) Number {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Number{Reason: "not a finite number"}
	}
	return Number{Value: v, Present: true}
}

// Absent returns an undefined Number with the reason, such as "no churned
// account in the sample".
func Absent(reason string) Number { return Number{Reason: reason} }

// Get returns the value and whether it is present, the (v, ok) form of
// every lookup in the SDK.
func (n Number) Get() (float64, bool) { return n.Value, n.Present }

// Or returns the value if present and fallback otherwise.
func (n Number) Or(fallback float64) float64 {
	if n.Present {
		return n.Value
	}
	return fallback
}

// String formats a present number with %g and an absent one as
// "absent (reason)".
func (n Number) String() string {
	if n.Present {
		return fmt.Sprint(n.Value)
	}
	if n.Reason == "" {
		return "absent"
	}
	return "absent (" + n.Reason + ")"
}

type numberJSON struct {
	Value  *float64 `json:"value,omitempty"`
	Absent string   `json:"absent,omitempty"`
}

// MarshalJSON writes {"value": 0.81} for a present number and
// {"absent": "reason"} for an absent one, so that no reader sees an
// undefined number as 0.
func (n Number) MarshalJSON() ([]byte, error) {
	if n.Present {
		return json.Marshal(numberJSON{Value: &n.Value})
	}
	r := n.Reason
	if r == "" {
		r = "undefined"
	}
	return json.Marshal(numberJSON{Absent: r})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (n *Number) UnmarshalJSON(b []byte) error {
	var v numberJSON
	if err := strictjson.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("valuepath: number: %w", err)
	}
	switch {
	case v.Value != nil && v.Absent != "":
		return fmt.Errorf("valuepath: number: %w: both value and absent", ErrInvalid)
	case v.Value != nil:
		*n = Defined(*v.Value)
	default:
		*n = Absent(v.Absent)
	}
	return nil
}
