package equivalents_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func units(names ...equivalents.Unit) []equivalents.UnitDef {
	out := make([]equivalents.UnitDef, len(names))
	for i, n := range names {
		out[i] = equivalents.UnitDef{Name: n}
	}
	return out
}

func fac(from, to equivalents.Unit, ratio string) equivalents.Factor {
	return equivalents.Factor{From: from, To: to, Ratio: d(ratio), Source: "test source"}
}

func TestNewCatalogErrors(t *testing.T) {
	sentinels := []error{valuepath.ErrDuplicate, equivalents.ErrUnknownUnit, equivalents.ErrInconsistent, valuepath.ErrNotFinite, valuepath.ErrInvalid}
	tests := []struct {
		name string
		spec equivalents.CatalogSpec
		want []string
	}{
		{
			name: "valid",
			spec: equivalents.CatalogSpec{Units: units("a", "b"), Factors: []equivalents.Factor{fac("a", "b", "2")}},
		},
		{
			name: "unknown and empty units, duplicate unit",
			spec: equivalents.CatalogSpec{Units: units("a", "a", ""), Factors: []equivalents.Factor{fac("a", "zz", "2"), fac("", "a", "1")}},
			want: []string{"factors[0].to: unknown unit", "factors[1].from: invalid value", "units[1].name: duplicate", "units[2].name: invalid value"},
		},
		{
			name: "bad ratios and missing source",
			spec: equivalents.CatalogSpec{Units: units("a", "b"), Factors: []equivalents.Factor{
				fac("a", "b", "0"), fac("a", "b", "-3"), fac("a", "b", "1e31"), fac("a", "b", "1e-31"),
				{From: "a", To: "b", Ratio: d("2"), Source: "  "},
			}},
			want: []string{"factors[0].ratio: invalid value", "factors[1].ratio: invalid value", "factors[2].ratio: invalid value", "factors[3].ratio: invalid value", "factors[4].source: invalid value"},
		},
		{
			name: "self loop",
			spec: equivalents.CatalogSpec{Units: units("a"), Factors: []equivalents.Factor{fac("a", "a", "1")}},
			want: []string{"factors[0]: invalid value"},
		},
		{
			name: "inconsistent cycle",
			spec: equivalents.CatalogSpec{Units: units("a", "b", "c"), Factors: []equivalents.Factor{fac("a", "b", "2"), fac("b", "c", "3"), fac("a", "c", "7")}},
			want: []string{"factors[2]: inconsistent factors"},
		},
		{
			name: "inconsistent parallel factor, reversed",
			spec: equivalents.CatalogSpec{Units: units("a", "b"), Factors: []equivalents.Factor{fac("a", "b", "4"), fac("b", "a", "0.5")}},
			want: []string{"factors[1]: inconsistent factors"},
		},
		{
			name: "consistent cycle through an inverse",
			spec: equivalents.CatalogSpec{Units: units("a", "b", "c"), Factors: []equivalents.Factor{fac("a", "b", "2"), fac("c", "b", "8"), fac("a", "c", "0.25")}},
		},
		{
			name: "within stated tolerance",
			spec: equivalents.CatalogSpec{Tolerance: 0.01, Units: units("a", "b", "c"), Factors: []equivalents.Factor{fac("a", "b", "2"), fac("b", "c", "3"), fac("a", "c", "6.05")}},
		},
		{
			name: "bad tolerance and places",
			spec: equivalents.CatalogSpec{Tolerance: 1.5, Places: 101, Units: units("a")},
			want: []string{"places: invalid value", "tolerance: invalid value"},
		},
		{
			name: "NaN tolerance",
			spec: equivalents.CatalogSpec{Tolerance: nan(), Units: units("a")},
			want: []string{"tolerance: not a finite number"},
		},
		{
			name: "bad equivalents",
			spec: equivalents.CatalogSpec{Units: units("a"), Equivalents: []equivalents.Equivalent{
				{Name: "x", Kind: "joyful", Unit: "a"},
				{Name: "x", Kind: equivalents.Action, Unit: "nope", Template: "no placeholder"},
				{Kind: equivalents.FeelGood, Unit: "a"},
			}},
			want: []string{"equivalents[0].kind: invalid value", "equivalents[1].name: duplicate", "equivalents[1].template: invalid value", "equivalents[1].unit: unknown unit", "equivalents[2].name: invalid value"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := equivalents.NewCatalog(tt.spec)
			if diff := cmp.Diff(tt.want, fieldPaths(err, sentinels...)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\nerr: %v", diff, err)
			}
		})
	}
}

