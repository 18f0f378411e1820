package health_test

import (
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/valuepath/valuepath/internal/batch/batchtest"

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

func TestSummarizeAllParallelMatchesSerial(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	snaps := parallelSnapshots(t, 3000)
	batchtest.CheckParallel(t, snaps, batchtest.ReusingSnapshots, func(in iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) []batchtest.Row[health.Summary] {
		return batchtest.Collect(t, sc.SummarizeAll(in, opt), func(s *health.Summary) health.Summary { return *s })
	})
	batchtest.CheckBreak(t, sc.SummarizeAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 2}))
}

func TestScoreAllParallelMatchesSerial(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	snaps := parallelSnapshots(t, 2000)
	batchtest.CheckParallel(t, snaps, batchtest.ReusingSnapshots, func(in iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) []batchtest.Row[string] {
		return batchtest.Collect(t, sc.ScoreAll(in, opt), func(s *health.Score) string {
			js, err := json.Marshal(s)
			require.NoError(t, err)
			return string(js)
		})
	})
	batchtest.CheckBreak(t, sc.ScoreAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 3}))
}
