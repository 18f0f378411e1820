package segment

import (
	"fmt"
	"maps"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Amount is a sum of money in one currency: recurring revenue, a contract
// value. The zero value is zero in no currency, which every model here
// rejects as input: money must say what currency it is in.
//
// Amount is deliberately minimal; it should converge with the revenue
// package's money type once both exist.
type Amount struct {
	Value    decimal.Decimal `json:"value"`
	Currency string          `json:"currency"` // ISO 4217 code, e.g. "USD"
}

// USD returns an amount in US dollars parsed from s; it panics if s is not a
// decimal number, so it is meant for tests and literals.
func USD(s string) Amount { return Amount{Value: decimal.RequireFromString(s), Currency: "USD"} }

// String formats the amount with two decimals and its currency, e.g.
// "1250.00 USD".
func (a Amount) String() string { return a.Value.StringFixed(2) + " " + a.Currency }

// validCurrency reports whether c looks like an ISO 4217 code: three
// upper-case ASCII letters.
func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := range 3 {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// converter turns amounts into one reporting currency with fixed rates.
// Conversion is a decimal multiplication, so it is exact.
type converter struct {
	currency string
	rates    map[string]decimal.Decimal
}

// newConverter validates a reporting currency and its rates at path
// (the rates live at path "rates").
func newConverter(c *validate.Collector, currency string, rates map[string]decimal.Decimal) converter {
	if !validCurrency(currency) {
		c.Addf("currency", valuepath.ErrInvalid, "%q is not a three-letter upper-case currency code", currency)
	}
	for _, k := range sortedKeys(rates) {
		path := validate.Key("rates", k)
		switch r := rates[k]; {
		case !validCurrency(k):
			c.Addf(path, valuepath.ErrInvalid, "%q is not a three-letter upper-case currency code", k)
		case k == currency:
			c.Addf(path, valuepath.ErrInvalid, "a rate for the reporting currency itself")
		case r.Sign() <= 0:
			c.Addf(path, valuepath.ErrInvalid, "must be > 0, got %s", r)
		}
	}
	return converter{currency: currency, rates: maps.Clone(rates)}
}

// convert returns a in the reporting currency, and false when a's currency
// has no rate.
func (cv converter) convert(a Amount) (decimal.Decimal, bool) {
	if a.Currency == cv.currency {
		return a.Value, true
	}
	r, ok := cv.rates[a.Currency]
	if !ok {
		return decimal.Decimal{}, false
	}
	return a.Value.Mul(r), true
}

// convertChecked returns a in the reporting currency, and false when it is
// negative or has no rate.
func (cv converter) convertChecked(a Amount) (decimal.Decimal, bool) {
	if a.Value.Sign() < 0 {
		return decimal.Decimal{}, false
	}
	return cv.convert(a)
}

// check records the problems of one input amount at path and returns its
// value in the reporting currency.
func (cv converter) check(c *validate.Collector, path string, a Amount) (decimal.Decimal, bool) {
	if a.Value.Sign() < 0 {
		c.Addf(validate.Field(path, "value"), valuepath.ErrInvalid, "must not be negative, got %s", a.Value)
		return decimal.Decimal{}, false
	}
	v, ok := cv.convert(a)
	if !ok {
		if a.Currency == "" {
			c.Addf(validate.Field(path, "currency"), valuepath.ErrInvalid, "must not be empty")
		} else {
			c.Addf(validate.Field(path, "currency"), ErrMixedCurrency, "%s with %s and no rate for it", quoteCurrency(a.Currency), cv.currency)
		}
		return decimal.Decimal{}, false
	}
	return v, true
}

func quoteCurrency(c string) string {
	if validCurrency(c) {
		return c
	}
	return fmt.Sprintf("%q", c)
}
