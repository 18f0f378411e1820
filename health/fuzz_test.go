package health_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

// finiteScore fails t if any number in s is NaN or infinite, or a score is
// outside 0–100.
func finiteScore(t *testing.T, s *health.Score) {
	t.Helper()
	in := func(what string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 100 {
			t.Fatalf("%s = %v", what, v)
		}
	}
	in("score", s.Value)
	in("coverage weight", s.Coverage.Weight*100)
	sum := 0.0
	for _, m := range s.Measures {
		in(m.ID+" score", m.Score)
		in(m.ID+" share", m.Share*100)
		in(m.ID+" contribution", m.Contribution)
		if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			t.Fatalf("%s value = %v", m.ID, m.Value)
		}
		sum += m.Contribution
	}
	for _, g := range s.Groups {
		in(g.ID+" score", g.Score)
		in(g.ID+" contribution", g.Contribution)
	}
	if s.Present && math.Abs(sum-s.Value) > 1e-6 {
		t.Fatalf("contributions sum to %v, score %v", sum, s.Value)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Fatalf("marshal: %v", err)
	}
}

const seedSpec = `{"name":"seed","groups":[
 {"id":"usage","weight":2,"measures":[
  {"id":"logins","metric":"logins","weight":1,"scheme":{"kind":"thresholds","points":[{"value":0,"score":0},{"value":100,"score":100}]}},
  {"id":"cases","metric":"cases","weight":1,"direction":"lower","missing":"neutral","scheme":{"kind":"steps","points":[{"value":0,"score":100},{"value":5,"score":20}]}}]},
 {"id":"rel","weight":1,"groups":[{"id":"inner","weight":1,"measures":[
  {"id":"nps","metric":"nps","weight":1,"missing":"worst","bands":[{"name":"bad","min":0,"max":60},{"name":"ok","min":60,"max":100}],
   "scheme":{"kind":"categories","categories":[{"value":0,"score":0},{"value":1,"score":100}]}}]}]}],
 "rules":[{"id":"r","reason":"x","metric":"logins","op":"<","value":5,"cap":"yellow"}]}`

// FuzzParse feeds arbitrary JSON to the loader: it must return a scorecard
// or an error, never panic, and a scorecard it returns must round-trip to
// the same hash and score a snapshot without NaN.
func FuzzParse(f *testing.F) {
	f.Add([]byte(seedSpec))
	f.Add([]byte(`{"groups":[{"id":"g","weight":1e308,"measures":[{"id":"m","metric":"x","weight":5e-324,"scheme":{"kind":"thresholds","points":[{"value":-1e308,"score":0},{"value":1e308,"score":100}]}}]}]}`))
	f.Add([]byte(`{"groups":[],"bands":[{"name":"a","min":0,"max":100}]}`))
	f.Add([]byte(`{"groups":[{"id":"g","weight":1}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := health.ParseScorecard(data)
		if err != nil {
			return
		}
		out, err := json.Marshal(sc)
		if err != nil {
			t.Fatal(err)
		}
		back, err := health.ParseScorecard(out)
		if err != nil {
			t.Fatalf("round trip: %v\n%s", err, out)
		}
		if back.Hash() != sc.Hash() {
			t.Fatalf("hash changed on round trip")
		}
		values := map[valuepath.Metric]float64{}
		for i, m := range sc.Metrics() {
			values[m] = float64(i) * 3.7
		}
		s, err := valuepath.SnapshotOf("a", asOf, values)
		if err != nil {
			t.Fatal(err)
		}
		finiteScore(t, score(t, sc, s))
	})
}

// FuzzScore scores arbitrary floats, including huge, tiny and negative
// ones, on a scorecard with every scheme and policy: no result may hold NaN
// or Inf, and the summary must agree with the score.
func FuzzScore(f *testing.F) {
	sc, err := health.ParseScorecard([]byte(seedSpec))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(50.0, 2.0, 1.0, true, true, true)
	f.Add(math.MaxFloat64, -math.MaxFloat64, 0.0, true, true, false)
	f.Add(5e-324, 1e-300, 1.0, true, false, true)
	f.Add(-1.0, 4.999999, 0.5, false, true, true)
	f.Fuzz(func(t *testing.T, logins, cases, nps float64, hasLogins, hasCases, hasNPS bool) {
		schema := valuepath.Must(valuepath.NewSchema("logins", "cases", "nps"))
		s := valuepath.NewSnapshot(schema, "a", asOf)
		for i, v := range []float64{logins, cases, nps} {
			if []bool{hasLogins, hasCases, hasNPS}[i] {
				_ = s.SetAt(i, v) // NaN and Inf are refused: missing
			}
		}
		full := score(t, sc, s)
		finiteScore(t, full)
		sum := summarize(t, sc, s)
		if sum.Value != full.Value || sum.Band != full.Band || sum.Present != full.Present {
			t.Fatalf("summary %+v, score %v %s %v", sum, full.Value, full.Band, full.Present)
		}
		// The slice batches give the same, beside a snapshot that fails.
		sums, scores := make([]health.Summary, 2), make([]health.Score, 2)
		require.Error(t, sc.SummarizeSlice([]*valuepath.Snapshot{s, nil}, sums, valuepath.BatchOptions{}))
		require.Error(t, sc.ScoreSlice([]*valuepath.Snapshot{s, nil}, scores, valuepath.BatchOptions{}))
		require.Equal(t, sum, sums[0])
		require.Equal(t, full.Value, scores[0].Value)
		require.Equal(t, full.Band, scores[0].Band)
		require.False(t, sums[1].Present || scores[1].Present)
	})
}
