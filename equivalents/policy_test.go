package equivalents_test

import (
	"errors"
	"testing"

	"github.com/valuepath/valuepath/equivalents"
)

func policyCatalog(t *testing.T) *equivalents.Catalog {
	spec := staffingSpec()
	spec.Units = append(spec.Units, equivalents.UnitDef{Name: "leave_hour", Singular: "hour of leave", Plural: "hours of leave"},
		equivalents.UnitDef{Name: "percent"}, equivalents.UnitDef{Name: "usd", Singular: "USD", Plural: "USD"})
	spec.Policies = []equivalents.Policy{
		{Name: "leave", Input: equivalents.Hour, Every: d("100"), Award: equivalents.Quantity{Value: d("2"), Unit: "leave_hour"}, Source: "HR policy 7"},
		{Name: "training", Input: "percent", Every: d("5"), Threshold: d("10"), Floor: d("500"), Cap: d("3000"),
			Award: equivalents.Quantity{Value: d("1000"), Unit: "usd"}, Source: "budget rule 2026"},
	}
	c, err := equivalents.NewCatalog(spec)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestApplyPolicy(t *testing.T) {
	c := policyCatalog(t)
	tests := []struct {
		policy     string
		in         equivalents.Quantity
		wantInput  string
		wantSteps  string
		wantAward  string
		wantCapped bool
		wantFloor  bool
	}{
		{"leave", equivalents.Q(250, equivalents.Hour), "250 hour", "2", "4 leave_hour", false, false},
		{"leave", equivalents.Q(99, equivalents.Hour), "99 hour", "0", "0 leave_hour", false, false},
		{"leave", equivalents.Q(12408, "transaction"), "620.4 hour", "6", "12 leave_hour", false, false},
		{"leave", equivalents.Q(-500, equivalents.Hour), "-500 hour", "0", "0 leave_hour", false, false},
		{"training", equivalents.Q(9, "percent"), "9 percent", "0", "0 usd", false, false},
		{"training", equivalents.Q(10, "percent"), "10 percent", "0", "0 usd", false, false},
		{"training", equivalents.Q(12, "percent"), "12 percent", "0", "500 usd", false, true},
		{"training", equivalents.Q(21, "percent"), "21 percent", "2", "2000 usd", false, false},
		{"training", equivalents.Q(60, "percent"), "60 percent", "10", "3000 usd", true, false},
	}
	for _, tt := range tests {
		g, err := c.Apply(tt.policy, tt.in)
		if err != nil {
			t.Errorf("Apply(%s, %v): %v", tt.policy, tt.in, err)
			continue
		}
		got := []any{g.Input.String(), g.Steps.String(), g.Award.String(), g.Capped, g.Floored}
		want := []any{tt.wantInput, tt.wantSteps, tt.wantAward, tt.wantCapped, tt.wantFloor}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("Apply(%s, %v) = %v, want %v", tt.policy, tt.in, got, want)
				break
			}
		}
	}
	if p, ok := c.Policy("leave"); !ok || p.Source != "HR policy 7" {
		t.Errorf("Policy(leave) = %+v, %v", p, ok)
	}
	if _, ok := c.Policy("nope"); ok {
		t.Error("Policy(nope) found")
	}
	if _, err := c.Apply("nope", equivalents.Q(1, equivalents.Hour)); !errors.Is(err, equivalents.ErrUnknownName) {
		t.Errorf("unknown policy: %v", err)
	}
	if _, err := c.Apply("leave", equivalents.Q(1, "usd")); !errors.Is(err, equivalents.ErrNoPath) {
		t.Errorf("unconvertible input: %v", err)
	}
}
