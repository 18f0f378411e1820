package valuepath_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/valuepath/valuepath"
)

// A host's provider, here in memory: 60 days of active users growing by one
// a day against 50 licensed seats, and two support cases.
func exampleProvider() (*valuepath.MemoryProvider, time.Time) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	var users, seats []valuepath.Sample
	for d := range 60 {
		at := start.AddDate(0, 0, d)
		users = append(users, valuepath.Sample{At: at, Value: float64(10 + d/2)})
		seats = append(seats, valuepath.Sample{At: at, Value: 50})
	}
	p := &valuepath.MemoryProvider{}
	p.SetSeries("acme", "active_users", valuepath.Must(valuepath.NewSeries(users)))
	p.SetSeries("acme", "seats", valuepath.Must(valuepath.NewSeries(seats)))
	p.SetEvents("acme", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		{Account: "acme", Kind: "support_case", At: start.AddDate(0, 0, 40), Attrs: map[string]string{"severity": "high"}},
		{Account: "acme", Kind: "support_case", At: start.AddDate(0, 0, 55)},
	})))
	return p, start.AddDate(0, 0, 60)
}

func ExampleParseDerivations() {
	set, err := valuepath.ParseDerivations([]byte(`[
	  {"name": "active_users_30d", "op": "mean", "source": "active_users", "window": "30d"},
	  {"name": "seats_now", "op": "last", "source": "seats", "window": "30d"},
	  {"name": "utilisation", "op": "ratio", "numerator": "active_users_30d", "denominator": "seats_now"},
	  {"name": "users_trend", "op": "slope", "source": "active_users", "window": "30d"},
	  {"name": "cases_30d", "op": "event_count", "event": "support_case", "window": "30d"},
	  {"name": "days_since_case", "op": "days_since", "event": "support_case", "window": "90d"}
	]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, asOf := exampleProvider()
	snap, err := set.Evaluate(context.Background(), p, "acme", asOf)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, m := range set.Schema().Metrics() {
		v, _ := snap.ValueAt(i)
		fmt.Printf("%-16s %.2f\n", m, v)
	}
	// Output:
	// active_users_30d 32.00
	// seats_now        50.00
	// utilisation      0.64
	// users_trend      0.50
	// cases_30d        2.00
	// days_since_case  5.00
}

func ExampleNewDerivations_errors() {
	_, err := valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "logins_30d", Op: valuepath.OpSum, Source: "logins"},
		{Name: "per_seat", Op: valuepath.OpRatio, Numerator: "logins_30d", Denominator: "seats"},
	})
	fmt.Println(err)
	// Output:
	// valuepath: derivations[0].window: invalid value: must be > 0, got 0s
	// valuepath: derivations[1].denominator: unknown metric "seats": not a derivation of this set
}

func ExampleDerivations_EvaluateAll() {
	p, asOf := exampleProvider()
	set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "users_now", Op: valuepath.OpLast, Source: "active_users", Window: valuepath.Days(7)},
	}))
	accounts := func(yield func(valuepath.AccountID) bool) {
		for _, id := range []valuepath.AccountID{"acme", "globex"} {
			if !yield(id) {
				return
			}
		}
	}
	for snap, err := range set.EvaluateAll(context.Background(), p, accounts, asOf, valuepath.BatchOptions{}) {
		if errors.Is(err, valuepath.ErrUnknownAccount) {
			fmt.Println(err)
			continue
		}
		v, _ := snap.Value("users_now")
		fmt.Println(snap.Account, v)
	}
	// Output:
	// acme 39
	// valuepath: account "globex": metric "active_users": unknown account
}

func ExampleSnapshot_Value() {
	snap, _ := valuepath.SnapshotOf("acme", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), map[valuepath.Metric]float64{"support_cases_90d": 0})
	if v, ok := snap.Value("support_cases_90d"); ok {
		fmt.Println("support cases:", v)
	}
	if _, ok := snap.Value("nps"); !ok {
		fmt.Println("nps: unknown")
	}
	// Output:
	// support cases: 0
	// nps: unknown
}

func ExampleNewSeries() {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := valuepath.NewSeries([]valuepath.Sample{{At: day, Value: 1}, {At: day, Value: 2}})
	fmt.Println(err)
	// Output:
	// valuepath: samples[1].at: duplicate timestamp 2026-01-01T00:00:00Z (same as samples[0])
}

// An account whose data stopped long before asOf: the error says which
// windows were empty and when the last data was.
func ExampleNoDataError() {
	p := &valuepath.MemoryProvider{}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	p.SetSeries("acme", "active_users", valuepath.Must(valuepath.NewSeries([]valuepath.Sample{
		{At: start, Value: 40}, {At: start.AddDate(0, 0, 1), Value: 42},
	})))
	set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "active_users_30d", Op: valuepath.OpMean, Source: "active_users", Window: valuepath.Days(30)},
	}))
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	_, err := set.Evaluate(context.Background(), p, "acme", asOf)
	var nd *valuepath.NoDataError
	if errors.As(err, &nd) {
		fmt.Println(errors.Is(err, valuepath.ErrNoData))
		fmt.Println("empty:", nd.Windows[0].Source, nd.Windows[0].Window.Start.Format(time.DateOnly), "to", nd.Windows[0].Window.End.Format(time.DateOnly))
		fmt.Println("last data:", nd.LastSample.Format(time.DateOnly), nd.LastSource)
	}
	// Output:
	// true
	// empty: active_users 2026-10-02 to 2026-11-01
	// last data: 2026-03-02 active_users
}

func ExampleDecodeJSON() {
	var body struct {
		Account string             `json:"account"`
		Metrics map[string]float64 `json:"metrics"`
	}
	err := valuepath.DecodeJSON([]byte(`{"Account": "acme", "metrics": {"seats": 0.5, "seats": 0.9}}`), &body, valuepath.JSONOptions{})
	fmt.Println(err)
	// Output:
	// Account: unknown field: names are case-sensitive; did you mean "account"?
	// metrics.seats: duplicate name: "seats" appears more than once
}
