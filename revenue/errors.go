package revenue

import (
	"errors"
	"fmt"
)

// Sentinel errors of this package, for [errors.Is]. Validation errors also
// wrap the root package's sentinels such as valuepath.ErrInvalid and
// valuepath.ErrOutOfOrder.
var (
	// ErrUnknownCurrency reports a code missing from the ISO 4217 table.
	ErrUnknownCurrency = errors.New("unknown currency")
	// ErrCurrencyMismatch reports arithmetic or a comparison across two
	// currencies, or data in a currency no exchange rate converts.
	ErrCurrencyMismatch = errors.New("currency mismatch")
	// ErrUndefined reports a ratio whose denominator is zero, such as
	// lifetime value when churn is zero: the answer is not a number.
	ErrUndefined = errors.New("undefined")
	// ErrOverflow reports an amount too large for the fixed-point
	// arithmetic of the MRR bridge.
	ErrOverflow = errors.New("amount too large")
)

// MismatchError reports an operation on two amounts in different
// currencies. It wraps [ErrCurrencyMismatch].
type MismatchError struct {
	Op   string // the operation, e.g. "add"
	A, B Currency
}

// Error says which operation met which two currencies.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("revenue: %s: %v: %q and %q", e.Op, ErrCurrencyMismatch, string(e.A), string(e.B))
}

// Unwrap returns [ErrCurrencyMismatch].
func (e *MismatchError) Unwrap() error { return ErrCurrencyMismatch }
