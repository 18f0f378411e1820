package valuepath

import (
	"encoding/json"
	"fmt"

	"github.com/valuepath/valuepath/internal/plaindec"
	"github.com/valuepath/valuepath/internal/short"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath/internal/strictjson"
)

// Money is an immutable amount of one currency, the SDK's one money type:
// every amount in every package is a Money. Arithmetic between two
// currencies is an error, never a silent mix. Amounts keep every digit they
// are given; [Money.Round] rounds to the currency's minor units when the
// caller decides to.
//
// The zero value has no currency and is not valid ([Money.Valid] reports
// false); arithmetic with it fails with a [*MismatchError].
type Money struct {
	amount   decimal.Decimal
	currency Currency
}

// NewMoney returns amount in currency, and an error wrapping [ErrUnknownCurrency]
// if the code is not in the ISO 4217 table.
func NewMoney(amount decimal.Decimal, currency Currency) (Money, error) {
	if !currency.Valid() {
		return Money{}, fmt.Errorf("valuepath: %w %q", ErrUnknownCurrency, string(currency))
	}
	return Money{amount: amount, currency: currency}, nil
}

// ParseMoney returns the amount written in decimal notation ("1234.50") in
// currency. It rejects malformed numbers and unknown codes.
func ParseMoney(amount string, currency string) (Money, error) {
	c, err := ParseCurrency(currency)
	if err != nil {
		return Money{}, fmt.Errorf("valuepath: %w", err)
	}
	d, err := parseDecimal(amount)
	if err != nil {
		return Money{}, fmt.Errorf("valuepath: amount: %w", err)
	}
	return Money{amount: d, currency: c}, nil
}

// ZeroMoney returns zero in currency. An unknown code gives an invalid Money.
func ZeroMoney(currency Currency) Money {
	if !currency.Valid() {
		return Money{}
	}
	return Money{currency: currency}
}

// parseDecimal parses an amount in plain decimal notation (see
// [plaindec.Parse]) with an error that quotes a short prefix of s.
func parseDecimal(s string) (decimal.Decimal, error) {
	d, ok := plaindec.Parse(s)
	switch {
	case ok:
	case len(s) > plaindec.MaxLen:
		return decimal.Decimal{}, fmt.Errorf("%w: %s is longer than %d characters", ErrInvalid, short.Quote(s), plaindec.MaxLen)
	default:
		return decimal.Decimal{}, fmt.Errorf("%w: %s is not a decimal number", ErrInvalid, short.Quote(s))
	}
	if len(d.String()) > plaindec.MaxLen {
		// ".5…" of 64 characters is "0.5…" of 65 written out: an amount
		// this reader could not read back.
		return decimal.Decimal{}, fmt.Errorf("%w: %s is longer than %d characters written in full", ErrInvalid, short.Quote(s), plaindec.MaxLen)
	}
	return d, nil
}

// Amount returns the amount.
func (m Money) Amount() decimal.Decimal { return m.amount }

// Currency returns the currency.
func (m Money) Currency() Currency { return m.currency }

// Valid reports whether m has a known currency; the zero Money has none.
func (m Money) Valid() bool { return m.currency.Valid() }

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.amount.IsZero() }

// Sign returns -1, 0 or +1 as the amount is negative, zero or positive.
func (m Money) Sign() int { return m.amount.Sign() }

func (m Money) same(op string, o Money) error {
	if m.currency != o.currency || !m.currency.Valid() {
		return &MismatchError{Op: op, A: m.currency, B: o.currency}
	}
	return nil
}

// Add returns m + o; both must be in the same currency.
func (m Money) Add(o Money) (Money, error) {
	if err := m.same("add", o); err != nil {
		return Money{}, err
	}
	return Money{amount: m.amount.Add(o.amount), currency: m.currency}, nil
}

// Sub returns m - o; both must be in the same currency.
func (m Money) Sub(o Money) (Money, error) {
	if err := m.same("subtract", o); err != nil {
		return Money{}, err
	}
	return Money{amount: m.amount.Sub(o.amount), currency: m.currency}, nil
}

// Cmp compares m and o (-1, 0, +1); both must be in the same currency.
func (m Money) Cmp(o Money) (int, error) {
	if err := m.same("compare", o); err != nil {
		return 0, err
	}
	return m.amount.Cmp(o.amount), nil
}

// Neg returns -m.
func (m Money) Neg() Money { return Money{amount: m.amount.Neg(), currency: m.currency} }

// Abs returns |m|.
func (m Money) Abs() Money { return Money{amount: m.amount.Abs(), currency: m.currency} }

// Mul returns m × k, exactly.
func (m Money) Mul(k decimal.Decimal) Money {
	return Money{amount: m.amount.Mul(k), currency: m.currency}
}

