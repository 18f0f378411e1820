package health_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/internal/batch/batchtest"
)

// sliceBase is n distinct snapshots, every 701st nil and every 997th on a
// schema that lacks the scorecard's metrics.
func sliceBase(t *testing.T, n int, seed uint64) []*valuepath.Snapshot {
	snaps := rowSnapshots(t, columnBlock(n, seed))
	batchtest.Spoil(snaps, 701, 997)
	return snaps
}

// SummarizeSlice gives, index for index, what SummarizeAll yields, with
// the same errors, at every concurrency, and leaves its input as it was.
func TestSummarizeSliceMatchesSummarizeAll(t *testing.T) {
	for name, spec := range map[string]health.ScorecardSpec{"plain": func() health.ScorecardSpec { s, _ := benchSpec(); return s }(), "policies and rules": parallelSpec()} {
		t.Run(name, func(t *testing.T) {
			sc := valuepath.Must(health.NewScorecard(spec))
			snaps := sliceBase(t, 13_000, 5)
			before := slices.Clone(snaps)
			view := func(s *health.Summary) health.Summary { return *s }
			want := batchtest.Collect(t, sc.SummarizeAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 1}), view)
			batchtest.CheckSlice(t, "health", "snaps", "snapshots", snaps, want, sc.SummarizeSlice, view)
			assert.Equal(t, before, snaps, "the input slice was changed")
		})
	}
}

// ScoreSlice gives, index for index, what ScoreAll yields, with the same
// errors, at every concurrency, into a fresh dst and into a reused one.
func TestScoreSliceMatchesScoreAll(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	snaps := sliceBase(t, 9_000, 6)
	view := func(s *health.Score) health.Score { return *s.Clone() }
	want := batchtest.Collect(t, sc.ScoreAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 1}), view)
	batchtest.CheckSlice(t, "health", "snaps", "snapshots", snaps, want, sc.ScoreSlice, view)
}

// A slice of bad snapshots gives a short error that counts them.
func TestSliceBatchManyFailures(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	snaps := make([]*valuepath.Snapshot, 100_000)
	err := sc.SummarizeSlice(snaps, make([]health.Summary, len(snaps)), valuepath.BatchOptions{Concurrency: 2})
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 2000)
	assert.Contains(t, err.Error(), "health: snaps[9]: ")
	assert.NotContains(t, err.Error(), "snaps[10]")
	assert.Contains(t, err.Error(), "and 99990 more snapshots that failed")
	assert.ErrorIs(t, err, valuepath.ErrInvalid)
}

// Scoring a slice allocates a fixed amount per call, nothing per account
// (for ScoreSlice, once dst has grown).
func TestSliceBatchAllocations(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	small, large := rowSnapshots(t, columnBlock(20_000, 8)), rowSnapshots(t, columnBlock(100_000, 9))
	sums := make([]health.Summary, len(large))
	scores := make([]health.Score, len(large))
	require.NoError(t, sc.ScoreSlice(large, scores, valuepath.BatchOptions{}))
	for _, c := range []int{1, 2} {
		opt := valuepath.BatchOptions{Concurrency: c}
		a := testing.AllocsPerRun(5, func() { _ = sc.SummarizeSlice(small, sums, opt) })
		b := testing.AllocsPerRun(5, func() { _ = sc.SummarizeSlice(large, sums, opt) })
		assert.LessOrEqual(t, b, a, "SummarizeSlice, Concurrency %d: %v allocations for 20,000 accounts, %v for 100,000", c, a, b)
		assert.LessOrEqual(t, b, 30.0)
		a = testing.AllocsPerRun(5, func() { _ = sc.ScoreSlice(small, scores, opt) })
		b = testing.AllocsPerRun(5, func() { _ = sc.ScoreSlice(large, scores, opt) })
		assert.LessOrEqual(t, b, a, "ScoreSlice, Concurrency %d: %v allocations for 20,000 accounts, %v for 100,000", c, a, b)
		assert.LessOrEqual(t, b, 30.0)
	}
}
