// Package population places accounts among the population they belong to:
// the phase distribution of a customer base on an effectiveness model, and
// an account's metrics ranked among the peers of its segment.
//
// The customer base is a curve to move, not a list of accounts: a
// [Distribution] counts the accounts per phase of an
// [effectiveness.Model], and [Peers] compares an enterprise customer with
// enterprise customers, not with a five-seat startup.
//
//	d, err := population.Distribute(assessor, snapshots)
//	peers, err := population.NewPeers(metrics, members)
//	ranks, err := peers.Rank("enterprise", snapshot)
//
// This is offline analysis over a whole base, which is why it lives apart
// from package effectiveness and its per-account hot paths. Shares and
// percentiles that have no value (a share of no accounts, a rank among no
// peers) are absent with a reason, never 0.
package population

import (
	"fmt"
	"iter"
	"slices"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
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
	// Share is Count over the population, in [0, 1]; absent while the
	// population is empty.
	Share valuepath.Number `json:"share"`
}

// Distribution is the phase distribution of a population on one model.
// The zero value is not usable; get one from [NewDistribution] or
// [Distribute].
type Distribution struct {
	Total int `json:"total"`
	// Phases holds level 0 first, then every phase in order.
	Phases []PhaseCount `json:"phases"`
}

// reasonEmpty says why the shares of an empty distribution are absent.
const reasonEmpty = "no accounts counted"

// NewDistribution returns an empty distribution over m's phases.
func NewDistribution(m *effectiveness.Model) *Distribution {
	d := &Distribution{Phases: make([]PhaseCount, m.NumPhases()+1)}
	for i := range d.Phases {
		d.Phases[i].Level = i
		d.Phases[i].Share = valuepath.Absent(reasonEmpty)
		if i > 0 {
			d.Phases[i].Phase = m.Phase(i).ID
		}
	}
	return d
}

// Add counts one assessed account. It fails, counting nothing, on a nil
// assessment or one whose level is beyond this distribution's phases (an
// assessment on another model).
func (d *Distribution) Add(a *effectiveness.Assessment) error {
	if a == nil || a.Level < 0 || a.Level >= len(d.Phases) {
		return fmt.Errorf("population: distribution: %w: not an assessment on the distribution's model", valuepath.ErrInvalid)
	}
	d.Phases[a.Level].Count++
	d.Total++
	for i := range d.Phases {
		d.Phases[i].Share = valuepath.Defined(float64(d.Phases[i].Count) / float64(d.Total))
	}
	return nil
}

// Distribute assesses every snapshot with a and counts the accounts per
// phase of a's model. It stops at the first snapshot that cannot be
// assessed, returning its *[valuepath.AccountError].
func Distribute(a *effectiveness.Assessor, snaps iter.Seq[*valuepath.Snapshot]) (*Distribution, error) {
	d := NewDistribution(a.Model())
	for got, err := range a.AssessAll(snaps, valuepath.BatchOptions{Concurrency: 1}) {
		if err != nil {
			return nil, err
		}
		if err := d.Add(got); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Peers holds the metric values of a population grouped by segment, so that
// an account can be compared with like accounts. Build it with [NewPeers];
// a *Peers is immutable and safe for concurrent use.
type Peers struct {
	metrics []valuepath.Metric
	groups  map[string][][]float64 // segment → per metric, sorted present values
}

// NewPeers collects, per segment, the values of metrics over the population
// members yields as (segment, snapshot) pairs. Missing values are left out
// of the comparison. Metric names must be non-empty and unique, segments
// non-empty, snapshots non-nil; a snapshot whose schema lacks one of the
// metrics is an error wrapping [valuepath.ErrUnknownMetric] naming the
// member and the metric ("members[3]: unknown metric \"seats\""). Every
// problem is reported, joined. Snapshots are read, not kept.
func NewPeers(metrics []valuepath.Metric, members iter.Seq2[string, *valuepath.Snapshot]) (*Peers, error) {
	c := validate.New("population")
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
		path := validate.Index("members", i)
		i++
		if segment == "" || snap == nil {
			c.Addf(path, valuepath.ErrInvalid, "want a segment and a snapshot")
			continue
		}
		g := p.groups[segment]
		if g == nil {
			g = make([][]float64, len(metrics))
			p.groups[segment] = g
		}
		for k, m := range metrics {
			j, ok := snap.Schema().Index(m)
			if !ok {
				c.Add(path, fmt.Errorf("%w %q", valuepath.ErrUnknownMetric, m))
				continue
			}
			if v, ok := snap.ValueAt(j); ok {
				g[k] = append(g[k], v)
			}
		}
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

// Rank places one metric of an account among its peers.
type Rank struct {
	Metric valuepath.Metric `json:"metric"`
	// Value is the account's value, absent when it has none.
	Value valuepath.Number `json:"value"`
	// Percentile is the share of peers below the value, ties counting
	// half, from 0 to 100; absent when the value is, or when no peer has
	// the metric.
	Percentile valuepath.Number `json:"percentile"`
	// Peers is how many accounts of the segment have the metric.
	Peers int `json:"peers"`
}

// Ranks is an account's metrics ranked among the accounts of its segment.
type Ranks struct {
	Account valuepath.AccountID `json:"account"`
	Segment string              `json:"segment"`
	Metrics []Rank              `json:"metrics"`
}

// The reasons a rank is absent.
const (
	reasonNoValue = "the account has no value"
	reasonNoPeers = "no peer of the segment has a value"
)

// Rank ranks snap's metrics among the peers of segment. It fails on a nil
// snapshot, a segment the population has no account in, and a snapshot
// whose schema lacks one of the metrics (an error wrapping
// [valuepath.ErrUnknownMetric] naming it: "metrics[1]: unknown metric").
func (p *Peers) Rank(segment string, snap *valuepath.Snapshot) (Ranks, error) {
	if snap == nil {
		return Ranks{}, fmt.Errorf("population: rank: %w: nil snapshot", valuepath.ErrInvalid)
	}
	g, ok := p.groups[segment]
	if !ok {
		return Ranks{}, fmt.Errorf("population: rank: %w: no peers in segment %q", valuepath.ErrInvalid, segment)
	}
	c := validate.New("population")
	r := Ranks{Account: snap.Account, Segment: segment, Metrics: make([]Rank, len(p.metrics))}
	for k, m := range p.metrics {
		pr := Rank{Metric: m, Peers: len(g[k]), Value: valuepath.Absent(reasonNoValue), Percentile: valuepath.Absent(reasonNoValue)}
		j, ok := snap.Schema().Index(m)
		if !ok {
			c.Add(validate.Index("metrics", k), fmt.Errorf("%w %q", valuepath.ErrUnknownMetric, m))
			continue
		}
		if v, ok := snap.ValueAt(j); ok {
			pr.Value = valuepath.Defined(v)
			pr.Percentile = valuepath.Absent(reasonNoPeers)
			if len(g[k]) > 0 {
				pr.Percentile = valuepath.Defined(100 * stats.PercentRank(g[k], v))
			}
		}
		r.Metrics[k] = pr
	}
	if err := c.Err(); err != nil {
		return Ranks{}, err
	}
	return r, nil
}
