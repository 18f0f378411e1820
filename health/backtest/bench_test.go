package backtest_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/valuepath/valuepath/health/backtest"
)

var sink float64

// BenchmarkAUC computes the AUC of 1,000,000 scores per op.
func BenchmarkAUC(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	scores, churned := make([]float64, 1_000_000), make([]bool, 1_000_000)
	for i := range scores {
		churned[i] = r.IntN(10) == 0
		scores[i] = r.NormFloat64()*15 + 60
		if churned[i] {
			scores[i] -= 15
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		a, err := backtest.AUC(scores, churned)
		if err != nil {
			b.Fatal(err)
		}
		sink += a.Value
	}
}

// FuzzAUC checks AUC against its definition on arbitrary small inputs.
func FuzzAUC(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5}, []byte{0, 1, 0, 1, 1})
	f.Add([]byte{7, 7, 7}, []byte{1, 0, 1})
	f.Fuzz(func(t *testing.T, raw, labels []byte) {
		n := min(len(raw), len(labels), 64)
		scores, churned := make([]float64, n), make([]bool, n)
		for i := range n {
			scores[i] = float64(int8(raw[i])) / 3
			churned[i] = labels[i]&1 == 1
		}
		got, err := backtest.AUC(scores, churned)
		nc := 0
		for _, c := range churned {
			if c {
				nc++
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		if nc == 0 || nc == n {
			if got.Present {
				t.Fatal("an AUC for a missing class")
			}
			return
		}
		if want := bruteAUC(scores, churned); !got.Present || math.Abs(got.Value-want) > 1e-12 {
			t.Fatalf("AUC %v, want %v", got, want)
		}
	})
}
