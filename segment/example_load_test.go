package segment_test

import (
	"fmt"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

func ExampleParseTiering() {
	t, err := segment.ParseTiering([]byte(`{"currency": "USD",
	  "capacity": {"top_csms": 2, "leveraged_csms": 3, "hours_per_csm": 35, "hours_per_top_account": 7, "leveraged_ratio": 4}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	spec := t.Spec()
	fmt.Println(spec.Currency, spec.Capacity.TopCSMs, spec.Capacity.LeveragedRatio)

	_, err = segment.ParseTiering([]byte(`{"currency": "USD", "capacity": {"hours_per_csm": -1, "top_csm": 2}}`))
	fmt.Println(err)
	// Output:
	// USD 2 4
	// segment: tiering: invalid value: capacity.top_csm: unknown field
}

func ExampleNewTiering() {
	_, err := segment.NewTiering(segment.TieringSpec{Currency: "usd",
		Capacity: segment.Capacity{TopCSMs: 1, HoursPerCSM: 40}})
	fmt.Println(err)
	// Output:
	// segment: capacity.hours_per_top_account: invalid value: must be > 0, got 0
}

func ExampleParseRules() {
	rules, err := segment.ParseRules([]byte(`[
	  {"id": "low",     "when": {"metric": "utilisation", "op": "<", "value": 0.4}},
	  {"id": "at_risk", "when": {"all": [{"rule": "low"}, {"not_using": "reports_30d"}]}}
	]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rules.Spec() {
		fmt.Println(r.ID)
	}
	_, err = segment.ParseRules([]byte(`[{"id": "a", "when": {"rule": "b"}}, {"id": "b", "when": {"rule": "a"}}]`))
	fmt.Println(err)
	// Output:
	// low
	// at_risk
	// segment: rules[0]: dependency cycle: "a" -> "b" -> "a"
}

func ExampleNewRules() {
	_, err := segment.NewRules(segment.RulesSpec{{ID: "low", When: segment.Condition{Metric: "utilisation", Comparison: valuepath.Below}}, {ID: "low"}})
	fmt.Println(err)
	// Output:
	// segment: rules[1].id: duplicate: rule "low" (also rules[0])
	// segment: rules[1].when: invalid value: empty condition: want one of all, any, not, rule, metric, attr, not_improved or not_using
}

func ExampleParseRouter() {
	rules := valuepath.Must(segment.ParseRules([]byte(`[{"id": "no_reports", "when": {"not_using": "reports_30d"}}]`)))
	router, err := segment.ParseRouter([]byte(`{"cap": 1, "period": "7d", "campaigns": [
	  {"id": "reports_tips", "kind": "drip", "priority": 1, "segments": ["no_reports"], "content": "tips/reports"}]}`), rules)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(router.Spec().Campaigns), router.Spec().Cap)
	_, err = segment.ParseRouter([]byte(`{"cap": 1, "campaigns": [{"id": "x", "kind": "drip", "segments": ["no_such_segment"], "content": "c"}]}`), rules)
	fmt.Println(err)
	// Output:
	// 1 1
	// segment: period: invalid value: a cap needs a positive period, got 0s
	// segment: campaigns[0].segments[0]: invalid value: unknown segment "no_such_segment": no rule has that id
}

func ExampleParseOwnership() {
	o, err := segment.ParseOwnership([]byte(`{"currency": "USD", "service_threshold": 0.6,
	  "bands": [{"name": "small", "from": {"amount": "0", "currency": "USD"}, "shift": -0.2},
	            {"name": "large", "from": {"amount": "100000", "currency": "USD"}, "shift": 0.2}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(o.Spec().Bands), o.Spec().ServiceThreshold)
	_, err = segment.ParseOwnership([]byte(`{"currency": "USD", "service_threshold": 2, "bands": [{"name": "x", "from": {"amount": "1", "currency": "usdx"}}]}`))
	fmt.Println(err)
	// Output:
	// 2 0.6
	// segment: ownership: invalid value: bands[0].from: valuepath: unknown currency "usdx"
}

func ExampleNewOwnership() {
	o, err := segment.NewOwnership(segment.OwnershipSpec{Currency: "EUR"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o.Spec().Currency)
	// Output:
	// EUR
}

func ExampleNewRouter() {
	rules := valuepath.Must(segment.NewRules(segment.RulesSpec{{ID: "low", When: segment.Condition{Metric: "utilisation", Comparison: valuepath.Below, Value: 0.4}}}))
	_, err := segment.NewRouter(segment.RouterSpec{Cap: 1, Campaigns: []segment.Campaign{{ID: "tips", Kind: "drip", Segments: []string{"low"}}}}, rules)
	fmt.Println(err)
	// Output:
	// segment: period: invalid value: a cap needs a positive period, got 0s
	// segment: campaigns[0].content: invalid value: must not be empty
}
