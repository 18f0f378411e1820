package revenue_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

// row renders a bridge period compactly for comparison.
func row(p revenue.Period) string {
	f := func(m valuepath.Money) string { return m.Amount().StringFixed(2) }
	return fmt.Sprintf("%s open=%s new=%s exp=%s react=%s contr=%s churn=%s fx=%s close=%s accts=%d/%d lost=%d",
		p.Start.Format("2006-01"), f(p.Opening), f(p.New), f(p.Expansion), f(p.Reactivation), f(p.Contraction), f(p.Churn), f(p.FX), f(p.Closing),
		p.Accounts.Opening, p.Accounts.Closing, p.Accounts.Lost)
}

func TestBridgeWorkedExample(t *testing.T) {
	events := []revenue.SubscriptionEvent{
		ev("a", "", revenue.Start, day(2023, 12, 5), "100", 1),
		ev("b", "", revenue.Start, day(2024, 1, 10), "1200", 12), // new 100
		ev("a", "", revenue.Change, day(2024, 1, 20), "130", 1),  // expansion 30
		ev("c", "", revenue.Start, day(2024, 2, 1), "60", 1),     // new 60 (a boundary belongs to the period it starts)
		ev("a", "", revenue.Cancel, day(2024, 2, 14), "", 0),     // churn 130
		ev("b", "", revenue.Change, day(2024, 2, 20), "600", 12), // contraction 50
		ev("d", "", revenue.Start, day(2024, 3, 3), "40", 1),     // new 40 …
		ev("d", "", revenue.Cancel, day(2024, 3, 25), "", 0),     // … and churn 40 in the same month
		ev("a", "", revenue.Reactivate, day(2024, 3, 28), "70", 1),
	}
	ts, err := revenue.Normalize(events, revenue.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opt  revenue.BridgeOptions
		want []string
	}{
		{"every change", revenue.BridgeOptions{}, []string{
			"2024-01 open=100.00 new=100.00 exp=30.00 react=0.00 contr=0.00 churn=0.00 fx=0.00 close=230.00 accts=1/2 lost=0",
			"2024-02 open=230.00 new=60.00 exp=0.00 react=0.00 contr=50.00 churn=130.00 fx=0.00 close=110.00 accts=2/2 lost=1",
			"2024-03 open=110.00 new=40.00 exp=0.00 react=70.00 contr=0.00 churn=40.00 fx=0.00 close=180.00 accts=2/3 lost=0",
		}},
		{"net within period", revenue.BridgeOptions{NetWithinPeriod: true}, []string{
			"2024-01 open=100.00 new=100.00 exp=30.00 react=0.00 contr=0.00 churn=0.00 fx=0.00 close=230.00 accts=1/2 lost=0",
			"2024-02 open=230.00 new=60.00 exp=0.00 react=0.00 contr=50.00 churn=130.00 fx=0.00 close=110.00 accts=2/2 lost=1",
			"2024-03 open=110.00 new=0.00 exp=0.00 react=70.00 contr=0.00 churn=0.00 fx=0.00 close=180.00 accts=2/3 lost=0",
		}},
	}
	for _, tt := range tests {
		b, err := revenue.NewBridge(ts, revenue.Months(day(2024, 1, 1), 3), tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range b.Periods {
			got = append(got, row(p))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// randomEvents generates n accounts of plausible subscription histories.
func randomEvents(r *rand.Rand, n int, currencies []valuepath.Currency) []revenue.SubscriptionEvent {
	var out []revenue.SubscriptionEvent
	start := day(2022, 1, 1)
	for i := range n {
		acct := valuepath.AccountID(fmt.Sprintf("acct-%05d", i))
		cur := currencies[r.IntN(len(currencies))]
		at := start.Add(time.Duration(r.IntN(24*30)) * time.Hour)
		subs := 1 + r.IntN(2)
		active := make([]bool, subs)
		started := make([]bool, subs)
		for range 2 + r.IntN(8) {
			at = at.Add(time.Duration(1+r.IntN(24*60)) * time.Hour)
			s := r.IntN(subs)
			e := revenue.SubscriptionEvent{Account: acct, Subscription: fmt.Sprint("s", s), At: at, Currency: cur,
				Amount: decimal.New(int64(r.IntN(100000)), -2), IntervalMonths: []int{1, 3, 12}[r.IntN(3)]}
			if r.IntN(4) == 0 {
				e.Discount = e.Amount.Div(decimal.NewFromInt(10)).Round(2)
			}
			e.Trial = r.IntN(10) == 0
			switch {
			case !started[s]:
				e.Kind = revenue.Start
				started[s], active[s] = true, true
			case !active[s]:
				e.Kind = revenue.Reactivate
				active[s] = true
			case r.IntN(3) == 0:
				e.Kind = revenue.Cancel
				active[s] = false
			default:
				e.Kind = revenue.Change
			}
			out = append(out, e)
		}
	}
	return out
}

// naiveBridge recomputes a bridge period by period from Timeline.MRRAt and
// Timeline.Movements with decimal arithmetic, for one currency.
func naiveBridge(ts []revenue.Timeline, periods []valuepath.Interval) []string {
	var out []string
	for _, p := range periods {
		var open, closing, newV, exp, react, contr, churn decimal.Decimal
		var oc, cc, lost int
		for _, tl := range ts {
			o := tl.MRRAt(p.Start.Add(-time.Nanosecond)).Amount()
			c := tl.MRRAt(p.End.Add(-time.Nanosecond)).Amount()
			open, closing = open.Add(o), closing.Add(c)
			if o.Sign() > 0 {
				oc++
				if c.IsZero() {
					lost++
				}
			}
			if c.Sign() > 0 {
				cc++
			}
			for m := range tl.Movements() {
				if !p.Contains(m.At) {
					continue
				}
				switch m.Kind {
				case revenue.New:
					newV = newV.Add(m.Amount.Amount())
				case revenue.Expansion:
					exp = exp.Add(m.Amount.Amount())
				case revenue.Reactivation:
					react = react.Add(m.Amount.Amount())
				case revenue.Contraction:
					contr = contr.Add(m.Amount.Amount())
				case revenue.Churn:
					churn = churn.Add(m.Amount.Amount())
				}
			}
		}
		f := func(d decimal.Decimal) string { return d.StringFixed(2) }
		out = append(out, fmt.Sprintf("%s open=%s new=%s exp=%s react=%s contr=%s churn=%s fx=0.00 close=%s accts=%d/%d lost=%d",
			p.Start.Format("2006-01"), f(open), f(newV), f(exp), f(react), f(contr), f(churn), f(closing), oc, cc, lost))
	}
	return out
}

func TestBridgeMatchesNaiveComputation(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, policy := range []revenue.Policy{{}, {ChurnAt: revenue.AtPeriodEnd, IncludeTrials: true}} {
		ts, err := revenue.Normalize(randomEvents(r, 300, []valuepath.Currency{"USD"}), policy)
		if err != nil {
			t.Fatal(err)
		}
		periods := revenue.Months(day(2022, 3, 1), 18)
		b, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range b.Periods {
			got = append(got, row(p))
		}
		if diff := cmp.Diff(naiveBridge(ts, periods), got); diff != "" {
			t.Errorf("policy %+v: bridge differs from the naive computation (-want +got):\n%s", policy, diff)
		}
	}
}

// checkIdentity fails unless every period satisfies the bridge identity
// exactly and periods chain.
func checkIdentity(t *testing.T, b *revenue.Bridge) {
	t.Helper()
	for i, p := range b.Periods {
		got := p.Opening.Amount().Add(p.New.Amount()).Add(p.Expansion.Amount()).Add(p.Reactivation.Amount()).
			Sub(p.Contraction.Amount()).Sub(p.Churn.Amount()).Add(p.FX.Amount())
		if !got.Equal(p.Closing.Amount()) {
			t.Errorf("period %d: opening + movements + fx = %s, closing = %s", i, got, p.Closing.Amount())
		}
		if i > 0 && !p.Opening.Amount().Equal(b.Periods[i-1].Closing.Amount()) {
			t.Errorf("period %d opens at %s but period %d closed at %s", i, p.Opening.Amount(), i-1, b.Periods[i-1].Closing.Amount())
		}
		for _, m := range []valuepath.Money{p.New, p.Expansion, p.Reactivation, p.Contraction, p.Churn} {
			if m.Sign() < 0 {
				t.Errorf("period %d: negative movement %s", i, m)
			}
		}
	}
}

// monthlyRates are EUR and JPY rates to USD on the first of each month of
// 2022-2024, moving from month to month.
func monthlyRates() []revenue.ExchangeRate {
	var rates []revenue.ExchangeRate
	for m := range 30 {
		at := day(2022, 1, 1).AddDate(0, m, 0)
		rates = append(rates,
			revenue.ExchangeRate{From: "EUR", At: at, Rate: decimal.NewFromFloat(1.05 + 0.01*float64(m%7))},
			revenue.ExchangeRate{From: "JPY", At: at, Rate: decimal.NewFromFloat(0.0071 - 0.0001*float64(m%5))})
	}
	return rates
}

func TestBridgeIdentityWithFX(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ts, err := revenue.Normalize(randomEvents(r, 400, []valuepath.Currency{"USD", "EUR", "JPY"}), revenue.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	rates := monthlyRates()
	periods := revenue.Months(day(2022, 3, 1), 18)
	for _, net := range []bool{false, true} {
		b, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Currency: "USD", Rates: rates}, NetWithinPeriod: net})
		if err != nil {
			t.Fatal(err)
		}
		checkIdentity(t, b)
		fx := decimal.Zero
		for _, p := range b.Periods {
			fx = fx.Add(p.FX.Amount().Abs())
		}
		if fx.IsZero() {
			t.Error("moving rates produced no FX effect")
		}
	}
	// Constant rates: no FX row at all.
	constant := []revenue.ExchangeRate{{From: "EUR", Rate: dec("1.1")}, {From: "JPY", Rate: dec("0.007")}}
	b, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Currency: "USD", Rates: constant}})
	if err != nil {
		t.Fatal(err)
	}
	checkIdentity(t, b)
	for i, p := range b.Periods {
		// Rounding each account's conversion can leave a cent of residue;
		// with constant rates there must be no more than that per account.
		if p.FX.Amount().Abs().GreaterThan(decimal.NewFromInt(int64(p.Accounts.Opening + p.Accounts.Closing + 10))) {
			t.Errorf("period %d: FX %s with constant rates", i, p.FX)
		}
	}
}

