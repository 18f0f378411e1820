package equivalents_test

import (
	"fmt"

	"github.com/valuepath/valuepath/equivalents"
)

func ExampleParseCatalog() {
	cat, err := equivalents.ParseCatalog([]byte(`{
	  "units": [{"name": "ticket"}, {"name": "hour"}],
	  "factors": [{"from": "ticket", "to": "hour", "ratio": "0.25", "source": "the support team's 2026 time study"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for f := range cat.Factors() {
		fmt.Println(f.From, "->", f.To, f.Ratio, "per", f.Source)
	}
	_, err = equivalents.ParseCatalog([]byte(`{"units": [{"name": "ticket"}], "factors": [{"from": "ticket", "to": "hour", "ratio": "0"}]}`))
	fmt.Println(err)
	// Output:
	// ticket -> hour 0.25 per the support team's 2026 time study
	// equivalents: factors[0].to: unknown unit: "hour" is not declared in units
	// equivalents: factors[0].ratio: invalid value: must be > 0, got 0
	// equivalents: factors[0].source: invalid value: must not be empty
}
