package segment_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/valuepath/valuepath/internal/batch/batchtest"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

// BenchmarkTieringAssign tiers 10,000 and 1,000,000 accounts: validation,
// duplicate detection, sorting, tier sums, the Pareto curve and an
// explained assignment per account.

// benchAccounts draws n accounts with revenue in cents between 10 and
// 200,000 USD (log-uniform, so a few carry much of it); 1 in 200 is
// strategic.
func benchAccounts(n int) []segment.TierInput {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]segment.TierInput, n)
	for i := range out {
		cents := int64(1000 * math.Pow(20000, r.Float64()))
		out[i] = segment.TierInput{
			ID:        valuepath.AccountID(fmt.Sprintf("acct-%07d", i)),
			Revenue:   money(decimal.New(cents, -2), "USD"),
			Strategic: r.IntN(200) == 0,
		}
	}
	return out
}

func BenchmarkTieringAssign(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			accounts := benchAccounts(n)
			t := valuepath.Must(segment.NewTiering(segment.TieringSpec{
				Currency: "USD",
				Capacity: segment.Capacity{TopCSMs: 200, LeveragedCSMs: 400, HoursPerCSM: 120, HoursPerTopAccount: 8},
			}))
			b.ReportAllocs()
			b.ResetTimer()
			start, cpu := time.Now(), batchtest.CPUTime()
			for range b.N {
				if _, err := t.Assign(accounts); err != nil {
					b.Fatal(err)
				}
			}
			el := time.Since(start)
			b.ReportMetric(float64(n)*float64(b.N)/el.Seconds(), "accounts/s")
			// CPU time includes the garbage collector's own workers.
			b.ReportMetric(float64(batchtest.CPUTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}
