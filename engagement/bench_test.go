package engagement_test

import (
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
)

// benchSpec is a 12-moment model: five onboarding milestones, three
// cadences and four triggers of every kind.
func benchSpec() engagement.ModelSpec {
	six := 6.0
	on := func(id, after string, within int) engagement.Moment {
		return engagement.Moment{ID: id, Name: id, Phase: engagement.Onboarding, Owner: "csm", CompletedBy: valuepath.EventKind(id), After: after, Within: valuepath.Days(within), StuckAfter: valuepath.Days(3 * within), EscalateTo: "cs_manager"}
	}
	cad := func(id string, u engagement.CadenceUnit, a engagement.Anchor) engagement.Moment {
		return engagement.Moment{ID: id, Name: id, Phase: engagement.Ongoing, Owner: "csm", CompletedBy: valuepath.EventKind(id), Cadence: &engagement.Cadence{Unit: u, Every: 1, Anchor: a}, Within: valuepath.Days(3)}
	}
	trig := func(id string, t engagement.Trigger) engagement.Moment {
		t.Cooldown = valuepath.Days(14)
		return engagement.Moment{ID: id, Name: id, Phase: engagement.Ongoing, Owner: "support", CompletedBy: "follow_up", Trigger: &t, Within: valuepath.Days(2)}
	}
	return engagement.ModelSpec{Segment: "enterprise", ValueEvent: "first_metrics_review", AdvocacyEvent: "reference", Moments: []engagement.Moment{
		on("kickoff", "", 10), on("first_login", "kickoff", 5), on("training_completed", "first_login", 14),
		on("first_metrics_review", "training_completed", 21), on("self_sufficient", "first_metrics_review", 30),
		cad("weekly_sync", engagement.UnitWeek, engagement.AnchorCalendar), cad("monthly_review", engagement.UnitMonth, engagement.AnchorContract),
		cad("qbr", engagement.UnitQuarter, engagement.AnchorContract),
		trig("critical_case", engagement.Trigger{Event: "support_case", Attr: "severity", In: []string{"high", "critical"}}),
		trig("detractor", engagement.Trigger{Event: "survey", Attr: "score", AtMost: &six}),
		trig("quiet", engagement.Trigger{Absent: "support_case", For: valuepath.Days(45)}),
		trig("usage_drop", engagement.Trigger{When: &engagement.Condition{Metric: "logins_change_30d", Op: valuepath.AtMost, Value: -0.2}}),
	}}
}

// benchBook builds n accounts sharing 16 immutable year-long event logs of
// about 190 events each.
func benchBook(b testing.TB, n int, asOf time.Time) []engagement.Input {
	b.Helper()
	severities := []string{"low", "medium", "high", "critical", "low", "low"}
	logs := make([]valuepath.EventLog, 16)
	starts := make([]time.Time, 16)
	for v := range logs {
		start := asOf.AddDate(-1, 0, -v)
		starts[v] = start
		var evs []valuepath.Event
		add := func(kind valuepath.EventKind, at time.Time, attrs ...string) {
			e := valuepath.Event{Account: "shared", Kind: kind, At: at}
			if len(attrs) == 2 {
				e.Attrs = map[string]string{attrs[0]: attrs[1]}
			}
			evs = append(evs, e)
		}
		milestones := []valuepath.EventKind{"kickoff", "first_login", "training_completed", "first_metrics_review", "self_sufficient"}
		t := start
		for k, kind := range milestones[:5-v%3] {
			t = t.Add(time.Duration(3+7*k+v) * valuepath.Day)
			add(kind, t)
		}
		for d := 1; d < 365; d += 7 {
			add("support_case", start.AddDate(0, 0, d+v%5).Add(time.Hour), "severity", severities[(d+v)%len(severities)])
			add("follow_up", start.AddDate(0, 0, d+v%5+1))
			add("weekly_sync", start.AddDate(0, 0, d+2))
		}
		for d := 0; d < 365; d += 3 {
			add("note", start.AddDate(0, 0, d).Add(2*time.Hour))
		}
		for mo := 1; mo < 12; mo++ {
			add("monthly_review", start.AddDate(0, mo, 1))
			add("release", start.AddDate(0, mo, 10), "version", fmt.Sprint(mo))
			if mo%3 == 0 {
				add("qbr", start.AddDate(0, mo, 5))
				add("survey", start.AddDate(0, mo, 6), "score", fmt.Sprint((mo+v)%11))
			}
		}
		slices.SortStableFunc(evs, func(x, y valuepath.Event) int { return x.At.Compare(y.At) })
		var err error
		if logs[v], err = valuepath.NewEventLog(evs); err != nil {
			b.Fatal(err)
		}
	}
	schema := valuepath.Must(valuepath.NewSchema("logins_change_30d"))
	snaps := make([]*valuepath.Snapshot, 4)
	for i := range snaps {
		snaps[i] = valuepath.NewSnapshot(schema, "shared", asOf)
		if err := snaps[i].SetAt(0, -0.1*float64(i)); err != nil {
			b.Fatal(err)
		}
	}
	zones := []string{"America/New_York", "Europe/Berlin", "Asia/Tokyo", ""}
	accts := make([]engagement.Input, n)
	for i := range accts {
		v := i % len(logs)
		accts[i] = engagement.Input{
			ID: valuepath.AccountID(fmt.Sprintf("acct-%06d", i)), Segment: "enterprise", TimeZone: zones[i%len(zones)],
			Start: starts[v], Events: logs[v], Snapshot: snaps[i%len(snaps)],
		}
	}
	return accts
}

func BenchmarkAgendaAll100k(b *testing.B) {
	const n = 100_000
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	cat, err := engagement.NewCatalog(engagement.CatalogSpec{benchSpec()})
	if err != nil {
		b.Fatal(err)
	}
	accts := benchBook(b, n, asOf)
	events := 0
	for _, a := range accts {
		events += a.Events.Len()
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				items := 0
				for a, err := range cat.AgendaAll(slices.Values(accts), asOf, valuepath.BatchOptions{Concurrency: w}) {
					if err != nil {
						b.Fatal(err)
					}
					items += len(a.Items)
				}
				if items < n*12 {
					b.Fatalf("only %d items for %d accounts", items, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/account")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(events), "ns/event")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "accounts/s")
		})
	}
}

func BenchmarkAgendaInto(b *testing.B) {
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	m := valuepath.Must(engagement.NewModel(benchSpec()))
	acct := benchBook(b, 1, asOf)[0]
	var a engagement.Agenda
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := m.AgendaInto(acct, asOf, &a); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(acct.Events.Len()), "events/account")
}

var _ iter.Seq[int]

func BenchmarkTransitions100k(b *testing.B) {
	const n = 100_000
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	m := valuepath.Must(engagement.NewModel(benchSpec()))
	accts := benchBook(b, n, asOf)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		tr := m.Transitions(slices.Values(accts), asOf)
		if len(tr.Transitions) != 5 || tr.Transitions[0].Reached != n {
			b.Fatalf("unexpected transitions %+v", tr.Transitions[0].Summary)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/account")
}
