package equivalents_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func FuzzParseCatalog(f *testing.F) {
	f.Add(`{"units":[{"name":"a"},{"name":"b"}],"factors":[{"from":"a","to":"b","ratio":"2","source":"s"}]}`)
	f.Add(`{"units":[{"name":"a"},{"name":"b"},{"name":"c"}],"factors":[{"from":"a","to":"b","ratio":2,"source":"s"},{"from":"b","to":"c","ratio":"3","source":"s"},{"from":"a","to":"c","ratio":"6.1","source":"s"}],"tolerance":0.05}`)
	f.Add(`{"units":[{"name":"h","time":"1h"},{"name":"l"}],"factors":[],"award_rules":[{"name":"p","input":"h","every":"100","award":{"quantity":{"value":2,"unit":"l"}},"source":"hr"},{"name":"m","input":"h","every":"1","award":{"money":{"amount":"5","currency":"usd"}},"cap":{"money":{"amount":"50","currency":"USD"}},"source":"hr"}],"equivalents":[{"name":"e","kind":"action","unit":"h","template":"{quantity}!"}]}`)
	f.Add(`{"units":[{"name":"a"}],"factors":[{"from":"a","to":"a","ratio":"1e999999","source":""}],"places":-1}`)
	f.Add(`{"units":[{"name":"a"},{"name":"b"},{"name":"c"}],"factors":[{"from":"a","to":"b","ratio":"1e30","source":"s"},{"from":"b","to":"c","ratio":"1e30","source":"s"},{"from":"a","to":"c","ratio":"1e-30","source":"s"}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		c, err := equivalents.ParseCatalog([]byte(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "equivalents: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		// A valid catalog converts between every pair of its units without
		// panicking, and round-trips through JSON.
		var us []equivalents.Unit
		for u := range c.Units() {
			us = append(us, u.Name)
		}
		if len(us) > 20 {
			us = us[:20]
		}
		for _, a := range us {
			for _, b := range us {
				conv, err := c.Convert(equivalents.Q(7, a), b)
				if err == nil && conv.To.Unit != b {
					t.Fatalf("converted to %s, want %s", conv.To.Unit, b)
				}
			}
		}
		data, err := c.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := equivalents.ParseCatalog(data); err != nil {
			t.Fatalf("saved catalog does not load: %v\n%s", err, data)
		}
	})
}

func FuzzEnglish(f *testing.F) {
	f.Add("12408.4", 3, int64(0))
	f.Add("75", 3, int64(time.Minute))
	f.Add("-0.0000000001234", 2, int64(time.Hour))
	f.Add("1e400", 30, int64(time.Second))
	f.Add("1e-2000", 0, int64(0))
	f.Add("-2.49", 82, int64(0))
	f.Add("9.99999e30", 45, int64(0))
	f.Fuzz(func(t *testing.T, s string, sig int, unitTime int64) {
		v, err := decimal.NewFromString(s)
		if err != nil {
			return
		}
		u := equivalents.UnitDef{Name: "thing", Time: valuepath.Duration(unitTime)}
		f := equivalents.English{SigFigs: sig % 40, Rounding: valuepath.RoundingMode(uint(sig) / 40 % 6)}
		out := f.Quantity(v, u)
		if out == "" || strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
			t.Fatalf("Quantity(%s) = %q", s, out)
		}
		num := f.Number(v)
		if v.Sign() >= 0 && strings.HasPrefix(num, "-") {
			t.Fatalf("Number(%s) = %q is negative", s, num)
		}
		// Plain numbers read back to within the rounding of their last digit.
		if strings.ContainsAny(num, "eE") || v.Exponent() < -1000 || v.Exponent() > 1000 || v.NumDigits() > 200 {
			return
		}
		back, err := decimal.NewFromString(strings.ReplaceAll(num, ",", ""))
		if err != nil {
			t.Fatalf("Number(%s) = %q does not parse: %v", s, num, err)
		}
		frac := 0
		if i := strings.IndexByte(num, '.'); i >= 0 {
			frac = len(num) - i - 1
		}
		if back.Sub(v).Abs().GreaterThan(decimal.New(1, -int32(frac))) {
			t.Fatalf("Number(%s) = %q is off by more than one unit in the last place", s, num)
		}
	})
}
