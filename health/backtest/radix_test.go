package backtest

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSortFloats(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 10, 5000, 20000} {
		xs := make([]float64, n)
		for i := range xs {
			switch r.IntN(5) {
			case 0:
				xs[i] = float64(r.IntN(7)) - 3
			case 1:
				xs[i] = math.Copysign(0, -1)
			case 2:
				xs[i] = r.NormFloat64() * 1e300
			default:
				xs[i] = r.Float64()*200 - 100
			}
		}
		want := slices.Clone(xs)
		for i := range want {
			if want[i] == 0 {
				want[i] = 0
			}
		}
		slices.Sort(want)
		sortFloats(xs)
		if diff := cmp.Diff(want, xs); diff != "" {
			t.Fatalf("n=%d (-want +got):\n%s", n, diff)
		}
		for _, x := range xs {
			if x == 0 && math.Signbit(x) {
				t.Fatalf("n=%d: -0 left in", n)
			}
		}
	}
}
