package equivalents_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func TestConvert(t *testing.T) {
	c := allBuiltins(t)
	type step struct {
		From, To string
		Inverse  bool
	}
	tests := []struct {
		in        equivalents.Quantity
		to        equivalents.Unit
		want      string
		wantSteps []step
	}{
		{equivalents.Q(12408, "transaction"), equivalents.Minute, "37224", []step{{"12408 transaction", "37224 minute", false}}},
		{equivalents.Q(12408, "transaction"), equivalents.Hour, "620.4", []step{
			{"12408 transaction", "37224 minute", false}, {"37224 minute", "620.4 hour", true}}},
		{equivalents.Q(12408, "transaction"), equivalents.FTEYear, "0.29826923076923076923", []step{
			{"12408 transaction", "37224 minute", false}, {"37224 minute", "620.4 hour", true}, {"620.4 hour", "0.29826923076923076923 fte_year", true}}},
		{equivalents.Q(2, equivalents.FTEYear), "transaction", "83200", []step{
			{"2 fte_year", "4160 hour", false}, {"4160 hour", "249600 minute", false}, {"249600 minute", "83200 transaction", true}}},
		{equivalents.Q(420, equivalents.Kcal), equivalents.WalkingMin, "84", []step{{"420 kcal", "84 walking_minute", true}}},
		{equivalents.Q(10000, equivalents.KWh), equivalents.VehicleMile, "17814.07035175879396984925", []step{
			{"10000 kwh", "7.09 t_co2", false}, {"7.09 t_co2", "17814.07035175879396984925 vehicle_mile", true}}},
		{equivalents.Q(-60, equivalents.Minute), equivalents.Hour, "-1", []step{{"-60 minute", "-1 hour", true}}},
		{equivalents.Q(5, equivalents.Hour), equivalents.Hour, "5", nil},
	}
	for _, tt := range tests {
		got, err := c.Convert(tt.in, tt.to)
		if err != nil {
			t.Errorf("Convert(%v, %s): %v", tt.in, tt.to, err)
			continue
		}
		if got.To.String() != tt.want+" "+string(tt.to) || got.From != tt.in {
			t.Errorf("Convert(%v, %s) = %v -> %v, want %s %s", tt.in, tt.to, got.From, got.To, tt.want, tt.to)
		}
		var steps []step
		for _, s := range got.Steps {
			steps = append(steps, step{s.From.String(), s.To.String(), s.Inverse})
		}
		if diff := cmp.Diff(tt.wantSteps, steps); diff != "" {
			t.Errorf("Convert(%v, %s) steps (-want +got):\n%s", tt.in, tt.to, diff)
		}
	}
}

func TestConvertErrors(t *testing.T) {
	c := allBuiltins(t)
	tests := []struct {
		in   equivalents.Quantity
		to   equivalents.Unit
		want error
	}{
		{equivalents.Q(1, "parsec"), equivalents.Hour, equivalents.ErrUnknownUnit},
		{equivalents.Q(1, equivalents.Hour), "parsec", equivalents.ErrUnknownUnit},
		{equivalents.Q(1, equivalents.Hour), equivalents.KWh, equivalents.ErrNoPath},
		{equivalents.Quantity{Value: decimal.New(1, 5000), Unit: equivalents.Hour}, equivalents.Minute, valuepath.ErrInvalid},
	}
	for _, tt := range tests {
		if _, err := c.Convert(tt.in, tt.to); !errors.Is(err, tt.want) {
			t.Errorf("Convert(%v, %s): err %v, want %v", tt.in, tt.to, err, tt.want)
		}
	}
	// ConvertInto fails exactly when Convert does, and leaves dst empty.
	var dst equivalents.Conversion
	require.NoError(t, c.ConvertInto(equivalents.Q(60, equivalents.Minute), equivalents.Hour, &dst))
	for _, tt := range tests {
		_, err := c.Convert(tt.in, tt.to)
		require.ErrorIs(t, c.ConvertInto(tt.in, tt.to, &dst), tt.want)
		require.Error(t, err)
		assert.Empty(t, dst.Steps)
		assert.Equal(t, equivalents.Quantity{}, dst.To)
	}
}

