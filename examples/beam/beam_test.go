package main

import (
	"context"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/health/backtest"
)

func TestMain(m *testing.M) {
	flag.Parse()
	beam.Init()
	os.Exit(m.Run())
}

// parityAccounts is the size of the demo base the parity test runs on
// Prism; under -race it is smaller, see race_test.go.
var parityAccounts = 200

func demoModels(t testing.TB) Models {
	d, err := json.Marshal(demo.AllDerivations().Spec())
	require.NoError(t, err)
	return Models{Derivations: string(d), Scorecard: demo.HealthScorecardJSON, Effectiveness: demo.EffectivenessModelJSON}
}

// TestParity runs the pipeline on Prism over the demo base and compares
// every output with the in-process batch path: per-account results
// identical, band counts identical, percentiles and AUC equal to the bit.
func TestParity(t *testing.T) {
	ctx := context.Background()
	base, err := demo.Generate(demo.Config{Accounts: parityAccounts})
	require.NoError(t, err)
	asOf := scoringDate(base)
	dir := t.TempDir()
	in, err := writeInputs(ctx, base, filepath.Join(dir, "input"), asOf)
	require.NoError(t, err)
	models := demoModels(t)
	opt := Options{Samples: in.Samples, Events: in.Events, Accounts: in.Accounts,
		Results: filepath.Join(dir, "results.jsonl"), Base: filepath.Join(dir, "base.json"), AsOf: asOf, Models: models}

	p, s := beam.NewPipelineWithRoot()
	require.NoError(t, Build(s, opt))
	_, err = prism.Execute(ctx, p)
	require.NoError(t, err)

	want, wantStats, err := inProcess(ctx, models, base.Provider, in.Population, asOf)
	require.NoError(t, err)
	got, err := readResults(opt.Results)
	require.NoError(t, err)
	require.Len(t, got, len(in.Population), "one result per account of the population")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("per-account results differ (-in-process +pipeline):\n%s", diff)
	}
	// The in-process path reading the same files agrees too.
	fp, pop, err := readInputs(in, demo.SeriesMetrics)
	require.NoError(t, err)
	require.Equal(t, in.Population, pop)
	fromFiles, fromFilesStats, err := inProcess(ctx, models, fp, pop, asOf)
	require.NoError(t, err)
	if diff := cmp.Diff(want, fromFiles); diff != "" {
		t.Fatalf("in-process from the files differs (-from memory +from files):\n%s", diff)
	}
	require.Equal(t, wantStats, fromFilesStats)
	b, err := os.ReadFile(opt.Base)
	require.NoError(t, err)
	var gotStats BaseStats
	require.NoError(t, json.Unmarshal(b, &gotStats))
	if diff := cmp.Diff(*wantStats, gotStats); diff != "" {
		t.Fatalf("base statistics differ (-in-process +pipeline):\n%s", diff)
	}
	// The comparison means something only if the base has both outcomes
	// and several bands.
	require.Positive(t, gotStats.Churned)
	require.Positive(t, gotStats.Retained)
	auc, ok := gotStats.AUC.Get()
	require.True(t, ok, "AUC: %s", gotStats.AUC.Reason)
	if gotStats.Churned >= 3 {
		assert.Greater(t, auc, 0.5, "healthier scores should go with retention")
	}
	occupied := 0
	for _, bc := range gotStats.Bands {
		if bc.Count > 0 {
			occupied++
		}
	}
	assert.GreaterOrEqual(t, occupied, 2)
	t.Logf("%d accounts (%d churned), %d sample and event lines; bands %v; percentiles %v; AUC %.4f",
		len(got), gotStats.Churned, in.Lines, gotStats.Bands, gotStats.Percentiles, auc)
}

