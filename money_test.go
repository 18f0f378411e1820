package valuepath_test

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
)

func money(t testing.TB, amount, currency string) valuepath.Money {
	t.Helper()
	m, err := valuepath.ParseMoney(amount, currency)
	require.NoError(t, err)
	return m
}

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
		// Codes are accepted in either case (Stripe writes "usd") and
		// printed in ISO form.
		{"12", "usd", "USD 12.00", nil},
		{"12", "Eur", "EUR 12.00", nil},
		{"12", "XYZ", "", valuepath.ErrUnknownCurrency},
		{"12", "xyz", "", valuepath.ErrUnknownCurrency},
		{"12", "", "", valuepath.ErrUnknownCurrency},
		{"12", "US D", "", valuepath.ErrUnknownCurrency},
		{"1e9999999", "USD", "", valuepath.ErrInvalid},
		{"1.2.3", "USD", "", valuepath.ErrInvalid},
		{"", "USD", "", valuepath.ErrInvalid},
		{"-", "USD", "", valuepath.ErrInvalid},
		{"NaN", "USD", "", valuepath.ErrInvalid},
	}
	for _, tt := range tests {
		m, err := valuepath.ParseMoney(tt.amount, tt.currency)
		if tt.err != nil {
			require.ErrorIs(t, err, tt.err, "ParseMoney(%q, %q)", tt.amount, tt.currency)
			continue
		}
		require.NoError(t, err, "ParseMoney(%q, %q)", tt.amount, tt.currency)
		assert.Equal(t, tt.want, m.String(), "ParseMoney(%q, %q)", tt.amount, tt.currency)
	}
}

func TestParseCurrencyQuotesAShortPrefix(t *testing.T) {
	long := string(make([]byte, 10_000))
	_, err := valuepath.ParseCurrency(long)
	require.ErrorIs(t, err, valuepath.ErrUnknownCurrency)
	assert.Less(t, len(err.Error()), 200, "an error must not echo a large input")
}

func TestMoneyArithmetic(t *testing.T) {
	usd := money(t, "10.005", "USD")
	eur := money(t, "1", "EUR")

	sum, err := usd.Add(money(t, "0.995", "usd"))
	require.NoError(t, err)
	assert.Equal(t, "USD 11.000", sum.String())

	diff, err := usd.Sub(money(t, "20", "USD"))
	require.NoError(t, err)
	assert.Equal(t, "USD -9.995", diff.String())

	_, err = usd.Add(eur)
	var me *valuepath.MismatchError
	require.ErrorAs(t, err, &me)
	require.ErrorIs(t, err, valuepath.ErrCurrencyMismatch)
	assert.Equal(t, valuepath.Currency("USD"), me.A)
	assert.Equal(t, valuepath.Currency("EUR"), me.B)

	_, err = (valuepath.Money{}).Add(valuepath.Money{})
	require.ErrorIs(t, err, valuepath.ErrCurrencyMismatch, "the zero Money has no currency")
	_, err = usd.Cmp(eur)
	require.ErrorIs(t, err, valuepath.ErrCurrencyMismatch)

	third, err := money(t, "100", "USD").Div(decimal.NewFromInt(3), 4)
	require.NoError(t, err)
	assert.Equal(t, "USD 33.3333", third.String())
	_, err = usd.Div(decimal.Zero, 2)
	require.ErrorIs(t, err, valuepath.ErrUndefined)
}

func TestMoneyRound(t *testing.T) {
	tests := []struct {
		amount string
		mode   valuepath.RoundingMode
		want   string
	}{
		{"2.345", valuepath.HalfEven, "2.34"},
		{"2.355", valuepath.HalfEven, "2.36"},
		{"2.345", valuepath.HalfUp, "2.35"},
		{"-2.345", valuepath.HalfUp, "-2.35"},
		{"2.349", valuepath.Down, "2.34"},
		{"-2.349", valuepath.Down, "-2.34"},
		{"2.341", valuepath.Up, "2.35"},
		{"-2.341", valuepath.Floor, "-2.35"},
		{"2.341", valuepath.Ceiling, "2.35"},
		{"-2.349", valuepath.Ceiling, "-2.34"},
	}
	for _, tt := range tests {
		got := money(t, tt.amount, "USD").Round(tt.mode).Amount().StringFixed(2)
		assert.Equal(t, tt.want, got, "Round(%s, %v)", tt.amount, tt.mode)
	}
	assert.Equal(t, "JPY 2", money(t, "2.5", "JPY").Round(valuepath.HalfEven).String(), "JPY rounds to whole yen")
}