func TestInconsistentMessageNamesTheOtherPath(t *testing.T) {
	_, err := equivalents.NewCatalog(equivalents.CatalogSpec{Units: units("a", "b", "c"),
		Factors: []equivalents.Factor{fac("a", "b", "2"), fac("b", "c", "3"), fac("a", "c", "7")}})
	want := "equivalents: factors[2]: inconsistent factors: 1 a = 7 c here but 6 c through factors[0], factors[1] (differs by 14.3%, tolerance 0.0000001%)"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestCatalogIsACopy(t *testing.T) {
	spec := equivalents.CatalogSpec{Units: units("a", "b"), Factors: []equivalents.Factor{fac("a", "b", "2")}}
	c := valuepath.Must(equivalents.NewCatalog(spec))
	spec.Factors[0].Ratio = d("5")
	spec.Units[1].Name = "zz"
	got, err := c.Convert(equivalents.Q(3, "a"), "b")
	if err != nil {
		t.Fatal(err)
	}
	if !got.To.Value.Equal(d("6")) {
		t.Errorf("caller's later edit leaked into the catalog: got %s, want 6", got.To.Value)
	}
	s := c.Spec()
	s.Factors[0].Ratio = d("9")
	if got, _ := c.Convert(equivalents.Q(3, "a"), "b"); !got.To.Value.Equal(d("6")) {
		t.Errorf("edit of Spec() leaked into the catalog: got %s", got.To.Value)
	}
}

func TestMerge(t *testing.T) {
	a := equivalents.CatalogSpec{Name: "A", Tolerance: 0.01, Units: units("x", "y"), Factors: []equivalents.Factor{fac("x", "y", "2")}}
	b := equivalents.CatalogSpec{Name: "B", Places: 5, Units: units("y", "z"), Factors: []equivalents.Factor{fac("x", "y", "2"), fac("y", "z", "3")}}
	m := equivalents.Merge(a, b)
	want := equivalents.CatalogSpec{Name: "A", Tolerance: 0.01, Places: 5, Units: units("x", "y", "z"),
		Factors: []equivalents.Factor{fac("x", "y", "2"), fac("y", "z", "3")}}
	if diff := cmp.Diff(want, m, decEqual); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
	// Conflicting declarations of one unit stay and are reported.
	c := equivalents.CatalogSpec{Units: []equivalents.UnitDef{{Name: "y", Singular: "why"}}}
	_, err := equivalents.NewCatalog(equivalents.Merge(a, c))
	if !errors.Is(err, valuepath.ErrDuplicate) {
		t.Errorf("conflicting unit: got %v, want ErrDuplicate", err)
	}
}

func TestQuantityOf(t *testing.T) {
	for _, v := range []float64{nan(), inf(), -inf()} {
		_, err := equivalents.QuantityOf(v, "a")
		require.ErrorIs(t, err, valuepath.ErrNotFinite)
	}
	q, err := equivalents.QuantityOf(0.1, "a")
	require.NoError(t, err)
	assert.Equal(t, "0.1 a", q.String(), "the shortest decimal that round-trips")
	q, err = equivalents.QuantityOf(0.000709, "kwh")
	require.NoError(t, err)
	assert.Equal(t, "0.000709 kwh", q.String())
}

func TestUnitsAndFactorsIterators(t *testing.T) {
	c := valuepath.Must(equivalents.NewCatalog(equivalents.CatalogSpec{Units: units("a", "b"), Factors: []equivalents.Factor{fac("a", "b", "2")}}))
	var got []string
	for u := range c.Units() {
		got = append(got, string(u.Name))
	}
	for f := range c.Factors() {
		got = append(got, f.String())
	}
	want := []string{"a", "b", "1 a = 2 b (test source)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, ok := c.Unit("nope"); ok {
		t.Error("Unit(nope) reported present")
	}
	_ = decimal.Zero
}

// Two chains may disagree by more than any float64 can hold; the error
// must still be reported, not panic.
func TestHugeDisagreement(t *testing.T) {
	var spec equivalents.CatalogSpec
	for i := range 13 {
		spec.Units = append(spec.Units, equivalents.UnitDef{Name: equivalents.Unit(rune('a' + i))})
		if i > 0 {
			spec.Factors = append(spec.Factors, fac(equivalents.Unit(rune('a'+i-1)), equivalents.Unit(rune('a'+i)), "1e30"))
		}
	}
	spec.Factors = append(spec.Factors, fac("a", "m", "1"))
	_, err := equivalents.NewCatalog(spec)
	if !errors.Is(err, equivalents.ErrInconsistent) || !strings.Contains(err.Error(), "differs by 1e+362%") {
		t.Errorf("got %v", err)
	}
}
