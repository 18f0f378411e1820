package valuepath_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
)

// usageRow is one row of a host's own usage table.
type usageRow struct {
	account valuepath.AccountID
	metric  valuepath.Metric
	day     time.Time
	value   float64
}

// usageStore is a host's own store: rows in a slice, sorted by account,
// metric and day, as a table with that primary key would hold them.
type usageStore struct {
	accounts map[valuepath.AccountID]bool
	metrics  map[valuepath.Metric]bool
	rows     []usageRow
}

// Series serves the rows of one account's metric in [window.Start,
// window.End): a binary search to the first row, a scan to the end.
func (s *usageStore) Series(ctx context.Context, account valuepath.AccountID, metric valuepath.Metric, window valuepath.Interval) (valuepath.Series, error) {
	if err := ctx.Err(); err != nil {
		return valuepath.Series{}, err
	}
	if !s.accounts[account] {
		return valuepath.Series{}, fmt.Errorf("usage store: %w %q", valuepath.ErrUnknownAccount, account)
	}
	if !s.metrics[metric] {
		return valuepath.Series{}, fmt.Errorf("usage store: %w %q", valuepath.ErrUnknownMetric, metric)
	}
	i := sort.Search(len(s.rows), func(i int) bool {
		r := s.rows[i]
		return r.account > account || r.account == account && (r.metric > metric || r.metric == metric && !r.day.Before(window.Start))
	})
	var samples []valuepath.Sample
	for ; i < len(s.rows) && s.rows[i].account == account && s.rows[i].metric == metric && s.rows[i].day.Before(window.End); i++ {
		samples = append(samples, valuepath.Sample{At: s.rows[i].day, Value: s.rows[i].value})
	}
	return valuepath.NewSeries(samples) // validates: order, duplicates, NaN
}

// Events serves no events: this store has none, which is an empty log for a
// known account.
func (s *usageStore) Events(ctx context.Context, account valuepath.AccountID, window valuepath.Interval) (valuepath.EventLog, error) {
	if err := ctx.Err(); err != nil {
		return valuepath.EventLog{}, err
	}
	if !s.accounts[account] {
		return valuepath.EventLog{}, fmt.Errorf("usage store: %w %q", valuepath.ErrUnknownAccount, account)
	}
	return valuepath.EventLog{}, nil
}

// A Provider over a host's own store: here a sorted slice of usage rows.
// Anything that serves [Start, End) windows, knows its accounts and metrics
// and honours ctx will do; valuepathtest.TestProvider checks all of it.
func Example_provider() {
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	store := &usageStore{
		accounts: map[valuepath.AccountID]bool{"acme": true, "globex": true},
		metrics:  map[valuepath.Metric]bool{"logins": true},
	}
	for d := range 30 {
		store.rows = append(store.rows, usageRow{"acme", "logins", start.AddDate(0, 0, d), float64(20 + d%7)})
	}
	slices.SortFunc(store.rows, func(a, b usageRow) int {
		return cmp.Or(cmp.Compare(a.account, b.account), cmp.Compare(a.metric, b.metric), a.day.Compare(b.day))
	})

	set := valuepath.Must(valuepath.NewDerivations(valuepath.DerivationsSpec{
		{Name: "logins_7d", Op: valuepath.OpSum, Source: "logins", Window: valuepath.Days(7)},
		{Name: "logins_trend", Op: valuepath.OpSlope, Source: "logins", Window: valuepath.Days(28)},
	}))
	asOf := start.AddDate(0, 0, 30)
	for _, account := range []valuepath.AccountID{"acme", "globex", "initech"} {
		snap, err := set.Evaluate(context.Background(), store, account, asOf)
		if err != nil {
			fmt.Println(err)
			continue
		}
		sum, ok := snap.Value("logins_7d")
		fmt.Printf("%s: logins_7d %v (present %v), missing %v\n", account, sum, ok, slices.Collect(snap.Missing()))
	}
	// Output:
	// acme: logins_7d 161 (present true), missing []
	// valuepath: account "globex": no data in any window as of 2026-10-31T00:00:00Z ("logins" over [2026-10-03T00:00:00Z, 2026-10-31T00:00:00Z)); there is no data in the 394 days before asOf either
	// valuepath: account "initech": metric "logins": usage store: unknown account "initech"
}

