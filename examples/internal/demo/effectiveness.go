package demo

import (
	"strings"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

// Per-user intensities the effectiveness model reads, so that small and
// large accounts are judged alike.
const (
	RecordsPerUser   valuepath.Metric = "records_per_user_30d"   // records updated per active user
	ReportsPerUser   valuepath.Metric = "reports_per_user_30d"   // reports created per active user
	WorkflowsPerUser valuepath.Metric = "workflows_per_user_30d" // workflows run per active user
)

// EffectivenessDerivationsJSON extends the demo derivations with the
// per-user intensities.
var EffectivenessDerivationsJSON = strings.TrimSuffix(strings.TrimSpace(DerivationsJSON), "]") + `,
  {"name": "records_per_user_30d",   "op": "ratio", "numerator": "records_updated_30d", "denominator": "active_users_30d"},
  {"name": "reports_per_user_30d",   "op": "ratio", "numerator": "reports_created_30d", "denominator": "active_users_30d"},
  {"name": "workflows_per_user_30d", "op": "ratio", "numerator": "workflows_run_30d",   "denominator": "active_users_30d"}
]`

// EffectivenessDerivations returns the compiled extended derivation set.
// The JSON is a constant, so a failure here is a bug.
func EffectivenessDerivations() *valuepath.Derivations {
	d, err := valuepath.ParseDerivations([]byte(EffectivenessDerivationsJSON))
	if err != nil {
		panic("demo: " + err.Error())
	}
	return d
}

// EffectivenessModelJSON is the demo's effectiveness model: five phases
// from getting started to leading.
const EffectivenessModelJSON = `{
  "name": "Demo CRM effectiveness",
  "phases": [
    {"id": "started", "name": "Getting started", "behaviors": [
      {"id": "seats-in-use", "description": "A third of the licensed seats are in use", "features": ["single sign-on", "bulk invite"],
       "criterion": {"metric": "seat_utilisation", "op": ">=", "value": 0.33}},
      {"id": "records-kept", "description": "Active users keep records up to date", "features": ["mobile app"],
       "criterion": {"metric": "records_per_user_30d", "op": ">=", "value": 200}}
    ]},
    {"id": "routine", "name": "Daily routine", "behaviors": [
      {"id": "most-seats", "description": "Most licensed seats are in use", "features": ["usage digest"],
       "criterion": {"metric": "seat_utilisation", "op": ">=", "value": 0.45}},
      {"id": "steady-logins", "description": "Logins hold steady month over month",
       "criterion": {"metric": "logins_change_30d", "op": ">=", "value": -0.05}}
    ]},
    {"id": "insight", "name": "Insight", "behaviors": [
      {"id": "own-reports", "description": "Users build their own reports", "features": ["report builder"],
       "criterion": {"metric": "reports_per_user_30d", "op": ">=", "value": 1.5}},
      {"id": "reviews", "description": "Metrics are reviewed with us each quarter", "features": ["QBR workspace"],
       "criterion": {"metric": "days_since_qbr", "op": "<=", "value": 120}}
    ]},
    {"id": "automation", "name": "Automation", "behaviors": [
      {"id": "workflows", "description": "Routine work runs as workflows", "features": ["workflow designer", "templates"],
       "criterion": {"metric": "workflows_per_user_30d", "op": ">=", "value": 8}}
    ]},
    {"id": "leading", "name": "Leading", "behaviors": [
      {"id": "broad-use", "description": "Nearly every seat is in use", "criterion": {"metric": "seat_utilisation", "op": ">=", "value": 0.6}},
      {"id": "promoter", "description": "The customer would recommend us", "features": ["reference programme"],
       "criterion": {"metric": "survey_score_latest", "op": ">=", "value": 9}}
    ]}
  ]
}`

// EffectivenessModel returns the compiled demo model.
func EffectivenessModel() *effectiveness.Model {
	m, err := effectiveness.ParseModel([]byte(EffectivenessModelJSON))
	if err != nil {
		panic("demo: " + err.Error())
	}
	return m
}

// AMPMJSON is the demo's AMPM framework over the team indicators.
const AMPMJSON = `{
  "indicators": [
    {"id": "weekly_active", "name": "users active weekly", "kind": "adoption", "baseline": 0.35, "target": 0.85, "threshold": 0.6},
    {"id": "same_day_updates", "name": "records updated within a day", "kind": "adoption", "baseline": 0.3, "target": 0.75, "threshold": 0.5},
    {"id": "win_rate", "name": "win rate", "kind": "performance", "source": "customer_reported", "baseline": 0.2, "target": 0.3,
     "value_per_unit": {"amount": "400000", "currency": "USD"}},
    {"id": "cycle_days", "name": "sales cycle (days)", "kind": "performance", "better": "lower", "baseline": 75, "target": 55,
     "value_per_unit": {"amount": "800", "currency": "USD"}}
  ]
}`

// AMPM returns the compiled demo AMPM framework.
func AMPM() *effectiveness.AMPM {
	x, err := effectiveness.ParseAMPM([]byte(AMPMJSON))
	if err != nil {
		panic("demo: " + err.Error())
	}
	return x
}

// Units returns the account as an AMPM unit: its teams, weighted by their
// users, with their current and baseline indicator values.
func (a *Account) Units() effectiveness.OrgUnit {
	u := effectiveness.OrgUnit{ID: string(a.ID)}
	for _, t := range a.Teams {
		u.Units = append(u.Units, effectiveness.OrgUnit{
			ID:     t.Name,
			Weight: float64(t.Users),
			Values: map[string]float64{"weekly_active": t.WeeklyActiveShare, "same_day_updates": t.SameDayUpdateShare, "win_rate": t.WinRate, "cycle_days": t.CycleDays},
			Baselines: map[string]float64{"weekly_active": t.BaselineWeeklyActiveShare, "same_day_updates": t.BaselineSameDayUpdateShare,
				"win_rate": t.BaselineWinRate, "cycle_days": t.BaselineCycleDays},
		})
	}
	return u
}

// BaselineMetrics are the metrics the demo's day-one baseline records.
var BaselineMetrics = []valuepath.Metric{Utilisation, RecordsPerUser, ReportsPerUser, WorkflowsPerUser, DaysSinceQBR}

// PlanGoals is the demo's improvement plan from a day-one baseline, due
// nine months after it: raise seat utilisation by 15% (40% of the way by a
// milestone at three months), and reach the next phase's threshold on
// every other behavior of the next phase the baseline did not meet. It
// returns the goals and their due date; no goals when the baseline has no
// values to plan from.
func PlanGoals(model *effectiveness.Model, base effectiveness.Baseline) ([]effectiveness.Goal, time.Time) {
	day1 := base.At
	due := day1.AddDate(0, 9, 0)
	var goals []effectiveness.Goal
	if _, ok := base.Values[Utilisation]; ok {
		goals = append(goals, effectiveness.Goal{Metric: Utilisation, Policy: effectiveness.Relative, Amount: 0.15, Due: due,
			Milestones: []effectiveness.Milestone{{Due: day1.AddDate(0, 3, 0), Share: 0.4}}})
	}
	if base.Level < model.NumPhases() {
		for _, b := range model.Phase(base.Level + 1).Behaviors {
			m := b.Criterion.Metric
			if v, ok := base.Values[m]; ok && m != Utilisation && !meets(b.Criterion, v) {
				goals = append(goals, effectiveness.Goal{Metric: m, Policy: effectiveness.NextPhase, Due: due})
			}
		}
	}
	return goals, due
}

// meets reports whether a single comparison holds for v.
func meets(c effectiveness.Criterion, v float64) bool {
	switch c.Comparison {
	case valuepath.AtLeast, valuepath.Above, valuepath.AtMost, valuepath.Below:
		return c.Comparison.Holds(v, c.Value)
	}
	return true // composite or equality criteria get no next-phase goal
}
