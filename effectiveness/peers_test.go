package effectiveness_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

func TestDistribution(t *testing.T) {
	m := crmModel(t)
	a, err := m.Bind(crmSchema, effectiveness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snaps := func(yield func(*valuepath.Snapshot) bool) {
		for _, v := range []map[valuepath.Metric]float64{
			{},
			{"seat_utilisation": 0.9, "records_updated_30d": 200},
			{"seat_utilisation": 0.9, "records_updated_30d": 200, "reports_created_30d": 11, "days_since_qbr": 10},
			{"seat_utilisation": 0.9, "records_updated_30d": 200, "reports_created_30d": 11},
		} {
			if !yield(snap(t, "x", v)) {
				return
			}
		}
	}
	d, err := a.Distribution(snaps)
	if err != nil {
		t.Fatal(err)
	}
	want := &effectiveness.Distribution{Total: 4, Phases: []effectiveness.PhaseCount{
		{Level: 0, Count: 1, Share: 0.25},
		{Level: 1, Phase: "basics", Count: 2, Share: 0.5},
		{Level: 2, Phase: "reporting", Count: 1, Share: 0.25},
		{Level: 3, Phase: "automation"},
		{Level: 4, Phase: "outcomes"},
	}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("distribution (-want +got):\n%s", diff)
	}
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
	p, err := effectiveness.NewPeers([]valuepath.Metric{"usage", "seats"}, members)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Rank("smb", mk("b", 3))
	if err != nil {
		t.Fatal(err)
	}
	want := effectiveness.Ranks{Account: "b", Segment: "smb", Metrics: []effectiveness.PeerRank{
		// Two of four below, one tie counting half.
		{Metric: "usage", Value: 3, Present: true, Percentile: 62.5, Peers: 4},
		{Metric: "seats", Peers: 0},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranks (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"enterprise", "smb"}, p.Segments()); diff != "" {
		t.Errorf("segments (-want +got):\n%s", diff)
	}
	if _, err := p.Rank("mid-market", mk("x", 1)); err == nil {
		t.Error("Rank in a segment without peers succeeded")
	}
	_, err = effectiveness.NewPeers([]valuepath.Metric{"usage", "", "usage"}, members)
	wantErr := []string{
		"effectiveness: metrics[1]: invalid value: must not be empty",
		`effectiveness: metrics[2]: duplicate: metric "usage" (also metrics[0])`,
	}
	if diff := cmp.Diff(wantErr, errLines(err)); diff != "" {
		t.Errorf("NewPeers errors (-want +got):\n%s", diff)
	}
}
