package engagement_test

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
)

const exampleModel = `{
  "segment": "enterprise",
  "value_event": "first_metrics_review",
  "moments": [
    {"id": "kickoff", "name": "Kickoff", "phase": "onboarding", "owner": "csm",
     "completed_by": "kickoff", "within": "7d", "stuck_after": "21d", "escalate_to": "cs_manager"},
    {"id": "training", "name": "Initial training", "phase": "onboarding", "owner": "trainer",
     "completed_by": "training_completed", "after": "kickoff", "within": "14d", "stuck_after": "30d", "escalate_to": "cs_manager"},
    {"id": "qbr", "name": "Quarterly business review", "phase": "ongoing", "owner": "csm",
     "completed_by": "qbr", "cadence": {"unit": "quarter", "every": 1}, "within": "14d"},
    {"id": "detractor", "name": "Detractor call", "phase": "ongoing", "owner": "csm",
     "completed_by": "call", "within": "3d",
     "trigger": {"event": "survey", "attr": "score", "at_most": 6, "cooldown": "30d"}}
  ]
}`

func ExampleModel_Agenda() {
	m, err := engagement.ParseModel([]byte(exampleModel))
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(month time.Month, d int) time.Time { return time.Date(2026, month, d, 9, 0, 0, 0, time.UTC) }
	log := valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		{Account: "acme", Kind: "kickoff", At: at(1, 8)},
		{Account: "acme", Kind: "survey", At: at(2, 20), Attrs: map[string]string{"score": "4"}},
	}))
	a, err := m.Agenda(engagement.Input{ID: "acme", TimeZone: "Europe/Berlin", Start: at(1, 5), Events: log}, at(3, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, it := range a.Items {
		fmt.Printf("%-26s %-9s %s\n", it.Name, it.Status, it.Rule)
	}
	for _, e := range a.Escalations {
		fmt.Printf("escalate %s to %s: %s, %s late\n", e.Name, e.To, e.Level, e.Late)
	}
	// Output:
	// Kickoff                    completed due 7d after the contract start on 2026-01-05
	// Initial training           overdue   due 14d after kickoff on 2026-01-08
	// Quarterly business review  upcoming  every 1 quarter from the contract start, occurrence of 2026-04-05
	// Detractor call             overdue   fired by survey on 2026-02-20
	// escalate Initial training to cs_manager: stuck, 38d late
}

func ExampleCadence_Around() {
	ny, err := engagement.LoadZone("America/New_York")
	if err != nil {
		fmt.Println(err)
		return
	}
	monthly := engagement.Cadence{Unit: engagement.UnitMonth, Every: 1}
	start := time.Date(2026, 1, 31, 10, 0, 0, 0, ny)
	for _, asOf := range []time.Time{time.Date(2026, 3, 1, 0, 0, 0, 0, ny), time.Date(2026, 4, 15, 0, 0, 0, 0, ny)} {
		prev, next, _ := monthly.Around(start, asOf, ny)
		fmt.Println(prev.Format(time.RFC3339), "->", next.Format(time.RFC3339))
	}
	// Output:
	// 2026-02-28T10:00:00-05:00 -> 2026-03-31T10:00:00-04:00
	// 2026-03-31T10:00:00-04:00 -> 2026-04-30T10:00:00-04:00
}

func ExampleModel_Transitions() {
	m, err := engagement.ParseModel([]byte(exampleModel))
	if err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	var accts []engagement.Input
	for i, days := range [][2]int{{2, 10}, {3, 12}, {5, 40}, {4, -1}} {
		id := valuepath.AccountID(fmt.Sprintf("acct-%d", i+1))
		evs := []valuepath.Event{{Account: id, Kind: "kickoff", At: start.AddDate(0, 0, days[0])}}
		if days[1] >= 0 {
			evs = append(evs, valuepath.Event{Account: id, Kind: "training_completed", At: start.AddDate(0, 0, days[0]+days[1])})
		}
		accts = append(accts, engagement.Input{ID: id, Start: start, Events: valuepath.Must(valuepath.NewEventLog(evs))})
	}
	tr := m.Transitions(slices.Values(accts), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	for i, t := range tr.Transitions {
		median := "n/a"
		if d, ok := t.MedianDays.Get(); ok {
			median = fmt.Sprintf("%gd", d)
		}
		fmt.Printf("%q -> %q: %d done, median %s, delay %s, stuck %v", t.From, t.To, t.Reached, median, t.Delay, t.Stuck)
		if i == tr.Bottleneck {
			fmt.Print(" (bottleneck)")
		}
		fmt.Println()
	}
	// Output:
	// "" -> "kickoff": 4 done, median 3.5d, delay 0s, stuck []
	// "kickoff" -> "training": 3 done, median 12d, delay 26d, stuck [acct-4] (bottleneck)
}

func ExampleCatalog_Workload() {
	cat, err := engagement.ParseCatalog([]byte("[" + exampleModel + "]"))
	if err != nil {
		fmt.Println(err)
		return
	}
	asOf := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	accts := []engagement.Input{
		{ID: "acme", Segment: "enterprise", Start: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
			{Account: "acme", Kind: "kickoff", At: time.Date(2026, 1, 8, 9, 0, 0, 0, time.UTC)},
			{Account: "acme", Kind: "training_completed", At: time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)},
		}))},
		{ID: "globex", Segment: "enterprise", Start: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)},
	}
	wl, err := cat.Workload(slices.Values(accts), asOf, 7*valuepath.Day)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range wl.Roles {
		fmt.Printf("%s: %d overdue, %d due, %d opening, %d escalations\n", r.Role, r.Overdue, r.Due, r.Upcoming, r.Escalations)
		for _, t := range r.Tasks {
			fmt.Printf("  %s %s (%s)\n", t.Account, t.Item.Name, t.Item.Status)
		}
	}
	// Output:
	// cs_manager: 0 overdue, 0 due, 0 opening, 1 escalations
	//   globex Kickoff (overdue)
	// csm: 1 overdue, 0 due, 1 opening, 0 escalations
	//   globex Kickoff (overdue)
	//   acme Quarterly business review (upcoming)
}

// The default journey is the practice's boomerang; stages and their teams
// are data, so a journey can carry any other set.
func ExampleBoomerangStages() {
	for _, st := range engagement.BoomerangStages()[4:] {
		fmt.Printf("%s (%s): %s\n", st.Name, st.Motion, strings.Join(st.Teams, ", "))
	}
	// Output:
	// adoption (turnaround): customer success, product, finance
	// performance (expand): customer success, sales, marketing, product, finance
	// transformation (expand): customer success, sales, marketing, product, finance
	// advocacy (boomerang): customer success, marketing, sales, product, finance
}
