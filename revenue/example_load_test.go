package revenue_test

import (
	"fmt"

	"github.com/valuepath/valuepath/revenue"
)

func ExampleParseEvents() {
	events, err := revenue.ParseEvents([]byte(`[
	  {"account": "acme", "kind": "start", "at": "2026-01-01T00:00:00Z", "amount": "1200", "currency": "usd", "interval_months": 12},
	  {"account": "acme", "kind": "cancel", "at": "2026-09-01T00:00:00Z", "currency": "USD"}
	]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.Account, e.Kind, e.At.Format("2006-01-02"), e.Amount, e.Currency)
	}
	_, err = revenue.ParseEvents([]byte(`[{"account": "acme", "kind": "start", "at": "2026-01-01T00:00:00Z", "amount": "1e999999999", "currency": "USD"}]`))
	fmt.Println(err)
	// Output:
	// acme start 2026-01-01 1200 USD
	// acme cancel 2026-09-01 0 USD
	// revenue: events[0].amount: invalid value: "1e999999999" is not a decimal number
}

func ExampleNewReference() {
	nrr, err := revenue.NewReference(revenue.ReferenceSpec{
		Metric: "net_revenue_retention", Source: "the host's own board deck",
		Thresholds: []float64{1.0, 1.1, 1.25}, Labels: []string{"shrinking", "steady", "good", "best in class"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := nrr.Assess(1.12)
	fmt.Printf("%s %.2f: %s (%s)\n", s.Metric, s.Value, s.Label, s.Range)

	_, err = revenue.NewReference(revenue.ReferenceSpec{Metric: "nrr", Thresholds: []float64{1.1, 1.0}, Labels: []string{"low", "mid"}})
	fmt.Println(err)
	// Output:
	// net_revenue_retention 1.12: good (1.1 to 1.25)
	// revenue: thresholds[1]: invalid value: 1 is not above thresholds[0] 1.1
	// revenue: labels: invalid value: want 3 labels for 2 thresholds, got 2
}
