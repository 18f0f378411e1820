package valuepath_test

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
)

func ExampleParseMoney() {
	// Codes are accepted in either case, as billing systems write them,
	// and printed in ISO form.
	fee, err := valuepath.ParseMoney("1250.5", "usd")
	if err != nil {
		panic(err)
	}
	seats := fee.Mul(decimal.NewFromInt(3))
	b, _ := json.Marshal(seats)
	fmt.Println(seats)
	fmt.Println(string(b))

	_, err = seats.Add(valuepath.Must(valuepath.ParseMoney("10", "EUR")))
	fmt.Println(err)
	// Output:
	// USD 3751.50
	// {"amount":"3751.50","currency":"USD"}
	// valuepath: add: currency mismatch: "USD" and "EUR"
}

func ExampleMust() {
	// Must turns a constructor's error into a panic: for tests and
	// literals whose validity is known.
	schema := valuepath.Must(valuepath.NewSchema("logins_30d", "seats"))
	fmt.Println(schema.Len())
	// Output: 2
}

func ExampleComparison() {
	threshold := 0.6
	for _, c := range []valuepath.Comparison{valuepath.AtLeast, valuepath.Below} {
		fmt.Printf("0.75 %s %.1f: %t\n", c, threshold, c.Holds(0.75, threshold))
	}
	// Output:
	// 0.75 >= 0.6: true
	// 0.75 < 0.6: false
}

func ExampleNumber() {
	median := func(xs []float64) valuepath.Number {
		if len(xs) == 0 {
			return valuepath.Absent("no accounts")
		}
		return valuepath.Defined(xs[len(xs)/2])
	}
	for _, xs := range [][]float64{{3, 5, 8}, nil} {
		n := median(xs)
		b, _ := json.Marshal(n)
		if v, ok := n.Get(); ok {
			fmt.Println("median", v, string(b))
		} else {
			fmt.Println("median", n, string(b))
		}
	}
	// Output:
	// median 5 {"value":5}
	// median absent (no accounts) {"absent":"no accounts"}
}
