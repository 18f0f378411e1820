package health_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

// parallelSpec is benchSpec with a rule, a neutral and a required measure,
// so that the parallel paths go through every branch of the serial ones.
func parallelSpec() health.ScorecardSpec {
	spec, _ := benchSpec()
	spec.Groups[1].Measures[0].Missing = health.MissingNeutral
	spec.Groups[2].Measures[3].Missing = health.MissingUnavailable
	spec.Rules = []health.Rule{{ID: "r", Reason: "low m0", Metric: "m0", Op: valuepath.Below, Value: 10, Cap: health.Yellow}}
	return spec
}

// parallelSnapshots returns n distinct accounts: values drawn with a seed,
// about 5% missing, every 97th snapshot nil and every 89th on a schema
// without m5, so that some accounts fail.
func parallelSnapshots(t testing.TB, n int) []*valuepath.Snapshot {
	t.Helper()
	_, metrics := benchSpec()
	schema := valuepath.Must(valuepath.NewSchema(metrics...))
	short := valuepath.Must(valuepath.NewSchema(slices.DeleteFunc(slices.Clone(metrics), func(m valuepath.Metric) bool { return m == "m5" })...))
	r := rand.New(rand.NewPCG(19, 5))
	snaps := make([]*valuepath.Snapshot, n)
	for i := range snaps {
		if i%97 == 96 {
			continue
		}
		sch := schema
		if i%89 == 88 {
			sch = short
		}
		s := valuepath.NewSnapshot(sch, valuepath.AccountID(fmt.Sprintf("acct-%05d", i)), asOf.Add(time.Duration(i)*time.Second))
		for j := range sch.Len() {
			if r.IntN(20) == 0 {
				continue
			}
			require.NoError(t, s.SetAt(j, r.Float64()*120))
		}
		snaps[i] = s
	}
	return snaps
}

// batchRow is one batch result as the parallel tests compare it.
type batchRow[V any] struct {
	V   V
	Err string
}

// collect ranges over seq, keeping a copy of every result (view) and the
// text of its error, which must be an *AccountError.
func collect[R, V any](t *testing.T, seq iter.Seq2[*R, error], view func(*R) V) []batchRow[V] {
	t.Helper()
	var out []batchRow[V]
	for r, err := range seq {
		x := batchRow[V]{V: view(r)}
		if err != nil {
			var ae *valuepath.AccountError
			require.True(t, errors.As(err, &ae), "%v is not an *AccountError", err)
			x.Err = err.Error()
		}
		out = append(out, x)
	}
	return out
}

// checkParallel runs a batch serially and with 2, 3 and every core, over a
// slice and over reuse (an iterator that yields the inputs through reused
// storage), and fails on any difference; the serial run must have failures.
func checkParallel[In, V any](t *testing.T, in []In, reuse func([]In) iter.Seq[In], run func(iter.Seq[In], valuepath.BatchOptions) []batchRow[V]) {
	t.Helper()
	want := run(slices.Values(in), valuepath.BatchOptions{Concurrency: 1})
	require.Len(t, want, len(in))
	failed := 0
	for _, r := range want {
		if r.Err != "" {
			failed++
		}
	}
	require.NotZero(t, failed, "no failing account in the test data")
	require.Less(t, failed, len(in)/2, "most accounts fail")
	for _, c := range []int{2, 3, 0} {
		for name, seq := range map[string]iter.Seq[In]{"slice": slices.Values(in), "reusing iterator": reuse(in)} {
			got := run(seq, valuepath.BatchOptions{Concurrency: c})
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Concurrency %d over a %s differs from serial (-want +got):\n%s", c, name, d)
			}
		}
		got := run(slices.Values(in), valuepath.BatchOptions{Concurrency: c, InPlace: true})
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("Concurrency %d in place over a slice differs from serial (-want +got):\n%s", c, d)
		}
	}
}

// checkBreak breaks out of a parallel batch early and checks that every
// goroutine it started ends.
func checkBreak[R any](t *testing.T, seq iter.Seq2[*R, error]) {
	t.Helper()
	base := runtime.NumGoroutine()
	n := 0
	for range seq {
		if n++; n == 700 {
			break
		}
	}
	require.Equal(t, 700, n)
	for range 200 {
		if runtime.NumGoroutine() <= base {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%d goroutines left after break, %d before", runtime.NumGoroutine(), base)
}

// reusingSnapshots yields copies of snaps through one reused snapshot, as a
// decoding iterator would; a nil stays nil.
func reusingSnapshots(snaps []*valuepath.Snapshot) iter.Seq[*valuepath.Snapshot] {
	return func(yield func(*valuepath.Snapshot) bool) {
		var buf valuepath.Snapshot
		for _, s := range snaps {
			var out *valuepath.Snapshot
			if s != nil {
				s.CloneInto(&buf)
				out = &buf
			}
			if !yield(out) {
				return
			}
		}
	}
}

func TestSummarizeAllParallelMatchesSerial(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	snaps := parallelSnapshots(t, 3000)
	checkParallel(t, snaps, reusingSnapshots, func(in iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) []batchRow[health.Summary] {
		return collect(t, sc.SummarizeAll(in, opt), func(s *health.Summary) health.Summary { return *s })
	})
	checkBreak(t, sc.SummarizeAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 2}))
}

func TestScoreAllParallelMatchesSerial(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	snaps := parallelSnapshots(t, 2000)
	checkParallel(t, snaps, reusingSnapshots, func(in iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) []batchRow[string] {
		return collect(t, sc.ScoreAll(in, opt), func(s *health.Score) string {
			js, err := json.Marshal(s)
			require.NoError(t, err)
			return string(js)
		})
	})
	checkBreak(t, sc.ScoreAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 3}))
}
