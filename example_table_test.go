package valuepath_test

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/valuepath/valuepath"
)

// Tabular data, one row per account as a warehouse query or a CSV export
// gives it, becomes snapshots without a Provider: NaN marks a blank, which
// is missing, not zero.
func ExampleNewTable() {
	schema := valuepath.Must(valuepath.NewSchema("logins_30d", "seat_utilisation", "nps"))
	accounts := []valuepath.AccountID{"acme", "globex", "initech"}
	blank := math.NaN()
	table, err := valuepath.NewTable(schema, accounts, map[valuepath.Metric][]float64{
		"logins_30d":       {412, 0, 38},
		"seat_utilisation": {0.82, 0.15, blank},
		"nps":              {9, blank, blank},
	}, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	for s := range table.Snapshots() {
		logins, _ := s.Value("logins_30d")
		var missing []string
		for m := range s.Missing() {
			missing = append(missing, string(m))
		}
		fmt.Printf("%-8s logins %3.0f, missing [%s]\n", s.Account, logins, strings.Join(missing, " "))
	}

	// Bad data is reported by column and row, all of it at once.
	_, err = valuepath.NewTable(schema, accounts, map[valuepath.Metric][]float64{
		"logins_30d":       {412, math.Inf(1), 38},
		"seat_utilisation": {0.82, 0.15},
	}, time.Time{})
	fmt.Println(err)
	// Output:
	// acme     logins 412, missing []
	// globex   logins   0, missing [nps]
	// initech  logins  38, missing [seat_utilisation nps]
	// valuepath: columns["logins_30d"][1]: not a finite number: +Inf (account "globex"); use NaN for a missing value
	// valuepath: columns["seat_utilisation"]: invalid value: 2 rows, want one per account (3)
	// valuepath: columns["nps"]: invalid value: no column for the schema's metric "nps" (give one of NaN if no account has it)
}

// One row at a time, as encoding/csv reads them: SetValues fills a reused
// snapshot in schema order, in constant memory.
func ExampleSnapshot_SetValues() {
	schema := valuepath.Must(valuepath.NewSchema("logins_30d", "nps"))
	snap := valuepath.NewSnapshot(schema, "", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	rows := []struct {
		account valuepath.AccountID
		values  []float64
	}{{"acme", []float64{412, 9}}, {"globex", []float64{0, math.NaN()}}}
	for _, r := range rows {
		snap.Account = r.account
		if err := snap.SetValues(r.values); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r.account, snap.Coverage())
	}
	// Output:
	// acme {2 2}
	// globex {1 2}
}
