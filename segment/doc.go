// Package segment divides a customer base into tiers sized by revenue and
// by what the CSM team can really serve, into behavioral segments that
// receive only the content relevant to them, and decides who owns each
// renewal, upsell and cross-sell.
//
// Every model here follows the SDK's contract (see the root package): it
// is data, a <Type>Spec built with New<Type> or loaded with Parse<Type>,
// validated once with every problem reported by field path, then immutable
// and safe for concurrent use; Spec reads its configuration back.
//
// # Tiers
//
// A few accounts carry much of the revenue and deserve executive
// relationships and reviews; the next tier needs leveraged touch signed by a
// CSM; the majority need a great digital experience. A [TieringSpec] states
// the CSM capacity (CSMs, hours each, hours a top account needs, the
// leveraged ratio) and the reporting currency; [NewTiering] validates it and
// [Tiering.Assign] places each [TierInput] — strategic accounts first, then
// by revenue — until each tier's places are used. The [TierReport] says why
// each account landed where it did, gives each tier's revenue share and the
// Pareto curve, and answers what-ifs: [TierReport.CSMsFor] a target share
// ([Staffing]), [TierReport.Cover] for a given [Team].
//
//	tiering, err := segment.NewTiering(segment.TieringSpec{Currency: "USD", Capacity: capacity})
//	report, err := tiering.Assign(accounts) // []segment.TierInput
//
// The three tiers are the default: top, leveraged and scalable. A base that
// needs one more or one fewer lists 2 to 4 in [TieringSpec.Tiers], each a
// [TierDef] with its name, its CSMs and its coverage (accounts per CSM as
// a multiple of the first tier's); the last tier is the digital one and
// takes every account left:
//
//	"tiers": [{"name": "csm", "csms": 3}, {"name": "digital"}]
//
// # Behavioral segments
//
// A [Rule] declares a segment as data: comparisons of snapshot metrics
// ([valuepath.Comparison]), attributes, "not improved since baseline",
// "not using feature X", combined with all, any and not, and references to
// other rules. [NewRules] (or [ParseRules]) validates a [RulesSpec] once;
// [Rules.Bind] resolves metric names against a [valuepath.Schema] to
// positions — a metric the schema lacks is an error wrapping
// [valuepath.ErrUnknownMetric] with its field path — giving a [Matcher].
// [Matcher.Match] returns an account's [Membership], [Matcher.MatchInto]
// fills one without allocating, [Matcher.MatchAll] streams a population,
// and [Matcher.Explain] says term by term why.
//
//	m, err := rules.Bind(derivations.Schema())
//	for ms, err := range m.MatchAll(inputs, valuepath.BatchOptions{}) { … }
//
// Missing data is unknown, not zero: a comparison on a missing metric is
// unknown, and an account is a member only when its rule is true.
//
// # Targeted content
//
// A [RouterSpec] aims [Campaign]s at segments with priorities and a
// frequency cap; a [Router] gives each account only the campaigns of the
// segments it belongs to, highest priority first, at most the cap per
// period, and says what it held back.
//
// # Ownership
//
// An [OwnershipSpec] decides who owns a renewal, upsell or cross-sell —
// web self-service, a CSM, sales, or sales with a CSM — from service
// complexity × transaction complexity, with contract-value bands that shift
// the boundaries toward higher or lower touch.
//
// # Money and missing values
//
// Revenue and contract values are [valuepath.Money]: a decimal amount with
// a currency, codes in either case. Models convert other currencies with
// the rates they are given, exactly, and reject a currency they have no
// rate for with an error wrapping [valuepath.ErrCurrencyMismatch]. Shares
// that have nothing to divide by (no accounts, no revenue) are absent
// [valuepath.Number]s with a reason, never 0.
package segment
