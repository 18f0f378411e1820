package revenue_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

func ExampleNewBridge() {
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(month, d int) time.Time { return jan.AddDate(0, month, d-1) }
	events := []revenue.SubscriptionEvent{
		{Account: "acme", Kind: revenue.Start, At: at(0, 3), Amount: decimal.NewFromInt(1200), Currency: "USD", IntervalMonths: 12},
		{Account: "globex", Kind: revenue.Start, At: at(0, 9), Amount: decimal.NewFromInt(300), Currency: "USD"},
		{Account: "acme", Kind: revenue.Change, At: at(1, 1), Amount: decimal.NewFromInt(2400), Currency: "USD", IntervalMonths: 12},
		{Account: "globex", Kind: revenue.Change, At: at(1, 15), Amount: decimal.NewFromInt(250), Currency: "USD", Discount: decimal.NewFromInt(25)},
		{Account: "initech", Kind: revenue.Start, At: at(2, 2), Amount: decimal.NewFromInt(80), Currency: "USD"},
		{Account: "globex", Kind: revenue.Cancel, At: at(2, 20)},
	}
	timelines, err := revenue.Normalize(events, revenue.Policy{})
	if err != nil {
		fmt.Println(err)
		return
	}
	bridge, err := revenue.NewBridge(timelines, revenue.Months(jan, 3), revenue.BridgeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("month     opening     new  expans. contr.   churn  closing")
	for _, p := range bridge.Periods {
		fmt.Printf("%s %8s %7s %8s %6s %7s %8s\n", p.Start.Format("2006-01"),
			p.Opening.Amount().StringFixed(2), p.New.Amount().StringFixed(2), p.Expansion.Amount().StringFixed(2),
			p.Contraction.Amount().StringFixed(2), p.Churn.Amount().StringFixed(2), p.Closing.Amount().StringFixed(2))
	}
	q := bridge.Total()
	fmt.Printf("quarter: ARR %s, quick ratio %.2f\n", q.ARR(), q.QuickRatio().Value)
	fmt.Println("first month's NRR:", bridge.Periods[0].NRR())
	// Output:
	// month     opening     new  expans. contr.   churn  closing
	// 2024-01     0.00  400.00     0.00   0.00    0.00   400.00
	// 2024-02   400.00    0.00   100.00  75.00    0.00   425.00
	// 2024-03   425.00   80.00     0.00   0.00  225.00   280.00
	// quarter: ARR USD 3360.00, quick ratio 1.93
	// first month's NRR: absent (no account paying at the opening of the window)
}

func ExampleAnnualRate() {
	annual, _ := revenue.AnnualRate(0.02)
	fmt.Printf("2%% a month is %.1f%% a year\n", 100*annual)
	// Output:
	// 2% a month is 21.5% a year
}

func ExampleCohortRetention() {
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	dec := jan.AddDate(0, -1, 0)
	usd := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	events := []revenue.SubscriptionEvent{
		{Account: "acme", Kind: revenue.Start, At: dec, Amount: usd("1000"), Currency: "USD"},
		{Account: "globex", Kind: revenue.Start, At: dec, Amount: usd("500"), Currency: "USD"},
		{Account: "initech", Kind: revenue.Start, At: dec, Amount: usd("500"), Currency: "USD"},
		// Starts exactly at the window's start: new in the window, not in the cohort.
		{Account: "hooli", Kind: revenue.Start, At: jan, Amount: usd("900"), Currency: "USD"},
		{Account: "acme", Kind: revenue.Change, At: jan.AddDate(0, 5, 0), Amount: usd("1400"), Currency: "USD"},
		{Account: "globex", Kind: revenue.Change, At: jan.AddDate(0, 7, 0), Amount: usd("400"), Currency: "USD"},
		{Account: "initech", Kind: revenue.Cancel, At: jan.AddDate(0, 9, 0)},
	}
	timelines, err := revenue.Normalize(events, revenue.Policy{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := revenue.CohortRetention(timelines, jan, jan.AddDate(1, 0, 0), revenue.CurrencyConversion{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("GRR %.0f%%, NRR %.0f%%, logos kept %d of %d\n", 100*r.GRR.Value, 100*r.NRR.Value, r.Retained, r.Accounts)
	a, _ := revenue.NRRReference().Assess(r.NRR.Value)
	fmt.Printf("NRR is %s (%s)\n", a.Label, a.Range)
	// Output:
	// GRR 70%, NRR 90%, logos kept 2 of 3
	// NRR is shrinking (below 1)
}

func ExampleNormalizeAll() {
	// One input per account, as a query grouped by account would stream it.
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	accounts := [][]revenue.SubscriptionEvent{
		{{Account: "acme", Kind: revenue.Start, At: jan, Amount: decimal.NewFromInt(1200), Currency: "usd", IntervalMonths: 12}},
		{{Account: "globex", Kind: revenue.Cancel, At: jan}},
		{{Account: "initech", Kind: revenue.Start, At: jan, Amount: decimal.NewFromInt(80), Currency: "EUR"}},
	}
	for tl, err := range revenue.NormalizeAll(slices.Values(accounts), revenue.Policy{}, valuepath.BatchOptions{}) {
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(tl.Account(), tl.MRRAt(jan))
	}
	// Output:
	// acme USD 100.00
	// valuepath: account "globex": revenue: events[0].kind: invalid value: cancel before the start of subscription "" of account "globex"
	// initech EUR 80.00
}

func ExampleNewBridgeStream() {
	// Accounts arrive one at a time, as rows of a query grouped by account
	// would: only one account's events and the periods' sums are held.
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	accounts := func(yield func([]revenue.SubscriptionEvent) bool) {
		for i, price := range []int64{100, 250, 40} {
			account := valuepath.AccountID(fmt.Sprintf("acct-%d", i))
			events := []revenue.SubscriptionEvent{{Account: account, Kind: revenue.Start, At: jan, Amount: decimal.NewFromInt(price), Currency: "USD"}}
			if i == 1 {
				events = append(events, revenue.SubscriptionEvent{Account: account, Kind: revenue.Cancel, At: jan.AddDate(0, 1, 14)})
			}
			if !yield(events) {
				return
			}
		}
	}
	timelines := revenue.NormalizeAll(accounts, revenue.Policy{}, valuepath.BatchOptions{})
	bridge, err := revenue.NewBridgeStream(timelines, revenue.Months(jan, 3), revenue.BridgeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range bridge.Periods {
		fmt.Printf("%s: opening %s, new %s, churn %s, closing %s\n", p.Start.Format("Jan"), p.Opening.Amount(), p.New.Amount(), p.Churn.Amount(), p.Closing.Amount())
	}
	// Output:
	// Jan: opening 0, new 390, churn 0, closing 390
	// Feb: opening 390, new 0, churn 250, closing 140
	// Mar: opening 140, new 0, churn 0, closing 140
}

func ExampleNewBridgeEvents() {
	// The book arrives account by account, as rows of a query grouped by
	// account would; each account is normalised and walked on the core that
	// takes it, and only the periods' sums are kept.
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	accounts := func(yield func([]revenue.SubscriptionEvent) bool) {
		for i := range 1000 {
			account := valuepath.AccountID(fmt.Sprintf("acct-%04d", i))
			events := []revenue.SubscriptionEvent{{Account: account, Kind: revenue.Start, At: jan, Amount: decimal.NewFromInt(int64(10 + i%5)), Currency: "USD"}}
			if i%10 == 0 {
				events = append(events, revenue.SubscriptionEvent{Account: account, Kind: revenue.Cancel, At: jan.AddDate(0, 1, 14)})
			}
			if !yield(events) {
				return
			}
		}
	}
	bridge, err := revenue.NewBridgeEvents(accounts, revenue.Policy{}, revenue.Months(jan, 3), revenue.BridgeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range bridge.Periods {
		fmt.Printf("%s: opening %s, new %s, churn %s (%d accounts), closing %s\n", p.Start.Format("Jan"), p.Opening.Amount(), p.New.Amount(), p.Churn.Amount(), p.Accounts.Churn, p.Closing.Amount())
	}
	// Output:
	// Jan: opening 0, new 12000, churn 0 (0 accounts), closing 12000
	// Feb: opening 12000, new 0, churn 1000 (100 accounts), closing 11000
	// Mar: opening 11000, new 0, churn 0 (0 accounts), closing 11000
}
