package effectiveness_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath/effectiveness"
)

const matrixJSON = `{
  "roles": [{"id": "cfo", "name": "Chief financial officer"}, {"id": "sales-manager"}],
  "capabilities": [{"id": "forecasting"}, {"id": "dashboards"}, {"id": "automation"}],
  "intersections": [
    {"role": "cfo", "capability": "forecasting", "serves": "revenue forecast for the board"},
    {"role": "cfo", "capability": "dashboards", "serves": "cash and pipeline at a glance"},
    {"role": "sales-manager", "capability": "forecasting", "serves": "commit calls grounded in data"},
    {"role": "sales-manager", "capability": "automation", "serves": "reps spend time selling, not typing"}
  ],
  "stakeholders": [
    {"name": "Dana Reyes", "role": "cfo", "states": [
      {"capability": "dashboards", "current": "using", "future": "using"},
      {"capability": "forecasting", "current": "unaware", "future": "planned"}
    ]},
    {"name": "Sam Okafor", "role": "sales-manager", "states": [
      {"capability": "automation", "current": "unaware", "future": "using"},
      {"capability": "forecasting", "current": "educated", "future": "adopting"}
    ]}
  ]
}`

func TestMatrixGapsAndRoadmap(t *testing.T) {
	m, err := effectiveness.ParseMatrix([]byte(matrixJSON))
	if err != nil {
		t.Fatal(err)
	}
	gaps := m.Gaps()
	want := []effectiveness.Gap{
		{Stakeholder: "Dana Reyes", Role: "cfo", Capability: "forecasting", Serves: "revenue forecast for the board", Current: "unaware", Future: "planned", Steps: 2, Next: "educated"},
		{Stakeholder: "Sam Okafor", Role: "sales-manager", Capability: "automation", Serves: "reps spend time selling, not typing", Current: "unaware", Future: "using", Steps: 4, Next: "educated"},
		{Stakeholder: "Sam Okafor", Role: "sales-manager", Capability: "forecasting", Serves: "commit calls grounded in data", Current: "educated", Future: "adopting", Steps: 2, Next: "planned"},
	}
	if diff := cmp.Diff(want, gaps); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	order := func(p effectiveness.Priority) []string {
		items, err := m.Roadmap(p)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for i, it := range items {
			if it.Rank != i+1 {
				t.Errorf("rank %d at position %d", it.Rank, i)
			}
			out = append(out, it.Stakeholder+"/"+it.Capability)
		}
		return out
	}
	tests := []struct {
		p    effectiveness.Priority
		want []string
	}{
		{effectiveness.ByCapability, []string{"Dana Reyes/forecasting", "Sam Okafor/forecasting", "Sam Okafor/automation"}},
		{effectiveness.ByStakeholder, []string{"Dana Reyes/forecasting", "Sam Okafor/forecasting", "Sam Okafor/automation"}},
		{effectiveness.ByGap, []string{"Sam Okafor/automation", "Dana Reyes/forecasting", "Sam Okafor/forecasting"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, order(tt.p)); diff != "" {
			t.Errorf("roadmap by %s (-want +got):\n%s", tt.p, diff)
		}
	}
	if _, err := m.Roadmap("urgency"); err == nil {
		t.Error("Roadmap accepted an unknown priority")
	}
	if s, ok := m.Serves("cfo", "automation"); ok || s != "" {
		t.Errorf("Serves(cfo, automation) = %q, %v; want no intersection", s, ok)
	}
	data, _ := json.Marshal(m)
	back, err := effectiveness.ParseMatrix(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m.Spec(), back.Spec()); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestMatrixErrors(t *testing.T) {
	_, err := effectiveness.ParseMatrix([]byte(`{
	  "roles": [{"id": "cfo"}, {"id": "cfo"}],
	  "capabilities": [{"id": ""}, {"id": "dashboards"}],
	  "intersections": [
	    {"role": "ceo", "capability": "dashboards", "serves": "x"},
	    {"role": "cfo", "capability": "dashboards", "serves": ""},
	    {"role": "cfo", "capability": "dashboards", "serves": "y"}
	  ],
	  "scale": ["no", "yes", "no"],
	  "stakeholders": [
	    {"name": "Dana", "role": "cfo", "states": [
	      {"capability": "forecasting", "current": "no", "future": "maybe"},
	      {"capability": "dashboards", "current": "yes", "future": "no"}
	    ]},
	    {"name": "Dana", "role": "cto", "states": []}
	  ]
	}`))
	want := []string{
		`effectiveness: roles[1].id: duplicate: role "cfo" (also roles[0])`,
		"effectiveness: capabilities[0].id: invalid value: must not be empty",
		`effectiveness: intersections[0].role: invalid value: unknown role "ceo"`,
		"effectiveness: intersections[1].serves: invalid value: must not be empty",
		`effectiveness: intersections[2]: duplicate: role "cfo" and capability "dashboards" meet twice`,
		`effectiveness: scale[2]: duplicate: state "no" (also scale[0])`,
		`effectiveness: stakeholders[0].states[0].capability: invalid value: unknown capability "forecasting"`,
		`effectiveness: stakeholders[0].states[0].future: invalid value: "maybe" is not on the scale [no yes no]`,
		`effectiveness: stakeholders[0].states[1].future: invalid value: planned "no" is below current "yes"`,
		`effectiveness: stakeholders[1].name: duplicate: stakeholder "Dana" (also stakeholders[0])`,
		`effectiveness: stakeholders[1].role: invalid value: unknown role "cto"`,
	}
	if diff := cmp.Diff(want, errLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestMatrixNeedsIntersection(t *testing.T) {
	_, err := effectiveness.NewMatrix(effectiveness.MatrixSpec{
		Roles:        []effectiveness.Role{{ID: "cfo"}},
		Capabilities: []effectiveness.Capability{{ID: "automation"}},
		Stakeholders: []effectiveness.Stakeholder{{Name: "Dana", Role: "cfo", States: []effectiveness.State{{Capability: "automation", Current: "unaware", Future: "using"}}}},
	})
	want := []string{`effectiveness: stakeholders[0].states[0].capability: invalid value: capability "automation" does not serve role "cfo": add an intersection`}
	if diff := cmp.Diff(want, errLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
