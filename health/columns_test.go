package health_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

// columnBlock draws n distinct accounts as columns on the schema of
// benchSpec's metrics plus one the scorecard does not read (left nil),
// about 5% of values missing (NaN).
func columnBlock(n int, seed uint64) health.Columns {
	_, metrics := benchSpec()
	schema := valuepath.Must(valuepath.NewSchema(append(slices.Clone(metrics), "unread")...))
	r := rand.New(rand.NewPCG(seed, 11))
	cols := health.Columns{Schema: schema, Values: make([][]float64, schema.Len()), Accounts: make([]valuepath.AccountID, n), AsOf: asOf}
	for j := range metrics {
		cols.Values[j] = make([]float64, n)
	}
	for i := range n {
		cols.Accounts[i] = valuepath.AccountID(fmt.Sprintf("acct-%07d", i))
		for j := range metrics {
			v := math.NaN()
			if r.IntN(20) != 0 {
				v = r.Float64() * 120
			}
			cols.Values[j][i] = v
		}
	}
	return cols
}

// rowSnapshots turns the rows of cols into snapshots on its schema.
func rowSnapshots(t *testing.T, cols health.Columns) []*valuepath.Snapshot {
	out := make([]*valuepath.Snapshot, len(cols.Accounts))
	for i, id := range cols.Accounts {
		s := valuepath.NewSnapshot(cols.Schema, id, cols.AsOf)
		for j, c := range cols.Values {
			if c != nil && !math.IsNaN(c[i]) {
				require.NoError(t, s.SetAt(j, c[i]))
			}
		}
		out[i] = s
	}
	return out
}

// SummarizeColumns gives, row for row, the summary SummarizeAll gives for a
// snapshot of the row, at every concurrency.
func TestSummarizeColumnsMatchesSummarizeAll(t *testing.T) {
	for name, spec := range map[string]health.ScorecardSpec{"plain": func() health.ScorecardSpec { s, _ := benchSpec(); return s }(), "policies and rules": parallelSpec()} {
		t.Run(name, func(t *testing.T) {
			sc := valuepath.Must(health.NewScorecard(spec))
			cols := columnBlock(13_000, 3)
			var want []health.Summary
			for s, err := range sc.SummarizeAll(slices.Values(rowSnapshots(t, cols)), valuepath.BatchOptions{Concurrency: 1}) {
				require.NoError(t, err)
				want = append(want, *s)
			}
			for _, c := range []int{1, 2, 3, 0} {
				got := make([]health.Summary, len(want)+2)
				got[len(want)].Reason = "untouched"
				require.NoError(t, sc.SummarizeColumns(cols, got, valuepath.BatchOptions{Concurrency: c}))
				if d := cmp.Diff(want, got[:len(want)]); d != "" {
					t.Fatalf("Concurrency %d differs from SummarizeAll (-want +got):\n%s", c, d)
				}
				assert.Equal(t, "untouched", got[len(want)].Reason, "a summary past the rows was written")
			}
		})
	}
}

// An infinite value fails its row only, with an error naming the column and
// the row; the others are scored.
func TestSummarizeColumnsInfiniteValue(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	cols := columnBlock(10_000, 4)
	orig := slices.Clone(cols.Values[3])
	cols.Values[3] = slices.Clone(orig)
	cols.Values[3][17] = math.Inf(1)
	cols.Values[3][9_000] = math.Inf(-1)
	ruleCol := slices.Clone(cols.Values[0]) // m0 is read by a measure and the rule
	cols.Values[0] = ruleCol
	for _, c := range []int{1, 2} {
		dst := make([]health.Summary, 10_000)
		err := sc.SummarizeColumns(cols, dst, valuepath.BatchOptions{Concurrency: c})
		require.Error(t, err)
		assert.ErrorIs(t, err, valuepath.ErrNotFinite)
		assert.Contains(t, err.Error(), `values["m3"][17]`)
		assert.Contains(t, err.Error(), `values["m3"][9000]`)
		var ae *valuepath.AccountError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, valuepath.AccountID("acct-0000017"), ae.Account)
		assert.False(t, dst[17].Present)
		assert.NotEmpty(t, dst[17].Reason)
		assert.Equal(t, valuepath.AccountID("acct-0000017"), dst[17].Account)
		assert.Equal(t, valuepath.AccountID("acct-0000018"), dst[18].Account)
		assert.NotZero(t, dst[18].Coverage.Present, "the next row is scored")
	}
	// Many bad values give a bounded error.
	for i := range cols.Values[3] {
		cols.Values[3][i] = math.Inf(1)
	}
	err := sc.SummarizeColumns(cols, make([]health.Summary, 10_000), valuepath.BatchOptions{Concurrency: 2})
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 4000)
	assert.Contains(t, err.Error(), `health: values["m3"][9]: not a finite number`)
	assert.NotContains(t, err.Error(), `values["m3"][10]`)
	assert.Contains(t, err.Error(), "and 9990 more rows")
}