func TestDivRoundModes(t *testing.T) {
	// -10 / 3 = -3.333…, 10 / 4 = 2.5 (a tie at 0 places).
	tests := []struct {
		a, b string
		mode valuepath.RoundingMode
		want string
	}{
		{"10", "4", valuepath.HalfEven, "2"},
		{"14", "4", valuepath.HalfEven, "4"},
		{"-10", "3", valuepath.HalfEven, "-3"},
		{"-10", "3", valuepath.Floor, "-4"},
		{"-10", "3", valuepath.Ceiling, "-3"},
		{"10", "3", valuepath.Up, "4"},
		{"10", "3", valuepath.Down, "3"},
		{"10", "4", valuepath.HalfUp, "3"},
	}
	for _, tt := range tests {
		got, err := valuepath.DivRound(decimal.RequireFromString(tt.a), decimal.RequireFromString(tt.b), 0, tt.mode)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got.String(), "DivRound(%s/%s, %v)", tt.a, tt.b, tt.mode)
	}
	_, err := valuepath.DivRound(decimal.NewFromInt(1), decimal.Zero, 0, valuepath.HalfEven)
	require.ErrorIs(t, err, valuepath.ErrUndefined)
}

func TestMoneyJSON(t *testing.T) {
	m := money(t, "1234.5", "USD")
	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.JSONEq(t, `{"amount":"1234.50","currency":"USD"}`, string(b))

	var back valuepath.Money
	require.NoError(t, json.Unmarshal(b, &back))
	c, err := back.Cmp(m)
	require.NoError(t, err)
	assert.Zero(t, c)

	require.NoError(t, json.Unmarshal([]byte(`{"amount":"5","currency":"eur"}`), &back))
	assert.Equal(t, valuepath.Currency("EUR"), back.Currency(), "lower-case codes read in ISO form")

	for _, bad := range []string{
		`{"amount":"1","currency":"USD","extra":1}`,
		`{"amount":"1","currency":"ABC"}`,
		`{"amount":"x","currency":"USD"}`,
		`{"amount":1,"currency":"USD"}`,
		`[]`,
	} {
		assert.Error(t, json.Unmarshal([]byte(bad), &back), "Unmarshal(%s)", bad)
	}
}

func TestCurrencyMinorUnits(t *testing.T) {
	tests := []struct {
		code  valuepath.Currency
		units int32
		ok    bool
	}{{"USD", 2, true}, {"JPY", 0, true}, {"KWD", 3, true}, {"CLF", 4, true}, {"EURO", 0, false}, {"", 0, false}, {"usd", 0, false}}
	for _, tt := range tests {
		u, ok := tt.code.MinorUnits()
		assert.Equal(t, tt.units, u, "%q.MinorUnits()", tt.code)
		assert.Equal(t, tt.ok, ok, "%q.MinorUnits()", tt.code)
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "1234.50", "-3", "+7", "1e5", "", ".5", "5."} {
		f.Add(s, "USD")
	}
	f.Add("12", "usd")
	f.Add("1", "KWD")
	f.Fuzz(func(t *testing.T, amount, currency string) {
		m, err := valuepath.ParseMoney(amount, currency)
		if err != nil {
			if len(err.Error()) > 300 {
				t.Fatalf("error of %d bytes echoes the input", len(err.Error()))
			}
			return
		}
		require.True(t, m.Valid())
		b, err := json.Marshal(m)
		require.NoError(t, err)
		var back valuepath.Money
		require.NoError(t, json.Unmarshal(b, &back), "%s", b)
		c, err := back.Cmp(m)
		require.NoError(t, err)
		require.Zero(t, c, "round trip of %s", b)
	})
}

func TestCurrencyUnmarshalTextIsISOForm(t *testing.T) {
	var v struct {
		Currency valuepath.Currency `json:"currency"`
		Rates    map[valuepath.Currency]string
	}
	require.NoError(t, json.Unmarshal([]byte(`{"currency":"usd","Rates":{"eur":"1.1"}}`), &v))
	assert.Equal(t, valuepath.Currency("USD"), v.Currency)
	assert.Contains(t, v.Rates, valuepath.Currency("EUR"), "map keys are read through UnmarshalText too")
	require.NoError(t, json.Unmarshal([]byte(`{"currency":"euro"}`), &v))
	assert.False(t, v.Currency.Valid(), "an unknown code is kept for the model to report with its path")
}
