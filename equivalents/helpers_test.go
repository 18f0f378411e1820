package equivalents_test

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

var decEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

var moneyEqual = cmp.Comparer(func(a, b valuepath.Money) bool {
	return a.Currency() == b.Currency() && a.Amount().Equal(b.Amount())
})

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func staffingSpec() equivalents.CatalogSpec {
	return equivalents.TimeAndStaffing(equivalents.StaffingSpec{
		Activity: equivalents.UnitDef{Name: "transaction"},
		Saved:    equivalents.Q(3, equivalents.Minute),
		Source:   "Acme time study", Edition: "2026",
	})
}

func allBuiltins(t testing.TB) *equivalents.Catalog {
	t.Helper()
	c, err := equivalents.NewCatalog(equivalents.Merge(staffingSpec(), equivalents.PACE(), equivalents.EPAAvoidedElectricity2020()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fieldPaths returns the sorted "path: sentinel" pairs of a joined error.
func fieldPaths(err error, sentinels ...error) []string {
	if err == nil {
		return nil
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []string
	for _, e := range errs {
		var fe *valuepath.FieldError
		if !errors.As(e, &fe) {
			out = append(out, "?: "+e.Error())
			continue
		}
		s := fe.Path + ": "
		for _, sen := range sentinels {
			if errors.Is(fe, sen) {
				s += sen.Error()
				break
			}
		}
		if !strings.HasPrefix(fe.Error(), "equivalents: ") {
			s += " (missing package prefix)"
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func nan() float64 { z := 0.0; return z / z }
func inf() float64 { z := 0.0; return 1 / z }
