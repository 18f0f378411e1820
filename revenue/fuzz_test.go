package revenue_test

import (
	"testing"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

func FuzzParseEvents(f *testing.F) {
	f.Add([]byte(`[{"account":"a","kind":"start","at":"2024-01-01T00:00:00Z","amount":"1200","currency":"USD","interval_months":12,"discount":"100","tax":"0"},
{"account":"b","subscription":"x","kind":"start","at":"2024-01-05T00:00:00Z","amount":"50","currency":"EUR","trial":true},
{"account":"a","kind":"cancel","at":"2024-03-01T00:00:00Z","currency":"USD"},
{"account":"a","kind":"reactivate","at":"2024-05-01T00:00:00Z","amount":30,"currency":"USD"}]`))
	f.Add([]byte(`[{"account":"a","kind":"start","at":"2024-01-01T00:00:00Z","amount":"1e999999999","currency":"USD"}]`))
	f.Add([]byte(`[{"account":"a","kind":"change","at":"2024-01-01T00:00:00Z","amount":"-1","currency":"XXX","bogus":1}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		events, err := revenue.ParseEvents(data)
		if err != nil {
			return
		}
		for _, p := range []revenue.Policy{{}, {ChurnAt: revenue.AtPeriodEnd, IncludeTrials: true, IncludeTax: true, ExtraPlaces: 2, MergeWithin: valuepath.Days(1)}} {
			ts, err := revenue.Normalize(events, p)
			if err != nil {
				continue
			}
			b, err := revenue.NewBridge(ts, revenue.Months(day(2023, 1, 1), 30), revenue.BridgeOptions{CurrencyConversion: revenue.CurrencyConversion{Currency: "USD", Rates: []revenue.ExchangeRate{{From: "EUR", Rate: dec("1.1")}, {From: "GBP", Rate: dec("1.3")}, {From: "JPY", Rate: dec("0.007")}}}})
			if err != nil {
				continue // e.g. a currency without a rate
			}
			checkIdentity(t, b)
			// Retention follows the opening cohort: GRR in [0, 1], NRR ≥ 0.
			for _, per := range append(b.Periods, b.Total()) {
				if g, ok := per.GRR().Get(); ok && (g < 0 || g > 1) {
					t.Fatalf("%s GRR %v outside [0, 1]", per.Start, g)
				}
				if n, ok := per.NRR().Get(); ok && n < 0 {
					t.Fatalf("%s NRR %v negative", per.Start, n)
				}
			}
		}
	})
}
