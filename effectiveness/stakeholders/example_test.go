package stakeholders_test

import (
	"fmt"
	"log"

	"github.com/valuepath/valuepath/effectiveness/stakeholders"
)

func ExampleMatrix_Roadmap() {
	m, err := stakeholders.ParseMatrix([]byte(matrixJSON))
	if err != nil {
		log.Fatal(err)
	}
	items, err := m.Roadmap(stakeholders.ByGap)
	if err != nil {
		log.Fatal(err)
	}
	for _, it := range items {
		fmt.Printf("%d. %s: %s from %s to %s (next: %s) — %s\n", it.Rank, it.Stakeholder, it.Capability, it.Current, it.Future, it.Next, it.Serves)
	}
	// Output:
	// 1. Sam Okafor: automation from unaware to using (next: educated) — reps spend time selling, not typing
	// 2. Dana Reyes: forecasting from unaware to planned (next: educated) — revenue forecast for the board
	// 3. Sam Okafor: forecasting from educated to adopting (next: planned) — commit calls grounded in data
}