func TestShortestAndDeterministicPath(t *testing.T) {
	// a-b-c-d is long; a-e-d and a-f-d are equally short, and a-e-d uses
	// the earlier-declared factors.
	spec := equivalents.CatalogSpec{Units: units("a", "b", "c", "d", "e", "f"), Factors: []equivalents.Factor{
		fac("a", "b", "1"), fac("b", "c", "1"), fac("c", "d", "1"),
		fac("a", "e", "2"), fac("a", "f", "4"), fac("d", "e", "2"), fac("d", "f", "4"),
	}}
	c := valuepath.Must(equivalents.NewCatalog(spec))
	for range 3 {
		p, err := c.Path("a", "d")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for f, inv := range p.Factors() {
			got = append(got, f.String()+map[bool]string{true: " inverse", false: ""}[inv])
		}
		want := []string{"1 a = 2 e (test source)", "1 d = 2 e (test source) inverse"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("path (-want +got):\n%s", diff)
		}
		assert.Equal(t, []equivalents.Unit{"a", "d"}, []equivalents.Unit{p.From(), p.To()})
	}
}

func TestApplyMatchesConvert(t *testing.T) {
	c := allBuiltins(t)
	p, err := c.Path("transaction", equivalents.FTEYear)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"0", "1", "12408", "0.5", "-7", "123456789.123456789", "1e-20"} {
		got, err := p.Apply(d(v))
		if err != nil {
			t.Fatal(err)
		}
		conv, err := c.Convert(equivalents.Quantity{Value: d(v), Unit: "transaction"}, equivalents.FTEYear)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(conv.To.Value) {
			t.Errorf("Apply(%s) = %s but Convert gives %s", v, got, conv.To.Value)
		}
		// The result is v*3/60/2080 rounded once to 20 places.
		want := d(v).Mul(d("3")).DivRound(d("124800"), 20)
		if !got.Equal(want) {
			t.Errorf("Apply(%s) = %s, want %s", v, got, want)
		}
	}
	if _, err := p.Apply(decimal.New(1, -5000)); !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("Apply of a huge exponent: %v", err)
	}
	// A path that only multiplies is exact.
	m, _ := c.Path(equivalents.FTEYear, equivalents.Minute)
	if got, _ := m.Apply(d("0.0000000000000000000000001")); !got.Equal(d("1.248e-20")) {
		t.Errorf("multiplying path not exact: %s", got)
	}
}

// ConvertInto reuses the destination's steps and gives what Convert gives.
func TestConvertInto(t *testing.T) {
	c := allBuiltins(t)
	var dst equivalents.Conversion
	for _, tt := range []struct {
		in equivalents.Quantity
		to equivalents.Unit
	}{
		{equivalents.Q(12408, "transaction"), equivalents.FTEYear},
		{equivalents.Q(10000, equivalents.KWh), equivalents.VehicleMile},
		{equivalents.Q(5, equivalents.Hour), equivalents.Hour},
		{equivalents.Q(2, equivalents.FTEYear), "transaction"},
	} {
		want, err := c.Convert(tt.in, tt.to)
		require.NoError(t, err)
		require.NoError(t, c.ConvertInto(tt.in, tt.to, &dst))
		if diff := cmp.Diff(want, dst, decEqual); diff != "" {
			t.Errorf("ConvertInto(%v, %s) (-Convert +ConvertInto):\n%s", tt.in, tt.to, diff)
		}
	}
}

func TestSources(t *testing.T) {
	c := allBuiltins(t)
	conv, _ := c.Convert(equivalents.Q(1, equivalents.KWh), equivalents.PhoneCharge)
	got := slices.Collect(conv.Sources())
	want := []string{"U.S. EPA, Greenhouse Gas Equivalencies Calculator — Calculations and References, " +
		"https://www.epa.gov/energy/greenhouse-gases-equivalencies-calculator-calculations-and-references " +
		"(2020 update (AVERT 2019 national marginal rate))"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sources (-want +got):\n%s", diff)
	}
}

func TestConcurrentConvert(t *testing.T) {
	c := allBuiltins(t)
	done := make(chan string)
	for range 8 {
		go func() {
			conv, err := c.Convert(equivalents.Q(12408, "transaction"), equivalents.FTEYear)
			if err != nil {
				done <- err.Error()
				return
			}
			done <- conv.To.Value.String()
		}()
	}
	for range 8 {
		if got := <-done; got != "0.29826923076923076923" {
			t.Errorf("concurrent Convert = %s", got)
		}
	}
}
