package demo

import (
	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

// Units of the demo's equivalents catalog, beyond the time and staffing
// units of [equivalents.TimeAndStaffing].
const (
	TransactionUnit  = "transaction"   // one transaction processed in the product
	RecordUpdateUnit = "record_update" // one record updated by hand
)

// EquivalentsCatalog returns the demo's conversion catalog: transactions
// and record updates to staff time (from an illustrative vendor time
// study), the feel-good equivalents hours_saved and staff_years, the action
// equivalent automate_records, and the leave award rule. The spec is a
// constant, so a failure here is a bug.
func EquivalentsCatalog() *equivalents.Catalog {
	const study = "demo vendor time study (illustrative figure, not a published source)"
	spec := equivalents.TimeAndStaffing(equivalents.StaffingSpec{
		Activity: equivalents.UnitDef{Name: TransactionUnit},
		Saved:    equivalents.Quantity{Value: decimal.RequireFromString("2.5"), Unit: equivalents.Minute},
		Source:   study, Edition: "2026",
	})
	spec.Units = append(spec.Units, equivalents.UnitDef{Name: RecordUpdateUnit, Singular: "record update"})
	spec.Factors = append(spec.Factors, equivalents.Factor{From: RecordUpdateUnit, To: equivalents.Minute,
		Ratio: decimal.RequireFromString("1.5"), Source: study, Edition: "2026", Note: "manual time per record update"})
	spec.Equivalents = append(spec.Equivalents, equivalents.Equivalent{Name: "automate_records", Kind: equivalents.Action,
		Unit: equivalents.Hour, Template: "{quantity} of staff time a month that automating record updates would free"})
	spec.Units = append(spec.Units, equivalents.UnitDef{Name: "leave_hour", Singular: "hour of team leave", Plural: "hours of team leave"})
	spec.AwardRules = append(spec.AwardRules, equivalents.AwardRule{Name: "leave", Input: equivalents.Hour,
		Every: decimal.NewFromInt(100), Award: equivalents.Award{Quantity: equivalents.Q(2, "leave_hour")},
		Cap:    equivalents.Award{Quantity: equivalents.Q(40, "leave_hour")},
		Source: "demo customer's recognition policy (illustrative)"})
	return valuepath.Must(equivalents.NewCatalog(spec))
}
