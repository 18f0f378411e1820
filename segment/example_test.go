package segment_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

func exampleBase() []segment.TierInput {
	return []segment.TierInput{
		{ID: "globex", Revenue: usd("42000")},
		{ID: "initech", Revenue: usd("18000")},
		{ID: "umbrella", Revenue: usd("9000"), Strategic: true},
		{ID: "hooli", Revenue: usd("6500")},
		{ID: "stark", Revenue: usd("4000")},
		{ID: "wayne", Revenue: usd("2500")},
		{ID: "acme", Revenue: usd("1200")},
		{ID: "wonka", Revenue: usd("800")},
	}
}

// usd returns s US dollars.
func usd(s string) valuepath.Money { return valuepath.Must(valuepath.ParseMoney(s, "USD")) }

// pct formats a share as a percentage, and "n/a" when it is undefined.
func pct(n valuepath.Number) string {
	if v, ok := n.Get(); ok {
		return fmt.Sprintf("%.1f%%", 100*v)
	}
	return "n/a"
}

func exampleTiering() *segment.Tiering {
	// One CSM with 40 hours a week for accounts that need 20 hours each:
	// 2 top places. One leveraged CSM serves 2 × 2 accounts.
	return valuepath.Must(segment.NewTiering(segment.TieringSpec{
		Currency: "USD",
		Capacity: segment.Capacity{TopCSMs: 1, LeveragedCSMs: 1, HoursPerCSM: 40, HoursPerTopAccount: 20, LeveragedRatio: 2},
	}))
}

func ExampleTiering_Assign() {
	report, err := exampleTiering().Assign(exampleBase())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range report.Tiers {
		fmt.Printf("%-9s %d accounts %12s %5s of revenue\n", t.Tier, t.Accounts, t.Revenue, pct(t.RevenueShare))
	}
	for _, a := range report.Assignments[:3] {
		fmt.Printf("%-8s %s\n", a.Account, a.Why())
	}
	fmt.Printf("%-8s %s\n", report.Assignments[7].Account, report.Assignments[7].Why())
	// Output:
	// top       2 accounts USD 51000.00 60.7% of revenue
	// leveraged 4 accounts USD 31000.00 36.9% of revenue
	// scalable  2 accounts  USD 2000.00  2.4% of revenue
	// umbrella strategic account, placed first: top place 1 of 2
	// globex   placement rank 2 (strategic first, then by revenue): top place 2 of 2
	// initech  placement rank 3 (strategic first, then by revenue), after the top tier's 2 places: leveraged place 1 of 4
	// wonka    placement rank 8 (strategic first, then by revenue), after the 6 CSM-served places: scalable, digital touch
}

func ExampleTierReport_CSMsFor() {
	report, err := exampleTiering().Assign(exampleBase())
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := report.CSMsFor(0.75)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d CSMs serve %d top accounts with %s of revenue\n", st.TopCSMs, st.Top.Accounts, pct(st.Top.RevenueShare))
	// Output:
	// 2 CSMs serve 4 top accounts with 89.9% of revenue
}

