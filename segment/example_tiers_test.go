package segment_test

import (
	"fmt"

	"github.com/valuepath/valuepath/segment"
)

// A base that wants one more tier than the practice's three lists its
// own: a pooled tier between the leveraged one and the digital one. Each
// tier but the last states its CSMs and its coverage as a ratio to the
// first tier's accounts per CSM (here 40 / 20 = 2): top 2 places,
// leveraged 2 × 1.25 = 2.5 → 2, pooled 2 × 1.5 = 3.
func ExampleTieringSpec_fourTiers() {
	tiering, err := segment.ParseTiering([]byte(`{"currency": "USD",
	  "tiers": [
	    {"name": "top",       "csms": 1},
	    {"name": "leveraged", "csms": 1, "ratio": 1.25},
	    {"name": "pooled",    "csms": 1, "ratio": 1.5},
	    {"name": "digital"}
	  ],
	  "capacity": {"hours_per_csm": 40, "hours_per_top_account": 20}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("places:", tiering.Places())
	report, err := tiering.Assign(exampleBase())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range report.Tiers {
		fmt.Printf("%-9s %d of 8 accounts %12s %5s of revenue\n", t.Tier, t.Accounts, t.Revenue, pct(t.RevenueShare))
	}
	fmt.Println(report.Assignments[5].Account, report.Assignments[5].Why())
	team, err := report.Cover(1, 1, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("without the pooled CSM: %s of revenue with a CSM\n", pct(team.CSMShare))
	// Output:
	// places: [2 2 3]
	// top       2 of 8 accounts USD 51000.00 60.7% of revenue
	// leveraged 2 of 8 accounts USD 24500.00 29.2% of revenue
	// pooled    3 of 8 accounts  USD 7700.00  9.2% of revenue
	// digital   1 of 8 accounts   USD 800.00  1.0% of revenue
	// wayne placement rank 6 (strategic first, then by revenue), after the top and leveraged tiers' 4 places: pooled place 2 of 3
	// without the pooled CSM: 89.9% of revenue with a CSM
}

// Fewer tiers: one CSM-served tier and the digital one.
func ExampleTieringSpec_twoTiers() {
	tiering, err := segment.NewTiering(segment.TieringSpec{Currency: "USD",
		Tiers:    []segment.TierDef{{Name: "csm", CSMs: 2}, {Name: "digital"}},
		Capacity: segment.Capacity{HoursPerCSM: 40, HoursPerTopAccount: 20},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := tiering.Assign(exampleBase())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range report.Tiers {
		fmt.Printf("%-7s %d accounts %12s %5s of revenue\n", t.Tier, t.Accounts, t.Revenue, pct(t.RevenueShare))
	}
	fmt.Println(report.Assignments[4].Account, report.Assignments[4].Why())
	// Output:
	// csm     4 accounts USD 75500.00 89.9% of revenue
	// digital 4 accounts  USD 8500.00 10.1% of revenue
	// stark placement rank 5 (strategic first, then by revenue), after the 4 CSM-served places: digital, digital touch
}