// TestBadModelFailsConstruction: a bad model stops Build with the
// library's own error and field path, before anything runs.
func TestBadModelFailsConstruction(t *testing.T) {
	good := demoModels(t)
	tests := []struct {
		name   string
		edit   func(*Models)
		want   []string
		wantIs error
	}{
		{"scorecard weight", func(m *Models) {
			m.Scorecard = strings.Replace(m.Scorecard, `"weight": 45`, `"weight": -45`, 1)
		}, []string{"scorecard: ", "groups[0].weight"}, valuepath.ErrInvalid},
		{"scorecard unknown field", func(m *Models) {
			m.Scorecard = strings.Replace(m.Scorecard, `"timing": "leading"`, `"timeing": "leading"`, 1)
		}, []string{"scorecard: ", "groups[0].measures[0].timeing: unknown field"}, nil},
		{"scorecard metric the derivations lack", func(m *Models) {
			m.Scorecard = strings.Replace(m.Scorecard, `"metric": "seat_utilisation"`, `"metric": "seat_use"`, 1)
		}, []string{"scorecard: ", "seat_use", "groups[0].measures[0].metric"}, valuepath.ErrUnknownMetric},
		{"derivation window", func(m *Models) {
			m.Derivations = strings.Replace(m.Derivations, `"window":"30d"`, `"window":"-30d"`, 1)
		}, []string{"derivations: ", "derivations[0].window"}, nil},
		{"effectiveness metric", func(m *Models) {
			m.Effectiveness = strings.Replace(m.Effectiveness, `"metric": "records_per_user_30d"`, `"metric": "records_per_user"`, 1)
		}, []string{"effectiveness: ", "records_per_user", "phases[0].behaviors[1].criterion.metric"}, valuepath.ErrUnknownMetric},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good
			tt.edit(&m)
			require.NotEqual(t, good, m, "the edit must change the model")
			_, s := beam.NewPipelineWithRoot()
			err := Build(s, Options{Samples: "x", Events: "x", Accounts: "x", Results: "r", Base: "b",
				AsOf: demo.DefaultAsOf, Models: m})
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs)
			}
		})
	}
	_, s := beam.NewPipelineWithRoot()
	require.NoError(t, Build(s, Options{Samples: "x", Events: "x", Accounts: "x", Results: "r", Base: "b",
		AsOf: demo.DefaultAsOf, Models: good}))
}

// TestCombineMerges checks the combine against the library on random
// points split into accumulators merged in a random order, with ties,
// as workers would produce them.
func TestCombineMerges(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	fn := &baseFn{Bands: []string{"red", "yellow", "green"}}
	for _, n := range []int{0, 1, 2, 5, 100, 5000} {
		var points []Point
		for i := range n {
			v := float64(r.IntN(400)) / 4 // many ties
			if i%7 == 0 {
				v = r.Float64() * 100
			}
			band := "red"
			switch {
			case v >= 70:
				band = "green"
			case v >= 40:
				band = "yellow"
			}
			points = append(points, Point{Present: i%13 != 5, Value: v, Band: band, Churned: r.IntN(5) == 0})
		}
		accs := make([]Tally, 1+r.IntN(6))
		for i := range accs {
			accs[i] = fn.CreateAccumulator()
		}
		for _, p := range points {
			k := r.IntN(len(accs))
			accs[k] = fn.AddInput(accs[k], p)
		}
		r.Shuffle(len(accs), func(i, j int) { accs[i], accs[j] = accs[j], accs[i] })
		acc := accs[0]
		for _, a := range accs[1:] {
			acc = fn.MergeAccumulators(acc, a)
		}
		var got BaseStats
		require.NoError(t, json.Unmarshal([]byte(fn.ExtractOutput(acc)), &got))

		// The library's answer.
		sc := demo.Scorecard()
		var scores []*health.Score
		var values []float64
		var churned []bool
		for i, p := range points {
			scores = append(scores, &health.Score{Account: valuepath.AccountID(rune('a'+i%26)) + valuepath.AccountID(strings.Repeat("x", i/26)),
				Present: p.Present, Value: p.Value, Band: health.Band(p.Band)})
			if p.Present {
				values, churned = append(values, p.Value), append(churned, p.Churned)
			}
		}
		dist, err := sc.Distribution(scores, health.DistributionOptions{})
		require.NoError(t, err)
		wantAUC, err := backtest.AUC(values, churned)
		require.NoError(t, err)
		assert.Equal(t, dist.Count, got.Count, "n=%d", n)
		assert.Equal(t, dist.Unavailable, got.Unavailable, "n=%d", n)
		assert.Equal(t, n, got.Accounts)
		if diff := cmp.Diff(dist.Percentiles, got.Percentiles); diff != "" {
			t.Errorf("n=%d percentiles (-library +combine):\n%s", n, diff)
		}
		if diff := cmp.Diff(dist.Bands, got.Bands); diff != "" {
			t.Errorf("n=%d bands (-library +combine):\n%s", n, diff)
		}
		assert.Equal(t, wantAUC, got.AUC, "n=%d", n)
	}
}

