// Tabular scores a customer base that comes as a table, one row per
// account with blanks, as a warehouse export or a CSV gives it: it reads the
// CSV with encoding/csv, turns the columns into snapshots with
// valuepath.NewTable (no Provider, no invented timestamps), scores them with
// a health scorecard and backtests the scores against the CSV's churn
// column.
//
//	go run ./examples/tabular                  # the shipped testdata/accounts.csv
//	go run ./examples/tabular -csv mine.csv    # the same columns, your data
package main

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/health/backtest"
)

// shipped is testdata/accounts.csv: 300 generated accounts (see
// generate_test.go), about one in five churned.
//
//go:embed testdata/accounts.csv
var shipped []byte

// scorecard is the health model, data like every valuepath model: three
// leading usage measures and the survey, which is often blank and then
// scores neutral.
const scorecard = `{
  "name": "tabular health",
  "groups": [
    {"id": "usage", "weight": 3, "measures": [
      {"id": "logins", "metric": "logins_30d", "weight": 1, "timing": "leading",
       "scheme": {"kind": "thresholds", "points": [{"value": 0, "score": 0}, {"value": 300, "score": 100}]}},
      {"id": "utilisation", "metric": "seat_utilisation", "weight": 2, "timing": "leading",
       "scheme": {"kind": "thresholds", "points": [{"value": 0.2, "score": 0}, {"value": 0.5, "score": 60}, {"value": 0.85, "score": 100}]}}
    ]},
    {"id": "relationship", "weight": 1, "measures": [
      {"id": "cases", "metric": "support_cases_90d", "weight": 1, "direction": "lower",
       "scheme": {"kind": "steps", "points": [{"value": 0, "score": 100}, {"value": 3, "score": 60}, {"value": 6, "score": 20}]}},
      {"id": "survey", "metric": "nps", "weight": 1, "missing": "neutral",
       "scheme": {"kind": "thresholds", "points": [{"value": 0, "score": 0}, {"value": 10, "score": 100}]}}
    ]}
  ]
}`

// asOf is when the export was taken.
var asOf = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

func main() {
	path := flag.String("csv", "", "a CSV with the columns of testdata/accounts.csv (default: the shipped one)")
	flag.Parse()
	in := io.Reader(bytes.NewReader(shipped))
	if *path != "" {
		f, err := os.Open(*path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		in = f
	}
	if err := run(os.Stdout, in); err != nil {
		fmt.Fprintln(os.Stderr, "tabular:", err)
		os.Exit(1)
	}
}

// The scoring code starts here: read, build snapshots, score, backtest.

var metrics = []valuepath.Metric{"logins_30d", "seat_utilisation", "support_cases_90d", "nps"}

func run(w io.Writer, in io.Reader) error {
	rows, err := csv.NewReader(in).ReadAll()
	if err != nil || len(rows) < 2 {
		return errors.Join(errors.New("want a header and at least one row"), err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	rows = rows[1:]
	accounts, churned := make([]valuepath.AccountID, len(rows)), make([]bool, len(rows))
	columns := map[valuepath.Metric][]float64{}
	for _, m := range metrics {
		columns[m] = make([]float64, len(rows))
	}
	for i, row := range rows {
		accounts[i], churned[i] = valuepath.AccountID(row[col["customer_id"]]), row[col["churned"]] == "Yes"
		for _, m := range metrics {
			if columns[m][i], err = cell(row[col[string(m)]]); err != nil {
				return fmt.Errorf("row %d, column %s: %w", i+2, m, err)
			}
		}
	}
	table, err := valuepath.NewTable(valuepath.Must(valuepath.NewSchema(metrics...)), accounts, columns, asOf)
	if err != nil {
		return err
	}
	sc, err := health.ParseScorecard([]byte(scorecard))
	if err != nil {
		return err
	}
	var scores []float64
	var outcome []bool
	perBand := map[health.Band][2]int{} // accounts, churned
	// ScoreAll yields in row order: the i'th score is row i's.
	i := 0
	for s, err := range sc.ScoreAll(table.Snapshots(), valuepath.BatchOptions{}) {
		if err != nil {
			return err
		}
		if s.Present {
			scores, outcome = append(scores, s.Value), append(outcome, churned[i])
			n := perBand[s.Band]
			n[0]++
			if churned[i] {
				n[1]++
			}
			perBand[s.Band] = n
		}
		i++
	}
	auc, err := backtest.AUC(scores, outcome)
	if err != nil {
		return err
	}
	return report(w, table, len(scores), perBand, auc)
}

// cell parses one CSV cell; a blank is NaN, which the table reads as
// missing.
func cell(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// The scoring code ends here; the rest prints.

func report(w io.Writer, table *valuepath.Table, scored int, perBand map[health.Band][2]int, auc valuepath.Number) error {
	blanks := 0
	for s := range table.Snapshots() {
		blanks += s.Coverage().Total - s.Coverage().Present
	}
	fmt.Fprintf(w, "%d accounts as of %s, %d blank cells (missing, not zero), %d scored\n", table.Len(), table.AsOf().Format(time.DateOnly), blanks, scored)
	fmt.Fprintf(w, "%-7s %8s %8s %10s\n", "band", "accounts", "churned", "churn rate")
	for _, b := range []health.Band{health.Red, health.Yellow, health.Green} {
		n := perBand[b]
		rate := "-"
		if n[0] > 0 {
			rate = fmt.Sprintf("%.0f%%", 100*float64(n[1])/float64(n[0]))
		}
		fmt.Fprintf(w, "%-7s %8d %8d %10s\n", b, n[0], n[1], rate)
	}
	if !auc.Present {
		fmt.Fprintf(w, "AUC: undefined (%s)\n", auc.Reason)
		return nil
	}
	fmt.Fprintf(w, "AUC of the score against churn: %.3f\n", auc.Value)
	return nil
}
