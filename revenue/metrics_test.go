package revenue_test

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

func TestPeriodRatios(t *testing.T) {
	usd := func(s string) valuepath.Money { return valuepath.Must(valuepath.ParseMoney(s, "USD")) }
	p := revenue.Period{Opening: usd("1000"), New: usd("200"), Expansion: usd("150"), Reactivation: usd("20"),
		Contraction: usd("30"), Churn: usd("70"), FX: usd("0"), Closing: usd("1270"),
		Accounts:  revenue.Counts{Opening: 40, Lost: 2},
		Retention: revenue.Retention{Starting: usd("1000"), Gross: usd("900"), Net: usd("1050")}}
	get := func(f func() valuepath.Number) float64 {
		v, ok := f().Get()
		require.True(t, ok, "%v", f())
		return v
	}
	got := map[string]float64{
		"grr": get(p.GRR), "nrr": get(p.NRR), "logo": get(p.LogoChurn),
		"gross": get(p.GrossMRRChurn), "net": get(p.NetMRRChurn), "quick": get(p.QuickRatio),
	}
	// GRR = Gross/Starting = 900/1000; NRR = Net/Starting = 1050/1000.
	want := map[string]float64{"grr": 0.9, "nrr": 1.05, "logo": 0.05, "gross": 0.1, "net": -0.07, "quick": 3.7}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("ratios (-want +got):\n%s", diff)
	}
	if got := p.ARR().String(); got != "USD 15240.00" {
		t.Errorf("ARR = %s", got)
	}
	empty := revenue.Period{Opening: usd("0"), Contraction: usd("0"), Churn: usd("0"), Expansion: usd("0"), New: usd("5"), Reactivation: usd("0")}
	for name, f := range map[string]func() valuepath.Number{"grr": empty.GRR, "nrr": empty.NRR, "logo": empty.LogoChurn,
		"gross": empty.GrossMRRChurn, "net": empty.NetMRRChurn, "quick": empty.QuickRatio} {
		n := f()
		assert.False(t, n.Present, "%s on an empty period is undefined, not %v", name, n.Value)
		assert.NotEmpty(t, n.Reason, name)
	}
}

func TestCohortRetention(t *testing.T) {
	events := []revenue.SubscriptionEvent{
		ev("a", "", revenue.Start, day(2023, 1, 1), "100", 1),
		ev("b", "", revenue.Start, day(2023, 1, 1), "100", 1),
		ev("c", "", revenue.Start, day(2023, 1, 1), "100", 1),
		ev("a", "", revenue.Change, day(2023, 6, 1), "180", 1), // +80: counts in NRR, capped in GRR
		ev("b", "", revenue.Change, day(2023, 6, 1), "60", 1),  // -40
		ev("c", "", revenue.Cancel, day(2023, 9, 1), "", 0),    // -100
		ev("d", "", revenue.Start, day(2023, 3, 1), "500", 1),  // joined after: not in the cohort
	}
	ts, err := revenue.Normalize(events, revenue.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := revenue.CohortRetention(ts, day(2023, 1, 15), day(2024, 1, 15), revenue.CurrencyConversion{})
	if err != nil {
		t.Fatal(err)
	}
	got := []any{r.Accounts, r.Retained, r.Starting.String(), r.Gross.String(), r.Net.String(), r.GRR.Value, r.NRR.Value, r.LogoRetention.Value}
	want := []any{3, 2, "USD 300.00", "USD 160.00", "USD 240.00", 160.0 / 300, 0.8, 2.0 / 3}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("retention (-want +got):\n%s", diff)
	}
	empty, err := revenue.CohortRetention(ts, day(2020, 1, 1), day(2021, 1, 1), revenue.CurrencyConversion{})
	require.NoError(t, err)
	assert.Equal(t, 0, empty.Accounts)
	for _, n := range []valuepath.Number{empty.GRR, empty.NRR, empty.LogoRetention} {
		assert.Equal(t, valuepath.Absent("no account paying at the opening of the window 2020-01-01T00:00:00Z"), n)
	}
	if _, err := revenue.CohortRetention(ts, day(2024, 1, 1), day(2023, 1, 1), revenue.CurrencyConversion{}); !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("from after to: error %v, want ErrInvalid", err)
	}
}

