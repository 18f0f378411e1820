package sbg_test

import (
	"math"
	"testing"

	"github.com/valuepath/valuepath/revenue/sbg"
)

func FuzzFit(f *testing.F) {
	f.Add(1000, 631, 468, 382, 326)
	f.Add(10, 9, 9, 9, 1)
	f.Add(5, 5, 4, 0, 0)
	f.Add(1, 0, 0, 0, 0)
	f.Add(1<<40, 1<<39, 1<<38, 1<<37, 1)
	f.Fuzz(func(t *testing.T, a, b, c, d, e int) {
		m, err := sbg.Fit([]int{a, b, c, d, e})
		if err != nil {
			return
		}
		for _, v := range []float64{m.Survival(4), m.Survival(100), m.RetentionRate(3)} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Fatalf("Fit(%v) = %+v gives %v", []int{a, b, c, d, e}, m, v)
			}
		}
		if p := m.Spec(); !(p.Alpha > 0 && p.Beta > 0) || math.IsInf(p.Alpha, 0) || math.IsInf(p.Beta, 0) {
			t.Fatalf("Fit(%v) = %+v", []int{a, b, c, d, e}, m)
		}
	})
}

// BenchmarkFit12 fits a 12-period cohort.
func BenchmarkFit12(b *testing.B) {
	survivors := []int{1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := sbg.Fit(survivors); err != nil {
			b.Fatal(err)
		}
	}
}