func TestBridgeErrors(t *testing.T) {
	usd, _ := normalizeOne([]revenue.SubscriptionEvent{ev("a", "", revenue.Start, day(2024, 1, 1), "10", 1)}, revenue.Policy{})
	e := ev("b", "", revenue.Start, day(2024, 1, 1), "10", 1)
	e.Currency = "EUR"
	eur, _ := normalizeOne([]revenue.SubscriptionEvent{e}, revenue.Policy{})
	months := revenue.Months(day(2024, 1, 1), 2)
	tests := []struct {
		name    string
		ts      []revenue.Timeline
		periods []valuepath.Interval
		opt     revenue.BridgeOptions
		want    string
		is      error
	}{
		{"mixed currencies without rates", []revenue.Timeline{usd, eur}, months, revenue.BridgeOptions{}, "timelines[1]: currency mismatch: no rate from EUR to USD", valuepath.ErrCurrencyMismatch},
		{"zero rate", []revenue.Timeline{usd, eur}, months, revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Rates: []revenue.ExchangeRate{{From: "EUR"}}}}, "options.rates[0].rate: invalid value: must be > 0", valuepath.ErrInvalid},
		{"rate too late", []revenue.Timeline{usd, eur}, months, revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Rates: []revenue.ExchangeRate{{From: "EUR", At: day(2024, 2, 1), Rate: dec("1.1")}}}}, "no rate from EUR to USD at or before 2024-01-01", valuepath.ErrCurrencyMismatch},
		{"gap between periods", []revenue.Timeline{usd}, []valuepath.Interval{months[0], {Start: day(2024, 3, 1), End: day(2024, 4, 1)}}, revenue.BridgeOptions{}, "periods[1].start", valuepath.ErrInvalid},
		{"no periods", []revenue.Timeline{usd}, nil, revenue.BridgeOptions{}, "periods: invalid value: must not be empty", valuepath.ErrInvalid},
		{"unknown reporting currency", []revenue.Timeline{usd}, months, revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Currency: "ABC"}}, "options.currency: unknown currency", valuepath.ErrUnknownCurrency},
	}
	for _, tt := range tests {
		_, err := revenue.NewBridge(tt.ts, tt.periods, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, tt.is) {
			t.Errorf("%s: error %v, want %q wrapping %v", tt.name, err, tt.want, tt.is)
		}
	}
}

