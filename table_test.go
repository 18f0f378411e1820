package valuepath_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
)

var tableAsOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func TestTableSnapshots(t *testing.T) {
	schema := valuepath.Must(valuepath.NewSchema("logins", "nps", "seats"))
	accounts := []valuepath.AccountID{"acme", "globex", "initech"}
	nan := math.NaN()
	columns := map[valuepath.Metric][]float64{
		"logins": {120, 0, nan},
		"nps":    {nan, nan, nan},
		"seats":  {50, 10, 0},
	}
	before := fmt.Sprint(accounts, columns)
	tab, err := valuepath.NewTable(schema, accounts, columns, tableAsOf)
	require.NoError(t, err)
	assert.Equal(t, before, fmt.Sprint(accounts, columns), "the caller's data is not modified")
	columns["seats"][0] = 999 // and not kept
	accounts[0] = "changed"

	type row struct {
		Account valuepath.AccountID
		AsOf    time.Time
		Values  map[valuepath.Metric]float64
		Missing []valuepath.Metric
	}
	var got []row
	for s := range tab.Snapshots() {
		r := row{Account: s.Account, AsOf: s.AsOf, Values: map[valuepath.Metric]float64{}}
		for i, m := range schema.Metrics() {
			if v, ok := s.ValueAt(i); ok {
				r.Values[m] = v
			} else {
				r.Missing = append(r.Missing, m)
			}
		}
		got = append(got, r)
	}
	want := []row{
		{"acme", tableAsOf, map[valuepath.Metric]float64{"logins": 120, "seats": 50}, []valuepath.Metric{"nps"}},
		{"globex", tableAsOf, map[valuepath.Metric]float64{"logins": 0, "seats": 10}, []valuepath.Metric{"nps"}},
		{"initech", tableAsOf, map[valuepath.Metric]float64{"seats": 0}, []valuepath.Metric{"logins", "nps"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("snapshots (-want +got):\n%s", diff)
	}
	assert.Equal(t, 3, tab.Len())
	assert.Equal(t, valuepath.AccountID("globex"), tab.Account(1))
	assert.Equal(t, tableAsOf, tab.AsOf())
	assert.Same(t, schema, tab.Schema())

	// Breaking out of the loop stops it.
	n := 0
	for range tab.Snapshots() {
		n++
		break
	}
	assert.Equal(t, 1, n)

	// SnapshotInto refuses a snapshot on another schema, and rows out of range.
	other := valuepath.NewSnapshot(valuepath.Must(valuepath.NewSchema("logins")), "x", tableAsOf)
	require.ErrorIs(t, tab.SnapshotInto(0, other), valuepath.ErrInvalid)
	assert.Equal(t, valuepath.AccountID("x"), other.Account, "unchanged")
	require.ErrorIs(t, tab.SnapshotInto(3, tab.NewSnapshot()), valuepath.ErrInvalid)
	require.ErrorIs(t, tab.SnapshotInto(-1, tab.NewSnapshot()), valuepath.ErrInvalid)
	require.ErrorIs(t, tab.SnapshotInto(0, nil), valuepath.ErrInvalid)

	var zero valuepath.Table
	for range zero.Snapshots() {
		t.Error("the zero table has no rows")
	}
}

func TestNewTableErrors(t *testing.T) {
	schema := valuepath.Must(valuepath.NewSchema("logins", "seats"))
	inf := math.Inf(1)
	manyInf := make([]float64, 8)
	for i := range manyInf {
		manyInf[i] = inf
	}
	eight := []valuepath.AccountID{"a", "b", "c", "d", "e", "f", "g", "h"}
	tests := []struct {
		name     string
		schema   *valuepath.Schema
		accounts []valuepath.AccountID
		columns  map[valuepath.Metric][]float64
		sentinel error
		want     []string
	}{
		{"nil schema", nil, nil, nil, valuepath.ErrInvalid, []string{"valuepath: schema: invalid value: must not be nil"}},
		{"bad accounts", schema, []valuepath.AccountID{"a", "", "a"},
			map[valuepath.Metric][]float64{"logins": {1, 2, 3}, "seats": {1, 2, 3}}, valuepath.ErrDuplicate,
			[]string{`valuepath: accounts[1]: invalid value: must not be empty`, `valuepath: accounts[2]: duplicate account "a" (also accounts[0])`}},
		{"unknown and missing columns", schema, []valuepath.AccountID{"a"},
			map[valuepath.Metric][]float64{"logins": {1}, "login": {1}}, valuepath.ErrUnknownMetric,
			[]string{`valuepath: columns["login"]: unknown metric: the schema has no metric "login"`,
				`valuepath: columns["seats"]: invalid value: no column for the schema's metric "seats" (give one of NaN if no account has it)`}},
		{"short column", schema, []valuepath.AccountID{"a", "b"},
			map[valuepath.Metric][]float64{"logins": {1, 2}, "seats": {1}}, valuepath.ErrInvalid,
			[]string{`valuepath: columns["seats"]: invalid value: 1 rows, want one per account (2)`}},
		{"infinite values", schema, []valuepath.AccountID{"a", "b"},
			map[valuepath.Metric][]float64{"logins": {1, math.Inf(-1)}, "seats": {1, 2}}, valuepath.ErrNotFinite,
			[]string{`valuepath: columns["logins"][1]: not a finite number: -Inf (account "b"); use NaN for a missing value`}},
		{"many infinite values", schema, eight,
			map[valuepath.Metric][]float64{"logins": manyInf, "seats": make([]float64, 8)}, valuepath.ErrNotFinite,
			[]string{
				`valuepath: columns["logins"][0]: not a finite number: +Inf (account "a"); use NaN for a missing value`,
				`valuepath: columns["logins"][1]: not a finite number: +Inf (account "b"); use NaN for a missing value`,
				`valuepath: columns["logins"][2]: not a finite number: +Inf (account "c"); use NaN for a missing value`,
				`valuepath: columns["logins"][3]: not a finite number: +Inf (account "d"); use NaN for a missing value`,
				`valuepath: columns["logins"][4]: not a finite number: +Inf (account "e"); use NaN for a missing value`,
				`valuepath: columns["logins"]: not a finite number: 3 more infinite values`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := valuepath.NewTable(tt.schema, tt.accounts, tt.columns, tableAsOf)
			require.Error(t, err)
			assert.Nil(t, tab)
			require.ErrorIs(t, err, tt.sentinel)
			var fe *valuepath.FieldError
			require.True(t, errors.As(err, &fe), "each problem is a *FieldError")
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSnapshotSetValues(t *testing.T) {
	schema := valuepath.Must(valuepath.NewSchema("logins", "nps"))
	s := valuepath.NewSnapshot(schema, "acme", tableAsOf)
	require.NoError(t, s.SetValues([]float64{0, math.NaN()}))
	v, ok := s.Value("logins")
	assert.True(t, ok)
	assert.Equal(t, 0.0, v)
	_, ok = s.Value("nps")
	assert.False(t, ok, "NaN is missing")

	err := s.SetValues([]float64{5, math.Inf(1)})
	require.ErrorIs(t, err, valuepath.ErrNotFinite)
	assert.EqualError(t, err, `valuepath: metric "nps": not a finite number: +Inf; use NaN for a missing value`)
	v, _ = s.Value("logins")
	assert.Equal(t, 0.0, v, "a failed SetValues leaves the snapshot unchanged")
	require.ErrorIs(t, s.SetValues([]float64{1}), valuepath.ErrInvalid)
}

func TestTableSnapshotsDoNotAllocate(t *testing.T) {
	tab := benchTable(t, 1000, 10)
	allocs := testing.AllocsPerRun(10, func() {
		for range tab.Snapshots() {
		}
	})
	assert.LessOrEqual(t, allocs, 5.0, "a few allocations per table, none per row")
}
