package demo

import (
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

// Size-free metrics for the health scorecard, derived from the demo's
// derived metrics: counts per licensed seat, so that a 20-seat account and
// a 2,000-seat one can share thresholds.
const (
	LoginsPerSeat    valuepath.Metric = "logins_per_seat_30d"    // logins_30d / seats_now
	RecordsPerSeat   valuepath.Metric = "records_per_seat_30d"   // records_updated_30d / seats_now
	ReportsPerSeat   valuepath.Metric = "reports_per_seat_30d"   // reports_created_30d / seats_now
	WorkflowsPerSeat valuepath.Metric = "workflows_per_seat_30d" // workflows_run_30d / seats_now
	UserTrendPerSeat valuepath.Metric = "user_trend_per_seat"    // active_users_slope_90d / seats_now, per day
	CasesPerSeat     valuepath.Metric = "cases_per_seat_90d"     // support_cases_90d / seats_now
)

// HealthDerivationsJSON adds the per-seat ratios to [DerivationsJSON].
const HealthDerivationsJSON = `[
  {"name": "logins_per_seat_30d",    "op": "ratio", "numerator": "logins_30d",             "denominator": "seats_now"},
  {"name": "records_per_seat_30d",   "op": "ratio", "numerator": "records_updated_30d",    "denominator": "seats_now"},
  {"name": "reports_per_seat_30d",   "op": "ratio", "numerator": "reports_created_30d",    "denominator": "seats_now"},
  {"name": "workflows_per_seat_30d", "op": "ratio", "numerator": "workflows_run_30d",      "denominator": "seats_now"},
  {"name": "user_trend_per_seat",    "op": "ratio", "numerator": "active_users_slope_90d", "denominator": "seats_now"},
  {"name": "cases_per_seat_90d",     "op": "ratio", "numerator": "support_cases_90d",      "denominator": "seats_now"}
]`

// HealthDerivations returns the demo's derivation set with the per-seat
// ratios added, for the health scorecard. The JSON is constant, so a
// failure here is a bug.
func HealthDerivations() *valuepath.Derivations {
	return compose(DerivationsJSON, HealthDerivationsJSON)
}

// HealthScorecardJSON is the demo's health scorecard, as a host would keep
// it in a configuration file: ten measures in three groups, per-seat counts
// so that small and large accounts share thresholds, and one rule.
//
// The timing labels follow the evidence, not the other way round: the
// quickstart's per-measure backtest on the default base (300 accounts)
// shows utilisation, logins, records, login_change and user_trend turning
// red a median of 63 to 76 days before churn for at least half of the
// churners, so they are labelled leading; workflows (41 days), reports,
// survey, cases and qbr (fewer than half of the churners warned), trailing.
// The practice warns that usage decline is usually trailing; this
// synthetic base, the backtest finds it leading. On your own base, run the
// backtest before you trust a label.
const HealthScorecardJSON = `{
  "name": "demo health v1",
  "groups": [
    {"id": "adoption", "weight": 45, "measures": [
      {"id": "utilisation", "metric": "seat_utilisation", "weight": 3, "timing": "leading", "scope": "generic",
       "scheme": {"kind": "thresholds", "points": [{"value": 0.25, "score": 0}, {"value": 0.45, "score": 60}, {"value": 0.65, "score": 100}]}},
      {"id": "logins", "metric": "logins_per_seat_30d", "weight": 2, "timing": "leading", "scope": "generic",
       "scheme": {"kind": "thresholds", "points": [{"value": 10, "score": 0}, {"value": 20, "score": 60}, {"value": 30, "score": 100}]}},
      {"id": "records", "metric": "records_per_seat_30d", "weight": 2, "timing": "leading", "scope": "specific",
       "scheme": {"kind": "thresholds", "points": [{"value": 40, "score": 0}, {"value": 100, "score": 60}, {"value": 160, "score": 100}]}},
      {"id": "workflows", "metric": "workflows_per_seat_30d", "weight": 1, "timing": "trailing", "scope": "specific",
       "scheme": {"kind": "steps", "points": [{"value": 0, "score": 30}, {"value": 1, "score": 60}, {"value": 5, "score": 90}, {"value": 8, "score": 100}]}},
      {"id": "reports", "metric": "reports_per_seat_30d", "weight": 1, "timing": "trailing", "scope": "specific",
       "scheme": {"kind": "steps", "points": [{"value": 0, "score": 30}, {"value": 0.5, "score": 70}, {"value": 1.2, "score": 100}]}}
    ]},
    {"id": "momentum", "weight": 30, "measures": [
      {"id": "login_change", "metric": "logins_change_30d", "weight": 1, "timing": "leading", "scope": "generic",
       "scheme": {"kind": "thresholds", "points": [{"value": -0.3, "score": 0}, {"value": -0.1, "score": 50}, {"value": 0, "score": 75}, {"value": 0.1, "score": 100}]}},
      {"id": "user_trend", "metric": "user_trend_per_seat", "weight": 1, "timing": "leading", "scope": "generic",
       "scheme": {"kind": "thresholds", "points": [{"value": -0.003, "score": 0}, {"value": -0.001, "score": 55}, {"value": 0, "score": 75}, {"value": 0.002, "score": 100}]}}
    ]},
    {"id": "relationship", "weight": 25, "measures": [
      {"id": "cases", "metric": "cases_per_seat_90d", "weight": 1, "direction": "lower", "timing": "trailing", "scope": "generic",
       "scheme": {"kind": "thresholds", "points": [{"value": 0, "score": 100}, {"value": 0.1, "score": 60}, {"value": 0.3, "score": 0}]}},
      {"id": "survey", "metric": "survey_score_latest", "weight": 2, "missing": "neutral", "timing": "trailing", "scope": "generic",
       "scheme": {"kind": "thresholds", "points": [{"value": 3, "score": 0}, {"value": 6, "score": 60}, {"value": 9, "score": 100}]}},
      {"id": "qbr", "metric": "days_since_qbr", "weight": 1, "direction": "lower", "timing": "trailing", "scope": "specific",
       "scheme": {"kind": "thresholds", "points": [{"value": 0, "score": 100}, {"value": 90, "score": 70}, {"value": 200, "score": 30}]}}
    ]}
  ],
  "rules": [
    {"id": "sponsor", "reason": "executive sponsor changed in the last 60 days",
     "metric": "days_since_sponsor_change", "op": "<=", "value": 60, "cap": "yellow"}
  ]
}`

// Scorecard returns the compiled demo scorecard. The JSON is a constant, so
// a failure here is a bug.
func Scorecard() *health.Scorecard {
	sc, err := health.ParseScorecard([]byte(HealthScorecardJSON))
	if err != nil {
		panic("demo: " + err.Error())
	}
	return sc
}
