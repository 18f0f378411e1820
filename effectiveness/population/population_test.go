package population_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/effectiveness/population"
)

var asOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// loginsModel is a three-phase model over one metric, logins.
func loginsModel() *effectiveness.Model {
	phase := func(id string, min float64) effectiveness.Phase {
		return effectiveness.Phase{ID: id, Behaviors: []effectiveness.Behavior{{ID: id,
			Criterion: effectiveness.Criterion{Metric: "logins", Comparison: valuepath.AtLeast, Value: min}}}}
	}
	return valuepath.Must(effectiveness.NewModel(effectiveness.ModelSpec{Phases: []effectiveness.Phase{
		phase("started", 1), phase("regular", 4), phase("daily", 20),
	}}))
}

func loginSnaps(schema *valuepath.Schema, logins ...float64) []*valuepath.Snapshot {
	var out []*valuepath.Snapshot
	for i, v := range logins {
		s := valuepath.NewSnapshot(schema, valuepath.AccountID("acct-"+string(rune('a'+i))), asOf)
		if v >= 0 { // a negative value stands for missing
			_ = s.Set("logins", v)
		}
		out = append(out, s)
	}
	return out
}

func TestDistribution(t *testing.T) {
	m := loginsModel()
	schema := valuepath.Must(valuepath.NewSchema("logins"))
	a, err := m.Bind(schema, effectiveness.Options{})
	require.NoError(t, err)

	empty := population.NewDistribution(m)
	for _, p := range empty.Phases {
		assert.False(t, p.Share.Present, "share of phase %d of an empty population", p.Level)
		assert.NotEmpty(t, p.Share.Reason)
	}

	d, err := population.Distribute(a, slices.Values(loginSnaps(schema, 0, 2, -1, 5, 25)))
	require.NoError(t, err)
	want := &population.Distribution{Total: 5, Phases: []population.PhaseCount{
		{Level: 0, Count: 2, Share: valuepath.Defined(0.4)},
		{Level: 1, Phase: "started", Count: 1, Share: valuepath.Defined(0.2)},
		{Level: 2, Phase: "regular", Count: 1, Share: valuepath.Defined(0.2)},
		{Level: 3, Phase: "daily", Count: 1, Share: valuepath.Defined(0.2)},
	}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("distribution (-want +got):\n%s", diff)
	}

	require.ErrorIs(t, d.Add(nil), valuepath.ErrInvalid)
	require.ErrorIs(t, d.Add(&effectiveness.Assessment{Level: 9}), valuepath.ErrInvalid)
	assert.Equal(t, 5, d.Total, "a rejected assessment was counted")

	other := valuepath.Must(valuepath.NewSchema("logins", "seats"))
	_, err = population.Distribute(a, slices.Values(loginSnaps(other, 3)))
	var ae *valuepath.AccountError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, valuepath.AccountID("acct-a"), ae.Account)
}

func TestPeers(t *testing.T) {
	schema := valuepath.Must(valuepath.NewSchema("usage", "seats"))
	mk := func(id string, usage float64) *valuepath.Snapshot {
		s := valuepath.NewSnapshot(schema, valuepath.AccountID(id), asOf)
		_ = s.Set("usage", usage)
		return s
	}
	members := func(yield func(string, *valuepath.Snapshot) bool) {
		for _, m := range []struct {
			seg string
			s   *valuepath.Snapshot
		}{
			{"smb", mk("a", 1)}, {"smb", mk("b", 2)}, {"smb", mk("c", 3)}, {"smb", mk("d", 4)},
			{"enterprise", mk("e", 100)},
		} {
			if !yield(m.seg, m.s) {
				return
			}
		}
	}
	p, err := population.NewPeers([]valuepath.Metric{"usage", "seats"}, members)
	require.NoError(t, err)
	got, err := p.Rank("smb", mk("b", 3))
	require.NoError(t, err)
	want := population.Ranks{Account: "b", Segment: "smb", Metrics: []population.Rank{
		// Two of four below, one tie counting half.
		{Metric: "usage", Value: valuepath.Defined(3), Percentile: valuepath.Defined(62.5), Peers: 4},
		{Metric: "seats", Value: valuepath.Absent("the account has no value"), Percentile: valuepath.Absent("the account has no value"), Peers: 0},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranks (-want +got):\n%s", diff)
	}
	withSeats := mk("b", 3)
	_ = withSeats.Set("seats", 10)
	got, err = p.Rank("smb", withSeats)
	require.NoError(t, err)
	assert.Equal(t, valuepath.Absent("no peer of the segment has a value"), got.Metrics[1].Percentile, "a rank among no peers")
	data, err := json.Marshal(got)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"percentile":{"absent":"no peer of the segment has a value"}`)

	assert.Equal(t, []string{"enterprise", "smb"}, p.Segments())
	_, err = p.Rank("mid-market", mk("x", 1))
	require.ErrorIs(t, err, valuepath.ErrInvalid, "Rank in a segment without peers")
	_, err = p.Rank("smb", nil)
	require.ErrorIs(t, err, valuepath.ErrInvalid, "Rank of a nil snapshot")

	_, err = population.NewPeers([]valuepath.Metric{"usage", "", "usage"}, members)
	assert.Equal(t, []string{
		"population: metrics[1]: invalid value: must not be empty",
		`population: metrics[2]: duplicate: metric "usage" (also metrics[0])`,
	}, strings.Split(err.Error(), "\n"))
}

func TestPeersBindMetrics(t *testing.T) {
	schema := valuepath.Must(valuepath.NewSchema("usage"))
	s := valuepath.NewSnapshot(schema, "a", asOf)
	_ = s.Set("usage", 1)
	members := func(yield func(string, *valuepath.Snapshot) bool) {
		_ = yield("smb", s) && yield("", s) && yield("smb", nil)
	}
	_, err := population.NewPeers([]valuepath.Metric{"usage", "seats"}, members)
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	assert.Equal(t, []string{
		`population: members[0]: unknown metric "seats"`,
		"population: members[1]: invalid value: want a segment and a snapshot",
		"population: members[2]: invalid value: want a segment and a snapshot",
	}, strings.Split(err.Error(), "\n"))

	p, err := population.NewPeers([]valuepath.Metric{"usage"}, func(yield func(string, *valuepath.Snapshot) bool) { yield("smb", s) })
	require.NoError(t, err)
	other := valuepath.NewSnapshot(valuepath.Must(valuepath.NewSchema("usage_7d")), "b", asOf)
	_, err = p.Rank("smb", other)
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	assert.EqualError(t, err, `population: metrics[0]: unknown metric "usage"`)
}
