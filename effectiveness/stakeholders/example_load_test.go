package stakeholders_test

import (
	"fmt"

	"github.com/valuepath/valuepath/effectiveness/stakeholders"
)

func ExampleParseMatrix() {
	m, err := stakeholders.ParseMatrix([]byte(`{
	  "roles": [{"id": "cfo"}, {"id": "sales-manager"}],
	  "capabilities": [{"id": "forecasting"}, {"id": "dashboards"}],
	  "intersections": [
	    {"role": "cfo", "capability": "forecasting", "serves": "revenue forecast for the board"},
	    {"role": "sales-manager", "capability": "dashboards", "serves": "pipeline at a glance"}],
	  "stakeholders": [{"name": "Dana Reyes", "role": "cfo", "states": [
	    {"capability": "forecasting", "current": "unaware", "future": "planned"}]}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range m.Gaps() {
		fmt.Printf("%s: %s %s -> %s, next %s\n", g.Stakeholder, g.Capability, g.Current, g.Future, g.Next)
	}
	_, err = stakeholders.ParseMatrix([]byte(`{"roles": [{"id": "cfo"}], "capabilities": [{"id": "forecasting"}],
	  "intersections": [{"role": "ceo", "capability": "forecasting", "serves": "x"}]}`))
	fmt.Println(err)
	// Output:
	// Dana Reyes: forecasting unaware -> planned, next educated
	// stakeholders: intersections[0].role: invalid value: unknown role "ceo"
}

func ExampleNewMatrix() {
	_, err := stakeholders.NewMatrix(stakeholders.MatrixSpec{
		Roles:         []stakeholders.Role{{ID: "cfo"}},
		Capabilities:  []stakeholders.Capability{{ID: "forecasting"}},
		Intersections: []stakeholders.Intersection{{Role: "cfo", Capability: "forecasting"}},
	})
	fmt.Println(err)
	// Output:
	// stakeholders: intersections[0].serves: invalid value: must not be empty
}
