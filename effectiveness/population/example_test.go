package population_test

import (
	"fmt"
	"log"
	"slices"
	"strings"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/effectiveness/population"
)

func ExampleDistribute() {
	model := loginsModel()
	schema := valuepath.Must(valuepath.NewSchema("logins"))
	assessor, err := model.Bind(schema, effectiveness.Options{})
	if err != nil {
		log.Fatal(err)
	}
	snaps := loginSnaps(schema, 0, 2, 3, 5, 8, 12, 25, 30, 1, 50)
	d, err := population.Distribute(assessor, slices.Values(snaps))
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range d.Phases {
		name := p.Phase
		if name == "" {
			name = "(none)"
		}
		fmt.Printf("%d %-8s %-6s %3.0f%%\n", p.Level, name, strings.Repeat("#", p.Count), 100*p.Share.Value)
	}
	// Output:
	// 0 (none)   #       10%
	// 1 started  ###     30%
	// 2 regular  ###     30%
	// 3 daily    ###     30%
}
