package revenue_test

import (
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

// eventOpts are the batch options NewBridgeEvents is checked under: serial,
// several goroutines copying each input, and in place.
var eventOpts = []valuepath.BatchOptions{{Concurrency: 1}, {Concurrency: 2}, {Concurrency: 3}, {Concurrency: 2, InPlace: true}}

// reusingAccounts yields accounts through one reused slice, as a cursor
// would: a batch that kept the slice instead of copying it would see the
// wrong events.
func reusingAccounts(accounts [][]revenue.SubscriptionEvent) iter.Seq[[]revenue.SubscriptionEvent] {
	return func(yield func([]revenue.SubscriptionEvent) bool) {
		var buf []revenue.SubscriptionEvent
		for _, a := range accounts {
			buf = append(buf[:0], a...)
			if !yield(buf) {
				return
			}
		}
	}
}

// TestBridgeEventsIsTheStreamBridge: on every goroutine count, copying or
// in place, the one-pass bridge is the serial bridge to the byte, with and
// without exchange rates and extra places.
func TestBridgeEventsIsTheStreamBridge(t *testing.T) {
	js := bridgeJSON(t)
	r := rand.New(rand.NewPCG(31, 32))
	accounts := byAccount(randomEvents(r, 4000, []valuepath.Currency{"USD", "EUR", "JPY"}))
	rates := monthlyRates()
	periods := revenue.Months(day(2022, 3, 1), 18)
	usd := revenue.CurrencyConversion{Currency: "USD", Rates: rates}
	for _, p := range []revenue.Policy{{}, {ExtraPlaces: 3, IncludeTrials: true}} {
		for _, opt := range []revenue.BridgeOptions{{CurrencyConversion: usd}, {CurrencyConversion: usd, NetWithinPeriod: true}} {
			want := js(revenue.NewBridgeStream(revenue.NormalizeAll(slices.Values(accounts), p, valuepath.BatchOptions{Concurrency: 1}), periods, opt))
			for _, b := range eventOpts {
				opt.Batch = b
				in := reusingAccounts(accounts)
				if b.InPlace {
					in = slices.Values(accounts)
				}
				assert.Equal(t, want, js(revenue.NewBridgeEvents(in, p, periods, opt)), "policy %+v, %+v", p, b)
			}
		}
	}
	// One currency and no options: the reporting currency is the stream's.
	usdOnly := byAccount(randomEvents(r, 3000, []valuepath.Currency{"USD"}))
	p := revenue.Policy{ExtraPlaces: 2}
	want := js(revenue.NewBridgeStream(revenue.NormalizeAll(slices.Values(usdOnly), p, valuepath.BatchOptions{Concurrency: 1}), periods, revenue.BridgeOptions{}))
	for _, b := range eventOpts {
		assert.Equal(t, want, js(revenue.NewBridgeEvents(slices.Values(usdOnly), p, periods, revenue.BridgeOptions{Batch: b})), "%+v", b)
	}
	// Nothing at all.
	want = js(revenue.NewBridgeStream(timelinesOf(nil), periods, revenue.BridgeOptions{}))
	for _, b := range eventOpts {
		assert.Equal(t, want, js(revenue.NewBridgeEvents(slices.Values[[][]revenue.SubscriptionEvent](nil), p, periods, revenue.BridgeOptions{Batch: b})))
	}
}

// TestBridgeEventsProblems: the same problem as the stream bridge, the
// first in input order, and the rest of the input is not read.
func TestBridgeEventsProblems(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	accounts := byAccount(randomEvents(r, 3000, []valuepath.Currency{"USD"}))
	periods := revenue.Months(day(2022, 3, 1), 12)
	// Two bad accounts: the first in input order is the one reported.
	bad := slices.Clone(accounts)
	for _, k := range []int{2900, 300} {
		bad[k] = slices.Clone(bad[k])
		bad[k][0].Currency = "XXQ"
	}
	eur := slices.Clone(accounts)
	eur[1500] = slices.Clone(eur[1500])
	for i := range eur[1500] {
		eur[1500][i].Currency = "EUR"
	}
	cases := map[string]struct {
		in      [][]revenue.SubscriptionEvent
		periods []valuepath.Interval
		opt     revenue.BridgeOptions
		want    string
		p       revenue.Policy
	}{
		"bad policy":   {accounts, periods, revenue.BridgeOptions{}, "policy.extra_places", revenue.Policy{ExtraPlaces: 9}},
		"bad account":  {bad, periods, revenue.BridgeOptions{}, "acct-00300", revenue.Policy{}},
		"no rate":      {eur, periods, revenue.BridgeOptions{}, "timelines[1500]", revenue.Policy{}},
		"no periods":   {accounts, nil, revenue.BridgeOptions{}, "periods", revenue.Policy{}},
		"bad rate":     {accounts, periods, revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Rates: []revenue.ExchangeRate{{From: "EUR", Rate: dec("-1")}}}}, "options.rates[0].rate", revenue.Policy{}},
		"bad currency": {accounts, periods, revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Currency: "usd!"}}, "options.currency", revenue.Policy{}},
	}
	for name, c := range cases {
		_, want := revenue.NewBridgeStream(revenue.NormalizeAll(slices.Values(c.in), c.p, valuepath.BatchOptions{Concurrency: 1}), c.periods, c.opt)
		require.Error(t, want, name)
		require.Contains(t, want.Error(), c.want, name)
		for _, b := range eventOpts {
			c.opt.Batch = b
			pulled := 0
			in := func(yield func([]revenue.SubscriptionEvent) bool) {
				for _, a := range c.in {
					pulled++
					if !yield(a) {
						return
					}
				}
			}
			_, err := revenue.NewBridgeEvents(in, c.p, c.periods, c.opt)
			require.Error(t, err, "%s %+v", name, b)
			assert.Equal(t, want.Error(), err.Error(), "%s %+v", name, b)
			if name == "bad account" {
				var ae *valuepath.AccountError
				require.ErrorAs(t, err, &ae)
				// At most the chunks in flight are read past the problem.
				assert.LessOrEqual(t, pulled, 301+(3*b.Concurrency+4)*256, "%+v", b)
			}
		}
	}
}

