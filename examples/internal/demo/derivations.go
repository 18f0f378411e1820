package demo

import (
	"encoding/json"

	"github.com/valuepath/valuepath"
)

// Names of the demo's derived metrics.
const (
	ActiveUsers30d       valuepath.Metric = "active_users_30d"       // mean daily active users, 30 days
	SeatsNow             valuepath.Metric = "seats_now"              // licensed seats, newest
	Utilisation          valuepath.Metric = "seat_utilisation"       // active_users_30d / seats_now
	Logins30d            valuepath.Metric = "logins_30d"             // logins in 30 days
	LoginsChange30d      valuepath.Metric = "logins_change_30d"      // relative change of logins, window over window
	ActiveUsersSlope90d  valuepath.Metric = "active_users_slope_90d" // least-squares slope, users per day
	Records30d           valuepath.Metric = "records_updated_30d"    // records updated in 30 days
	Reports30d           valuepath.Metric = "reports_created_30d"    // reports created in 30 days
	Workflows30d         valuepath.Metric = "workflows_run_30d"      // workflows run in 30 days
	Transactions30d      valuepath.Metric = "transactions_30d"       // transactions processed in 30 days
	Transactions365d     valuepath.Metric = "transactions_365d"      // transactions processed in a year
	SupportCases90d      valuepath.Metric = "support_cases_90d"      // cases opened in 90 days
	SevereCases90d       valuepath.Metric = "severe_cases_90d"       // high or critical cases in 90 days
	LatestSurvey         valuepath.Metric = "survey_score_latest"    // newest survey answer within 180 days
	DaysSinceSponsorMove valuepath.Metric = "days_since_sponsor_change"
	DaysSinceQBR         valuepath.Metric = "days_since_qbr"
)

// DerivationsJSON is the demo's derivation set, as a host would keep it in a
// configuration file.
const DerivationsJSON = `[
  {"name": "active_users_30d",       "op": "mean",            "source": "active_users",    "window": "30d"},
  {"name": "seats_now",              "op": "last",            "source": "seats",           "window": "30d"},
  {"name": "seat_utilisation",       "op": "ratio",           "numerator": "active_users_30d", "denominator": "seats_now"},
  {"name": "logins_30d",             "op": "sum",             "source": "logins",          "window": "30d"},
  {"name": "logins_change_30d",      "op": "relative_change", "source": "logins",          "window": "30d"},
  {"name": "active_users_slope_90d", "op": "slope",           "source": "active_users",    "window": "90d"},
  {"name": "records_updated_30d",    "op": "sum",             "source": "records_updated", "window": "30d"},
  {"name": "reports_created_30d",    "op": "sum",             "source": "reports_created", "window": "30d"},
  {"name": "workflows_run_30d",      "op": "sum",             "source": "workflows_run",   "window": "30d"},
  {"name": "transactions_30d",       "op": "sum",             "source": "transactions",    "window": "30d"},
  {"name": "transactions_365d",      "op": "sum",             "source": "transactions",    "window": "365d"},
  {"name": "support_cases_90d",      "op": "event_count",     "event": "support_case",     "window": "90d"},
  {"name": "severe_cases_90d",       "op": "event_count",     "event": "support_case",     "window": "90d",
   "where": {"severity": ["high", "critical"]}},
  {"name": "survey_score_latest",    "op": "last",            "source": "survey_score",    "window": "180d"},
  {"name": "days_since_sponsor_change", "op": "days_since",   "event": "sponsor_change",   "window": "730d"},
  {"name": "days_since_qbr",         "op": "days_since",      "event": "qbr",              "window": "365d"}
]`

// Derivations returns the demo's compiled derivation set. The JSON is a
// constant checked by the demo's tests, so a failure here is a bug.
func Derivations() *valuepath.Derivations {
	d, err := valuepath.ParseDerivations([]byte(DerivationsJSON))
	if err != nil {
		panic("demo: " + err.Error())
	}
	return d
}

// AllDerivations returns every demo derived metric in one set: the base
// set, the per-seat ratios of the health scorecard
// ([HealthDerivationsJSON]) and the per-user intensities of the
// effectiveness model ([EffectivenessDerivationsJSON]). A service that
// scores health, assesses effectiveness and builds an agenda for the same
// account derives once with it. The JSON is constant, so a failure here is
// a bug.
func AllDerivations() *valuepath.Derivations {
	return compose(EffectivenessDerivationsJSON, HealthDerivationsJSON)
}

// compose compiles the concatenation of JSON arrays of derivations. They
// are constants, so a failure is a bug.
func compose(arrays ...string) *valuepath.Derivations {
	var all []valuepath.Derivation
	for _, a := range arrays {
		var ds []valuepath.Derivation
		if err := json.Unmarshal([]byte(a), &ds); err != nil {
			panic("demo: " + err.Error())
		}
		all = append(all, ds...)
	}
	d, err := valuepath.NewDerivations(all)
	if err != nil {
		panic("demo: " + err.Error())
	}
	return d
}
