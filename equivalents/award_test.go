package equivalents_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func usd(amount string) equivalents.Award {
	return equivalents.Award{Money: valuepath.Must(valuepath.ParseMoney(amount, "usd"))}
}

func leave(v int64) equivalents.Award {
	return equivalents.Award{Quantity: equivalents.Q(v, "leave_hour")}
}

func awardCatalog(t *testing.T) *equivalents.Catalog {
	spec := staffingSpec()
	spec.Units = append(spec.Units, equivalents.UnitDef{Name: "leave_hour", Singular: "hour of leave", Plural: "hours of leave"},
		equivalents.UnitDef{Name: "percent"})
	spec.AwardRules = []equivalents.AwardRule{
		{Name: "leave", Input: equivalents.Hour, Every: d("100"), Award: leave(2), Source: "HR policy 7"},
		{Name: "training", Input: "percent", Every: d("5"), Threshold: d("10"), Floor: usd("500"), Cap: usd("3000"),
			Award: usd("1000"), Source: "budget rule 2026"},
	}
	c, err := equivalents.NewCatalog(spec)
	require.NoError(t, err)
	return c
}

func TestGrant(t *testing.T) {
	c := awardCatalog(t)
	tests := []struct {
		rule       string
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
		{"training", equivalents.Q(9, "percent"), "9 percent", "0", "USD 0.00", false, false},
		{"training", equivalents.Q(10, "percent"), "10 percent", "0", "USD 0.00", false, false},
		{"training", equivalents.Q(12, "percent"), "12 percent", "0", "USD 500.00", false, true},
		{"training", equivalents.Q(21, "percent"), "21 percent", "2", "USD 2000.00", false, false},
		{"training", equivalents.Q(60, "percent"), "60 percent", "10", "USD 3000.00", true, false},
	}
	for _, tt := range tests {
		g, err := c.Grant(tt.rule, tt.in)
		require.NoError(t, err, "Grant(%s, %v)", tt.rule, tt.in)
		award := g.Award.Quantity.String()
		if g.Award.Money.Valid() {
			award = g.Award.Money.String()
		}
		got := []any{g.Rule, g.Input.String(), g.Steps.String(), award, g.Capped, g.Floored}
		want := []any{tt.rule, tt.wantInput, tt.wantSteps, tt.wantAward, tt.wantCapped, tt.wantFloor}
		assert.Equal(t, want, got, "Grant(%s, %v)", tt.rule, tt.in)
	}
	r, ok := c.AwardRule("leave")
	assert.True(t, ok)
	assert.Equal(t, "HR policy 7", r.Source)
	_, ok = c.AwardRule("nope")
	assert.False(t, ok, "AwardRule(nope) found")

	_, err := c.Grant("nope", equivalents.Q(1, equivalents.Hour))
	require.ErrorIs(t, err, equivalents.ErrUnknownName)
	_, err = c.Grant("leave", equivalents.Q(1, "percent"))
	require.ErrorIs(t, err, equivalents.ErrNoPath)
}

func TestAwardRuleErrors(t *testing.T) {
	base := func(rules ...equivalents.AwardRule) equivalents.CatalogSpec {
		return equivalents.CatalogSpec{Units: units("h", "leave_hour"), AwardRules: rules}
	}
	tests := []struct {
		name string
		spec equivalents.CatalogSpec
		want []string
	}{
		{
			name: "bad values",
			spec: base(equivalents.AwardRule{Name: "p", Input: "h", Every: d("0"),
				Award: equivalents.Award{Quantity: equivalents.Quantity{Value: d("-1"), Unit: "leave_hour"}}, Threshold: d("-2"),
				Cap: equivalents.Award{Quantity: equivalents.Quantity{Value: d("-1"), Unit: "leave_hour"}}}),
			want: []string{"award_rules[0].award.quantity.value: invalid value", "award_rules[0].cap: invalid value",
				"award_rules[0].every: invalid value", "award_rules[0].source: invalid value", "award_rules[0].threshold: invalid value"},
		},
		{
			name: "unknown units, duplicate, floor above cap",
			spec: base(
				equivalents.AwardRule{Name: "p", Input: "h", Every: d("1"), Award: leave(1), Source: "hr"},
				equivalents.AwardRule{Name: "p", Input: "x", Every: d("1"), Award: equivalents.Award{Quantity: equivalents.Q(1, "y")},
					Source: "hr", Floor: equivalents.Award{Quantity: equivalents.Q(5, "y")}, Cap: equivalents.Award{Quantity: equivalents.Q(2, "y")}}),
			want: []string{"award_rules[1].award.quantity.unit: unknown unit", "award_rules[1].floor: invalid value",
				"award_rules[1].input: unknown unit", "award_rules[1].name: duplicate"},
		},
		{
			name: "no award, both kinds, mismatched floor and cap",
			spec: base(
				equivalents.AwardRule{Name: "none", Input: "h", Every: d("1"), Source: "hr"},
				equivalents.AwardRule{Name: "both", Input: "h", Every: d("1"), Source: "hr",
					Award: equivalents.Award{Quantity: equivalents.Q(1, "leave_hour"), Money: usd("1").Money}},
				equivalents.AwardRule{Name: "mixed", Input: "h", Every: d("1"), Source: "hr", Award: usd("100"),
					Floor: leave(1), Cap: equivalents.Award{Money: valuepath.Must(valuepath.ParseMoney("200", "EUR"))}},
				equivalents.AwardRule{Name: "negative", Input: "h", Every: d("1"), Source: "hr", Award: usd("-100")}),
			want: []string{"award_rules[0].award: invalid value", "award_rules[1].award: invalid value",
				"award_rules[2].cap: invalid value", "award_rules[2].floor: invalid value", "award_rules[3].award.money.amount: invalid value"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := equivalents.NewCatalog(tt.spec)
			assert.Equal(t, tt.want, fieldPaths(err, valuepath.ErrDuplicate, equivalents.ErrUnknownUnit, valuepath.ErrInvalid), "err: %v", err)
		})
	}
}

// Award rules survive a JSON round trip, and a grant of nothing still says
// in which currency.
func TestAwardJSON(t *testing.T) {
	c := awardCatalog(t)
	data, err := json.Marshal(c)
	require.NoError(t, err)
	back, err := equivalents.ParseCatalog(data)
	require.NoError(t, err)
	if diff := cmp.Diff(c.Spec(), back.Spec(), decEqual, moneyEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	assert.Contains(t, string(data), `"award":{"money":{"amount":"1000.00","currency":"USD"}}`)
	assert.Contains(t, string(data), `"award":{"quantity":{"value":"2","unit":"leave_hour"}}`)

	g, err := c.Grant("training", equivalents.Q(1, "percent"))
	require.NoError(t, err)
	data, err = json.Marshal(g)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"award":{"money":{"amount":"0.00","currency":"USD"}}`)
	var g2 equivalents.Grant
	require.NoError(t, json.Unmarshal(data, &g2))
	assert.Equal(t, g.Award.Money.String(), g2.Award.Money.String())
}
