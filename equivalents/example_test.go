package equivalents_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/valuepath/valuepath"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath/equivalents"
)

// A host turns a raw count into staff-years saved, with the chain behind it.
func ExampleCatalog_Report() {
	cat, err := equivalents.NewCatalog(equivalents.TimeAndStaffing(equivalents.StaffingSpec{
		Activity: equivalents.UnitDef{Name: "transaction"},
		Saved:    equivalents.Q(3, equivalents.Minute),
		Source:   "Acme time study", Edition: "2026",
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := cat.Report(equivalents.Q(12408, "transaction"), "hours_saved", "staff_years")
	if err != nil {
		fmt.Println(err)
		return
	}
	en := equivalents.English{}
	for _, it := range r.Items {
		fmt.Println(cat.Statement(it, en))
	}
	fmt.Println(cat.Explain(r.Items[1].Conversion, en)[2])
	// Output:
	// 620 hours of work saved
	// 0.298 staff-years of work you did not need to hire for
	// 620 hours → 0.298 staff-years: 1 staff-year = 2,080 hours (40-hour week of the Fair Labor Standards Act, 29 U.S.C. § 207(a)(1), × 52 weeks, default of this package)
}

// An action equivalent: the walking a snack costs.
func ExamplePACE() {
	cat := valuepath.Must(equivalents.NewCatalog(equivalents.PACE()))
	r, _ := cat.Report(equivalents.Q(420, equivalents.Kcal), "walking")
	fmt.Println(cat.Statement(r.Items[0], equivalents.English{}))
	// Output:
	// 1 hour 24 minutes of walking
}

// A catalog whose two paths disagree is rejected, naming both.
func ExampleNewCatalog_inconsistent() {
	_, err := equivalents.ParseCatalog([]byte(`{
	  "units": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
	  "factors": [
	    {"from": "a", "to": "b", "ratio": "2", "source": "s"},
	    {"from": "b", "to": "c", "ratio": "3", "source": "s"},
	    {"from": "a", "to": "c", "ratio": "7", "source": "s"}]}`))
	fmt.Println(err)
	// Output:
	// equivalents: factors[2]: inconsistent factors: 1 a = 7 c here but 6 c through factors[0], factors[1] (differs by 14.3%, tolerance 0.0000001%)
}

// Many quantities through one precompiled path.
func ExamplePath_Apply() {
	cat := valuepath.Must(equivalents.NewCatalog(equivalents.EPAAvoidedElectricity2020()))
	p, _ := cat.Path(equivalents.KWh, equivalents.VehicleMile)
	for _, kwh := range []int64{1, 1000} {
		v, _ := p.Apply(equivalents.Q(kwh, equivalents.KWh).Value)
		fmt.Println(kwh, "kWh =", equivalents.English{}.Number(v), "miles")
	}
	// Output:
	// 1 kWh = 1.78 miles
	// 1000 kWh = 1,781 miles
}

// A batch: hours saved by every account of a base, from its snapshots. A
// missing metric is absent, never zero hours.
func ExampleBinding_ApplyAll() {
	cat := valuepath.Must(equivalents.NewCatalog(equivalents.TimeAndStaffing(equivalents.StaffingSpec{
		Activity: equivalents.UnitDef{Name: "transaction"},
		Saved:    equivalents.Q(3, equivalents.Minute),
		Source:   "Acme time study", Edition: "2026",
	})))
	p := valuepath.Must(cat.Path("transaction", equivalents.Hour))
	schema := valuepath.Must(valuepath.NewSchema("transactions_30d"))
	b := valuepath.Must(p.Bind(schema, "transactions_30d"))

	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var snapshots []*valuepath.Snapshot
	for _, a := range []struct {
		id valuepath.AccountID
		tx float64
	}{{"acme", 1200}, {"beta", -1}, {"gamma", 50}} {
		s := valuepath.NewSnapshot(schema, a.id, asOf)
		if a.tx >= 0 {
			_ = s.Set("transactions_30d", a.tx)
		}
		snapshots = append(snapshots, s)
	}
	en := equivalents.English{}
	hour, _ := cat.Unit(equivalents.Hour)
	for r, err := range b.ApplyAll(slices.Values(snapshots), valuepath.BatchOptions{}) {
		switch {
		case err != nil:
			fmt.Println(err)
		case !r.Present:
			fmt.Printf("%s: n/a (%s)\n", r.Account, r.Reason)
		default:
			fmt.Printf("%s: %s saved\n", r.Account, en.Quantity(r.Quantity.Value, hour))
		}
	}
	// Output:
	// acme: 60 hours saved
	// beta: n/a (metric "transactions_30d" is missing)
	// gamma: 2 hours 30 minutes saved
}

// An award rule with steps: every 100 hours saved earns 2 hours of leave.
func ExampleCatalog_Grant() {
	spec := equivalents.TimeAndStaffing(equivalents.StaffingSpec{
		Activity: equivalents.UnitDef{Name: "transaction"},
		Saved:    equivalents.Q(3, equivalents.Minute),
		Source:   "Acme time study", Edition: "2026",
	})
	spec.Units = append(spec.Units, equivalents.UnitDef{Name: "leave_hour", Singular: "hour of leave", Plural: "hours of leave"})
	spec.AwardRules = []equivalents.AwardRule{{
		Name: "leave", Input: equivalents.Hour, Every: decimal.NewFromInt(100),
		Award:  equivalents.Award{Quantity: equivalents.Q(2, "leave_hour")},
		Source: "Acme HR policy 7.2",
	}}
	cat := valuepath.Must(equivalents.NewCatalog(spec))
	g, err := cat.Grant("leave", equivalents.Q(12408, "transaction"))
	if err != nil {
		fmt.Println(err)
		return
	}
	en := equivalents.English{}
	u, _ := cat.Unit(g.Award.Quantity.Unit)
	fmt.Printf("%s saved: %s full steps of 100 hours earn %s (%s)\n",
		en.Number(g.Input.Value), g.Steps, en.Amount(g.Award.Quantity.Value, u), g.Source)
	// Output:
	// 620 saved: 6 full steps of 100 hours earn 12 hours of leave (Acme HR policy 7.2)
}

// An award in money: every 5 points of growth add USD 1,000 to a training
// budget, up to USD 3,000.
func ExampleAward_money() {
	cat, err := equivalents.NewCatalog(equivalents.CatalogSpec{
		Units: []equivalents.UnitDef{{Name: "growth_point", Singular: "point of growth"}},
		AwardRules: []equivalents.AwardRule{{
			Name: "training", Input: "growth_point", Every: decimal.NewFromInt(5),
			Award:  equivalents.Award{Money: valuepath.Must(valuepath.ParseMoney("1000", "USD"))},
			Cap:    equivalents.Award{Money: valuepath.Must(valuepath.ParseMoney("3000", "USD"))},
			Source: "Acme budget rule 2026",
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, points := range []int64{12, 40} {
		g, _ := cat.Grant("training", equivalents.Q(points, "growth_point"))
		fmt.Printf("%d points: %s (capped: %v)\n", points, g.Award.Money, g.Capped)
	}
	// Output:
	// 12 points: USD 2000.00 (capped: false)
	// 40 points: USD 3000.00 (capped: true)
}

// English rounds to significant figures without rounding away whole units,
// and writes time as people say it.
func ExampleEnglish() {
	en := equivalents.English{}
	minute, _ := valuepath.Must(equivalents.NewCatalog(equivalents.PACE())).Unit(equivalents.WalkingMin)
	fmt.Println(en.Number(decimal.RequireFromString("12408.4")))
	fmt.Println(en.Number(decimal.RequireFromString("0.30479999999999996")))
	fmt.Println(en.Quantity(decimal.NewFromInt(75), minute))
	fmt.Println(en.Amount(decimal.NewFromInt(1), minute))
	// Output:
	// 12,408
	// 0.305
	// 1 hour 15 minutes
	// 1 minute of walking
}
