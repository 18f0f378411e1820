package population_test

import (
	"fmt"
	"log"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/effectiveness/population"
)

func ExampleNewDistribution() {
	model := loginsModel()
	schema := valuepath.Must(valuepath.NewSchema("logins"))
	assessor := valuepath.Must(model.Bind(schema, effectiveness.Options{}))
	d := population.NewDistribution(model)
	for _, snap := range loginSnaps(schema, 4, 40, 9) {
		a, err := assessor.Assess(snap)
		if err != nil {
			log.Fatal(err)
		}
		if err := d.Add(a); err != nil {
			log.Fatal(err)
		}
	}
	for _, p := range d.Phases {
		name := p.Phase
		if name == "" {
			name = "(none)"
		}
		fmt.Printf("%d %-8s %d\n", p.Level, name, p.Count)
	}
	// Output:
	// 0 (none)   0
	// 1 started  0
	// 2 regular  2
	// 3 daily    1
}

func ExampleNewPeers() {
	schema := valuepath.Must(valuepath.NewSchema("logins", "seats"))
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	member := func(id valuepath.AccountID, logins float64) *valuepath.Snapshot {
		s := valuepath.NewSnapshot(schema, id, asOf)
		_ = s.Set("logins", logins)
		return s
	}
	members := func(yield func(string, *valuepath.Snapshot) bool) {
		for i, v := range []float64{120, 300, 80, 450, 220} {
			if !yield("smb", member(valuepath.AccountID(fmt.Sprint("acct-", i)), v)) {
				return
			}
		}
	}
	peers, err := population.NewPeers([]valuepath.Metric{"logins", "seats"}, members)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := peers.Rank("smb", member("acme", 250))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range r.Metrics {
		if p, ok := m.Percentile.Get(); ok {
			fmt.Printf("%s: percentile %.0f of %d peers\n", m.Metric, p, m.Peers)
		} else {
			fmt.Printf("%s: no percentile (%s)\n", m.Metric, m.Percentile.Reason)
		}
	}
	_, err = population.NewPeers([]valuepath.Metric{"logins", "logins"}, members)
	fmt.Println(err)
	// Output:
	// logins: percentile 60 of 5 peers
	// seats: no percentile (the account has no value)
	// population: metrics[1]: duplicate: metric "logins" (also metrics[0])
}