// Div returns m ÷ k rounded half-even to places decimal places. Division is
// the one operation that cannot be exact, so the precision is always the
// caller's explicit choice (never decimal.DivisionPrecision). Dividing by
// zero is an error wrapping [ErrUndefined].
func (m Money) Div(k decimal.Decimal, places int32) (Money, error) {
	if k.IsZero() {
		return Money{}, fmt.Errorf("valuepath: divide %s by zero: %w", m, ErrUndefined)
	}
	return Money{amount: divRound(m.amount, k, places, HalfEven), currency: m.currency}, nil
}

// Round returns m rounded to its currency's minor units (cents for USD, none
// for JPY) with mode.
func (m Money) Round(mode RoundingMode) Money {
	places, ok := m.currency.MinorUnits()
	if !ok {
		return m
	}
	return m.RoundTo(places, mode)
}

// RoundTo returns m rounded to places decimal places with mode.
func (m Money) RoundTo(places int32, mode RoundingMode) Money {
	return Money{amount: round(m.amount, places, mode), currency: m.currency}
}

// String formats m as "USD 1234.50", with at least the currency's minor
// units.
func (m Money) String() string {
	if !m.Valid() {
		return m.amount.String()
	}
	return string(m.currency) + " " + m.text()
}

// text writes the amount with every digit it has and at least the
// currency's minor units.
func (m Money) text() string {
	places, _ := m.currency.MinorUnits()
	t := m.amount.StringFixed(max(places, -m.amount.Exponent()))
	if len(t) > plaindec.MaxLen {
		// Padding to the minor units would make an amount ParseMoney
		// accepted too long for it to read back: write the digits as
		// they are.
		t = m.amount.String()
	}
	return t
}

type moneyJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// MarshalJSON writes {"amount": "1234.50", "currency": "USD"}: the amount is
// a string so no JSON reader turns it into a float.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(moneyJSON{Amount: m.text(), Currency: string(m.currency)})
}

// UnmarshalJSON reads {"amount": "…", "currency": "…"}, rejecting unknown
// fields, unknown codes and malformed amounts.
func (m *Money) UnmarshalJSON(b []byte) error {
	var v moneyJSON
	if err := strictjson.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("valuepath: money: %w", err)
	}
	p, err := ParseMoney(v.Amount, v.Currency)
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// RoundingMode says how an amount is rounded to fewer decimal places. The
// zero value is [HalfEven], the banker's rounding accounting systems use
// because it does not drift upwards over many roundings.
type RoundingMode uint8

// The rounding modes.
const (
	HalfEven RoundingMode = iota // to nearest, ties to even: 2.345 → 2.34
	HalfUp                       // to nearest, ties away from zero: 2.345 → 2.35
	Down                         // towards zero (truncate)
	Up                           // away from zero
	Floor                        // towards negative infinity
	Ceiling                      // towards positive infinity
)

var roundingNames = [...]string{"half_even", "half_up", "down", "up", "floor", "ceiling"}

// String returns the mode's name, e.g. "half_even".
func (r RoundingMode) String() string {
	if int(r) < len(roundingNames) {
		return roundingNames[r]
	}
	return fmt.Sprintf("RoundingMode(%d)", uint8(r))
}

func round(d decimal.Decimal, places int32, mode RoundingMode) decimal.Decimal {
	switch mode {
	case HalfUp:
		return d.Round(places)
	case Down:
		return d.RoundDown(places)
	case Up:
		return d.RoundUp(places)
	case Floor:
		return d.RoundFloor(places)
	case Ceiling:
		return d.RoundCeil(places)
	default:
		return d.RoundBank(places)
	}
}

// divRound divides with two guard digits and then rounds with mode, so the
// result never depends on decimal.DivisionPrecision.
func divRound(a, b decimal.Decimal, places int32, mode RoundingMode) decimal.Decimal {
	if mode == HalfUp {
		return a.DivRound(b, places)
	}
	q, r := a.QuoRem(b, places)
	if r.IsZero() {
		return q
	}
	// Decide from the exact remainder: compare 2|r| with |b| scaled.
	unit := decimal.New(1, -places)
	twice := r.Abs().Mul(decimal.NewFromInt(2))
	cmp := twice.Cmp(b.Abs().Mul(unit))
	neg := a.Sign()*b.Sign() < 0
	away := false
	switch mode {
	case Down:
	case Up:
		away = true
	case Floor:
		away = neg
	case Ceiling:
		away = !neg
	default: // HalfEven
		away = cmp > 0 || (cmp == 0 && q.Shift(places).BigInt().Bit(0) == 1)
	}
	if !away {
		return q
	}
	if neg {
		return q.Sub(unit)
	}
	return q.Add(unit)
}

// DivRound returns a ÷ b rounded to places decimal places with mode. It is
// the package's one way to divide decimals, never relying on
// decimal.DivisionPrecision. Dividing by zero is an error wrapping
// [ErrUndefined].
func DivRound(a, b decimal.Decimal, places int32, mode RoundingMode) (decimal.Decimal, error) {
	if b.IsZero() {
		return decimal.Decimal{}, fmt.Errorf("valuepath: divide %s by zero: %w", a, ErrUndefined)
	}
	return divRound(a, b, places, mode), nil
}
