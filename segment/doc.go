// Package segment divides a customer base into tiers sized by revenue and
// by what the CSM team can really serve, into behavioral segments that
// receive only the content relevant to them, and decides who owns each
// renewal, upsell and cross-sell.
//
// # Tiers
//
// A few accounts carry much of the revenue and deserve executive
// relationships and reviews; the next tier needs leveraged touch signed by a
// CSM; the majority need a great digital experience. A [TierPolicy] states
// the CSM capacity (CSMs, hours each, hours a top account needs, the
// leveraged ratio) and the reporting currency; [NewTiering] validates it and
// [Tiering.Assign] places strategic accounts first, then by revenue, until
// each tier's places are used. The [TierReport] says why each account landed
// where it did, gives each tier's revenue share and the Pareto curve, and
// answers what-ifs: [TierReport.CSMsFor] a target share,
// [TierReport.Cover] for a given team.
//
// # Behavioral segments
//
// A [Rule] declares a segment as data: comparisons of snapshot metrics,
// attributes, "not improved since baseline", "not using feature X",
// combined with all, any and not, and references to other rules.
// [NewRules] (or [ParseRules]) validates a set once; [Rules.Bind] resolves
// metric names against a [valuepath.Schema] to positions, giving a
// [Matcher] that evaluates an account without allocating and explains a
// membership term by term.
//
// Missing data is unknown, not zero: a comparison on a missing metric is
// unknown, and an account is a member only when its rule is true.
//
// # Targeted content
//
// A [ContentPolicy] aims [Campaign]s at segments with priorities and a
// frequency cap; a [Router] gives each account only the campaigns of the
// segments it belongs to, highest priority first, at most the cap per
// period, and says what it held back.
//
// # Ownership
//
// An [OwnershipPolicy] decides who owns a renewal, upsell or cross-sell —
// web self-service, a CSM, sales, or sales with a CSM — from service
// complexity × transaction complexity, with contract-value bands that shift
// the boundaries toward higher or lower touch.
//
// # Money
//
// Revenue and contract values are [Amount]s: a decimal value with a
// currency. Models convert other currencies with the rates they are given
// and reject a currency they have no rate for ([ErrMixedCurrency]).
package segment
