package effectiveness_test

import (
	"encoding/json"
	"iter"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/internal/batch/batchtest"
)

// assessView is what the parallel test compares of an assessment: its JSON
// (every exported field and behavior) and a deep copy.
type assessView struct {
	JSON  string
	Level int
	Phase string
}

func TestAssessAllParallelMatchesSerial(t *testing.T) {
	m, schema := benchModel()
	a, err := m.Bind(schema, effectiveness.Options{})
	require.NoError(t, err)
	snaps := benchSnapshots(schema, 3000)
	batchtest.Spoil(snaps, 97, 89)
	batchtest.CheckParallel(t, snaps, batchtest.ReusingSnapshots, func(in iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) []batchtest.Row[assessView] {
		return batchtest.Collect(t, a.AssessAll(in, opt), func(x *effectiveness.Assessment) assessView {
			js, err := json.Marshal(x.Clone())
			require.NoError(t, err)
			return assessView{JSON: string(js), Level: x.Level, Phase: x.Phase}
		})
	})
	batchtest.CheckBreak(t, a.AssessAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 2}))
}

// AssessSlice gives, index for index, what AssessAll yields, with the same
// errors, at every concurrency, into a fresh dst and into a reused one.
func TestAssessSliceMatchesAssessAll(t *testing.T) {
	m, schema := benchModel()
	a, err := m.Bind(schema, effectiveness.Options{})
	require.NoError(t, err)
	snaps := benchSnapshots(schema, 8_500)
	batchtest.Spoil(snaps, 701, 997)
	view := func(x *effectiveness.Assessment) assessView {
		js, err := json.Marshal(x)
		require.NoError(t, err)
		return assessView{JSON: string(js), Level: x.Level, Phase: x.Phase}
	}
	want := batchtest.Collect(t, a.AssessAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 1}), view)
	batchtest.CheckSlice(t, "effectiveness", "snaps", "snapshots", snaps, want, a.AssessSlice, view)
}
