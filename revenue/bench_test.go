package revenue_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/valuepath/valuepath/internal/batch/batchtest"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

// benchEvents builds n accounts with monthly events over 36 months: a start,
// then a change, cancel or reactivation in roughly every third month.
func benchEvents(n int) []revenue.SubscriptionEvent {
	out := make([]revenue.SubscriptionEvent, 0, n*13)
	for events := range benchAccounts(n) {
		out = append(out, events...)
	}
	return out
}

// benchAccounts yields the accounts of benchEvents one at a time, from the
// same seed, reusing one slice: a book of any size without holding it.
func benchAccounts(n int) iter.Seq[[]revenue.SubscriptionEvent] {
	return func(yield func([]revenue.SubscriptionEvent) bool) {
		r := rand.New(rand.NewPCG(7, 8))
		start := day(2022, 1, 1)
		prices := make([]decimal.Decimal, 200)
		for i := range prices {
			prices[i] = decimal.New(int64(1000+i*250), -2)
		}
		var out []revenue.SubscriptionEvent
		for i := range n {
			out = out[:0]
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
			if !yield(out) {
				return
			}
		}
	}
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
		if _, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{Batch: valuepath.BatchOptions{Concurrency: 1}}); err != nil {
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
		if _, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{Batch: valuepath.BatchOptions{Concurrency: 1}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNormalizeBridge100kx36 runs normalise + bridge over 100,000
// distinct customers × 36 months (1.27 M events, grouped by account) four
// ways in one run, on one goroutine and on two: the library streaming
// (NormalizeAll into NewBridgeStream), the library in one pass
// (NewBridgeEvents, copying each input and in place), the library over slices (Normalize,
// then NewBridge; only the bridge's walk is split), and the hand-written
// one-pass loop of handwritten_test.go, which computes the same rows
// (TestHandBridgeMatchesLibrary).
func BenchmarkNormalizeBridge100kx36(b *testing.B) {
	const n = 100_000
	events := benchEvents(n)
	accounts := byAccount(events)
	periods := revenue.Months(day(2022, 1, 1), 36)
	bounds := bridgeBounds(periods)
	// perAccount reports the wall clock and the process's CPU time per
	// account (the CPU time of every goroutine, the runtime's included).
	perAccount := func(b *testing.B, cpu0 time.Duration) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/account")
		if cpu0 > 0 {
			b.ReportMetric(float64((batchtest.CPUTime()-cpu0).Nanoseconds())/float64(b.N)/n, "cpu-ns/account")
		}
	}
	for _, cpu := range []int{1, 2} {
		opt := valuepath.BatchOptions{Concurrency: cpu}
		b.Run(fmt.Sprintf("library-stream/cpu=%d", cpu), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := batchtest.CPUTime()
			for b.Loop() {
				if _, err := revenue.NewBridgeStream(revenue.NormalizeAll(slices.Values(accounts), revenue.Policy{}, opt), periods, revenue.BridgeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			perAccount(b, cpu0)
		})
		for _, inPlace := range []bool{false, true} {
			name, events := "library-events", opt
			if events.InPlace = inPlace; inPlace {
				name += "-in-place"
			}
			b.Run(fmt.Sprintf("%s/cpu=%d", name, cpu), func(b *testing.B) {
				b.ReportAllocs()
				cpu0 := batchtest.CPUTime()
				for b.Loop() {
					if _, err := revenue.NewBridgeEvents(slices.Values(accounts), revenue.Policy{}, periods, revenue.BridgeOptions{Batch: events}); err != nil {
						b.Fatal(err)
					}
				}
				perAccount(b, cpu0)
			})
		}
		b.Run(fmt.Sprintf("library-slices/cpu=%d", cpu), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := batchtest.CPUTime()
			for b.Loop() {
				ts, err := revenue.Normalize(events, revenue.Policy{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{Batch: opt}); err != nil {
					b.Fatal(err)
				}
			}
			perAccount(b, cpu0)
		})
		b.Run(fmt.Sprintf("hand-written/cpu=%d", cpu), func(b *testing.B) {
			b.ReportAllocs()
			rows := make([]handRow, len(periods))
			cpu0 := batchtest.CPUTime()
			for b.Loop() {
				clear(rows)
				if err := handBridgeParallel(accounts, bounds, rows, cpu); err != nil {
					b.Fatal(err)
				}
			}
			perAccount(b, cpu0)
		})
	}
}

// BenchmarkBridgeWalk100kx36 measures NewBridge alone over timelines already
// normalised, on one goroutine and on two.
func BenchmarkBridgeWalk100kx36(b *testing.B) {
	ts, err := revenue.Normalize(benchEvents(100_000), revenue.Policy{})
	if err != nil {
		b.Fatal(err)
	}
	periods := revenue.Months(day(2022, 1, 1), 36)
	for _, cpu := range []int{1, 2} {
		b.Run(fmt.Sprintf("cpu=%d", cpu), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := batchtest.CPUTime()
			for b.Loop() {
				if _, err := revenue.NewBridge(ts, periods, revenue.BridgeOptions{Batch: valuepath.BatchOptions{Concurrency: cpu}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((batchtest.CPUTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}
