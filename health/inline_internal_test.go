package health

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The branch-free inline scoring gives scoreOf's result, bit for bit, for
// schemes of 2 to 4 points and every finite value (a snapshot holds no
// other): at the points, next to them, between and far beyond them, and
// for spans too wide for float64.
func TestInlineScoreIsScoreOf(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 2000 {
		n := 2 + trial%3
		pts := make([]Point, n)
		x := r.Float64()*200 - 100
		for k := range pts {
			pts[k] = Point{Value: x, Score: math.Round(r.Float64() * 100)}
			x += r.Float64()*50 + 1e-9
		}
		if trial%50 == 0 {
			pts[n-1].Value = 1e308 // a span too wide for float64
			pts[0].Value = -1e308
		}
		m := cmeasure{kind: kindThresholds, points: pts, slopes: make([]float64, n)}
		for k := 1; k < n; k++ {
			m.slopes[k] = (pts[k].Score - pts[k-1].Score) / (pts[k].Value - pts[k-1].Value)
		}
		hm := m.hotMeasure()
		h := &hm
		if !h.inline {
			t.Fatal("not inline")
		}
		vals := []float64{-math.MaxFloat64, math.MaxFloat64, 0, math.SmallestNonzeroFloat64}
		for _, p := range pts {
			vals = append(vals, p.Value, math.Nextafter(p.Value, math.Inf(1)), math.Nextafter(p.Value, math.Inf(-1)))
		}
		for range 20 {
			vals = append(vals, pts[0].Value-10+r.Float64()*(pts[n-1].Value-pts[0].Value+20))
		}
		for _, v := range slices.Clip(vals) {
			want, _ := m.scoreOf(v)
			if got := h.inlineScore(v); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("points %v, v %v: inline %v, scoreOf %v", pts, v, got, want)
			}
		}
	}
}
