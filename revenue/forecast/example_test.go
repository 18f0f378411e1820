package forecast_test

import (
	"fmt"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue/forecast"
)

func ExampleRenewals() {
	// Past renewals, each with the health band the account was in.
	var history []forecast.Outcome
	for i := range 40 {
		history = append(history, forecast.Outcome{Account: "past", Band: "healthy", Renewed: i%10 != 0})
	}
	for i := range 10 {
		history = append(history, forecast.Outcome{Account: "past", Band: "at risk", Renewed: i%2 == 0})
	}
	cal, err := forecast.Calibrate(history, forecast.CalibrationOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	q := valuepath.Interval{Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	f, err := forecast.Renewals([]forecast.Renewal{
		{Account: "acme", Band: "healthy", Due: q.Start.AddDate(0, 1, 0), ARR: valuepath.Must(valuepath.ParseMoney("48000", "USD"))},
		{Account: "globex", Band: "at risk", Due: q.Start.AddDate(0, 2, 0), ARR: valuepath.Must(valuepath.ParseMoney("30000", "USD"))},
	}, cal, q)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range f.Lines {
		fmt.Printf("%-7s %-8s p=%.2f expected %s\n", l.Account, l.Band, l.Probability, l.Expected)
	}
	fmt.Printf("due %s, expected %s (90%%: %s to %s)\n", f.Due, f.Expected, f.Low.Amount().StringFixed(0), f.High.Amount().StringFixed(0))
	// Output:
	// acme    healthy  p=0.90 expected USD 43017.14
	// globex  at risk  p=0.55 expected USD 16600.00
	// due USD 78000.00, expected USD 59617.14 (90%: 25241 to 78000)
}

func ExampleProjectARR() {
	rows, err := forecast.ProjectARR(valuepath.Must(valuepath.ParseMoney("1000000", "USD")), 3, forecast.ProjectionRates{Churn: 0.12, Expansion: 0.08})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("year %d: %s (lost to churn so far %s)\n", r.Period, r.Closing, r.LostToChurn)
	}
	// Output:
	// year 1: USD 960000.00 (lost to churn so far USD 120000.00)
	// year 2: USD 921600.00 (lost to churn so far USD 235200.00)
	// year 3: USD 884736.00 (lost to churn so far USD 345792.00)
}
