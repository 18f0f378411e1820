package equivalents_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func TestBuiltinFigures(t *testing.T) {
	c := allBuiltins(t)
	body, err := equivalents.PACEForBody(equivalents.BodySpec{})
	if err != nil {
		t.Fatal(err)
	}
	met := valuepath.Must(equivalents.NewCatalog(body))
	heavy, _ := equivalents.PACEForBody(equivalents.BodySpec{MassKg: d("100")})
	heavyCat := valuepath.Must(equivalents.NewCatalog(heavy))
	tests := []struct {
		c    *equivalents.Catalog
		in   equivalents.Quantity
		to   equivalents.Unit
		want string
	}{
		{c, equivalents.Q(1, equivalents.KWh), equivalents.TonCO2, "0.000709"},
		{c, equivalents.Q(1000, equivalents.TonCO2), equivalents.GallonGasoline, "112523.91133115787104759761"},
		{c, equivalents.Q(1, equivalents.FTEYear), equivalents.Hour, "2080"},
		{met, equivalents.Q(1, equivalents.WalkingMin), equivalents.Kcal, "4.2875"},
		{met, equivalents.Q(1, equivalents.RunningMin), equivalents.Kcal, "12.005"},
		{heavyCat, equivalents.Q(1, equivalents.WalkingMin), equivalents.Kcal, "6.125"},
	}
	for _, tt := range tests {
		got, err := tt.c.Convert(tt.in, tt.to)
		if err != nil {
			t.Fatal(err)
		}
		if got.To.Value.String() != tt.want {
			t.Errorf("%v -> %s = %s, want %s", tt.in, tt.to, got.To.Value, tt.want)
		}
	}
	for f := range c.Factors() {
		if f.Source == "" {
			t.Errorf("built-in factor without source: %v", f)
		}
	}
}

func TestBuiltinErrors(t *testing.T) {
	for _, tt := range []struct {
		b    equivalents.BodySpec
		want []string
	}{
		{equivalents.BodySpec{MassKg: d("-1")}, []string{"mass_kg: invalid value"}},
		{equivalents.BodySpec{MassKg: d("701")}, []string{"mass_kg: invalid value"}},
		{equivalents.BodySpec{WalkingMET: d("30")}, []string{"walking_met: invalid value"}},
		{equivalents.BodySpec{MassKg: d("0.5e-2000"), WalkingMET: d("-1"), RunningMET: d("-2")},
			[]string{"mass_kg: invalid value", "running_met: invalid value", "walking_met: invalid value"}},
	} {
		_, err := equivalents.PACEForBody(tt.b)
		require.ErrorIs(t, err, valuepath.ErrInvalid)
		assert.Equal(t, tt.want, fieldPaths(err, valuepath.ErrInvalid), "PACEForBody(%+v): %v", tt.b, err)
	}
	// The caller's figures are validated by NewCatalog with field paths.
	spec := equivalents.TimeAndStaffing(equivalents.StaffingSpec{Activity: equivalents.UnitDef{Name: "ticket"},
		Saved: equivalents.Q(0, equivalents.Minute), HoursPerFTEYear: d("1800")})
	_, err := equivalents.NewCatalog(spec)
	got := fieldPaths(err, valuepath.ErrInvalid)
	want := []string{"factors[0].ratio: invalid value", "factors[0].source: invalid value", "factors[2].source: invalid value"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
