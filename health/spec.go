package health

import (
	"github.com/valuepath/valuepath"
)

// ScorecardSpec declares a scorecard. It is data: build it in Go or load it from JSON
// with [ParseScorecard], then compile it with [NewScorecard]. The zero values of optional fields
// mean the documented defaults.
type ScorecardSpec struct {
	// Name identifies the scorecard to people, e.g. "enterprise health v3".
	Name string `json:"name"`
	// Groups are the top-level groups; the overall score is the weighted
	// mean of those with a score. At least one is required.
	Groups []Group `json:"groups"`
	// Bands partitions 0–100 into bands; empty means [DefaultBands].
	Bands BandSet `json:"bands,omitempty"`
	// Rules cap or floor the overall band, such as "sponsor left in the
	// last 60 days: at most yellow".
	Rules []Rule `json:"rules,omitempty"`
}

// Group is a weighted set of measures and of other groups, such as
// "adoption" or "relationship". Its score is the weighted mean of its
// children with a score; it has none (Present false) when no child has.
type Group struct {
	// ID is unique among all groups and measures of the scorecard.
	ID string `json:"id"`
	// Name is for people; empty means ID.
	Name string `json:"name,omitempty"`
	// Weight is the group's weight among its siblings, within 1e-9 and
	// 1e9. Weights are relative: siblings weighted 2 and 1 count two
	// thirds and one third.
	Weight float64 `json:"weight"`
	// Measures and Groups are the children; a group needs at least one.
	Measures []Measure `json:"measures,omitempty"`
	Groups   []Group   `json:"groups,omitempty"`
}

// Measure scores one snapshot metric on 0–100.
type Measure struct {
	// ID is unique among all groups and measures of the scorecard.
	ID string `json:"id"`
	// Name is for people; empty means ID.
	Name string `json:"name,omitempty"`
	// Metric is the snapshot metric the measure reads.
	Metric valuepath.Metric `json:"metric"`
	// Weight is the measure's weight among its siblings, within 1e-9 and
	// 1e9.
	Weight float64 `json:"weight"`
	// Direction says whether a higher raw value is better (the default) or
	// worse. Threshold and step schemes must agree with it: their scores
	// may not fall (for higher) or rise (for lower) as the value grows.
	// Backtests use it to orient raw values.
	Direction valuepath.Direction `json:"direction,omitempty"`
	// Scheme maps the raw value to a score.
	Scheme Scheme `json:"scheme"`
	// Timing labels the measure leading or trailing; Scope generic or
	// specific. Both are optional labels carried into results and
	// backtests. Timing is the host's claim, not a fact: the backtest's
	// lead time per measure is the evidence (see [Timing]).
	Timing Timing `json:"timing,omitempty"`
	Scope  Scope  `json:"scope,omitempty"`
	// Missing says what a missing value counts as; empty means
	// [MissingExclude].
	Missing MissingPolicy `json:"missing,omitempty"`
	// Bands, if set, replaces the scorecard's band set for this measure's
	// own band, so that, say, a survey score of 60 can be red while an
	// overall 60 is yellow.
	Bands BandSet `json:"bands,omitempty"`
}

// Timing labels an indicator as leading (it moves early enough before the
// outcome to act on) or trailing (it moves with or after the outcome, such
// as renewals).
//
// The label is the host's claim; the evidence is the lead time the
// per-measure backtest measures (package health/backtest: a
// MeasureReport's Leads and MedianLeadDays, summed up by its Evidence
// method). Do not take usage for a leading indicator on faith: the
// practice this package encodes finds usage decline trailing — by the time
// usage declined, the customer had already run a month in parallel on a
// competitor. Where claim and evidence disagree, the evidence wins: relabel
// the measure or find an earlier signal.
type Timing string

// The timings.
const (
	Leading  Timing = "leading"
	Trailing Timing = "trailing"
)

// Scope labels an indicator as generic (logins, cases, surveys: any product)
// or specific (progress on this customer's value roadmap).
type Scope string

// The scopes.
const (
	Generic  Scope = "generic"
	Specific Scope = "specific"
)

// MissingPolicy says what a missing metric value counts as. NaN and infinite
// values are treated as missing too, and reported.
type MissingPolicy string

// The missing-value policies. The zero value means MissingExclude.
const (
	// MissingExclude leaves the measure out and renormalises the weights
	// of its siblings, as if it were not in the scorecard. Coverage drops.
	MissingExclude MissingPolicy = "exclude"
	// MissingNeutral scores the measure [NeutralScore].
	MissingNeutral MissingPolicy = "neutral"
	// MissingWorst scores the measure 0.
	MissingWorst MissingPolicy = "worst"
	// MissingUnavailable makes the whole score not present: for measures
	// without which a score would mislead.
	MissingUnavailable MissingPolicy = "unavailable"
)

// NeutralScore is what [MissingNeutral] counts a missing value as.
const NeutralScore = 50.0

// SchemeKind selects how a [Scheme] maps values to scores.
type SchemeKind string

// The scheme kinds.
const (
	// Thresholds interpolates linearly between Points; below the first
	// point the score is the first point's, above the last the last's.
	Thresholds SchemeKind = "thresholds"
	// Steps scores a value with the Score of the last Point whose Value is
	// ≤ the value (tiers); below the first point, the first point's score.
	Steps SchemeKind = "steps"
	// Categories scores a value that equals one of Categories exactly; any
	// other value counts as missing (and is reported). For coded metrics
	// such as a plan tier or an NPS class.
	Categories SchemeKind = "categories"
)

// Scheme maps a raw metric value to a score on 0–100.
type Scheme struct {
	Kind SchemeKind `json:"kind"`
	// Points, for Thresholds and Steps: values strictly ascending, scores
	// within 0–100. At least two for Thresholds, one for Steps.
	Points []Point `json:"points,omitempty"`
	// Categories, for Categories: distinct values.
	Categories []Category `json:"categories,omitempty"`
}

// Point is one threshold or step of a [Scheme].
type Point struct {
	Value float64 `json:"value"`
	Score float64 `json:"score"`
}

// Category is one value of a categorical [Scheme], with a label for people.
type Category struct {
	Value float64 `json:"value"`
	Label string  `json:"label,omitempty"`
	Score float64 `json:"score"`
}

// Rule caps or floors the overall band when a metric meets a condition, and
// the result keeps its reason. A rule whose metric is missing does not fire.
type Rule struct {
	// ID is unique among the rules.
	ID string `json:"id"`
	// Reason is shown with the result, e.g. "executive sponsor left in
	// the last 60 days".
	Reason string `json:"reason"`
	// Metric, Op and Value make the condition: Metric Op Value, such as
	// days_since_sponsor_change <= 60.
	Metric valuepath.Metric     `json:"metric"`
	Op     valuepath.Comparison `json:"op"`
	Value  float64              `json:"value"`
	// Cap is the best band the score may have when the rule fires; Floor
	// the worst. Exactly one is set, naming a band of the scorecard. When
	// a cap and a floor both fire and disagree, the floor wins.
	Cap   Band `json:"cap,omitempty"`
	Floor Band `json:"floor,omitempty"`
}
