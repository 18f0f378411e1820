package effectiveness_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

func usd(s string) valuepath.Money {
	return valuepath.Must(valuepath.ParseMoney(s, "USD"))
}

func salesAMPM(t testing.TB) *effectiveness.AMPM {
	t.Helper()
	x, err := effectiveness.ParseAMPM([]byte(`{
	  "indicators": [
	    {"id": "weekly_active", "kind": "adoption", "baseline": 0.4, "target": 0.9, "threshold": 0.8},
	    {"id": "same_day_updates", "kind": "adoption", "baseline": 0.3, "target": 0.8, "threshold": 0.7},
	    {"id": "win_rate", "kind": "performance", "source": "customer_reported", "baseline": 0.2, "target": 0.3,
	     "value_per_unit": {"amount": "200000", "currency": "USD"}},
	    {"id": "cycle_days", "kind": "performance", "better": "lower", "baseline": 60, "target": 45,
	     "value_per_unit": {"amount": "1000", "currency": "USD"}}
	  ]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func team(id string, users float64, active, sameDay, win, cycle float64) effectiveness.OrgUnit {
	return effectiveness.OrgUnit{ID: id, Weight: users, Values: map[string]float64{
		"weekly_active": active, "same_day_updates": sameDay, "win_rate": win, "cycle_days": cycle}}
}

var consentAll = effectiveness.Options{Consent: func(valuepath.AccountID, valuepath.Metric) bool { return true }}

func TestMeasureMorningBeforeAfternoon(t *testing.T) {
	x := salesAMPM(t)
	account := effectiveness.OrgUnit{ID: "acme", Units: []effectiveness.OrgUnit{
		team("east", 10, 0.9, 0.8, 0.26, 50),
		team("west", 10, 0.5, 0.4, 0.22, 58),
	}}
	m, err := x.Measure("acme", account, consentAll)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Unit        string
		Adoption    valuepath.Number
		Passed      bool
		Performance valuepath.Number
		Judgements  []effectiveness.Judgement
	}
	summ := func(m effectiveness.Measurement) row {
		r := row{m.Unit, m.AdoptionIndex, m.AdoptionPassed, m.PerformanceIndex, nil}
		for _, rd := range m.Readings {
			r.Judgements = append(r.Judgements, rd.Judgement)
		}
		return r
	}
	got := []row{summ(*m), summ(m.Units[0]), summ(m.Units[1])}
	notYet := valuepath.Absent("adoption has not passed: performance is not yet meaningful")
	want := []row{
		// The account rolls up to weekly 0.7 and same-day 0.6: not adopted.
		{"acme", valuepath.Defined((0.7/0.8 + 0.6/0.7) / 2), false, notYet, []effectiveness.Judgement{"not_adopted", "not_adopted", "not_yet_meaningful", "not_yet_meaningful"}},
		// East has adopted, so its performance is judged: win rate 60% of
		// the way, cycle days 10/15 of the way.
		{"east", valuepath.Defined(1), true, valuepath.Defined((0.6 + 10.0/15) / 2), []effectiveness.Judgement{"adopted", "adopted", "improved", "improved"}},
		{"west", valuepath.Defined((0.5/0.8 + 0.4/0.7) / 2), false, notYet, []effectiveness.Judgement{"not_adopted", "not_adopted", "not_yet_meaningful", "not_yet_meaningful"}},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("measurements (-want +got):\n%s", diff)
	}
	links := x.WeakLinks(m)
	wantLinks := []effectiveness.WeakLink{{Unit: "west", Parent: "acme", Adoption: (0.5/0.8 + 0.4/0.7) / 2, Group: 1, Behind: 1 - (0.5/0.8+0.4/0.7)/2, WeightShare: 0.5,
		Lagging: []effectiveness.Reading{m.Units[1].Readings[0], m.Units[1].Readings[1]}}}
	if diff := cmp.Diff(wantLinks, links, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("weak links (-want +got):\n%s", diff)
	}
}

func TestMeasureConsentAndRollUp(t *testing.T) {
	x := salesAMPM(t)
	account := effectiveness.OrgUnit{ID: "acme", Units: []effectiveness.OrgUnit{
		{ID: "east", Weight: 3, Values: map[string]float64{"weekly_active": 0.9, "same_day_updates": 0.9, "win_rate": 0.3, "cycle_days": 40},
			Baselines: map[string]float64{"cycle_days": 50}},
		{ID: "west", Weight: 1, Units: []effectiveness.OrgUnit{
			{ID: "ann", Values: map[string]float64{"weekly_active": 1, "same_day_updates": 0.8}},
			{ID: "bob", Values: map[string]float64{"weekly_active": 0.8, "same_day_updates": 0.7, "cycle_days": 50}},
		}},
	}}
	m, err := x.Measure("acme", account, effectiveness.Options{}) // no consent
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]any{}
	for _, rd := range m.Readings {
		got[rd.Indicator] = []any{rd.Judgement, rd.Value.Present, math.Round(rd.Value.Value*1e9) / 1e9, rd.Baseline}
	}
	want := map[string][]any{
		"weekly_active":    {effectiveness.Adopted, true, (3*0.9 + 0.9) / 4, 0.4},
		"same_day_updates": {effectiveness.Adopted, true, (3*0.9 + 0.75) / 4, 0.3},
		"win_rate":         {effectiveness.Excluded, false, 0.0, 0.2},
		// West's cycle days come from bob alone; its baseline is the
		// default, east's its own.
		"cycle_days": {effectiveness.TargetReached, true, (3*40 + 50) / 4.0, (3*50 + 60) / 4.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("account readings (-want +got):\n%s", diff)
	}
	roi, err := x.ROI(m, usd("10000"))
	if err != nil {
		t.Fatal(err)
	}
	// Cycle days improved by 52.5 - 42.5 = 10 days at 1000 USD a day.
	assert.Equal(t, []string{"USD 10000.00", "USD 0.00"}, []string{roi.Gain.String(), roi.Net.String()})
	assert.Equal(t, valuepath.Defined(0), roi.Ratio)
	assert.Len(t, roi.Gains, 1)
}

func TestROI(t *testing.T) {
	x := salesAMPM(t)
	m, err := x.Measure("acme", team("acme", 1, 0.85, 0.75, 0.25, 54), consentAll)
	if err != nil {
		t.Fatal(err)
	}
	roi, err := x.ROI(m, usd("12000"))
	if err != nil {
		t.Fatal(err)
	}
	// Win rate +0.05 at 200000 = 10000; cycle -6 days at 1000 = 6000.
	got := []string{roi.Gains[0].Value.String(), roi.Gains[1].Value.String(), roi.Gain.String(), roi.Net.String()}
	want := []string{"USD 10000.00", "USD 6000.00", "USD 16000.00", "USD 4000.00"}
	assert.Equal(t, want, got)
	assert.Equal(t, valuepath.Defined(0.333333), roi.Ratio)
	assert.True(t, roi.Present)

	free, err := x.ROI(m, usd("0"))
	require.NoError(t, err)
	assert.Equal(t, valuepath.Absent("no cost to return on"), free.Ratio, "a return over no cost")

	notAdopted, err := x.Measure("acme", team("acme", 1, 0.5, 0.75, 0.25, 54), consentAll)
	require.NoError(t, err)
	roi, err = x.ROI(notAdopted, usd("12000"))
	require.NoError(t, err)
	assert.False(t, roi.Present, "ROI present before adoption passed")
	assert.Equal(t, "adoption has not passed: performance is not yet meaningful", roi.Reason)
	assert.False(t, roi.Ratio.Present)
	assert.True(t, roi.Gain.IsZero(), "ROI counted gains before adoption passed: %v", roi.Gain)
	assert.Len(t, roi.Gains, 2)

	_, err = x.ROI(m, valuepath.Must(valuepath.ParseMoney("-1", "eur")))
	require.ErrorIs(t, err, valuepath.ErrCurrencyMismatch)
	var mm *valuepath.MismatchError
	require.ErrorAs(t, err, &mm)
	assert.Equal(t, []string{
		"effectiveness: cost.currency: " + mm.Error(),
		"effectiveness: cost.amount: invalid value: must be >= 0, got -1",
	}, errLines(err))
	_, err = x.ROI(m, valuepath.Money{})
	require.ErrorIs(t, err, valuepath.ErrUnknownCurrency)
	_, err = x.ROI(nil, usd("1"))
	require.ErrorIs(t, err, valuepath.ErrInvalid)
}

func TestAMPMErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string
	}{
		{"bad indicators", `{"indicators": [
		  {"id": "a", "kind": "adoption", "baseline": 0.5, "target": 0.4, "threshold": 0},
		  {"id": "a", "kind": "speed", "better": "up", "baseline": 1, "target": 2, "source": "rumour"},
		  {"id": "p", "kind": "performance", "baseline": 1, "target": 2, "threshold": 3, "weight": -1,
		   "value_per_unit": {"amount": "-5", "currency": "usd"}},
		  {"id": "q", "kind": "performance", "baseline": 1, "target": 2, "value_per_unit": {"amount": "5", "currency": "EUR"}}
		], "min_lag": 2}`, []string{
			"effectiveness: indicators[0].threshold: invalid value: an adoption indicator needs a threshold > 0, got 0",
			"effectiveness: indicators[0].target: invalid value: target 0.4 does not improve on baseline 0.5 (higher is better)",
			`effectiveness: indicators[1].id: duplicate: indicator id "a" (also indicators[0])`,
			`effectiveness: indicators[1].kind: invalid value: unknown kind "speed" (want "adoption" or "performance")`,
			`effectiveness: indicators[1].source: invalid value: unknown source "rumour" (want "usage" or "customer_reported")`,
			`effectiveness: indicators[1].better: invalid value: unknown direction "up" (want "higher" or "lower")`,
			"effectiveness: indicators[2].threshold: invalid value: only adoption indicators take a threshold",
			"effectiveness: indicators[2].weight: invalid value: must be >= 0, got -1",
			"effectiveness: indicators[2].value_per_unit.amount: invalid value: must be >= 0, got -5",
			"effectiveness: indicators[3].value_per_unit.currency: " + (&valuepath.MismatchError{Op: "value_per_unit", A: "USD", B: "EUR"}).Error(),
			"effectiveness: min_lag: invalid value: must be in [0, 1], got 2",
		}},
		{"performance alone", `{"indicators": [{"id": "p", "kind": "performance", "better": "lower", "baseline": 10, "target": 12}]}`, []string{
			"effectiveness: indicators[0].target: invalid value: target 12 does not improve on baseline 10 (lower is better)",
			"effectiveness: indicators: invalid value: performance indicators need at least one adoption indicator to be judged against",
		}},
		{"unknown field", `{"indicators": [], "weights": {}}`, []string{`effectiveness: ampm: weights: unknown field`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := effectiveness.ParseAMPM([]byte(tt.json))
			if diff := cmp.Diff(tt.want, errLines(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMeasureErrors(t *testing.T) {
	x := salesAMPM(t)
	_, err := x.Measure("acme", effectiveness.OrgUnit{ID: "acme", Weight: math.Inf(1), Units: []effectiveness.OrgUnit{
		{ID: "t", Values: map[string]float64{"weekly_active": math.NaN(), "nps": 1}},
		{ID: "t", Weight: -2},
		{},
	}}, effectiveness.Options{})
	want := []string{
		"effectiveness: unit.weight: not a finite number: +Inf",
		`effectiveness: unit.units[0].values["nps"]: invalid value: unknown indicator "nps"`,
		`effectiveness: unit.units[0].values["weekly_active"]: not a finite number: NaN`,
		`effectiveness: unit.units[1].id: duplicate: unit id "t" (also unit.units[0])`,
		"effectiveness: unit.units[1].weight: invalid value: must be >= 0, got -2",
		"effectiveness: unit.units[2].id: invalid value: must not be empty",
	}
	if diff := cmp.Diff(want, errLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestMeasurementJSON(t *testing.T) {
	x := salesAMPM(t)
	m, err := x.Measure("acme", team("acme", 1, 0.85, 0.75, 0.25, 54), effectiveness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back effectiveness.Measurement
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*m, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	// The win rate has no consent: absent, with the reason, never 0.
	assert.Contains(t, string(data), `"value":{"absent":"customer-reported, without the account's consent"}`)
}

func TestAMPMSpec(t *testing.T) {
	x := salesAMPM(t)
	spec := x.Spec()
	spec.Indicators[2].ID = "changed"
	*spec.Indicators[2].ValuePerUnit = usd("1")
	again := x.Spec()
	assert.Equal(t, "win_rate", again.Indicators[2].ID, "Spec returned the framework's own storage")
	assert.Equal(t, "USD 200000.00", again.Indicators[2].ValuePerUnit.String())
	data, err := json.Marshal(x)
	require.NoError(t, err)
	back, err := effectiveness.ParseAMPM(data)
	require.NoError(t, err)
	if diff := cmp.Diff(again, back.Spec(), cmp.Comparer(func(a, b valuepath.Money) bool { c, err := a.Cmp(b); return err == nil && c == 0 })); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestWeakLinksSkipUnitsWithoutAdoptionData(t *testing.T) {
	x := salesAMPM(t)
	m, err := x.Measure("acme", effectiveness.OrgUnit{ID: "acme", Units: []effectiveness.OrgUnit{
		team("east", 10, 0.9, 0.8, 0.26, 50),
		team("west", 10, 0.85, 0.75, 0.22, 58),
		{ID: "new", Weight: 10, Values: map[string]float64{"win_rate": 0.1}},
	}}, consentAll)
	require.NoError(t, err)
	assert.Equal(t, valuepath.Absent("no adoption indicator has data"), m.Units[2].AdoptionIndex)
	assert.Empty(t, x.WeakLinks(m), "a team without adoption data is a weak link")
	assert.Empty(t, x.WeakLinks(nil))
}
