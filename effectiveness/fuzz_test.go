package effectiveness_test

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

// finiteJSON fails the test if v marshals to JSON with an error (which is
// what NaN or Inf anywhere in a result would cause).
func finiteJSON(t *testing.T, v any) {
	t.Helper()
	if _, err := json.Marshal(v); err != nil {
		t.Fatalf("result does not marshal: %v", err)
	}
}

func FuzzParseModel(f *testing.F) {
	crm, err := os.ReadFile("testdata/crm.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(crm)
	f.Add([]byte(`{"phases": [{"id": "a", "behaviors": [{"id": "x", "criterion": {"not": {"any": [{"metric": "m", "op": "<", "value": -1}]}}}]},
	  {"id": "b", "behaviors": [{"id": "y", "criterion": {"metric": "m", "op": "==", "value": 0}}]},
	  {"id": "c", "behaviors": [{"id": "z", "criterion": {"metric": "n", "op": "!=", "value": 1e308}}]}],
	  "placement": {"policy": "share", "share": 0.5}}`))
	f.Add([]byte(`{"phases": [{"id": "a"}], "metrics": [{"metric": "m", "source": "customer_reported"}]}`))
	f.Add([]byte(`{"phases": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := effectiveness.ParseModel(data)
		if err != nil {
			if m != nil {
				t.Fatal("model and error both returned")
			}
			return
		}
		if n := m.NumPhases(); n < effectiveness.MinPhases || n > effectiveness.MaxPhases {
			t.Fatalf("accepted a model with %d phases", n)
		}
		// A valid model assesses any snapshot of its metrics, missing or
		// extreme, into a finite result.
		schema, err := valuepath.NewSchema(m.Metrics()...)
		if err != nil {
			t.Fatal(err)
		}
		a, err := m.Bind(schema, effectiveness.Options{Consent: func(valuepath.AccountID, valuepath.Metric) bool { return true }})
		if err != nil {
			t.Fatal(err)
		}
		vals := []float64{0, -1, 1, math.MaxFloat64, -math.MaxFloat64, 0.5}
		for k := range vals {
			s := valuepath.NewSnapshot(schema, "acct", time.Time{})
			for i := range schema.Len() {
				if (i+k)%3 != 0 {
					_ = s.SetAt(i, vals[(i+k)%len(vals)])
				}
			}
			got, err := a.Assess(s)
			if err != nil {
				t.Fatal(err)
			}
			if got.Level < 0 || got.Level > m.NumPhases() || got.Next.Progress < 0 || got.Next.Progress > 1 {
				t.Fatalf("level %d progress %v out of range", got.Level, got.Next.Progress)
			}
			finiteJSON(t, got)
		}
		// The model writes JSON that reads back.
		data2, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := effectiveness.ParseModel(data2); err != nil {
			t.Fatalf("marshalled model does not parse: %v\n%s", err, data2)
		}
	})
}

func FuzzAssessValues(f *testing.F) {
	f.Add(0.8, 500.0, 20.0, 30.0, 80.0, 2000.0, 0.35)
	f.Add(math.MaxFloat64, -math.MaxFloat64, 0.0, math.Copysign(0, -1), math.SmallestNonzeroFloat64, 1e-300, -1.0)
	f.Add(math.NaN(), math.Inf(1), math.Inf(-1), 1.0, 1.0, 1.0, 1.0)
	m := crmModel(f)
	a, err := m.Bind(crmSchema, effectiveness.Options{Consent: func(valuepath.AccountID, valuepath.Metric) bool { return true }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, v0, v1, v2, v3, v4, v5, v6 float64) {
		s := valuepath.NewSnapshot(crmSchema, "acct", time.Time{})
		for i, v := range []float64{v0, v1, v2, v3, v4, v5, v6} {
			_ = s.SetAt(i, v) // NaN and Inf are refused and stay missing
		}
		got, err := a.Assess(s)
		if err != nil {
			t.Fatal(err)
		}
		finiteJSON(t, got)
		for _, p := range got.Phases {
			for _, b := range p.Behaviors {
				if b.Gap.Value < 0 || (b.Status != effectiveness.NotMet && b.Gap.Value != 0) || b.Gap.Present != (b.Status != effectiveness.Unknown) {
					t.Fatalf("behavior %s: status %v gap %v", b.ID, b.Status, b.Gap)
				}
			}
		}
		// The slice batch gives the same, beside a snapshot that fails.
		dst := make([]effectiveness.Assessment, 2)
		if err := a.AssessSlice([]*valuepath.Snapshot{s, nil}, dst, valuepath.BatchOptions{}); err == nil {
			t.Fatal("AssessSlice: no error for a nil snapshot")
		}
		want, _ := json.Marshal(got)
		if js, _ := json.Marshal(&dst[0]); string(js) != string(want) {
			t.Fatalf("AssessSlice gave\n%s\nAssess gave\n%s", js, want)
		}
	})
}

func FuzzParseAMPM(f *testing.F) {
	f.Add([]byte(`{"indicators": [
	  {"id": "weekly_active", "kind": "adoption", "baseline": 0.4, "target": 0.9, "threshold": 0.8, "weight": 2},
	  {"id": "win_rate", "kind": "performance", "source": "customer_reported", "baseline": 0.2, "target": 0.3,
	   "value_per_unit": {"amount": "200000", "currency": "USD"}},
	  {"id": "cycle_days", "kind": "performance", "better": "lower", "baseline": 60, "target": 45}], "min_lag": 0.2}`),
		[]byte(`{"id": "acme", "units": [{"id": "t1", "weight": 3, "values": {"weekly_active": 0.9, "cycle_days": 50}},
		  {"id": "t2", "units": [{"id": "u1", "values": {"weekly_active": 0.1, "win_rate": 0.4}}], "baselines": {"cycle_days": 70}}]}`))
	f.Add([]byte(`{"indicators": [{"id": "a", "kind": "adoption", "better": "lower", "baseline": 10, "target": 1, "threshold": 2}]}`),
		[]byte(`{"id": "x", "values": {"a": 0}}`))
	f.Fuzz(func(t *testing.T, spec, unit []byte) {
		x, err := effectiveness.ParseAMPM(spec)
		if err != nil {
			return
		}
		var u effectiveness.OrgUnit
		if err := json.Unmarshal(unit, &u); err != nil {
			return
		}
		m, err := x.Measure("acct", u, effectiveness.Options{Consent: func(valuepath.AccountID, valuepath.Metric) bool { return true }})
		if err != nil {
			return
		}
		finiteJSON(t, m)
		finiteJSON(t, x.WeakLinks(m))
		if m.AdoptionIndex.Value < 0 || m.AdoptionIndex.Value > 1 || m.PerformanceIndex.Value < 0 || m.PerformanceIndex.Value > 1 {
			t.Fatalf("indices out of [0, 1]: %v %v", m.AdoptionIndex, m.PerformanceIndex)
		}
		roi, err := x.ROI(m, valuepath.ZeroMoney("USD"))
		if err == nil {
			finiteJSON(t, roi)
		}
	})
}

func FuzzParsePlan(f *testing.F) {
	f.Add([]byte(`{"revisions": [
	  {"baseline": {"account": "a", "at": "2026-01-01T00:00:00Z", "level": 1, "values": {"seat_utilisation": 0.6, "reports_created_30d": 4}},
	   "goals": [{"metric": "seat_utilisation", "policy": "relative", "amount": 0.2, "due": "2026-07-01T00:00:00Z",
	              "milestones": [{"due": "2026-03-01T00:00:00Z", "share": 0.4}]},
	             {"metric": "reports_created_30d", "policy": "next_phase", "due": "2026-05-01T00:00:00Z"}]},
	  {"baseline": {"account": "a", "at": "2026-04-01T00:00:00Z", "level": 1, "values": {"seat_utilisation": 0.7}},
	   "goals": [{"metric": "seat_utilisation", "better": "lower", "policy": "absolute", "amount": 1e308, "due": "2026-09-01T00:00:00Z"}]}]}`), 0.65, int64(90))
	f.Add([]byte(`{"revisions": [{"baseline": {"account": "a", "at": "2026-01-01T00:00:00Z", "level": 0, "values": {"x": -1e-300}},
	   "goals": [{"metric": "x", "policy": "relative", "amount": 1e300, "due": "2026-01-01T00:00:01Z"}]}]}`), -1e308, int64(-5))
	m := crmModel(f)
	f.Fuzz(func(t *testing.T, data []byte, actual float64, days int64) {
		p, err := effectiveness.ParsePlan(data, m)
		if err != nil {
			return
		}
		finiteJSON(t, p)
		rev := p.Current()
		// The snapshot's schema holds every target's metric: progress binds
		// strictly, and a missing metric is an error, not a missing value.
		var metrics []valuepath.Metric
		for _, tg := range rev.Targets {
			if !slices.Contains(metrics, tg.Metric) {
				metrics = append(metrics, tg.Metric)
			}
		}
		schema, err := valuepath.NewSchema(metrics...)
		if err != nil {
			t.Fatal(err)
		}
		at := rev.Baseline.At.Add(time.Duration(days%4000) * valuepath.Day)
		if at.Year() < 0 || at.Year() > 9999 {
			// JSON cannot carry such a time; the result echoes it.
			at = rev.Baseline.At
		}
		s := valuepath.NewSnapshot(schema, p.Account(), at)
		_ = s.SetAt(0, actual)
		pr, err := p.Progress(s, effectiveness.ProgressOptions{})
		if err != nil {
			t.Fatal(err)
		}
		finiteJSON(t, pr)
	})
}
