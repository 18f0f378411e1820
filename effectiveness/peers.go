package effectiveness

import (
	"fmt"
	"iter"
	"slices"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/stats"
	"github.com/valuepath/valuepath/internal/validate"
)

// PhaseCount is how many accounts of a population stand on one phase.
type PhaseCount struct {
	// Level is the phase (1-based); 0 counts the accounts that have not
	// reached the first phase yet.
	Level int    `json:"level"`
	Phase string `json:"phase,omitempty"`
	Count int    `json:"count"`
	// Share is Count over the population, in [0, 1]; 0 when it is empty.
	Share float64 `json:"share"`
}

// Distribution is the phase distribution of a population: the customer base
// as a curve to move, not a list of accounts. The zero value is not usable;
// get one from [Model.NewDistribution].
type Distribution struct {
	Total int `json:"total"`
	// Phases holds level 0 first, then every phase in order.
	Phases []PhaseCount `json:"phases"`
}

// NewDistribution returns an empty distribution over m's phases.
func (m *Model) NewDistribution() *Distribution {
	d := &Distribution{Phases: make([]PhaseCount, len(m.spec.Phases)+1)}
	for i := range d.Phases {
		d.Phases[i].Level = i
		if i > 0 {
			d.Phases[i].Phase = m.spec.Phases[i-1].ID
		}
	}
	return d
}

// Add counts one assessed account. Assessments of another model with a
// level beyond this distribution's phases are ignored.
func (d *Distribution) Add(a *Assessment) {
	if a.Level < 0 || a.Level >= len(d.Phases) {
		return
	}
	d.Phases[a.Level].Count++
	d.Total++
	for i := range d.Phases {
		d.Phases[i].Share = float64(d.Phases[i].Count) / float64(d.Total)
	}
}

// Distribution assesses every snapshot and counts the accounts per phase.
// It stops at the first snapshot that cannot be assessed.
func (a *Assessor) Distribution(snaps iter.Seq[*valuepath.Snapshot]) (*Distribution, error) {
	d := a.m.NewDistribution()
	for got, err := range a.AssessAll(snaps) {
		if err != nil {
			return nil, err
		}
		d.Add(got)
	}
	return d, nil
}

// Peers holds the metric values of a population grouped by segment, so that
// an account can be compared with like accounts: an enterprise customer
// with enterprise customers, not with a five-seat startup. Build it with
// [NewPeers]; a *Peers is immutable and safe for concurrent use.
type Peers struct {
	metrics []valuepath.Metric
	groups  map[string][][]float64 // segment → per metric, sorted present values
}

// NewPeers collects, per segment, the values of metrics over the population
// members yields as (segment, snapshot) pairs. Missing values are left out
// of the comparison. Metric names must be non-empty and unique, segments
// non-empty; snapshots are read, not kept.
func NewPeers(metrics []valuepath.Metric, members iter.Seq2[string, *valuepath.Snapshot]) (*Peers, error) {
	c := validate.New("effectiveness")
	seen := map[valuepath.Metric]int{}
	for i, m := range metrics {
		path := validate.Index("metrics", i)
		if !c.NonEmpty(path, string(m)) {
			continue
		}
		if j, dup := seen[m]; dup {
			c.Addf(path, valuepath.ErrDuplicate, "metric %q (also metrics[%d])", m, j)
		}
		seen[m] = i
	}
	if len(metrics) == 0 {
		c.Addf("metrics", valuepath.ErrInvalid, "name at least one metric to compare")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	p := &Peers{metrics: slices.Clone(metrics), groups: map[string][][]float64{}}
	i := 0
	for segment, snap := range members {
		if segment == "" || snap == nil {
			c.Addf(validate.Index("members", i), valuepath.ErrInvalid, "want a segment and a snapshot")
			i++
			continue
		}
		g := p.groups[segment]
		if g == nil {
			g = make([][]float64, len(metrics))
			p.groups[segment] = g
		}
		for k, m := range metrics {
			if v, ok := snap.Value(m); ok {
				g[k] = append(g[k], v)
			}
		}
		i++
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	for _, g := range p.groups {
		for _, vs := range g {
			slices.Sort(vs)
		}
	}
	return p, nil
}

// Segments returns the segments in sorted order.
func (p *Peers) Segments() []string {
	out := make([]string, 0, len(p.groups))
	for s := range p.groups {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// PeerRank places one metric of an account among its peers.
type PeerRank struct {
	Metric  valuepath.Metric `json:"metric"`
	Value   float64          `json:"value"`
	Present bool             `json:"present"`
	// Percentile is the share of peers below the value, ties counting
	// half, from 0 to 100; 0 when the value is missing.
	Percentile float64 `json:"percentile"`
	// Peers is how many accounts of the segment have the metric.
	Peers int `json:"peers"`
}

// Ranks is an account's metrics ranked among the accounts of its segment.
type Ranks struct {
	Account valuepath.AccountID `json:"account"`
	Segment string              `json:"segment"`
	Metrics []PeerRank          `json:"metrics"`
}

// Rank ranks snap's metrics among the peers of segment. It fails if the
// population has no account in segment.
func (p *Peers) Rank(segment string, snap *valuepath.Snapshot) (Ranks, error) {
	if snap == nil {
		return Ranks{}, fmt.Errorf("effectiveness: rank: %w: nil snapshot", valuepath.ErrInvalid)
	}
	g, ok := p.groups[segment]
	if !ok {
		return Ranks{}, fmt.Errorf("effectiveness: rank: %w: no peers in segment %q", valuepath.ErrInvalid, segment)
	}
	r := Ranks{Account: snap.Account, Segment: segment, Metrics: make([]PeerRank, len(p.metrics))}
	for k, m := range p.metrics {
		pr := PeerRank{Metric: m, Peers: len(g[k])}
		if v, ok := snap.Value(m); ok {
			pr.Value, pr.Present = v, true
			pr.Percentile = 100 * stats.PercentRank(g[k], v)
		}
		r.Metrics[k] = pr
	}
	return r, nil
}
