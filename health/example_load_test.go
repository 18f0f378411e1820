package health_test

import (
	"fmt"

	"github.com/valuepath/valuepath/health"
)

func ExampleParseScorecard() {
	sc, err := health.ParseScorecard([]byte(exampleScorecard))
	if err != nil {
		fmt.Println(err)
		return
	}
	spec := sc.Spec()
	fmt.Println(spec.Name, len(spec.Groups), "groups")
	for _, g := range spec.Groups {
		for _, m := range g.Measures {
			fmt.Printf("  %s/%s reads %s\n", g.ID, m.ID, m.Metric)
		}
	}
	_, err = health.ParseScorecard([]byte(`{"name": "x", "groups": [{"id": "usage", "weight": 1, "measures": [{"id": "logins", "metric": "logins_30d", "weight": 1, "scheme": {"kind": "threshold"}}]}]}`))
	fmt.Println(err)
	// Output:
	// mid-market health 2 groups
	//   adoption/utilisation reads seat_utilisation
	//   adoption/logins reads logins_30d
	//   relationship/cases reads support_cases_90d
	//   relationship/survey reads survey_score_latest
	// health: groups[0].measures[0].scheme.kind: invalid value: unknown kind "threshold" (want thresholds, steps or categories)
}
