package segment

import (
	"maps"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// converter turns amounts into one reporting currency with fixed rates.
// Conversion is a decimal multiplication, so it is exact.
type converter struct {
	currency valuepath.Currency
	rates    map[valuepath.Currency]decimal.Decimal // keys in ISO form
}

// newConverter validates a reporting currency and its rates, codes in
// either case, and records every problem in c (the currency at path
// "currency", the rates at "rates[…]").
func newConverter(c *validate.Collector, currency valuepath.Currency, rates map[valuepath.Currency]decimal.Decimal) converter {
	cur, err := valuepath.ParseCurrency(string(currency))
	if err != nil {
		c.Add("currency", err)
	}
	cv := converter{currency: cur, rates: make(map[valuepath.Currency]decimal.Decimal, len(rates))}
	given := map[valuepath.Currency]valuepath.Currency{} // ISO form → key as written
	for _, k := range slices.Sorted(maps.Keys(rates)) {
		path := validate.Key("rates", string(k))
		iso, err := valuepath.ParseCurrency(string(k))
		switch r := rates[k]; {
		case err != nil:
			c.Add(path, err)
		case iso == cur:
			c.Addf(path, valuepath.ErrInvalid, "a rate for the reporting currency itself")
		case r.Sign() <= 0:
			c.Addf(path, valuepath.ErrInvalid, "must be > 0, got %s", r)
		default:
			if first, dup := given[iso]; dup {
				c.Addf(path, valuepath.ErrDuplicate, "%s is also given as %q", iso, first)
			}
			given[iso] = k
			cv.rates[iso] = r
		}
	}
	return cv
}

// convert returns m's amount in the reporting currency, and false when m's
// currency has no rate.
func (cv converter) convert(m valuepath.Money) (decimal.Decimal, bool) {
	if cur := m.Currency(); cur == cv.currency {
		return m.Amount(), true
	} else if r, ok := cv.rates[cur]; ok {
		return m.Amount().Mul(r), true
	}
	return decimal.Decimal{}, false
}

// convertChecked returns m in the reporting currency, and false when it is
// negative or has no rate.
func (cv converter) convertChecked(m valuepath.Money) (decimal.Decimal, bool) {
	if m.Sign() < 0 {
		return decimal.Decimal{}, false
	}
	return cv.convert(m)
}

// check records the problems of one input amount at path and returns its
// value in the reporting currency. The paths name the fields of the
// amount's JSON form: path.amount, path.currency.
func (cv converter) check(c *validate.Collector, path string, m valuepath.Money) (decimal.Decimal, bool) {
	switch {
	case !m.Valid():
		c.Addf(validate.Field(path, "currency"), valuepath.ErrUnknownCurrency, "an amount needs a currency")
		return decimal.Decimal{}, false
	case m.Sign() < 0:
		c.Addf(validate.Field(path, "amount"), valuepath.ErrInvalid, "must not be negative, got %s", m.Amount())
		return decimal.Decimal{}, false
	}
	v, ok := cv.convert(m)
	if !ok {
		c.Addf(validate.Field(path, "currency"), valuepath.ErrCurrencyMismatch, "%s with %s and no rate for it", m.Currency(), cv.currency)
	}
	return v, ok
}

// money returns v in the reporting currency. The currency was validated
// when the model was built, so this cannot fail.
func (cv converter) money(v decimal.Decimal) valuepath.Money {
	m, _ := valuepath.NewMoney(v, cv.currency)
	return m
}
