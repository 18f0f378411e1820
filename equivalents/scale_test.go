package equivalents_test

import (
	"math/rand/v2"
	"testing"

	"github.com/valuepath/valuepath"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath/equivalents"
)

// scaleCatalog has paths whose combined ratios have awkward exponents and
// digits, to exercise every branch of the precompiled division.
func scaleCatalog(t testing.TB, places int32) *equivalents.Catalog {
	t.Helper()
	return valuepath.Must(equivalents.NewCatalog(equivalents.CatalogSpec{Places: places, Units: units("a", "b", "c", "d"), Factors: []equivalents.Factor{
		fac("b", "a", "7"), fac("c", "b", "0.000123"), fac("c", "d", "123456789.987654321"),
	}}))
}

// The precompiled path must give exactly what decimal's DivRound gives.
func TestApplyMatchesDivRound(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, spec := range []int32{0, 1, 2, 45} {
		c := scaleCatalog(t, spec)
		places := spec
		if places == 0 {
			places = 20 // the documented default
		}
		for _, pair := range [][2]equivalents.Unit{{"a", "b"}, {"a", "c"}, {"a", "d"}, {"d", "a"}, {"b", "d"}} {
			p, err := c.Path(pair[0], pair[1])
			if err != nil {
				t.Fatal(err)
			}
			num, den := ratio(p)
			for range 2000 {
				coef := r.Int64N(1<<62) >> r.IntN(62)
				if r.IntN(2) == 0 {
					coef = -coef
				}
				v := decimal.New(coef, int32(r.IntN(60)-30))
				if r.IntN(10) == 0 { // exact ties: multiples of half a unit in the last place
					v = decimal.New(int64(r.IntN(1000))*5+5, -places-1)
				}
				got, err := p.Apply(v)
				if err != nil {
					t.Fatal(err)
				}
				want := expected(v, num, den, places)
				if !got.Equal(want) {
					t.Fatalf("places %d, %s->%s, Apply(%s) = %s, want %s", places, pair[0], pair[1], v, got, want)
				}
			}
		}
	}
}

// expected is the documented result: exact when nothing divides, else
// rounded once with decimal's DivRound.
func expected(v, num, den decimal.Decimal, places int32) decimal.Decimal {
	if den.Equal(decimal.NewFromInt(1)) {
		return v.Mul(num)
	}
	return v.Mul(num).DivRound(den, places)
}

// ratio multiplies out a path's factors into a numerator and denominator.
func ratio(p *equivalents.Path) (num, den decimal.Decimal) {
	num, den = decimal.NewFromInt(1), decimal.NewFromInt(1)
	for f, inv := range p.Factors() {
		if inv {
			den = den.Mul(f.Ratio)
		} else {
			num = num.Mul(f.Ratio)
		}
	}
	return num, den
}

func FuzzApply(f *testing.F) {
	f.Add("12408", uint8(0))
	f.Add("-0.5", uint8(3))
	f.Add("123456789012345678901234567890", uint8(2))
	f.Add("1e-25", uint8(1))
	c := scaleCatalog(f, 20)
	pairs := [][2]equivalents.Unit{{"a", "b"}, {"a", "c"}, {"a", "d"}, {"d", "a"}, {"c", "a"}}
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		v, err := decimal.NewFromString(s)
		if err != nil {
			return
		}
		pair := pairs[int(which)%len(pairs)]
		p, err := c.Path(pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Apply(v)
		if err != nil {
			return // beyond the documented limits
		}
		num, den := ratio(p)
		if want := expected(v, num, den, 20); !got.Equal(want) {
			t.Fatalf("Apply(%s) = %s, want %s", s, got, want)
		}
	})
}
