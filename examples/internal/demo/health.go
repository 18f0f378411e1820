package demo

import (
	"encoding/json"

	"github.com/valuepath/valuepath"
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
	var base, extra []valuepath.Derivation
	if err := json.Unmarshal([]byte(DerivationsJSON), &base); err != nil {
		panic("demo: " + err.Error())
	}
	if err := json.Unmarshal([]byte(HealthDerivationsJSON), &extra); err != nil {
		panic("demo: " + err.Error())
	}
	d, err := valuepath.NewDerivations(append(base, extra...))
	if err != nil {
		panic("demo: " + err.Error())
	}
	return d
}
