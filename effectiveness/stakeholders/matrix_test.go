package stakeholders_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness/stakeholders"
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
	m, err := stakeholders.ParseMatrix([]byte(matrixJSON))
	if err != nil {
		t.Fatal(err)
	}
	gaps := m.Gaps()
	want := []stakeholders.Gap{
		{Stakeholder: "Dana Reyes", Role: "cfo", Capability: "forecasting", Serves: "revenue forecast for the board", Current: "unaware", Future: "planned", Steps: 2, Next: "educated"},
		{Stakeholder: "Sam Okafor", Role: "sales-manager", Capability: "automation", Serves: "reps spend time selling, not typing", Current: "unaware", Future: "using", Steps: 4, Next: "educated"},
		{Stakeholder: "Sam Okafor", Role: "sales-manager", Capability: "forecasting", Serves: "commit calls grounded in data", Current: "educated", Future: "adopting", Steps: 2, Next: "planned"},
	}
	if diff := cmp.Diff(want, gaps); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	order := func(p stakeholders.Priority) []string {
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
		p    stakeholders.Priority
		want []string
	}{
		{stakeholders.ByCapability, []string{"Dana Reyes/forecasting", "Sam Okafor/forecasting", "Sam Okafor/automation"}},
		{stakeholders.ByStakeholder, []string{"Dana Reyes/forecasting", "Sam Okafor/forecasting", "Sam Okafor/automation"}},
		{stakeholders.ByGap, []string{"Sam Okafor/automation", "Dana Reyes/forecasting", "Sam Okafor/forecasting"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, order(tt.p)); diff != "" {
			t.Errorf("roadmap by %s (-want +got):\n%s", tt.p, diff)
		}
	}
	_, err = m.Roadmap("urgency")
	require.ErrorIs(t, err, valuepath.ErrInvalid, "Roadmap accepted an unknown priority")
	if s, ok := m.Serves("cfo", "automation"); ok || s != "" {
		t.Errorf("Serves(cfo, automation) = %q, %v; want no intersection", s, ok)
	}
	data, _ := json.Marshal(m)
	back, err := stakeholders.ParseMatrix(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m.Spec(), back.Spec()); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestMatrixErrors(t *testing.T) {
	_, err := stakeholders.ParseMatrix([]byte(`{
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
		`stakeholders: roles[1].id: duplicate: role "cfo" (also roles[0])`,
		"stakeholders: capabilities[0].id: invalid value: must not be empty",
		`stakeholders: intersections[0].role: invalid value: unknown role "ceo"`,
		"stakeholders: intersections[1].serves: invalid value: must not be empty",
		`stakeholders: intersections[2]: duplicate: role "cfo" and capability "dashboards" meet twice`,
		`stakeholders: scale[2]: duplicate: state "no" (also scale[0])`,
		`stakeholders: stakeholders[0].states[0].capability: invalid value: unknown capability "forecasting"`,
		`stakeholders: stakeholders[0].states[0].future: invalid value: "maybe" is not on the scale [no yes no]`,
		`stakeholders: stakeholders[0].states[1].future: invalid value: planned "no" is below current "yes"`,
		`stakeholders: stakeholders[1].name: duplicate: stakeholder "Dana" (also stakeholders[0])`,
		`stakeholders: stakeholders[1].role: invalid value: unknown role "cto"`,
	}
	if diff := cmp.Diff(want, errLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestMatrixNeedsIntersection(t *testing.T) {
	_, err := stakeholders.NewMatrix(stakeholders.MatrixSpec{
		Roles:        []stakeholders.Role{{ID: "cfo"}},
		Capabilities: []stakeholders.Capability{{ID: "automation"}},
		Stakeholders: []stakeholders.Person{{Name: "Dana", Role: "cfo", States: []stakeholders.State{{Capability: "automation", Current: "unaware", Future: "using"}}}},
	})
	want := []string{`stakeholders: stakeholders[0].states[0].capability: invalid value: capability "automation" does not serve role "cfo": add an intersection`}
	if diff := cmp.Diff(want, errLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// errLines splits a joined error into its lines, for comparison.
func errLines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}
