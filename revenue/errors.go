package revenue

import (
	"errors"
	"fmt"

	"github.com/valuepath/valuepath/internal/plaindec"
	"github.com/valuepath/valuepath/internal/short"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// ErrOverflow reports an amount too large for the fixed-point arithmetic of
// the MRR bridge. Other errors of this package wrap the root package's
// sentinels, such as valuepath.ErrInvalid, valuepath.ErrOutOfOrder,
// valuepath.ErrUnknownCurrency and valuepath.ErrCurrencyMismatch.
var ErrOverflow = errors.New("amount too large")

// money returns amount in cur. Every currency that reaches it has been
// checked, so it cannot fail; an unknown code gives the invalid zero Money.
func money(amount decimal.Decimal, cur valuepath.Currency) valuepath.Money {
	m, _ := valuepath.NewMoney(amount, cur)
	return m
}

// sameCurrency returns a *valuepath.MismatchError unless a and b share a
// known currency.
func sameCurrency(op string, a, b valuepath.Money) error {
	if a.Currency() != b.Currency() || !a.Valid() {
		return &valuepath.MismatchError{Op: op, A: a.Currency(), B: b.Currency()}
	}
	return nil
}

// isoCurrency returns c in its ISO form, accepting either case as
// valuepath.ParseCurrency does, and false if it is not a known code.
func isoCurrency(c valuepath.Currency) (valuepath.Currency, bool) {
	if c.Valid() {
		return c, true
	}
	p, err := valuepath.ParseCurrency(string(c))
	return p, err == nil
}

// checkCurrency records a problem at path unless cur is a known code, and
// returns it in ISO form.
func checkCurrency(c *validate.Collector, path string, cur valuepath.Currency) (valuepath.Currency, bool) {
	iso, ok := isoCurrency(cur)
	switch {
	case cur == "":
		c.Addf(path, valuepath.ErrInvalid, "must not be empty")
	case !ok:
		c.Addf(path, valuepath.ErrUnknownCurrency, "%q is not an ISO 4217 code", string(cur))
	default:
		return iso, true
	}
	return "", false
}

// parseDecimal parses an amount in plain decimal notation (see
// [plaindec.Parse]) with an error that quotes a short prefix of s.
func parseDecimal(s string) (decimal.Decimal, error) {
	d, ok := plaindec.Parse(s)
	switch {
	case ok:
	case len(s) > plaindec.MaxLen:
		return decimal.Decimal{}, fmt.Errorf("%w: %s is longer than %d characters", valuepath.ErrInvalid, short.Quote(s), plaindec.MaxLen)
	default:
		return decimal.Decimal{}, fmt.Errorf("%w: %s is not a decimal number", valuepath.ErrInvalid, short.Quote(s))
	}
	return d, nil
}