func TestKeyRejectsBadLines(t *testing.T) {
	tests := []struct {
		name string
		key  func(string) error
		line string
		want string
	}{
		{"sample unknown field", keyErr(keySample), `{"account":"a","metric":"m","at":"2026-01-01T00:00:00Z","value":1,"vaule":2}`, "samples: vaule: unknown field"},
		{"sample no account", keyErr(keySample), `{"metric":"m","at":"2026-01-01T00:00:00Z","value":1}`, "samples: account and metric"},
		{"sample value", keyErr(keySample), `{"account":"a","metric":"m","at":"2026-01-01T00:00:00Z","value":"x"}`, "samples: value"},
		{"event syntax", keyErr(keyEvent), `{"account":"a",`, "events: "},
		{"event no account", keyErr(keyEvent), `{"kind":"k","at":"2026-01-01T00:00:00Z"}`, "events: account"},
		{"account churned", keyErr(keyAccount), `{"account":"a","churned":"yes"}`, "accounts: churned"},
		{"account trailing", keyErr(keyAccount), `{"account":"a"} {}`, "accounts: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.key(tt.line)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	k, s, err := keySample(`{"account":"a","metric":"m","at":"2026-01-01T00:00:00Z","value":1.5}`)
	require.NoError(t, err)
	assert.Equal(t, "a", k)
	assert.Equal(t, Sample{Metric: "m", At: demo.DefaultAsOf.AddDate(0, -10, 0).UnixNano(), Value: 1.5}, s)
}

func keyErr[V any](f func(string) (string, V, error)) func(string) error {
	return func(line string) error { _, _, err := f(line); return err }
}

// FuzzKeyLines feeds outside lines to the three parsers: an error or a
// keyed value, never a panic, and a keyed value has an account.
func FuzzKeyLines(f *testing.F) {
	f.Add(`{"account":"a","metric":"m","at":"2026-01-01T00:00:00Z","value":1}`)
	f.Add(`{"account":"a","kind":"survey","at":"2026-01-01T00:00:00Z","attrs":{"score":"9"}}`)
	f.Add(`{"account":"a","churned":true}`)
	f.Add(`{"account":"","value":1e999}`)
	f.Fuzz(func(t *testing.T, line string) {
		for _, key := range []func(string) (string, error){
			func(l string) (string, error) { k, _, err := keySample(l); return k, err },
			func(l string) (string, error) { k, _, err := keyEvent(l); return k, err },
			func(l string) (string, error) { k, _, err := keyAccount(l); return k, err },
		} {
			k, err := key(line)
			if err == nil && k == "" {
				t.Fatalf("keyed %q with an empty account", line)
			}
		}
	})
}

// BenchmarkCombine measures the combine's per-account cost over a
// realistic spread of scores.
func BenchmarkCombine(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	points := make([]Point, 10000)
	for i := range points {
		points[i] = Point{Present: true, Value: r.Float64() * 100, Band: "green", Churned: r.IntN(10) == 0}
	}
	fn := &baseFn{Bands: []string{"red", "yellow", "green"}}
	b.ReportAllocs()
	for b.Loop() {
		acc := fn.CreateAccumulator()
		for _, p := range points {
			acc = fn.AddInput(acc, p)
		}
		_ = fn.ExtractOutput(acc)
	}
}

// BenchmarkKeySample measures the strict parse of one sample line, the
// pipeline's per-line cost, over distinct lines.
func BenchmarkKeySample(b *testing.B) {
	lines := make([]string, 1000)
	for i := range lines {
		l, err := json.Marshal(SampleRow{Account: valuepath.AccountID("acct-" + strings.Repeat("0", i%4)), Metric: demo.Logins,
			At: demo.DefaultAsOf.AddDate(0, 0, -i), Value: float64(i) * 1.25})
		require.NoError(b, err)
		lines[i] = string(l)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, _, err := keySample(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
