package effectiveness_test

import (
	"fmt"
	"log"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

const exampleModel = `{
  "name": "CRM effectiveness",
  "phases": [
    {"id": "basics", "behaviors": [
      {"id": "users-active", "description": "Most licensed users are active", "features": ["single sign-on"],
       "criterion": {"metric": "seat_utilisation", "op": ">=", "value": 0.5}}]},
    {"id": "reporting", "behaviors": [
      {"id": "reports", "description": "Teams build their own reports", "features": ["report builder"],
       "criterion": {"metric": "reports_created_30d", "op": ">=", "value": 10}},
      {"id": "reviews", "description": "Metrics are reviewed with the vendor",
       "criterion": {"metric": "days_since_qbr", "op": "<=", "value": 120}}]},
    {"id": "automation", "behaviors": [
      {"id": "workflows", "description": "Routine work runs as workflows", "features": ["workflow designer"],
       "criterion": {"metric": "workflows_run_30d", "op": ">=", "value": 50}}]}
  ]
}`

func ExampleAssessor_Assess() {
	model, err := effectiveness.ParseModel([]byte(exampleModel))
	if err != nil {
		log.Fatal(err)
	}
	schema := valuepath.Must(valuepath.NewSchema("seat_utilisation", "reports_created_30d", "days_since_qbr", "workflows_run_30d"))
	assessor, err := model.Bind(schema, effectiveness.Options{})
	if err != nil {
		log.Fatal(err)
	}
	snap := valuepath.NewSnapshot(schema, "acme", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	_ = snap.Set("seat_utilisation", 0.72)
	_ = snap.Set("reports_created_30d", 6)
	// days_since_qbr is missing: no review has happened that we know of.

	a, err := assessor.Assess(snap)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s is on phase %d (%s); %.0f%% of the way to %s\n", a.Account, a.Level, a.Phase, 100*a.Next.Progress, a.Next.Phase)
	for _, s := range a.Next.Steps {
		gap := "n/a"
		if g, ok := s.Gap.Get(); ok {
			gap = fmt.Sprintf("%.2f", g)
		}
		fmt.Printf("  %-8s %-8s gap %-4s  features %v\n", s.Behavior, s.Status, gap, s.Features)
	}
	// Output:
	// acme is on phase 1 (basics); 0% of the way to reporting
	//   reports  not_met  gap 0.40  features [report builder]
	//   reviews  unknown  gap n/a   features []
}

func ExampleAMPM_WeakLinks() {
	x, err := effectiveness.ParseAMPM([]byte(`{"indicators": [
	  {"id": "weekly_active", "kind": "adoption", "baseline": 0.4, "target": 0.9, "threshold": 0.8},
	  {"id": "win_rate", "kind": "performance", "baseline": 0.2, "target": 0.3}
	]}`))
	if err != nil {
		log.Fatal(err)
	}
	account := effectiveness.OrgUnit{ID: "acme", Units: []effectiveness.OrgUnit{
		{ID: "Sales East", Weight: 12, Values: map[string]float64{"weekly_active": 0.92, "win_rate": 0.27}},
		{ID: "Sales West", Weight: 10, Values: map[string]float64{"weekly_active": 0.85, "win_rate": 0.24}},
		{ID: "Inside Sales", Weight: 8, Values: map[string]float64{"weekly_active": 0.41, "win_rate": 0.19}},
	}}
	m, err := x.Measure("acme", account, effectiveness.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, team := range m.Units {
		fmt.Printf("%-12s adoption %.2f  win rate: %s\n", team.Unit, team.AdoptionIndex.Value, team.Readings[1].Judgement)
	}
	for _, wl := range x.WeakLinks(m) {
		fmt.Printf("weak link: %s, %.2f behind the rest of %s, %.0f%% of its users\n", wl.Unit, wl.Behind, wl.Parent, 100*wl.WeightShare)
	}
	// Output:
	// Sales East   adoption 1.00  win rate: improved
	// Sales West   adoption 1.00  win rate: improved
	// Inside Sales adoption 0.51  win rate: not_yet_meaningful
	// weak link: Inside Sales, 0.49 behind the rest of acme, 27% of its users
}

func ExamplePlan_Progress() {
	day0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	base := effectiveness.Baseline{Account: "acme", At: day0, Values: map[valuepath.Metric]float64{"seat_utilisation": 0.5, "reports_created_30d": 4}}
	plan, err := effectiveness.NewPlan(effectiveness.PlanSpec{Revisions: []effectiveness.RevisionSpec{{Baseline: base, Goals: []effectiveness.Goal{
		{Metric: "seat_utilisation", Policy: effectiveness.Relative, Amount: 0.4, Due: day0.AddDate(0, 6, 0)},
		{Metric: "reports_created_30d", Policy: effectiveness.Absolute, Amount: 6, Due: day0.AddDate(0, 3, 0)},
	}}}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	schema := valuepath.Must(valuepath.NewSchema("seat_utilisation", "reports_created_30d"))
	now := valuepath.NewSnapshot(schema, "acme", day0.AddDate(0, 2, 0))
	_ = now.Set("seat_utilisation", 0.57)
	_ = now.Set("reports_created_30d", 6)
	pr, err := plan.Progress(now, effectiveness.ProgressOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range pr.Targets {
		actual := "n/a"
		if v, ok := t.Actual.Get(); ok {
			actual = fmt.Sprintf("%.2f", v)
		}
		fmt.Printf("%-20s %5.2f -> %5.2f  actual %5s  expected %5.2f  %s\n", t.Metric, t.Baseline, t.Target, actual, t.Expected, t.Status)
	}
	// Output:
	// seat_utilisation      0.50 ->  0.70  actual  0.57  expected  0.57  on_track
	// reports_created_30d   4.00 -> 10.00  actual  6.00  expected  7.93  behind
}

// AssessSlice assesses a base already held as a slice of snapshots into a
// caller's slice of assessments, every core by default, each goroutine on
// its own range. Reusing dst for the next base allocates nothing per
// account.
func ExampleAssessor_AssessSlice() {
	model, err := effectiveness.ParseModel([]byte(exampleModel))
	if err != nil {
		log.Fatal(err)
	}
	schema := valuepath.Must(valuepath.NewSchema("seat_utilisation", "reports_created_30d", "days_since_qbr", "workflows_run_30d"))
	assessor, err := model.Bind(schema, effectiveness.Options{})
	if err != nil {
		log.Fatal(err)
	}
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var snaps []*valuepath.Snapshot
	for i, row := range [][4]float64{{0.72, 6, 200, 0}, {0.9, 25, 30, 10}, {0.8, 30, 45, 120}} {
		s := valuepath.NewSnapshot(schema, valuepath.AccountID(fmt.Sprint("acct-", i+1)), asOf)
		for j, v := range row {
			_ = s.SetAt(j, v)
		}
		snaps = append(snaps, s)
	}
	dst := make([]effectiveness.Assessment, len(snaps))
	if err := assessor.AssessSlice(snaps, dst, valuepath.BatchOptions{}); err != nil {
		log.Fatal(err)
	}
	for _, a := range dst {
		fmt.Printf("%s phase %d (%s)\n", a.Account, a.Level, a.Phase)
	}
	// Output:
	// acct-1 phase 1 (basics)
	// acct-2 phase 2 (reporting)
	// acct-3 phase 3 (automation)
}
