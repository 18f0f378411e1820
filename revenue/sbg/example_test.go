package sbg_test

import (
	"fmt"

	"github.com/valuepath/valuepath/revenue/sbg"
)

func ExampleFit() {
	// The "high end" cohort of Fader and Hardie (2007): of 1000 customers,
	// how many renewed after each of the first seven years.
	m, err := sbg.Fit([]int{1000, 869, 743, 653, 593, 551, 517, 491})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("alpha %.3f, beta %.3f\n", m.Spec().Alpha, m.Spec().Beta)
	for _, t := range []int{8, 10, 12} {
		fmt.Printf("year %2d: %.1f%% still active, renewal rate %.1f%%\n", t, 100*m.Survival(t), 100*m.RetentionRate(t))
	}
	derl, _ := m.DiscountedResidualLifetime(7, 0.10)
	fmt.Printf("a 7-year customer's discounted remaining renewals at 10%%: %.2f\n", derl)
	// Output:
	// alpha 0.668, beta 3.806
	// year  8: 46.0% still active, renewal rate 94.2%
	// year 10: 41.4% still active, renewal rate 95.0%
	// year 12: 37.8% still active, renewal rate 95.7%
	// a 7-year customer's discounted remaining renewals at 10%: 7.53
}
