package forecast_test

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue/forecast"
)

func outcomes(band string, renewed, lost int) []forecast.Outcome {
	var out []forecast.Outcome
	for i := range renewed + lost {
		out = append(out, forecast.Outcome{Account: "x", Band: band, Renewed: i < renewed})
	}
	return out
}

func TestCalibrate(t *testing.T) {
	hist := slices.Concat(outcomes("green", 90, 10), outcomes("red", 2, 8), outcomes("new", 1, 0))
	cal, err := forecast.Calibrate(hist, forecast.CalibrationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pooled := 93.0 / 111
	want := map[string]float64{
		"green": (90 + 2*pooled) / 102,
		"red":   (2 + 2*pooled) / 12,
		"new":   (1 + 2*pooled) / 3, // one renewal does not make 100%
	}
	got := map[string]float64{}
	for b := range cal.Bands() {
		got[b.Band] = b.Probability
		if b.Low > float64(b.Renewed)/float64(b.Outcomes) || b.High < float64(b.Renewed)/float64(b.Outcomes) {
			t.Errorf("%s: interval [%v, %v] misses the raw rate", b.Band, b.Low, b.High)
		}
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("probabilities (-want +got):\n%s", diff)
	}
	r, ok := cal.Rate("amber")
	if ok || !r.Pooled || math.Abs(r.Probability-pooled) > 1e-12 {
		t.Errorf("unknown band: %+v, %v; want the pooled rate", r, ok)
	}
	// More evidence moves a band further from the pool.
	strong, _ := forecast.Calibrate(slices.Concat(outcomes("red", 20, 80), outcomes("green", 90, 10)), forecast.CalibrationOptions{PriorStrength: 1})
	sr, _ := strong.Rate("red")
	if sr.Probability > 0.22 {
		t.Errorf("red with 100 outcomes = %v, want near 0.2", sr.Probability)
	}
	if _, err := forecast.Calibrate(nil, forecast.CalibrationOptions{}); !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("no outcomes: error %v", err)
	}
	if _, err := forecast.Calibrate(hist, forecast.CalibrationOptions{PriorStrength: -1}); !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("negative prior: error %v", err)
	}
}

func TestForecastRenewals(t *testing.T) {
	cal, err := forecast.Calibrate(slices.Concat(outcomes("green", 9, 1), outcomes("red", 1, 1)), forecast.CalibrationOptions{PriorStrength: 0.0000001})
	if err != nil {
		t.Fatal(err)
	}
	usd := func(s string) valuepath.Money { return valuepath.Must(valuepath.ParseMoney(s, "USD")) }
	q := valuepath.Interval{Start: day(2025, 1, 1), End: day(2025, 4, 1)}
	renewals := []forecast.Renewal{
		{Account: "a", Band: "green", Due: day(2025, 2, 1), ARR: usd("10000")},
		{Account: "b", Band: "red", Due: day(2025, 1, 15), ARR: usd("4000")},
		{Account: "c", Band: "green", Due: day(2025, 5, 1), ARR: usd("99999")}, // next quarter
	}
	f, err := forecast.Renewals(renewals, cal, q)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{f.Due.String(), f.Expected.String(), string(f.Lines[0].Account), f.Bands[0].Band, f.Bands[0].Expected.String()}
	// Probabilities 0.9 and 0.5 (the prior is negligible): 9000 + 2000.
	want := []string{"USD 14000.00", "USD 11000.00", "b", "green", "USD 9000.00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("forecast (-want +got):\n%s", diff)
	}
	sd := math.Sqrt(0.9*0.1*1e8 + 0.25*16e6)
	lo, _ := f.Low.Amount().Float64()
	hi, _ := f.High.Amount().Float64()
	if math.Abs(lo-(11000-1.6448536269514722*sd)) > 0.01 || math.Abs(hi-math.Min(14000, 11000+1.6448536269514722*sd)) > 0.01 {
		t.Errorf("range [%v, %v], want 11000 ∓ 1.645×%.2f", lo, hi, sd)
	}
	m, err := f.Margin(usd("2750"))
	if err != nil || m.Profit.String() != "USD 8250.00" || math.Abs(m.Ratio.Or(-1)-0.75) > 1e-12 {
		t.Errorf("margin = %+v, %v", m, err)
	}
	_, err = f.Margin(valuepath.Must(valuepath.ParseMoney("1", "EUR")))
	require.ErrorIs(t, err, valuepath.ErrCurrencyMismatch)
	_, err = f.Margin(usd("-1"))
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	none, err := forecast.RenewalForecast{Expected: usd("0")}.Margin(usd("100"))
	require.NoError(t, err)
	assert.False(t, none.Ratio.Present, "a margin of no revenue is undefined")
	bad := []forecast.Renewal{{Account: "", ARR: usd("-1")}, {Account: "x", ARR: valuepath.Must(valuepath.ParseMoney("1", "EUR"))}}
	if _, err := forecast.Renewals(bad, cal, q); err == nil {
		t.Error("bad renewals: no error")
	} else {
		for _, w := range []string{"renewals[0].account", "renewals[0].arr", "renewals[1].arr.currency"} {
			if !contains(err.Error(), w) {
				t.Errorf("error %q lacks %q", err, w)
			}
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestProjectARR(t *testing.T) {
	rows, err := forecast.ProjectARR(valuepath.Must(valuepath.ParseMoney("1000000", "USD")), 3, forecast.ProjectionRates{Churn: 0.1, Contraction: 0.02, Expansion: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		sum := r.Opening.Amount().Add(r.Expansion.Amount()).Sub(r.Contraction.Amount()).Sub(r.Churn.Amount())
		if !sum.Equal(r.Closing.Amount()) {
			t.Errorf("period %d does not add up", r.Period)
		}
		got = append(got, r.Closing.String()+" lost "+r.LostToChurn.String())
	}
	want := []string{"USD 930000.00 lost USD 100000.00", "USD 864900.00 lost USD 193000.00", "USD 804357.00 lost USD 279490.00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("projection (-want +got):\n%s", diff)
	}
	if _, err := forecast.ProjectARR(valuepath.Must(valuepath.ParseMoney("1", "USD")), 0, forecast.ProjectionRates{Churn: 0.7, Contraction: 0.5, Expansion: math.NaN()}); err == nil {
		t.Error("bad projection: no error")
	}
}

func TestCalibrationJSON(t *testing.T) {
	cal, err := forecast.Calibrate(slices.Concat(outcomes("green", 3, 1), outcomes("red", 0, 0)), forecast.CalibrationOptions{})
	require.NoError(t, err)
	p := cal.Pooled()
	assert.Equal(t, forecast.BandRate{Outcomes: 4, Renewed: 3, Probability: 0.75, Low: p.Low, High: p.High, Pooled: true}, p)
	b, err := json.Marshal(cal)
	require.NoError(t, err)
	var got struct {
		Bands  []forecast.BandRate `json:"bands"`
		Pooled forecast.BandRate   `json:"pooled"`
	}
	require.NoError(t, json.Unmarshal(b, &got))
	require.Len(t, got.Bands, 1)
	assert.Equal(t, "green", got.Bands[0].Band)
	assert.Equal(t, p, got.Pooled)
}