func ExampleNewSchema() {
	schema, err := valuepath.NewSchema("logins_30d", "nps", "seats")
	if err != nil {
		fmt.Println(err)
		return
	}
	i, ok := schema.Index("nps")
	fmt.Println(schema.Len(), i, ok)

	_, err = valuepath.NewSchema("logins_30d", "", "logins_30d")
	fmt.Println(err)
	// Output:
	// 3 1 true
	// valuepath: metrics[1]: invalid value: empty metric name
	// valuepath: metrics[2]: duplicate metric "logins_30d" (also metrics[0])
}

func ExampleNewSnapshot() {
	schema := valuepath.Must(valuepath.NewSchema("logins_30d", "nps"))
	snap := valuepath.NewSnapshot(schema, "acme", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(snap.Coverage(), slices.Collect(snap.Missing()))
	if err := snap.Set("logins_30d", 0); err != nil { // zero is a value, not "unknown"
		fmt.Println(err)
	}
	fmt.Println(snap.Coverage(), slices.Collect(snap.Missing()))
	fmt.Println(snap.Set("csat", 4))
	// Output:
	// {0 2} [logins_30d nps]
	// {1 2} [nps]
	// valuepath: unknown metric "csat"
}

func ExampleNewEventLog() {
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	log, err := valuepath.NewEventLog([]valuepath.Event{
		{Account: "acme", Kind: "support_case", At: day, Attrs: map[string]string{"severity": "high"}},
		{Account: "acme", Kind: "release", At: day.AddDate(0, 0, 3)},
		{Account: "acme", Kind: "support_case", At: day.AddDate(0, 0, 9)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	last, _ := log.Last("support_case")
	fmt.Println(log.Len(), log.Count("support_case"), last.At.Format(time.DateOnly))

	_, err = valuepath.NewEventLog([]valuepath.Event{
		{Account: "acme", Kind: "release", At: day.AddDate(0, 0, 3)},
		{Account: "acme", At: day},
	})
	fmt.Println(err)
	// Output:
	// 3 2 2026-10-10
	// valuepath: events[1].kind: invalid value: must not be empty
	// valuepath: events[1].at: out of time order: 2026-10-01T00:00:00Z is before events[0] at 2026-10-04T00:00:00Z
}

func ExampleNewMoney() {
	fee, err := valuepath.NewMoney(decimal.RequireFromString("1250.50"), "EUR")
	fmt.Println(fee, err)
	_, err = valuepath.NewMoney(decimal.NewFromInt(10), "eur") // NewMoney takes the ISO form; ParseCurrency makes it
	fmt.Println(err)
	// Output:
	// EUR 1250.50 <nil>
	// valuepath: unknown currency "eur"
}

func ExampleParseCurrency() {
	for _, code := range []string{"usd", "JPY", "XYZ"} {
		c, err := valuepath.ParseCurrency(code)
		fmt.Println(c, err)
	}
	// Output:
	// USD <nil>
	// JPY <nil>
	//  unknown currency "XYZ"
}

func ExampleParseDuration() {
	for _, s := range []string{"30d", "2w", "3d12h", "90m", "1.5d"} {
		d, err := valuepath.ParseDuration(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s, "=", time.Duration(d))
	}
	// Output:
	// 30d = 720h0m0s
	// 2w = 336h0m0s
	// 3d12h = 84h0m0s
	// 90m = 1h30m0s
	// invalid value: duration "1.5d": want a whole number of days or weeks
}

func ExampleParseComparison() {
	below, err := valuepath.ParseComparison("<")
	fmt.Println(below.Holds(0.3, 0.5), err)
	_, err = valuepath.ParseComparison("=<")
	fmt.Println(err)
	// Output:
	// true <nil>
	// invalid value: comparison "=<": want one of < <= > >= == !=
}
