package revenue_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

// benchEvents builds n accounts with monthly events over 36 months: a start,
// then a change, cancel or reactivation in roughly every third month.
func benchEvents(n int) []revenue.SubscriptionEvent {
	r := rand.New(rand.NewPCG(7, 8))
	start := day(2022, 1, 1)
	prices := make([]decimal.Decimal, 200)
	for i := range prices {
		prices[i] = decimal.New(int64(1000+i*250), -2)
	}
	out := make([]revenue.SubscriptionEvent, 0, n*13)
	for i := range n {
		acct := valuepath.AccountID(fmt.Sprintf("acct-%06d", i))
		active := true
		interval := []int{1, 1, 1, 12}[r.IntN(4)]
		out = append(out, revenue.SubscriptionEvent{Account: acct, Kind: revenue.Start, At: start.Add(time.Duration(r.IntN(28*24)) * time.Hour),
			Currency: "USD", Amount: prices[r.IntN(len(prices))].Mul(decimal.NewFromInt(int64(interval))), IntervalMonths: interval})
		for m := 1; m < 36; m++ {
			if r.IntN(3) != 0 {
				continue
			}
			e := revenue.SubscriptionEvent{Account: acct, At: start.AddDate(0, m, r.IntN(28)), Currency: "USD",
				Amount: prices[r.IntN(len(prices))].Mul(decimal.NewFromInt(int64(interval))), IntervalMonths: interval}
			switch {
			case !active:
				e.Kind, active = revenue.Reactivate, true
			case r.IntN(6) == 0:
				e.Kind, active = revenue.Cancel, false
			default:
				e.Kind = revenue.Change
			}
			out = append(out, e)
		}
	}
	return out
}

// BenchmarkBridge100kx36 measures the whole path the issue names: 100,000
// accounts' subscription events over 36 months normalised to MRR and
// bridged month by month, exactly.
func BenchmarkBridge100kx36(b *testing.B) {
	events := benchEvents(100_000)
	periods := revenue.Months(day(2022, 1, 1), 36)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ts, err := revenue.Normalize(events, revenue.Policy{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(events)), "events")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/account")
}

// BenchmarkBridgeOnly100kx36 measures the bridge over timelines already
// normalised.
func BenchmarkBridgeOnly100kx36(b *testing.B) {
	ts, err := revenue.Normalize(benchEvents(100_000), revenue.Policy{})
	if err != nil {
		b.Fatal(err)
	}
	periods := revenue.Months(day(2022, 1, 1), 36)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
