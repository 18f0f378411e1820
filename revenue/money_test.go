package revenue_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             string
		err              error
	}{
		{"1234.5", "USD", "USD 1234.50", nil},
		{"-3", "JPY", "JPY -3", nil},
		{"0.125", "KWD", "KWD 0.125", nil},
		{"1.23456", "EUR", "EUR 1.23456", nil},
		{"+7", "GBP", "GBP 7.00", nil},
		{"12", "usd", "", revenue.ErrUnknownCurrency},
		{"12", "XYZ", "", revenue.ErrUnknownCurrency},
		{"12", "", "", revenue.ErrUnknownCurrency},
		{"1e9999999", "USD", "", valuepath.ErrInvalid},
		{"1.2.3", "USD", "", valuepath.ErrInvalid},
		{"", "USD", "", valuepath.ErrInvalid},
		{"-", "USD", "", valuepath.ErrInvalid},
		{"NaN", "USD", "", valuepath.ErrInvalid},
	}
	for _, tt := range tests {
		m, err := revenue.ParseMoney(tt.amount, tt.currency)
		if !errors.Is(err, tt.err) {
			t.Errorf("ParseMoney(%q, %q) error = %v, want %v", tt.amount, tt.currency, err, tt.err)
			continue
		}
		if err == nil {
			if diff := cmp.Diff(tt.want, m.String()); diff != "" {
				t.Errorf("ParseMoney(%q, %q) (-want +got):\n%s", tt.amount, tt.currency, diff)
			}
		}
	}
}

func TestMoneyArithmetic(t *testing.T) {
	usd := revenue.MustParseMoney("10.005", "USD")
	eur := revenue.MustParseMoney("1", "EUR")
	sum, err := usd.Add(revenue.MustParseMoney("0.995", "USD"))
	if err != nil || sum.String() != "USD 11.000" {
		t.Errorf("Add = %v, %v; want USD 11.000", sum, err)
	}
	diff, err := usd.Sub(revenue.MustParseMoney("20", "USD"))
	if err != nil || diff.String() != "USD -9.995" {
		t.Errorf("Sub = %v, %v; want USD -9.995", diff, err)
	}
	_, err = usd.Add(eur)
	var me *revenue.MismatchError
	if !errors.As(err, &me) || !errors.Is(err, revenue.ErrCurrencyMismatch) || me.A != "USD" || me.B != "EUR" {
		t.Errorf("USD + EUR error = %v, want a MismatchError USD/EUR", err)
	}
	if _, err := (revenue.Money{}).Add(revenue.Money{}); !errors.Is(err, revenue.ErrCurrencyMismatch) {
		t.Errorf("zero + zero error = %v, want a mismatch: the zero Money has no currency", err)
	}
	if _, err := usd.Cmp(eur); !errors.Is(err, revenue.ErrCurrencyMismatch) {
		t.Errorf("Cmp across currencies error = %v", err)
	}
	third, err := revenue.MustParseMoney("100", "USD").Div(decimal.NewFromInt(3), 4)
	if err != nil || third.String() != "USD 33.3333" {
		t.Errorf("Div = %v, %v; want USD 33.3333", third, err)
	}
	if _, err := usd.Div(decimal.Zero, 2); !errors.Is(err, revenue.ErrUndefined) {
		t.Errorf("Div by zero error = %v, want ErrUndefined", err)
	}
}

func TestMoneyRound(t *testing.T) {
	tests := []struct {
		amount string
		mode   revenue.RoundingMode
		want   string
	}{
		{"2.345", revenue.HalfEven, "2.34"},
		{"2.355", revenue.HalfEven, "2.36"},
		{"2.345", revenue.HalfUp, "2.35"},
		{"-2.345", revenue.HalfUp, "-2.35"},
		{"2.349", revenue.Down, "2.34"},
		{"-2.349", revenue.Down, "-2.34"},
		{"2.341", revenue.Up, "2.35"},
		{"-2.341", revenue.Floor, "-2.35"},
		{"2.341", revenue.Ceiling, "2.35"},
		{"-2.349", revenue.Ceiling, "-2.34"},
	}
	for _, tt := range tests {
		got := revenue.MustParseMoney(tt.amount, "USD").Round(tt.mode).Amount().StringFixed(2)
		if got != tt.want {
			t.Errorf("Round(%s, %v) = %s, want %s", tt.amount, tt.mode, got, tt.want)
		}
	}
	if got := revenue.MustParseMoney("2.5", "JPY").Round(revenue.HalfEven).String(); got != "JPY 2" {
		t.Errorf("JPY rounds to whole yen: got %s", got)
	}
}

func TestMoneyDivRoundingModes(t *testing.T) {
	// -10 / 3 = -3.333…, 10 / 4 = 2.5 (a tie at 0 places).
	tests := []struct {
		a, b string
		mode revenue.RoundingMode
		want string
	}{
		{"10", "4", revenue.HalfEven, "2"},
		{"14", "4", revenue.HalfEven, "4"},
		{"-10", "3", revenue.HalfEven, "-3"},
		{"-10", "3", revenue.Floor, "-4"},
		{"-10", "3", revenue.Ceiling, "-3"},
		{"10", "3", revenue.Up, "4"},
		{"10", "3", revenue.Down, "3"},
		{"10", "4", revenue.HalfUp, "3"},
		{"1", "0", revenue.HalfEven, "error"},
	}
	for _, tt := range tests {
		got, err := revenue.DivRound(decimal.RequireFromString(tt.a), decimal.RequireFromString(tt.b), 0, tt.mode)
		s := got.String()
		if err != nil {
			s = "error"
		}
		if s != tt.want {
			t.Errorf("DivRound(%s/%s, %v) = %s (%v), want %s", tt.a, tt.b, tt.mode, got, err, tt.want)
		}
	}
}

func TestMoneyJSON(t *testing.T) {
	m := revenue.MustParseMoney("1234.5", "USD")
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"amount":"1234.50","currency":"USD"}`, string(b)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
	var back revenue.Money
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if c, err := back.Cmp(m); err != nil || c != 0 {
		t.Errorf("round trip = %v, want %v", back, m)
	}
	for _, bad := range []string{
		`{"amount":"1","currency":"USD","extra":1}`,
		`{"amount":"1","currency":"ABC"}`,
		`{"amount":"x","currency":"USD"}`,
		`{"amount":1,"currency":"USD"}`,
		`[]`,
	} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("Unmarshal(%s) succeeded, want an error", bad)
		}
	}
}

func TestCurrency(t *testing.T) {
	tests := []struct {
		code  revenue.Currency
		units int32
		ok    bool
	}{{"USD", 2, true}, {"JPY", 0, true}, {"KWD", 3, true}, {"CLF", 4, true}, {"EURO", 0, false}, {"", 0, false}}
	for _, tt := range tests {
		u, ok := tt.code.MinorUnits()
		if u != tt.units || ok != tt.ok {
			t.Errorf("%q.MinorUnits() = %d, %v; want %d, %v", tt.code, u, ok, tt.units, tt.ok)
		}
	}
}