// TestBridgeEventsOverflow: totals beyond 18 digits are ErrOverflow on any
// number of goroutines.
func TestBridgeEventsOverflow(t *testing.T) {
	var accounts [][]revenue.SubscriptionEvent
	for i := range 6000 {
		accounts = append(accounts, []revenue.SubscriptionEvent{ev(fmt.Sprintf("big-%05d", i), "", revenue.Start, day(2024, 1, 1), "4000000000000000", 1)})
	}
	periods := revenue.Months(day(2024, 1, 1), 2)
	for _, b := range eventOpts {
		_, err := revenue.NewBridgeEvents(slices.Values(accounts), revenue.Policy{}, periods, revenue.BridgeOptions{Batch: b})
		require.ErrorIs(t, err, revenue.ErrOverflow, "%+v", b)
	}
}

// FuzzBridgeEvents checks the one-pass bridge against the stream bridge on
// bases drawn from a seed and then damaged: the same bridge or the same
// error, on one goroutine and on three.
func FuzzBridgeEvents(f *testing.F) {
	f.Add(uint64(1), uint8(40), uint8(0), uint16(0))
	f.Add(uint64(2), uint8(200), uint8(3), uint16(77))
	f.Add(uint64(3), uint8(5), uint8(9), uint16(3))
	f.Fuzz(func(t *testing.T, seed uint64, n, damage uint8, at uint16) {
		r := rand.New(rand.NewPCG(seed, seed>>1))
		events := randomEvents(r, int(n)+1, []valuepath.Currency{"USD", "EUR"})
		if len(events) > 0 && damage > 0 {
			e := &events[int(at)%len(events)]
			switch damage % 6 {
			case 0:
				e.Currency = "QQQ"
			case 1:
				e.Amount = dec("-1")
			case 2:
				e.Kind = revenue.EventKind("bogus")
			case 3:
				e.IntervalMonths = 0
			case 4:
				e.At = e.At.AddDate(-5, 0, 0)
			case 5:
				e.Currency = "EUR"
			}
		}
		accounts := byAccount(events)
		periods := revenue.Months(day(2022, 1, 1), 1+int(n%30))
		opt := revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Currency: "USD", Rates: []revenue.ExchangeRate{{From: "EUR", At: day(2021, 1, 1), Rate: dec("1.1")}}}}
		if damage%2 == 1 {
			opt = revenue.BridgeOptions{} // EUR accounts need a rate they lack
		}
		show := func(b *revenue.Bridge, err error) string {
			if err != nil {
				return "error: " + err.Error()
			}
			out, err := json.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			return string(out)
		}
		want := show(revenue.NewBridgeStream(revenue.NormalizeAll(slices.Values(accounts), revenue.Policy{}, valuepath.BatchOptions{Concurrency: 1}), periods, opt))
		for _, conc := range []int{1, 3} {
			opt.Batch = valuepath.BatchOptions{Concurrency: conc}
			if got := show(revenue.NewBridgeEvents(reusingAccounts(accounts), revenue.Policy{}, periods, opt)); got != want {
				t.Fatalf("concurrency %d:\n got %s\nwant %s", conc, got, want)
			}
		}
	})
}
