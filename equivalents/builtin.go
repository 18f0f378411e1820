package equivalents

import (
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Units of the built-in catalogs. Catalogs combined with [Merge] share them,
// so hours from [TimeAndStaffing] are the same hours everywhere.
const (
	Minute  Unit = "minute"
	Hour    Unit = "hour"
	FTEYear Unit = "fte_year" // one full-time employee's working year

	Kcal       Unit = "kcal"
	WalkingMin Unit = "walking_minute"
	RunningMin Unit = "running_minute"

	KWh             Unit = "kwh"
	TonCO2          Unit = "t_co2" // metric ton of CO2
	VehicleMile     Unit = "vehicle_mile"
	GallonGasoline  Unit = "gal_gasoline"
	PoundCoal       Unit = "lb_coal"
	BarrelOil       Unit = "bbl_oil"
	TreeSeedling    Unit = "tree_seedling_10y"
	ForestAcre      Unit = "forest_acre_year"
	TonWasteRecycle Unit = "t_waste_recycled"
	PhoneCharge     Unit = "smartphone_charge"
)

var (
	minuteDef = UnitDef{Name: Minute, Singular: "minute", Plural: "minutes", Time: valuepath.Duration(time.Minute)}
	hourDef   = UnitDef{Name: Hour, Singular: "hour", Plural: "hours", Time: valuepath.Duration(time.Hour)}
	fteDef    = UnitDef{Name: FTEYear, Singular: "staff-year", Plural: "staff-years"}
)

// isoHour is the definition of the hour, shared by the catalogs that need it.
func isoHour() Factor {
	return Factor{From: Hour, To: Minute, Ratio: decimal.NewFromInt(60),
		Source: "ISO 80000-3:2019, Quantities and units, Part 3: Space and time", Edition: "2019"}
}

// defaultHoursPerFTEYear is the working year [TimeAndStaffing] assumes when
// the caller states none; see [StaffingSpec].
const defaultHoursPerFTEYear = 2080

// StaffingSpec is the configuration of the [TimeAndStaffing] catalog: the
// host's activity and the time it saves. Activity, Saved and Source are
// required; the zero HoursPerFTEYear means the documented default.
type StaffingSpec struct {
	// Activity is the host's raw unit, such as {Name: "transaction"}.
	Activity UnitDef
	// Saved is the time one activity saves, in [Minute] or [Hour]: the
	// caller's own figure, e.g. from a time-and-motion study.
	Saved Quantity
	// Source and Edition justify Saved.
	Source, Edition string
	// HoursPerFTEYear is the working hours of one full-time employee in a
	// year. Zero means 2,080: 40 hours a week, the standard week of the US
	// Fair Labor Standards Act (29 U.S.C. § 207(a)(1)), times 52 weeks, with
	// that source (HoursSource is then ignored). It counts paid hours; a
	// host that wants productive hours (net of leave and holidays, often
	// nearer 1,800) states its own figure, and HoursSource must then say
	// where it comes from.
	HoursPerFTEYear decimal.Decimal
	HoursSource     string
}

// TimeAndStaffing returns the spec of the built-in catalog that turns a
// host's activities into time saved and staff not hired: activity → minutes
// or hours saved (the caller's figure) → hours (ISO 80000-3) → staff-years
// (the working year, 2,080 hours unless stated). Its feel-good equivalents
// are "hours_saved" and "staff_years". Pass it to [NewCatalog], alone or
// combined with others by [Merge]; NewCatalog validates the caller's
// figures, with their field paths:
//
//	cat, err := equivalents.NewCatalog(equivalents.TimeAndStaffing(equivalents.StaffingSpec{
//		Activity: equivalents.UnitDef{Name: "transaction"},
//		Saved:    equivalents.Q(3, equivalents.Minute),
//		Source:   "Acme time study", Edition: "2026",
//	}))
func TimeAndStaffing(s StaffingSpec) CatalogSpec {
	hours, hoursSrc, hoursEd := s.HoursPerFTEYear, s.HoursSource, ""
	if hours.IsZero() {
		hours = decimal.NewFromInt(defaultHoursPerFTEYear)
		hoursSrc = "40-hour week of the Fair Labor Standards Act, 29 U.S.C. § 207(a)(1), × 52 weeks"
		hoursEd = "default of this package"
	}
	return CatalogSpec{
		Name:  "time and staffing",
		Units: []UnitDef{s.Activity, minuteDef, hourDef, fteDef},
		Factors: []Factor{
			{From: s.Activity.Name, To: s.Saved.Unit, Ratio: s.Saved.Value, Source: s.Source, Edition: s.Edition,
				Note: "time one " + s.Activity.singular() + " saves; the host's own figure"},
			isoHour(),
			{From: FTEYear, To: Hour, Ratio: hours, Source: hoursSrc, Edition: hoursEd,
				Note: "paid working hours of one full-time employee in a year"},
		},
		Equivalents: []Equivalent{
			{Name: "hours_saved", Kind: FeelGood, Unit: Hour, Template: "{quantity} of work saved"},
			{Name: "staff_years", Kind: FeelGood, Unit: FTEYear, Template: "{quantity} of work you did not need to hire for"},
		},
	}
}

var (
	kcalDef    = UnitDef{Name: Kcal, Singular: "kcal", Plural: "kcal"}
	walkingDef = UnitDef{Name: WalkingMin, Singular: "minute of walking", Plural: "minutes of walking", Time: valuepath.Duration(time.Minute)}
	runningDef = UnitDef{Name: RunningMin, Singular: "minute of running", Plural: "minutes of running", Time: valuepath.Duration(time.Minute)}

	paceEquivalents = []Equivalent{
		{Name: "walking", Kind: Action, Unit: WalkingMin, Template: "{quantity} of walking"},
		{Name: "running", Kind: Action, Unit: RunningMin, Template: "{quantity} of running"},
	}
)

// paceSource is the publication of the default rates of [PACE].
const paceSource = "Institute of Medicine, Preventing Childhood Obesity: Health in the Balance, Box 3-2 (citing DHHS 2001)"

// PACE returns the spec of the built-in physical-activity calorie
// equivalent catalog, with the published default rates: walking at a
// moderate pace (20 minutes a mile) uses about 5 kcal a minute ("one hour
// … one jelly-filled doughnut (300 calories)") and running at a
// 10-minute-mile pace about 10 kcal a minute ("running 2½ hours … (1500
// calories)"), both from the Institute of Medicine, Preventing Childhood
// Obesity: Health in the Balance, Box 3-2 (2005, citing DHHS 2001).
// Its action equivalents are "walking" and "running": 420 kcal reads
// "1 hour 24 minutes of walking" (420 / 5 = 84 minutes) and "42 minutes of
// running" (420 / 10). The practice's own example, 420 kcal = 1 hour 15
// minutes of walking or 42 minutes of running, agrees on running but not
// on walking: 75 minutes for 420 kcal is 5.6 kcal a minute, a brisker walk
// than the 5 kcal a minute published here, so this catalog says 84
// minutes, not 75. For rates that depend on the reader's body, use
// [PACEForBody].
func PACE() CatalogSpec {
	return CatalogSpec{
		Name:  "PACE (published default rates)",
		Units: []UnitDef{kcalDef, walkingDef, runningDef},
		Factors: []Factor{
			{From: WalkingMin, To: Kcal, Ratio: decimal.NewFromInt(5), Source: paceSource, Edition: "2005",
				Note: "300 kcal per hour of walking at 20 minutes a mile; an average adult, not any one reader"},
			{From: RunningMin, To: Kcal, Ratio: decimal.NewFromInt(10), Source: paceSource, Edition: "2005",
				Note: "1,500 kcal per 2.5 hours of running at 10 minutes a mile; an average adult"},
		},
		Equivalents: paceEquivalents,
	}
}

// BodySpec is the configuration of the [PACEForBody] catalog: the reader's
// body mass and the intensity of each activity. The zero value means the
// documented defaults: a 70 kg adult walking at 3.5 METs and running at
// 9.8.
type BodySpec struct {
	// MassKg is the body mass in kilograms; zero means 70 kg, the reference
	// adult of ICRP Publication 23 (1975). It must lie in (0, 700].
	MassKg decimal.Decimal
	// WalkingMET is the intensity of the walk in METs; zero means 3.5,
	// "walking, 3.0 mph, moderate pace" (2024 Adult Compendium of
	// Physical Activities, code 17190).
	WalkingMET decimal.Decimal
	// RunningMET is the intensity of the run; zero means 9.8, "running,
	// 6 mph (10 min/mile)" (the Compendium, code 12050).
	RunningMET decimal.Decimal
}

// metSource is the publication of the MET values of [PACEForBody].
const metSource = "2024 Adult Compendium of Physical Activities (Herrmann et al.), codes 17190 (walking, 3.0 mph: 3.5 MET) and 12050 (running, 6 mph: 9.8 MET)"

// acsmSource is the source of the MET-to-kcal formula of [PACEForBody].
const acsmSource = "ACSM's Guidelines for Exercise Testing and Prescription: kcal/min = MET × 3.5 mL O2/kg/min × kg / 200"

// PACEForBody returns the spec of a [PACE] catalog whose rates follow from
// activity intensity in METs and body mass, with the formula kcal per
// minute = MET × 3.5 × kg / 200 of ACSM's Guidelines for Exercise Testing
// and Prescription, and MET values from the 2024 Adult Compendium of
// Physical Activities. A 70 kg reader walking at 3.5 METs burns 4.2875 kcal
// a minute. It has the same units and equivalents as PACE, so the two are
// interchangeable. Masses outside (0, 700] kg and METs outside (0, 25] are
// rejected, each a *[valuepath.FieldError] (mass_kg, walking_met,
// running_met) wrapping [valuepath.ErrInvalid], joined.
func PACEForBody(b BodySpec) (CatalogSpec, error) {
	mass, walk, run := b.MassKg, b.WalkingMET, b.RunningMET
	massSrc := "body mass given by the caller"
	if mass.IsZero() {
		mass, massSrc = decimal.NewFromInt(70), "reference adult of 70 kg, ICRP Publication 23 (1975)"
	}
	if walk.IsZero() {
		walk = decimal.RequireFromString("3.5")
	}
	if run.IsZero() {
		run = decimal.RequireFromString("9.8")
	}
	v := validate.New("equivalents")
	for _, m := range []struct {
		path string
		v    decimal.Decimal
		max  int64
	}{{"mass_kg", mass, 700}, {"walking_met", walk, 25}, {"running_met", run, 25}} {
		if m.v.Sign() <= 0 || m.v.GreaterThan(decimal.NewFromInt(m.max)) || checkValue(m.v) != "" {
			v.Addf(m.path, valuepath.ErrInvalid, "must be within (0, %d], got %s", m.max, plain(m.v))
		}
	}
	if err := v.Err(); err != nil {
		return CatalogSpec{}, err
	}
	perMin := func(met decimal.Decimal) decimal.Decimal {
		return met.Mul(decimal.RequireFromString("0.0175")).Mul(mass) // 3.5/200 = 0.0175 exactly
	}
	note := func(met decimal.Decimal) string {
		return plain(met) + " MET × " + plain(mass) + " kg (" + massSrc + "); source of the MET value: " + metSource
	}
	return CatalogSpec{
		Name:  "PACE (MET and body mass)",
		Units: []UnitDef{kcalDef, walkingDef, runningDef},
		Factors: []Factor{
			{From: WalkingMin, To: Kcal, Ratio: perMin(walk), Source: acsmSource, Note: note(walk)},
			{From: RunningMin, To: Kcal, Ratio: perMin(run), Source: acsmSource, Note: note(run)},
		},
		Equivalents: paceEquivalents,
	}, nil
}

// epaEdition2020 names the edition of the factors of [EPAAvoidedElectricity2020].
const epaEdition2020 = "2020 update (AVERT 2019 national marginal rate)"

// epaSource is the publication of the US EPA greenhouse-gas equivalencies.
const epaSource = "U.S. EPA, Greenhouse Gas Equivalencies Calculator — Calculations and References, https://www.epa.gov/energy/greenhouse-gases-equivalencies-calculator-calculations-and-references"

// EPAAvoidedElectricity2020 returns the spec of the built-in catalog of US
// EPA greenhouse-gas equivalencies for avoided electricity, with the
// factors of the calculator's 2020 update (AVERT 2019 national marginal
// rate): kWh avoided → metric tons of CO2 (AVERT national
// weighted average marginal rate for 2019, 1,562.4 lb CO2/MWh, 7.09 × 10⁻⁴
// t/kWh) → miles driven by an average passenger vehicle, gallons of
// gasoline, pounds of coal burned, barrels of oil, tree seedlings grown for
// 10 years, acres of US forest for one year, tons of waste recycled instead
// of landfilled, and smartphones charged. Every factor is stored as EPA
// publishes it, as metric tons of CO2 per unit, and divided by when
// converting from CO2.
//
// EPA revises these figures every year or two. A newer edition belongs in a
// new constructor beside this one, so that reports made with these numbers
// can still be reproduced. Two editions share unit names but not ratios, so
// they cannot be merged into one catalog (NewCatalog rejects the
// disagreement): build one catalog per edition. No later edition is built
// in yet: its factors could not be read on EPA's own page (only copies
// and the page's opening were at hand), and figures that cannot be
// checked against EPA are not shipped.
//
// How the figures were confirmed: the EPA page of this edition could not be
// read directly when this catalog was written. The gasoline figure (8,887 g
// CO2 per gallon) is EPA's long-standing regulatory value. The others were
// checked against copies of the EPA page's text and against third-party
// code that lists this edition's figures together; the smartphone figure
// (0.012 kWh × 1,562.4 lb/MWh) ties it to the AVERT 2019 rate. The miles
// figure is the least certain: copies disagree between 3.98 × 10⁻⁴ and
// 4.03 × 10⁻⁴ t CO2e per mile (3.98 is used, as listed beside this
// edition's other figures). Each factor's Note repeats its status; verify
// against EPA before publishing results built on them.
func EPAAvoidedElectricity2020() CatalogSpec {
	f := func(from Unit, ratio, note string) Factor {
		return Factor{From: from, To: TonCO2, Ratio: decimal.RequireFromString(ratio), Source: epaSource, Edition: epaEdition2020, Note: note}
	}
	const copies = "figure checked against copies of the EPA page, not the page itself; verify before relying on it"
	return CatalogSpec{
		Name: "US EPA greenhouse-gas equivalencies, " + epaEdition2020,
		Units: []UnitDef{
			{Name: KWh, Singular: "kWh", Plural: "kWh"},
			{Name: TonCO2, Singular: "metric ton of CO2", Plural: "metric tons of CO2"},
			{Name: VehicleMile, Singular: "mile", Plural: "miles"},
			{Name: GallonGasoline, Singular: "gallon", Plural: "gallons"},
			{Name: PoundCoal, Singular: "pound", Plural: "pounds"},
			{Name: BarrelOil, Singular: "barrel", Plural: "barrels"},
			{Name: TreeSeedling, Singular: "tree seedling", Plural: "tree seedlings"},
			{Name: ForestAcre, Singular: "acre", Plural: "acres"},
			{Name: TonWasteRecycle, Singular: "ton", Plural: "tons"},
			{Name: PhoneCharge, Singular: "smartphone charge", Plural: "smartphone charges"},
		},
		Factors: []Factor{
			f(KWh, "0.000709", "AVERT 2019 national weighted average CO2 marginal rate, 1,562.4 lb CO2/MWh incl. line losses; "+copies),
			f(VehicleMile, "0.000398", "t CO2e per mile of an average passenger vehicle; "+copies+
				"; one copy of this edition lists 3.98 × 10⁻⁴ beside its other figures, another lists 4.03 × 10⁻⁴"),
			f(GallonGasoline, "0.008887", "8,887 g CO2 per gallon (Federal Register 2010); stable across editions"),
			f(PoundCoal, "0.000905", "t CO2 per pound of coal (EIA Monthly Energy Review, Nov 2019, heat content); "+copies),
			f(BarrelOil, "0.43", "t CO2 per 42-gallon barrel of crude oil; "+copies),
			f(TreeSeedling, "0.060", "t CO2 per medium-growth urban tree seedling grown for 10 years; "+copies),
			f(ForestAcre, "0.82", "t CO2 sequestered per acre of average US forest in a year (2017–2018 estimate); "+copies),
			f(TonWasteRecycle, "2.94", "t CO2e per short ton of waste recycled instead of landfilled (WARM v15, 2019); "+copies),
			f(PhoneCharge, "0.00000822", "t CO2 per smartphone charged; "+copies),
		},
		Equivalents: []Equivalent{
			{Name: "co2_avoided", Kind: FeelGood, Unit: TonCO2, Template: "{quantity} avoided"},
			{Name: "miles_not_driven", Kind: FeelGood, Unit: VehicleMile, Template: "{quantity} not driven by an average passenger car"},
			{Name: "gasoline", Kind: FeelGood, Unit: GallonGasoline, Template: "{quantity} of gasoline not burned"},
			{Name: "coal", Kind: FeelGood, Unit: PoundCoal, Template: "{quantity} of coal not burned"},
			{Name: "oil", Kind: FeelGood, Unit: BarrelOil, Template: "{quantity} of oil not consumed"},
			{Name: "tree_seedlings", Kind: FeelGood, Unit: TreeSeedling, Template: "the carbon stored by {quantity} grown for 10 years"},
			{Name: "forest", Kind: FeelGood, Unit: ForestAcre, Template: "the carbon stored by {quantity} of US forest in one year"},
			{Name: "waste_recycled", Kind: FeelGood, Unit: TonWasteRecycle, Template: "{quantity} of waste recycled instead of landfilled"},
			{Name: "smartphones", Kind: FeelGood, Unit: PhoneCharge, Template: "{quantity}"},
		},
	}
}