func ExampleTierReport_Cover() {
	report, err := exampleTiering().Assign(exampleBase())
	if err != nil {
		fmt.Println(err)
		return
	}
	cv, err := report.Cover(0, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("no top tier, 2 leveraged CSMs: %d accounts, %s of revenue with a CSM\n", cv.Tiers[1].Accounts, pct(cv.CSMShare))
	// Output:
	// no top tier, 2 leveraged CSMs: 8 accounts, 100.0% of revenue with a CSM
}

func ExampleMatcher_Explain() {
	rules, err := segment.ParseRules([]byte(`[
	  {"id": "low_use",   "when": {"metric": "seat_utilisation", "op": "<", "value": 0.4}},
	  {"id": "reporting_gap", "description": "underused and not using reports",
	   "when": {"all": [{"rule": "low_use"}, {"not_using": "reports_created_30d"}]}}
	]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	schema := valuepath.Must(valuepath.NewSchema("seat_utilisation", "reports_created_30d"))
	m, err := rules.Bind(schema)
	if err != nil {
		fmt.Println(err)
		return
	}
	snap := valuepath.NewSnapshot(schema, "acme", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	_ = snap.Set("seat_utilisation", 0.30479999999999996)
	_ = snap.Set("reports_created_30d", 0)
	ex, err := m.Explain(segment.Input{Current: snap})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range ex.Segments {
		fmt.Println(s.Segment)
		for _, t := range s.Terms {
			fmt.Printf("  %s (%s)\n", t.Text, t.Path)
		}
	}
	// Output:
	// low_use
	//   seat_utilisation = 0.3048, < 0.4 (rules[0].when)
	// reporting_gap
	//   seat_utilisation = 0.3048, < 0.4 (rules[0].when)
	//   not using reports_created_30d (0) (rules[1].when.all[1])
}

func ExampleMatcher_MatchAll() {
	rules := valuepath.Must(segment.NewRules([]segment.Rule{
		{ID: "flat_workflows", When: segment.Condition{NotImproved: "workflows_run_30d"}},
	}))
	schema := valuepath.Must(valuepath.NewSchema("workflows_run_30d"))
	m := valuepath.Must(rules.Bind(schema))
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var inputs []segment.Input
	for i, v := range [][2]float64{{12, 10}, {9, 10}, {10, 10}} {
		cur := valuepath.NewSnapshot(schema, valuepath.AccountID(fmt.Sprint("acct-", i+1)), asOf)
		base := valuepath.NewSnapshot(schema, cur.Account, asOf.AddDate(0, -6, 0))
		_ = cur.SetAt(0, v[0])
		_ = base.SetAt(0, v[1])
		inputs = append(inputs, segment.Input{Current: cur, Baseline: base})
	}
	for ms, err := range m.MatchAll(slices.Values(inputs), valuepath.BatchOptions{}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ms.Account, ms.Has("flat_workflows"))
	}
	// Output:
	// acct-1 false
	// acct-2 true
	// acct-3 true
}

// MatchSlice matches inputs already held in a slice into a caller's slice
// of memberships, every core by default, each goroutine on its own range.
func ExampleMatcher_MatchSlice() {
	rules := valuepath.Must(segment.NewRules([]segment.Rule{
		{ID: "flat_workflows", When: segment.Condition{NotImproved: "workflows_run_30d"}},
	}))
	schema := valuepath.Must(valuepath.NewSchema("workflows_run_30d"))
	m := valuepath.Must(rules.Bind(schema))
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var inputs []segment.Input
	for i, v := range [][2]float64{{12, 10}, {9, 10}, {10, 10}} {
		cur := valuepath.NewSnapshot(schema, valuepath.AccountID(fmt.Sprint("acct-", i+1)), asOf)
		base := valuepath.NewSnapshot(schema, cur.Account, asOf.AddDate(0, -6, 0))
		_ = cur.SetAt(0, v[0])
		_ = base.SetAt(0, v[1])
		inputs = append(inputs, segment.Input{Current: cur, Baseline: base})
	}
	dst := make([]segment.Membership, len(inputs))
	if err := m.MatchSlice(inputs, dst, valuepath.BatchOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	for i := range dst {
		fmt.Println(dst[i].Account, dst[i].Has("flat_workflows"))
	}
	// Output:
	// acct-1 false
	// acct-2 true
	// acct-3 true
}

func ExampleRouter_Route() {
	rules := valuepath.Must(segment.NewRules([]segment.Rule{
		{ID: "new", When: segment.Condition{Metric: "age_days", Comparison: valuepath.Below, Value: 90}},
		{ID: "no_reports", When: segment.Condition{NotUsing: "reports_created_30d"}},
	}))
	router, err := segment.NewRouter(segment.RouterSpec{Cap: 1, Period: valuepath.Days(7), Campaigns: []segment.Campaign{
		{ID: "reports_101", Kind: segment.Drip, Priority: 2, Segments: []string{"no_reports"}, Content: "tips/reports-101"},
		{ID: "release_12", Kind: segment.Release, Priority: 1, Versions: []segment.Version{
			{Segment: "new", Content: "release/12-getting-started"},
			{Segment: "no_reports", Content: "release/12-new-report-builder"},
		}},
	}}, rules)
	if err != nil {
		fmt.Println(err)
		return
	}
	schema := valuepath.Must(valuepath.NewSchema("age_days", "reports_created_30d"))
	m := valuepath.Must(rules.Bind(schema))
	snap := valuepath.NewSnapshot(schema, "acme", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	_ = snap.Set("age_days", 400)
	_ = snap.Set("reports_created_30d", 0)
	ms, err := m.Match(segment.Input{Current: snap})
	if err != nil {
		fmt.Println(err)
		return
	}
	rt, err := router.Route(ms, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range rt.Deliver {
		fmt.Println("send", d.Campaign, d.Content)
	}
	for _, h := range rt.Held {
		fmt.Println("hold", h.Campaign, h.Content+":", h.Reason)
	}
	// Output:
	// send reports_101 tips/reports-101
	// hold release_12 release/12-new-report-builder: frequency cap of 1 per 7d reached (0 sent before, 1 routed now)
}

func ExampleOwnership_Decide() {
	o := valuepath.Must(segment.NewOwnership(segment.OwnershipSpec{
		Currency: "USD",
		Bands: []segment.ValueBand{
			{Name: "self-serve", From: usd("0"), Shift: -0.2},
			{Name: "standard", From: usd("10000")},
			{Name: "strategic", From: usd("150000"), Shift: 0.2},
		},
	}))
	for _, d := range []segment.Deal{
		{Account: "wonka", Kind: segment.Renewal, ACV: usd("4800"), ServiceComplexity: 0.6, TransactionComplexity: 0.2},
		{Account: "initech", Kind: segment.Renewal, ACV: usd("60000"), ServiceComplexity: 0.6, TransactionComplexity: 0.2},
		{Account: "globex", Kind: segment.Upsell, ACV: usd("240000"), ServiceComplexity: 0.4, TransactionComplexity: 0.35},
	} {
		dec, err := o.Decide(d)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-7s %-7s %s\n", d.Account, d.Kind, dec.Why)
	}
	// Output:
	// wonka   renewal service low (0.6 < 0.7), transaction low (0.2 < 0.7); ACV USD 4800.00 in band "self-serve" moves the boundaries 0.2 toward self-service: web
	// initech renewal service high (0.6 ≥ 0.5), transaction low (0.2 < 0.5): csm
	// globex  upsell  service high (0.4 ≥ 0.3), transaction high (0.35 ≥ 0.3); ACV USD 240000.00 in band "strategic" moves the boundaries 0.2 toward higher touch: sales_with_csm
}
