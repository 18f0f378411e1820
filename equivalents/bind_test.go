package equivalents_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func TestBinding(t *testing.T) {
	c := allBuiltins(t)
	p, err := c.Path("transaction", equivalents.Hour)
	require.NoError(t, err)
	schema := valuepath.Must(valuepath.NewSchema("logins_30d", "transactions_30d"))
	b, err := p.Bind(schema, "transactions_30d")
	require.NoError(t, err)
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	full := valuepath.NewSnapshot(schema, "acme", asOf)
	require.NoError(t, full.Set("transactions_30d", 1200))
	empty := valuepath.NewSnapshot(schema, "beta", asOf)
	other := valuepath.NewSnapshot(valuepath.Must(valuepath.NewSchema("transactions_30d")), "gamma", asOf)

	got, err := b.Apply(full)
	require.NoError(t, err)
	assert.True(t, got.Present)
	assert.Equal(t, "60 hour", got.Quantity.String())
	assert.Equal(t, valuepath.AccountID("acme"), got.Account)

	got, err = b.Apply(empty)
	require.NoError(t, err, "a missing metric is absent, not an error")
	assert.Equal(t, equivalents.AccountQuantity{Account: "beta", Quantity: equivalents.Quantity{Unit: equivalents.Hour},
		Reason: `metric "transactions_30d" is missing`}, got)

	_, err = b.Apply(other)
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	var ae *valuepath.AccountError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, valuepath.AccountError{Account: "gamma", Metric: "transactions_30d", Err: ae.Err}, *ae)

	got, err = b.Apply(nil)
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	assert.False(t, got.Present)

	_, err = p.Bind(schema, "tenrue")
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	assert.EqualError(t, err, `equivalents: bind transaction to hour: metric: unknown metric "tenrue"`)
	_, err = p.Bind(nil, "x")
	require.ErrorIs(t, err, valuepath.ErrInvalid)
}

// ApplyAll yields one result per snapshot, in order, with a per-account
// failure beside its result, and goes on.
func TestBindingApplyAll(t *testing.T) {
	c := allBuiltins(t)
	p, err := c.Path(equivalents.Minute, equivalents.Hour)
	require.NoError(t, err)
	schema := valuepath.Must(valuepath.NewSchema("minutes"))
	b, err := p.Bind(schema, "minutes")
	require.NoError(t, err)
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	snap := func(account valuepath.AccountID, v ...float64) *valuepath.Snapshot {
		s := valuepath.NewSnapshot(schema, account, asOf)
		for _, x := range v {
			require.NoError(t, s.Set("minutes", x))
		}
		return s
	}
	in := []*valuepath.Snapshot{
		snap("a", 90), snap("b"),
		valuepath.NewSnapshot(valuepath.Must(valuepath.NewSchema("x")), "c", asOf),
		snap("d", 30),
	}
	type row struct {
		Account valuepath.AccountID
		Value   string
		Present bool
		Err     string
	}
	var got []row
	for r, err := range b.ApplyAll(slices.Values(in), valuepath.BatchOptions{Concurrency: 1}) {
		e := ""
		if err != nil {
			var ae *valuepath.AccountError
			require.ErrorAs(t, err, &ae)
			e = string(ae.Account)
		}
		got = append(got, row{r.Account, r.Quantity.String(), r.Present, e})
	}
	want := []row{{"a", "1.5 hour", true, ""}, {"b", "0 hour", false, ""}, {"c", "0 hour", false, "c"}, {"d", "0.5 hour", true, ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ApplyAll (-want +got):\n%s", diff)
	}
	n := 0
	for range b.ApplyAll(slices.Values(in), valuepath.BatchOptions{Concurrency: 1}) {
		n++
		break
	}
	assert.Equal(t, 1, n, "break stops the stream")
}