func TestSummarizeColumnsBadBlock(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	good := columnBlock(100, 5)
	dst := make([]health.Summary, 100)
	for name, tc := range map[string]struct {
		cols health.Columns
		dst  []health.Summary
		is   error
		path string
	}{
		"missing metric":  {health.Columns{Schema: valuepath.Must(valuepath.NewSchema("m0")), Values: [][]float64{good.Values[0]}}, dst, valuepath.ErrUnknownMetric, `m1`},
		"nil schema":      {health.Columns{}, dst, valuepath.ErrInvalid, "schema"},
		"too few columns": {health.Columns{Schema: good.Schema, Values: good.Values[:3]}, dst, valuepath.ErrInvalid, "values"},
		"short column": {func() health.Columns {
			c := good
			c.Values = slices.Clone(c.Values)
			c.Values[5] = c.Values[5][:99]
			return c
		}(), dst, valuepath.ErrInvalid, `values["m5"]`},
		"unread column is nil": {func() health.Columns {
			c := good
			c.Values = slices.Clone(c.Values)
			c.Values[2] = nil
			return c
		}(), dst, valuepath.ErrInvalid, `values["m2"]`},
		"dst too short": {good, dst[:99], valuepath.ErrInvalid, "dst"},
	} {
		t.Run(name, func(t *testing.T) {
			dst := slices.Clone(tc.dst)
			err := sc.SummarizeColumns(tc.cols, dst, valuepath.BatchOptions{})
			require.ErrorIs(t, err, tc.is)
			assert.Contains(t, err.Error(), tc.path)
			assert.Equal(t, make([]health.Summary, len(dst)), dst, "a failed block wrote summaries")
		})
	}
}

// Without accounts the row count is the columns'; Set places columns by
// name.
func TestColumnsSetByName(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	schema := valuepath.Must(valuepath.NewSchema("cases", "logins", "util"))
	cols := health.Columns{Schema: schema, AsOf: asOf}
	require.NoError(t, cols.Set("logins", []float64{50, math.NaN()}))
	require.NoError(t, cols.Set("util", []float64{0.5, math.NaN()}))
	require.NoError(t, cols.Set("cases", []float64{5, math.NaN()}))
	err := cols.Set("nps", []float64{1, 2})
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	assert.Contains(t, err.Error(), `values["nps"]`)
	dst := make([]health.Summary, 2)
	require.NoError(t, sc.SummarizeColumns(cols, dst, valuepath.BatchOptions{}))
	assert.True(t, dst[0].Present)
	assert.InDelta(t, 50, dst[0].Value, 1e-9)
	assert.False(t, dst[1].Present)
	assert.Equal(t, health.ReasonNoData, dst[1].Reason)
	assert.Empty(t, dst[0].Account)
}

// Scoring a block allocates a fixed amount per call, nothing per account.
func TestSummarizeColumnsAllocations(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	small, large := columnBlock(20_000, 6), columnBlock(100_000, 7)
	dst := make([]health.Summary, 100_000)
	for _, c := range []int{1, 2} {
		opt := valuepath.BatchOptions{Concurrency: c}
		a := testing.AllocsPerRun(5, func() { _ = sc.SummarizeColumns(small, dst, opt) })
		b := testing.AllocsPerRun(5, func() { _ = sc.SummarizeColumns(large, dst, opt) })
		assert.LessOrEqual(t, b, a, "Concurrency %d: %v allocations for 20,000 rows, %v for 100,000", c, a, b)
		assert.LessOrEqual(t, b, 30.0)
	}
}

// FuzzSummarizeColumns feeds columns of arbitrary float bits (NaN, ±Inf,
// huge and tiny values included): no panic, no NaN or Inf in a summary, and
// every row without an infinite value summarised as SummarizeAll does.
func FuzzSummarizeColumns(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf0, 0x7f}, uint8(1))
	f.Add(make([]byte, 8*12*3), uint8(2))
	sc := valuepath.Must(health.NewScorecard(parallelSpec()))
	_, metrics := benchSpec()
	schema := valuepath.Must(valuepath.NewSchema(metrics...))
	f.Fuzz(func(t *testing.T, data []byte, workers uint8) {
		rows := len(data) / (8 * len(metrics))
		cols := health.Columns{Schema: schema, Values: make([][]float64, len(metrics)), AsOf: asOf}
		for j := range metrics {
			cols.Values[j] = make([]float64, rows)
			for i := range rows {
				off := 8 * (i*len(metrics) + j)
				var bits uint64
				for k := range 8 {
					bits |= uint64(data[off+k]) << (8 * k)
				}
				cols.Values[j][i] = math.Float64frombits(bits)
			}
		}
		dst := make([]health.Summary, rows)
		err := sc.SummarizeColumns(cols, dst, valuepath.BatchOptions{Concurrency: int(workers % 4)})
		for i, s := range dst {
			require.False(t, math.IsNaN(s.Value) || math.IsInf(s.Value, 0) || math.IsNaN(s.Coverage.Weight), "row %d: %+v", i, s)
			bad := false
			snap := valuepath.NewSnapshot(schema, "", asOf)
			for j := range metrics {
				v := cols.Values[j][i]
				bad = bad || math.IsInf(v, 0)
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					require.NoError(t, snap.SetAt(j, v))
				}
			}
			if bad {
				require.Error(t, err)
				continue
			}
			for want, e := range sc.SummarizeAll(slices.Values([]*valuepath.Snapshot{snap}), valuepath.BatchOptions{Concurrency: 1}) {
				require.NoError(t, e)
				if d := cmp.Diff(*want, s); d != "" {
					t.Fatalf("row %d (-SummarizeAll +SummarizeColumns):\n%s", i, d)
				}
			}
		}
	})
}
