package stats

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQuantile(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 10}
	tests := []struct {
		q, want float64
	}{
		{0, 1}, {1, 10}, {0.5, 3}, {0.25, 2}, {0.9, 7.6}, {-1, 1}, {2, 10}, {math.NaN(), 1},
	}
	for _, tt := range tests {
		if got := Quantile(xs, tt.q); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Quantile(%v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if got := Quantile(nil, 0.5); got != 0 {
		t.Errorf("Quantile(nil) = %v, want 0", got)
	}
	if got := Median([]float64{1, 2, 3, 4}); got != 2.5 {
		t.Errorf("Median = %v, want 2.5", got)
	}
}

func TestPercentRank(t *testing.T) {
	xs := []float64{1, 2, 2, 3}
	tests := []struct{ v, want float64 }{
		{0, 0}, {1, 0.125}, {2, 0.5}, {3, 0.875}, {4, 1}, {2.5, 0.75},
	}
	for _, tt := range tests {
		if got := PercentRank(xs, tt.v); got != tt.want {
			t.Errorf("PercentRank(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
	if got := PercentRank(nil, 1); got != 0.5 {
		t.Errorf("PercentRank(nil) = %v", got)
	}
}

func TestHistogram(t *testing.T) {
	got := Histogram([]float64{-1, 0, 10, 49.9, 50, 75, 100, 101, math.NaN()}, []float64{0, 50, 75, 100})
	if diff := cmp.Diff([]int{3, 1, 2}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if Histogram([]float64{1}, []float64{1}) != nil || Histogram([]float64{1}, []float64{2, 1}) != nil {
		t.Error("bad edges did not return nil")
	}
}

func TestMeanAndSorted(t *testing.T) {
	in := []float64{3, 1, 2}
	if got := Mean(in); got != 2 {
		t.Errorf("Mean = %v", got)
	}
	if Mean(nil) != 0 {
		t.Error("Mean(nil) != 0")
	}
	s := Sorted(in)
	if diff := cmp.Diff([]float64{1, 2, 3}, s); diff != "" || in[0] != 3 {
		t.Errorf("Sorted = %v, input now %v", s, in)
	}
}

// TestMeanOfLargeValues: the mean of finite values is finite even when
// their plain sum overflows.
func TestMeanOfLargeValues(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{1.5e308, 1.5e308, 1.5e308}, 1.5e308},
		{[]float64{math.MaxFloat64, math.MaxFloat64, -math.MaxFloat64, -math.MaxFloat64}, 0},
		{[]float64{1e308, 1.7e308}, 1.35e308},
	}
	for _, tt := range tests {
		if got := Mean(tt.in); math.Abs(got-tt.want) > 1e-12*math.Abs(tt.want) {
			t.Errorf("Mean(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestSumCompensated: the compensated sum keeps what a plain sum loses.
func TestSumCompensated(t *testing.T) {
	var k Sum
	plain := 0.0
	for _, x := range []float64{1e16, 1, 1, 1, 1, -1e16} {
		k.Add(x)
		plain += x
	}
	if got := k.Value(); got != 4 {
		t.Errorf("Sum = %v, want 4 (a plain sum gives %v)", got, plain)
	}
}