// TestConcurrentUse reads the same timelines from several goroutines; run
// with -race it checks that timelines are safe for concurrent use.
func TestConcurrentUse(t *testing.T) {
	ts, err := revenue.Normalize(randomEvents(rand.New(rand.NewPCG(5, 6)), 50, []valuepath.Currency{"USD"}), revenue.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	periods := revenue.Months(day(2022, 3, 1), 12)
	want, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 4)
	for range 4 {
		go func() {
			b, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{})
			if err != nil {
				done <- err.Error()
				return
			}
			for range ts[0].Movements() {
			}
			done <- row(b.Periods[11])
		}()
	}
	for range 4 {
		if got := <-done; got != row(want.Periods[11]) {
			t.Errorf("concurrent bridge: %s, want %s", got, row(want.Periods[11]))
		}
	}
}

// TestMonths: from the first of a month, calendar months; from a later
// day, monthly anniversaries capped at each month's last day, consecutive
// and never skipping or doubling a month.
func TestMonths(t *testing.T) {
	iv := func(a, b time.Time) valuepath.Interval { return valuepath.Interval{Start: a, End: b} }
	tests := []struct {
		start time.Time
		n     int
		want  []valuepath.Interval
	}{
		{day(2024, 11, 1), 3, []valuepath.Interval{iv(day(2024, 11, 1), day(2024, 12, 1)), iv(day(2024, 12, 1), day(2025, 1, 1)), iv(day(2025, 1, 1), day(2025, 2, 1))}},
		{day(2024, 1, 31), 4, []valuepath.Interval{iv(day(2024, 1, 31), day(2024, 2, 29)), iv(day(2024, 2, 29), day(2024, 3, 31)), iv(day(2024, 3, 31), day(2024, 4, 30)), iv(day(2024, 4, 30), day(2024, 5, 31))}},
		{day(2025, 12, 30), 3, []valuepath.Interval{iv(day(2025, 12, 30), day(2026, 1, 30)), iv(day(2026, 1, 30), day(2026, 2, 28)), iv(day(2026, 2, 28), day(2026, 3, 30))}},
		{day(2024, 1, 1), 0, []valuepath.Interval{}},
		{day(2024, 1, 1), -2, []valuepath.Interval{}},
	}
	for _, tt := range tests {
		got := revenue.Months(tt.start, tt.n)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Months(%s, %d) (-want +got):\n%s", tt.start.Format(time.DateOnly), tt.n, diff)
		}
	}
	// In a location, the periods keep the location and the time of day.
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	got := revenue.Months(time.Date(2024, 3, 31, 9, 0, 0, 0, ny), 2)
	assert.Equal(t, time.Date(2024, 4, 30, 9, 0, 0, 0, ny), got[0].End)
	assert.Equal(t, time.Date(2024, 5, 31, 9, 0, 0, 0, ny), got[1].End)
}
