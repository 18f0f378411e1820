package effectiveness_test

import (
	"fmt"
	"log"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

func ExampleParseModel() {
	model, err := effectiveness.ParseModel([]byte(exampleModel))
	if err != nil {
		fmt.Println(err)
		return
	}
	for level := 1; level <= model.NumPhases(); level++ {
		p := model.Phase(level)
		fmt.Printf("phase %d %-10s %d behaviors\n", level, p.ID, len(p.Behaviors))
	}
	_, err = effectiveness.ParseModel([]byte(`{"name": "x", "phases": [{"id": "basics", "behaviors": [
	  {"id": "users-active", "criterion": {"metric": "seat_utilisation", "op": "=>", "value": 0.5}}]}]}`))
	fmt.Println(err)
	// Output:
	// phase 1 basics     1 behaviors
	// phase 2 reporting  2 behaviors
	// phase 3 automation 1 behaviors
	// effectiveness: phases: invalid value: want 3 to 7 phases, got 1
	// effectiveness: phases[0].behaviors[0].criterion.op: invalid value: unknown comparison "=>" (want >=, >, <=, <, == or !=)
}

func ExampleNewModel() {
	_, err := effectiveness.NewModel(effectiveness.ModelSpec{Name: "CRM", Phases: []effectiveness.Phase{
		{ID: "basics", Behaviors: []effectiveness.Behavior{{ID: "active", Criterion: effectiveness.Criterion{Metric: "seat_utilisation", Comparison: valuepath.AtLeast, Value: 0.5}}}},
		{ID: "basics"},
	}})
	fmt.Println(err)
	// Output:
	// effectiveness: phases: invalid value: want 3 to 7 phases, got 2
	// effectiveness: phases[1].id: duplicate: phase id "basics" (also phases[0])
	// effectiveness: phases[1].behaviors: invalid value: a phase needs at least one behavior
}

func ExampleParseAMPM() {
	x, err := effectiveness.ParseAMPM([]byte(`{"indicators": [
	  {"id": "weekly_active", "kind": "adoption", "baseline": 0.4, "target": 0.9, "threshold": 0.8},
	  {"id": "win_rate", "kind": "performance", "baseline": 0.2, "target": 0.3}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range x.Spec().Indicators {
		fmt.Println(in.ID, in.Kind)
	}
	_, err = effectiveness.ParseAMPM([]byte(`{"indicators": [{"id": "win_rate", "kind": "performance", "baseline": 0.2, "target": 0.3}]}`))
	fmt.Println(err)
	// Output:
	// weekly_active adoption
	// win_rate performance
	// effectiveness: indicators: invalid value: performance indicators need at least one adoption indicator to be judged against
}

func ExampleNewAMPM() {
	x, err := effectiveness.NewAMPM(effectiveness.AMPMSpec{Indicators: []effectiveness.Indicator{
		{ID: "weekly_active", Kind: effectiveness.Adoption, Baseline: 0.4, Target: 0.9, Threshold: 0.8},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(x.Spec().Indicators))
	_, err = effectiveness.NewAMPM(effectiveness.AMPMSpec{})
	fmt.Println(err)
	// Output:
	// 1
	// effectiveness: indicators: invalid value: want at least one indicator
}

func ExampleNewBaseline() {
	model := valuepath.Must(effectiveness.ParseModel([]byte(exampleModel)))
	schema := valuepath.Must(valuepath.NewSchema("seat_utilisation", "reports_created_30d", "days_since_qbr", "workflows_run_30d"))
	assessor := valuepath.Must(model.Bind(schema, effectiveness.Options{}))
	snap := valuepath.NewSnapshot(schema, "acme", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	_ = snap.Set("seat_utilisation", 0.55)
	_ = snap.Set("reports_created_30d", 3)
	a, err := assessor.Assess(snap)
	if err != nil {
		log.Fatal(err)
	}
	base, err := effectiveness.NewBaseline(a, snap, []valuepath.Metric{"seat_utilisation", "reports_created_30d", "workflows_run_30d"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(base.Account, base.Level, base.Phase, base.Values, base.Missing)
	_, err = effectiveness.NewBaseline(a, snap, []valuepath.Metric{"nps"})
	fmt.Println(err)
	// Output:
	// acme 1 basics map[reports_created_30d:3 seat_utilisation:0.55] [workflows_run_30d]
	// effectiveness: metrics[0]: unknown metric "nps"
}

func ExampleParsePlan() {
	model := valuepath.Must(effectiveness.ParseModel([]byte(exampleModel)))
	plan, err := effectiveness.ParsePlan([]byte(`{"revisions": [{
	  "baseline": {"account": "acme", "at": "2026-01-01T00:00:00Z", "level": 1, "phase": "basics", "values": {"seat_utilisation": 0.5}},
	  "goals": [{"metric": "seat_utilisation", "policy": "relative", "amount": 0.4, "due": "2026-07-01T00:00:00Z"}]}]}`), model)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range plan.Current().Targets {
		fmt.Printf("%s: %.2f -> %.2f by %s\n", t.Metric, t.Baseline, t.Target, t.Due.Format(time.DateOnly))
	}
	_, err = effectiveness.ParsePlan([]byte(`{"revisions": [{
	  "baseline": {"account": "acme", "at": "2026-01-01T00:00:00Z", "values": {}},
	  "goals": [{"metric": "seat_utilisation", "policy": "relative", "amount": 0.4, "due": "2026-07-01T00:00:00Z"}]}]}`), model)
	fmt.Println(err)
	// Output:
	// seat_utilisation: 0.50 -> 0.70 by 2026-07-01
	// effectiveness: revisions[0].goals[0].metric: invalid value: no baseline value for "seat_utilisation" to improve on
}
