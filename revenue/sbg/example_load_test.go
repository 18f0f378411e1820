package sbg_test

import (
	"fmt"

	"github.com/valuepath/valuepath/revenue/sbg"
)

func ExampleNewModel() {
	m, err := sbg.NewModel(sbg.ModelSpec{Alpha: 0.7, Beta: 3.8})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range []int{1, 6, 12} {
		fmt.Printf("still subscribed after %2d periods: %.1f%%\n", t, 100*m.Survival(t))
	}
	_, err = sbg.NewModel(sbg.ModelSpec{Alpha: 0, Beta: -1})
	fmt.Println(err)
	// Output:
	// still subscribed after  1 periods: 84.4%
	// still subscribed after  6 periods: 50.7%
	// still subscribed after 12 periods: 36.1%
	// sbg: alpha: invalid value: must be > 0, got 0
	// sbg: beta: invalid value: must be > 0, got -1
}
