package backtest_test

import (
	"fmt"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/health/backtest"
)

const exampleScorecard = `{
  "name": "mid-market health",
  "groups": [
    {"id": "adoption", "weight": 3, "measures": [
      {"id": "utilisation", "metric": "seat_utilisation", "weight": 2, "timing": "leading",
       "scheme": {"kind": "thresholds", "points": [{"value": 0.2, "score": 0}, {"value": 0.5, "score": 60}, {"value": 0.8, "score": 100}]}},
      {"id": "logins", "metric": "logins_30d", "weight": 1, "timing": "leading",
       "scheme": {"kind": "thresholds", "points": [{"value": 0, "score": 0}, {"value": 400, "score": 100}]}}
    ]},
    {"id": "relationship", "weight": 1, "measures": [
      {"id": "cases", "metric": "support_cases_90d", "weight": 1, "direction": "lower",
       "scheme": {"kind": "steps", "points": [{"value": 0, "score": 100}, {"value": 3, "score": 60}, {"value": 8, "score": 20}]}},
      {"id": "survey", "metric": "survey_score_latest", "weight": 1, "missing": "neutral",
       "scheme": {"kind": "thresholds", "points": [{"value": 0, "score": 0}, {"value": 10, "score": 100}]}}
    ]}
  ],
  "rules": [
    {"id": "sponsor", "reason": "executive sponsor changed in the last 60 days",
     "metric": "days_since_sponsor_change", "op": "<=", "value": 60, "cap": "yellow"}
  ]
}`

var exampleSchema = valuepath.Must(valuepath.NewSchema("seat_utilisation", "logins_30d", "support_cases_90d", "survey_score_latest", "days_since_sponsor_change"))

// exampleSnapshot returns a snapshot on exampleSchema holding values.
func exampleSnapshot(values map[valuepath.Metric]float64) *valuepath.Snapshot {
	s := valuepath.NewSnapshot(exampleSchema, "acct-0042", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	for m, v := range values {
		if err := s.Set(m, v); err != nil {
			panic(err)
		}
	}
	return s
}

// percent formats a share as a percentage, or n/a when it is undefined.
func percent(n valuepath.Number) string {
	if v, ok := n.Get(); ok {
		return fmt.Sprintf("%3.0f%%", 100*v)
	}
	return " n/a"
}

// AUC measures how well scores separate churned accounts from retained ones.
func ExampleAUC() {
	scores := []float64{82, 75, 64, 58, 41, 35}
	churned := []bool{false, false, true, false, true, true}
	auc, err := backtest.AUC(scores, churned)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("AUC %.2f\n", auc.Value)
	// Output:
	// AUC 0.89
}

// Without churned accounts the AUC does not exist: it is absent, with the
// reason, never 0.
func ExampleAUC_undefined() {
	auc, err := backtest.AUC([]float64{82, 75}, []bool{false, false})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(auc)
	// Output:
	// absent (no churned account)
}

// Run checks monthly scores against who churned: AUC, churn rate per
// band and how early the warnings came.
func ExampleRun() {
	sc, _ := health.ParseScorecard([]byte(exampleScorecard))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Utilisation per month of four accounts; two churn after month 6.
	paths := map[valuepath.AccountID][]float64{
		"acct-1": {0.8, 0.8, 0.75, 0.8, 0.8, 0.8},
		"acct-2": {0.7, 0.6, 0.65, 0.7, 0.6, 0.65},
		"acct-3": {0.7, 0.6, 0.5, 0.4, 0.3, 0.25},
		"acct-4": {0.6, 0.45, 0.4, 0.3, 0.3, 0.2},
	}
	var history []*health.Score
	for _, id := range []valuepath.AccountID{"acct-1", "acct-2", "acct-3", "acct-4"} {
		for m, util := range paths[id] {
			s := exampleSnapshot(map[valuepath.Metric]float64{"seat_utilisation": util, "logins_30d": 500 * util, "support_cases_90d": 1})
			s.Account, s.AsOf = id, start.AddDate(0, m, 0)
			history = append(history, valuepath.Must(sc.Score(s)))
		}
	}
	end := start.AddDate(0, 9, 0)
	churn := start.AddDate(0, 6, 10)
	outcomes := []backtest.Outcome{
		{Account: "acct-1", At: end}, {Account: "acct-2", At: end},
		{Account: "acct-3", Churned: true, At: churn}, {Account: "acct-4", Churned: true, At: churn},
	}
	bt, err := backtest.Run(sc, history, outcomes, backtest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d scores, %d before churn, AUC %.2f\n", bt.Observations, bt.Churned, bt.AUC.Value)
	for _, b := range bt.Bands {
		fmt.Printf("%-6s %d scores, churn rate %s\n", b.Band, b.Observations, percent(b.Rate))
	}
	fmt.Printf("red a median %v days before churn\n", bt.MedianLeadDays)
	// Output:
	// 24 scores, 4 before churn, AUC 0.99
	// red    5 scores, churn rate  80%
	// yellow 8 scores, churn rate   0%
	// green  11 scores, churn rate   0%
	// red a median 86 days before churn
}
