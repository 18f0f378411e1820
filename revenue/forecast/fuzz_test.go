package forecast_test

import (
	"math"
	"testing"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue/forecast"
)

func FuzzProjectARR(f *testing.F) {
	f.Add("1000000", 12, 0.1, 0.02, 0.05)
	f.Add("0.01", 1, 1.0, 0.0, 10.0)
	f.Add("5", 3, math.NaN(), 0.0, 0.0)
	f.Fuzz(func(t *testing.T, amount string, periods int, churn, contraction, expansion float64) {
		arr, err := valuepath.ParseMoney(amount, "USD")
		if err != nil || periods > 60 {
			return
		}
		rows, err := forecast.ProjectARR(arr, periods, forecast.ProjectionRates{Churn: churn, Contraction: contraction, Expansion: expansion})
		if err != nil {
			return
		}
		for _, r := range rows {
			sum := r.Opening.Amount().Add(r.Expansion.Amount()).Sub(r.Contraction.Amount()).Sub(r.Churn.Amount())
			if !sum.Equal(r.Closing.Amount()) || r.Closing.Sign() < 0 {
				t.Fatalf("period %d: %v + %v - %v - %v != %v", r.Period, r.Opening, r.Expansion, r.Contraction, r.Churn, r.Closing)
			}
		}
	})
}
