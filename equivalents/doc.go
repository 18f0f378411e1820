// Package equivalents turns raw metrics into equivalents people understand,
// through conversion catalogs whose every factor names its source.
//
// Vendors report "12,408 transactions processed" and customers shrug; the
// same number as "620 hours of work saved" or "0.3 staff-years you did not
// need to hire for" is value they recognise. An equivalent need not be
// precise, but its conversion must be justified by a stated source and
// applied consistently. This package makes both checkable.
//
// # Catalogs
//
// A [CatalogSpec] declares units of measure ([Unit], declared by a
// [UnitDef]), factors ([Factor]: one From is Ratio To, with Source, Edition
// and Note), named [Equivalent]s and [AwardRule]s. [NewCatalog] validates
// it once, reporting every problem with its field path, and returns an
// immutable [Catalog] that is safe for concurrent use; [Catalog.Spec] reads
// the configuration back. Factors without a source, ratios that are not
// positive or are out of range, unknown units, and cycles whose paths
// disagree beyond the spec's tolerance are all rejected. [ParseCatalog]
// loads a catalog from JSON and [Catalog.MarshalJSON] saves it. For tests
// and literals, valuepath.Must(equivalents.NewCatalog(spec)) panics instead
// of returning the error.
//
// There is no global registry: the built-in catalogs are functions that
// return CatalogSpecs, which [Merge] combines before [NewCatalog] builds
// them:
//
//   - [TimeAndStaffing] (configured by a [StaffingSpec]): activities →
//     minutes or hours saved (the host's figure) → hours → staff-years
//     (2,080 hours a year unless stated).
//   - [PACE], and [PACEForBody] (configured by a [BodySpec]): kcal →
//     minutes of walking and running, from published default rates or from
//     METs and body mass.
//   - [EPAAvoidedElectricity2020]: kWh avoided → metric tons of CO2 → miles
//     not driven, gallons of gasoline, pounds of coal, barrels of oil, tree
//     seedlings, acres of forest, waste recycled, smartphones charged.
//
// For example, hours saved and walking equivalents in one catalog:
//
//	cat, err := equivalents.NewCatalog(equivalents.Merge(
//		equivalents.TimeAndStaffing(staffing), equivalents.PACE()))
//
// # Conversions
//
// [Catalog.Convert] converts along the shortest chain of factors and
// returns a [Conversion] carrying every [Step] with its factor, so every
// result is its own justification; [Catalog.ConvertInto] fills a
// Conversion the caller reuses. For many quantities, compile the chain once
// with [Catalog.Path] and call [Path.Apply]: a chain that only multiplies is
// exact, and one that divides rounds once, half away from zero, to the
// spec's Places decimal places (20 unless stated), giving exactly what
// decimal.DivRound gives; the decimal package's global DivisionPrecision is
// never used.
//
// [Path.Bind] binds a path to a metric of a [valuepath.Schema], and the
// [Binding] converts that metric of each snapshot into an
// [AccountQuantity]: [Binding.Apply] for one account, [Binding.ApplyInto]
// into a reused result, and [Binding.ApplyAll] as a batch that streams one
// result per snapshot, in order, each failure beside its account as a
// *[valuepath.AccountError]. A metric missing from a snapshot gives an
// absent result with a reason, never zero.
//
// # Equivalents, reports and awards
//
// An [Equivalent] is an [Action] equivalent, meant to prompt a choice
// ("this snack = 1 hour 24 minutes of walking": [PACE]'s published rate,
// where the practice's example says 1 hour 15 minutes — see [PACE] for
// why), or a [FeelGood] one that
// shows value already received ("0.3 staff-years"). [Catalog.Report]
// expresses a quantity as a chosen mix of them. An [AwardRule] is a rule
// with steps, a threshold, a floor and a cap rather than a ratio ("every
// 100 hours saved earns 2 hours of leave"); [Catalog.Grant] applies one and
// returns a [Grant]. What a rule awards is an [Award]: a quantity of a
// catalog unit or a [valuepath.Money] — money is never a unit.
//
// # Statements
//
// Formatting is separate from computing. A [Formatter] writes amounts;
// [English] rounds to significant figures (with a [valuepath.RoundingMode])
// without rounding away whole units, writes thousands separators, gets
// singular and plural right and writes time as people say it ("1 hour 15
// minutes"). [Catalog.Statement] puts an amount into its equivalent's
// sentence and [Catalog.Explain] writes the chain behind it. Hosts localise
// by implementing Formatter.
package equivalents