func TestRateConversions(t *testing.T) {
	a, err := revenue.AnnualRate(0.02)
	if err != nil || math.Abs(a-0.21528) > 1e-5 {
		t.Errorf("AnnualRate(2%%) = %v, %v; want 21.53%%", a, err)
	}
	m, err := revenue.MonthlyRate(a)
	if err != nil || math.Abs(m-0.02) > 1e-12 {
		t.Errorf("MonthlyRate(AnnualRate(2%%)) = %v, %v", m, err)
	}
	for _, bad := range []float64{-0.1, 1.1, math.NaN(), math.Inf(1)} {
		if _, err := revenue.AnnualRate(bad); !errors.Is(err, valuepath.ErrInvalid) {
			t.Errorf("AnnualRate(%v): error %v", bad, err)
		}
	}
}

func TestValueMetrics(t *testing.T) {
	usd := func(s string) valuepath.Money { return valuepath.Must(valuepath.ParseMoney(s, "USD")) }
	arpa, err := revenue.ARPA(usd("1000"), 3)
	if err != nil || arpa.String() != "USD 333.33" {
		t.Errorf("ARPA = %v, %v", arpa, err)
	}
	ltv, err := revenue.LifetimeValue(usd("100"), 0.02, 1)
	if err != nil || ltv.String() != "USD 5000.00" {
		t.Errorf("LTV = %v, %v; want USD 5000.00", ltv, err)
	}
	ltv, err = revenue.LifetimeValue(usd("100"), 0.03, 0.8)
	if err != nil || ltv.String() != "USD 2666.67" {
		t.Errorf("margin LTV = %v, %v; want USD 2666.67", ltv, err)
	}
	if _, err := revenue.LifetimeValue(usd("100"), 0, 1); !errors.Is(err, valuepath.ErrUndefined) {
		t.Errorf("LTV at zero churn: error %v, want ErrUndefined", err)
	}
	pb, err := revenue.CACPayback(usd("1200"), usd("100"), 0.8)
	require.NoError(t, err)
	assert.InDelta(t, 15, pb.Or(-1), 1e-12)
	pb, err = revenue.CACPayback(usd("1200"), usd("0"), 0.8)
	require.NoError(t, err)
	assert.False(t, pb.Present, "no gross profit: never paid back, not 0 months")
	_, err = revenue.CACPayback(usd("1200"), usd("-1"), 0.8)
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	if _, err := revenue.CACPayback(usd("1200"), valuepath.Must(valuepath.ParseMoney("100", "EUR")), 0.8); !errors.Is(err, valuepath.ErrCurrencyMismatch) {
		t.Errorf("CACPayback across currencies: error %v", err)
	}
	_, err = revenue.ARPA(usd("1"), 0)
	require.ErrorIs(t, err, valuepath.ErrUndefined, "ARPA of no accounts")
	_, err = revenue.ARPA(usd("1"), -2)
	require.ErrorIs(t, err, valuepath.ErrInvalid)
}

