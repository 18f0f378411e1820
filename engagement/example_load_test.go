package engagement_test

import (
	"fmt"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
)

func ExampleParseModel() {
	m, err := engagement.ParseModel([]byte(exampleModel))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, mo := range m.Spec().Moments {
		fmt.Printf("%s: %-10s %-11s owner %s\n", m.Segment(), mo.ID, mo.Phase, mo.Owner)
	}
	_, err = engagement.ParseModel([]byte(`{"segment": "smb", "moments": [
	  {"id": "kickoff", "name": "Kickoff", "phase": "onboarding", "owner": "csm", "completed_by": "kickoff", "within": "7d", "escalate": "cs_manager"}]}`))
	fmt.Println(err)
	// Output:
	// enterprise: kickoff    onboarding  owner csm
	// enterprise: training   onboarding  owner trainer
	// enterprise: qbr        ongoing     owner csm
	// enterprise: detractor  ongoing     owner csm
	// engagement: model: invalid value: moments[0].escalate: unknown field
}

func ExampleNewModel() {
	_, err := engagement.NewModel(engagement.ModelSpec{Segment: "smb", Moments: []engagement.Moment{
		{ID: "training", Name: "Training", Phase: engagement.Onboarding, Owner: "automation", CompletedBy: "training_completed", After: "kickoff", Within: valuepath.Days(14)},
	}})
	fmt.Println(err)
	// Output:
	// engagement: moments[0].after: invalid value: unknown moment "kickoff"
}

func ExampleParseCatalog() {
	cat, err := engagement.ParseCatalog([]byte("[" + exampleModel + `,
	  {"segment": "smb", "moments": [{"id": "welcome", "name": "Welcome email", "phase": "onboarding", "owner": "automation", "completed_by": "welcome_sent", "within": "1d"}]}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for m := range cat.Models() {
		fmt.Println(m.Segment(), len(m.Spec().Moments), "moments")
	}
	_, err = engagement.ParseCatalog([]byte("[" + exampleModel + "," + exampleModel + "]"))
	fmt.Println(err)
	// Output:
	// enterprise 4 moments
	// smb 1 moments
	// engagement: models[1].segment: duplicate: segment "enterprise" (also models[0])
}

func ExampleNewCatalog() {
	smb := engagement.ModelSpec{Segment: "smb", Moments: []engagement.Moment{
		{ID: "welcome", Name: "Welcome email", Phase: engagement.Onboarding, Owner: "automation", CompletedBy: "welcome_sent", Within: valuepath.Days(1)},
	}}
	cat, err := engagement.NewCatalog(engagement.CatalogSpec{smb})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, ok := cat.Model("smb")
	fmt.Println(m.Segment(), ok)
	// Output:
	// smb true
}

func ExampleParseJourney() {
	j, err := engagement.ParseJourney([]byte(`{"enter": {
	  "adoption": ["kickoff", "sponsor_change"],
	  "performance": ["self_sufficient"],
	  "advocacy": ["reference"]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	log := valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		{Account: "acme", Kind: "kickoff", At: day(1, 5)},
		{Account: "acme", Kind: "self_sufficient", At: day(3, 1)},
		{Account: "acme", Kind: "sponsor_change", At: day(5, 1)},
	}))
	pos, ok := j.Position(engagement.Input{ID: "acme", Start: day(1, 1), Events: log}, day(6, 1))
	fmt.Println(pos.Stage, ok)
	_, err = engagement.ParseJourney([]byte(`{"enter": {"adoptoin": ["kickoff"]}}`))
	fmt.Println(err)
	// Output:
	// adoption true
	// engagement: enter["adoptoin"]: invalid value: unknown stage "adoptoin"
}

func ExampleNewJourney() {
	_, err := engagement.NewJourney(engagement.JourneySpec{Enter: map[engagement.Stage][]valuepath.EventKind{
		"adoption":    {"kickoff"},
		"performance": {"kickoff"},
	}})
	fmt.Println(err)
	// Output:
	// engagement: enter["performance"][0]: duplicate: event "kickoff" already enters adoption
}
