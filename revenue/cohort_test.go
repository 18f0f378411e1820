package revenue_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

func TestCohorts(t *testing.T) {
	events := []revenue.SubscriptionEvent{
		ev("old", "", revenue.Start, day(2023, 12, 1), "10", 1), // before the matrix: left out
		ev("a", "", revenue.Start, day(2024, 1, 3), "100", 1),
		ev("b", "", revenue.Start, day(2024, 1, 9), "50", 1),
		ev("c", "", revenue.Start, day(2024, 2, 2), "70", 1),
		ev("b", "", revenue.Cancel, day(2024, 2, 20), "", 0),
		ev("a", "", revenue.Change, day(2024, 3, 5), "120", 1),
		ev("b", "", revenue.Reactivate, day(2024, 3, 10), "50", 1), // active again, but not a survivor
		ev("c", "", revenue.Cancel, day(2024, 4, 1), "", 0),        // at the boundary: active at the end of March
	}
	ts, err := revenue.Normalize(events, revenue.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := revenue.Cohorts(ts, revenue.Months(day(2024, 1, 1), 3), revenue.CurrencyConversion{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Start             string
		Accounts          int
		Active, Survivors []int
		MRR               []string
	}
	var got []row
	for _, c := range cs {
		r := row{Start: c.Start.Format("2006-01"), Accounts: c.Accounts, Active: c.Active, Survivors: c.Survivors}
		for _, m := range c.MRR {
			r.MRR = append(r.MRR, m.Amount().StringFixed(2))
		}
		got = append(got, r)
	}
	want := []row{
		{"2024-01", 2, []int{2, 1, 2}, []int{2, 1, 1}, []string{"150.00", "100.00", "170.00"}},
		{"2024-02", 1, []int{1, 1}, []int{1, 1}, []string{"70.00", "70.00"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cohorts (-want +got):\n%s", diff)
	}
	assert.Equal(t, valuepath.Defined(0.5), cs[0].LogoRetention(1))
	got2 := cs[0].RevenueRetention(2)
	require.True(t, got2.Present)
	assert.InDelta(t, 170.0/150, got2.Value, 1e-12)
	// Out of range or over nothing: absent with a reason, never 0.
	for _, n := range []valuepath.Number{cs[0].LogoRetention(5), cs[0].RevenueRetention(-1), revenue.Cohort{}.LogoRetention(0)} {
		assert.False(t, n.Present)
		assert.NotEmpty(t, n.Reason)
	}
	empty := revenue.Cohort{Accounts: 1, Active: []int{0}, MRR: []valuepath.Money{valuepath.ZeroMoney("USD")}}
	assert.Equal(t, valuepath.Absent("no MRR at the end of the cohort's first period"), empty.RevenueRetention(0))
}

// TestCohortsPeriodProblems: the matrix checks its periods as the bridge
// does, with the same paths and words.
func TestCohortsPeriodProblems(t *testing.T) {
	gap := revenue.Months(day(2024, 1, 1), 3)
	gap[2].Start = gap[2].Start.AddDate(0, 0, 1)
	empty := revenue.Months(day(2024, 1, 1), 2)
	empty[1].End = empty[1].Start
	for name, periods := range map[string][]valuepath.Interval{"none": nil, "gap": gap, "empty": empty} {
		_, want := revenue.NewBridge(nil, periods, revenue.BridgeOptions{})
		require.Error(t, want, name)
		_, err := revenue.Cohorts(nil, periods, revenue.CurrencyConversion{})
		require.ErrorIs(t, err, valuepath.ErrInvalid, name)
		assert.Equal(t, want.Error(), err.Error(), name)
	}
}