func TestReferenceAssess(t *testing.T) {
	tests := []struct {
		ref   *revenue.Reference
		v     float64
		label string
		rng   string
	}{
		{revenue.NRRReference(), 0.95, "shrinking", "below 1"},
		{revenue.NRRReference(), 1.0, "healthy", "1 to 1.1"},
		// The practice's best-in-class band is 110%-125%: 1.1, 1.18 and 1.25
		// are all in it (1.25 used to read "exceptional"); 1.3 is above the
		// stated band and still best in class, not a band of its own.
		{revenue.NRRReference(), 1.1, "best in class", "1.1 or more"},
		{revenue.NRRReference(), 1.18, "best in class", "1.1 or more"},
		{revenue.NRRReference(), 1.25, "best in class", "1.1 or more"},
		{revenue.NRRReference(), 1.3, "best in class", "1.1 or more"},
		// Time to value: 4-6 weeks = 28-42 days. 21 days < 28: ahead; 35
		// days is in [28, 42): on it; 42 days (6 weeks) or more: behind.
		{revenue.TimeToValueReference(), 21, "ahead (under 4 weeks)", "below 28"},
		{revenue.TimeToValueReference(), 35, "on the reference (4 to 6 weeks)", "28 to 42"},
		{revenue.TimeToValueReference(), 42, "behind (6 weeks or more)", "42 or more"},
		// Advocate in under 60 days: 59 is under, 60 is not.
		{revenue.TimeToAdvocacyReference(), 59, "on the reference (under 60 days)", "below 60"},
		{revenue.TimeToAdvocacyReference(), 60, "behind (60 days or more)", "60 or more"},
		{revenue.GRRReference(), 0.92, "strong", "0.9 or more"},
		{revenue.LogoChurnReference(), 0.04, "best in class", "below 0.05"},
	}
	for _, tt := range tests {
		a, err := tt.ref.Assess(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if a.Label != tt.label || a.Range != tt.rng {
			t.Errorf("%s %v: got %q (%s), want %q (%s)", tt.ref.Spec().Metric, tt.v, a.Label, a.Range, tt.label, tt.rng)
		}
	}
	_, err := revenue.NewReference(revenue.ReferenceSpec{Thresholds: []float64{2, 1, math.Inf(1)}, Labels: []string{"a", ""}})
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	for _, w := range []string{"metric", "thresholds[1]", "thresholds[2]", "labels:", "labels[1]"} {
		assert.Contains(t, err.Error(), "revenue: "+w)
	}
	spec := revenue.ReferenceSpec{Metric: "nps", Source: "survey vendor", Thresholds: []float64{0, 50}, Labels: []string{"detractors", "fine", "great"}}
	ref, err := revenue.NewReference(spec)
	require.NoError(t, err)
	spec.Labels[0] = "changed" // the reference keeps its own copy
	got := ref.Spec()
	assert.Equal(t, "detractors", got.Labels[0])
	got.Thresholds[0] = 99 // and so does each copy it hands out
	s, err := ref.Assess(-3)
	require.NoError(t, err)
	assert.Equal(t, revenue.Standing{Metric: "nps", Value: -3, Band: 0, Label: "detractors", Range: "below 0", Source: "survey vendor"}, s)
	if _, err := revenue.NRRReference().Assess(math.NaN()); !errors.Is(err, valuepath.ErrNotFinite) {
		t.Errorf("NaN: error %v", err)
	}
}

// TestRetentionCountsTheOpeningCohort is the book of issue 16: a period's
// NRR and GRR follow only the accounts in force at the window's opening.
func TestRetentionCountsTheOpeningCohort(t *testing.T) {
	events := []revenue.SubscriptionEvent{
		ev("A", "", revenue.Start, day(2024, 1, 1), "100", 1),
		ev("B", "", revenue.Start, day(2024, 3, 1), "1000", 1),
		ev("C", "", revenue.Start, day(2024, 3, 1), "100", 1),
		ev("B", "", revenue.Cancel, day(2024, 6, 1), "", 0),
		ev("C", "", revenue.Change, day(2024, 7, 1), "900", 1),
	}
	ts, err := revenue.Normalize(events, revenue.Policy{})
	require.NoError(t, err)
	from, to := day(2024, 2, 1), day(2025, 2, 1)
	b, err := revenue.NewBridge(ts, revenue.Months(from, 12), revenue.BridgeOptions{})
	require.NoError(t, err)
	total := b.Total()
	// The bridge over Feb 2024 → Feb 2025: opening 100 (A only), new
	// 1000 + 100 = 1100 (B, C), expansion 900 − 100 = 800 (C), churn 1000 (B).
	// The old movement formulas gave NRR (100 + 800 − 1000)/100 = −1 and GRR
	// (100 − 1000)/100 = −9. The cohort at the opening is {A}: 100 → 100, so
	// NRR = 100/100 = 1 and GRR = min(100, 100)/100 = 1.
	assert.Equal(t, "USD 100.00 USD 1100.00 USD 800.00 USD 1000.00",
		fmt.Sprint(total.Opening, total.New, total.Expansion, total.Churn))
	coh, err := revenue.CohortRetention(ts, from, to, revenue.CurrencyConversion{})
	require.NoError(t, err)
	assert.Equal(t, valuepath.Defined(1), total.NRR())
	assert.Equal(t, valuepath.Defined(1), total.GRR())
	assert.Equal(t, coh.NRR, total.NRR())
	assert.Equal(t, coh.GRR, total.GRR())
	assert.Equal(t, coh, total.Retention)

	// Month by month, each period's cohort is the accounts paying at its
	// opening:
	//   2024-06: A 100, B 1000, C 100 open (1200); B cancels: closing 200.
	//            NRR = GRR = 200/1200 = 1/6.
	//   2024-07: A 100, C 100 open (200); C goes to 900: closing 1000.
	//            NRR = 1000/200 = 5; GRR = (100 + min(100, 900))/200 = 1.
	//   2024-03: only A is in force at the opening (B and C start at the
	//            boundary, so they are new): NRR = GRR = 100/100 = 1.
	want := map[string][2]float64{"2024-06": {1.0 / 6, 1.0 / 6}, "2024-07": {5, 1}, "2024-03": {1, 1}}
	for _, p := range b.Periods {
		nrr, gotN := p.NRR().Get()
		grr, gotG := p.GRR().Get()
		require.True(t, gotN && gotG, p.Start)
		assert.GreaterOrEqual(t, nrr, 0.0, p.Start)
		assert.True(t, grr >= 0 && grr <= 1, "%s GRR %v", p.Start, grr)
		c, err := revenue.CohortRetention(ts, p.Start, p.End, revenue.CurrencyConversion{})
		require.NoError(t, err)
		assert.Equal(t, c, p.Retention, p.Start)
		if w, ok := want[p.Start.Format("2006-01")]; ok {
			assert.InDelta(t, w[0], nrr, 1e-12, "NRR %s", p.Start)
			assert.InDelta(t, w[1], grr, 1e-12, "GRR %s", p.Start)
		}
	}
}

// TestBoundaryRule: one rule for every window of the package. A change
// stamped exactly at a window's start belongs to the window; the opening
// and the closing are the MRR just before start and just before end.
func TestBoundaryRule(t *testing.T) {
	from, to := day(2024, 2, 1), day(2025, 2, 1)
	events := []revenue.SubscriptionEvent{
		ev("A", "", revenue.Start, day(2024, 1, 1), "100", 1), // in force, stays
		ev("D", "", revenue.Start, from, "50", 1),             // starts at the boundary: new, not in the cohort
		ev("D", "", revenue.Cancel, day(2024, 5, 1), "", 0),
		ev("E", "", revenue.Start, day(2023, 6, 1), "200", 1), // cancels exactly at to: still in force at the closing
		ev("E", "", revenue.Cancel, to, "", 0),
		ev("F", "", revenue.Start, day(2023, 1, 1), "300", 1), // cancels exactly at from: in the cohort, churned
		ev("F", "", revenue.Cancel, from, "", 0),
	}
	ts, err := revenue.Normalize(events, revenue.Policy{})
	require.NoError(t, err)
	// Cohort = {A 100, E 200, F 300}: starting 600. At the closing A 100,
	// E 200, F 0: net 300, gross min(100,100)+min(200,200)+min(300,0) = 300.
	// GRR = NRR = 300/600 = 0.5; logos kept 2 of 3.
	r, err := revenue.CohortRetention(ts, from, to, revenue.CurrencyConversion{})
	require.NoError(t, err)
	assert.Equal(t, []any{3, 2, "USD 600.00", "USD 300.00", "USD 300.00", 0.5, 0.5},
		[]any{r.Accounts, r.Retained, r.Starting.String(), r.Gross.String(), r.Net.String(), r.GRR.Value, r.NRR.Value})
	b, err := revenue.NewBridge(ts, revenue.Months(from, 12), revenue.BridgeOptions{})
	require.NoError(t, err)
	// The bridge opens on the same 3 accounts / 600: D is new (50), F
	// churns in the first month (300), D churns in May (50), E's
	// cancellation at to belongs to the next window. Closing 600 + 50 −
	// 300 − 50 = 300; lost 1 (F).
	total := b.Total()
	assert.Equal(t, "600.00 50.00 350.00 300.00 3 2 1",
		fmt.Sprint(total.Opening.Amount().StringFixed(2), " ", total.New.Amount().StringFixed(2), " ", total.Churn.Amount().StringFixed(2), " ",
			total.Closing.Amount().StringFixed(2), " ", total.Accounts.Opening, " ", total.Accounts.Closing, " ", total.Accounts.Lost))
	assert.Equal(t, r, total.Retention)
	// Cohorts puts D in the cohort of the month it starts at the boundary of.
	cs, err := revenue.Cohorts(ts, revenue.Months(from, 12), revenue.CurrencyConversion{})
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, from, cs[0].Start)
	assert.Equal(t, 1, cs[0].Accounts)
	// MRRAt reads one instant, the changes stamped at it included: the
	// opening is the instant before.
	var d revenue.Timeline
	for _, tl := range ts {
		if tl.Account() == "D" {
			d = tl
		}
	}
	assert.Equal(t, "USD 0.00 USD 50.00", fmt.Sprint(d.MRRAt(from.Add(-time.Nanosecond)), d.MRRAt(from)))
}
