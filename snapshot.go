package valuepath

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"time"
)

// Schema is an immutable, ordered set of metric names. Snapshots built on one
// schema store values by position, so a model can resolve the names it reads
// to positions once ([Schema.Index]) and then read any number of snapshots
// without looking names up again. A *Schema is safe for concurrent use.
// Build one with [NewSchema]; the zero value is an empty schema.
type Schema struct {
	names []Metric
	index map[Metric]int
}

// NewSchema returns a schema of the given metric names in the given order.
// Names must be non-empty and unique.
func NewSchema(names ...Metric) (*Schema, error) {
	var p problems
	index := make(map[Metric]int, len(names))
	for i, n := range names {
		path := "metrics[" + strconv.Itoa(i) + "]"
		if n == "" {
			p.add(path, fmt.Errorf("%w: empty metric name", ErrInvalid))
			continue
		}
		if j, dup := index[n]; dup {
			p.add(path, fmt.Errorf("%w metric %q (also metrics[%d])", ErrDuplicate, n, j))
			continue
		}
		index[n] = i
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return &Schema{names: slices.Clone(names), index: index}, nil
}

// Len returns the number of metrics.
func (s *Schema) Len() int { return len(s.names) }

// Index returns the position of metric m, and false if the schema lacks it.
func (s *Schema) Index(m Metric) (int, bool) {
	i, ok := s.index[m]
	return i, ok
}

// Metric returns the name at position i.
func (s *Schema) Metric(i int) Metric { return s.names[i] }

// Metrics yields the positions and names in order.
func (s *Schema) Metrics() iter.Seq2[int, Metric] {
	return func(yield func(int, Metric) bool) {
		for i, n := range s.names {
			if !yield(i, n) {
				return
			}
		}
	}
}

// Snapshot holds the values of one account's metrics as of one time, on a
// [Schema]. Every metric of the schema is either present with a finite value
// or missing: a snapshot tells "zero" from "unknown". Use [NewSnapshot] to
// make one; the zero value has no schema and holds nothing.
//
// A Snapshot is a buffer that batch paths reuse: methods that fill it
// ([Derivations.EvaluateInto], [Snapshot.Reset]) overwrite it in place. Use
// [Snapshot.Clone] to keep a copy.
type Snapshot struct {
	Account AccountID
	AsOf    time.Time

	schema  *Schema
	values  []float64
	present []bool
}

// NewSnapshot returns a snapshot on schema with every metric missing.
func NewSnapshot(schema *Schema, account AccountID, asOf time.Time) *Snapshot {
	s := &Snapshot{Account: account, AsOf: asOf, schema: schema}
	if schema != nil {
		s.values = make([]float64, schema.Len())
		s.present = make([]bool, schema.Len())
	}
	return s
}

// SnapshotOf returns a snapshot whose schema is the keys of values in sorted
// order. It is a convenience for tests and small programs; hot paths build one
// schema and reuse it. NaN or infinite values are rejected.
func SnapshotOf(account AccountID, asOf time.Time, values map[Metric]float64) (*Snapshot, error) {
	names := make([]Metric, 0, len(values))
	for m := range values {
		names = append(names, m)
	}
	slices.Sort(names)
	schema, err := NewSchema(names...)
	if err != nil {
		return nil, err
	}
	s := NewSnapshot(schema, account, asOf)
	var p problems
	for i, m := range names {
		if err := s.SetAt(i, values[m]); err != nil {
			p.add("values["+strconv.Quote(string(m))+"]", err)
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// Schema returns the snapshot's schema.
func (s *Snapshot) Schema() *Schema { return s.schema }

// Reset makes every metric missing and sets the account and time, keeping
// the schema and the storage.
func (s *Snapshot) Reset(account AccountID, asOf time.Time) {
	s.Account, s.AsOf = account, asOf
	clear(s.present)
	clear(s.values)
}

// Value returns the value of m and whether it is present. A metric the schema
// lacks is reported as missing.
func (s *Snapshot) Value(m Metric) (float64, bool) {
	if s.schema == nil {
		return 0, false
	}
	i, ok := s.schema.index[m]
	if !ok {
		return 0, false
	}
	return s.values[i], s.present[i]
}

// ValueAt returns the value at schema position i and whether it is present.
func (s *Snapshot) ValueAt(i int) (float64, bool) { return s.values[i], s.present[i] }

// Set sets metric m. It fails if the schema lacks m or v is NaN or infinite;
// the snapshot is then unchanged.
func (s *Snapshot) Set(m Metric, v float64) error {
	if s.schema == nil {
		return fmt.Errorf("valuepath: snapshot has no schema: %w %q", ErrUnknownMetric, m)
	}
	i, ok := s.schema.index[m]
	if !ok {
		return fmt.Errorf("valuepath: %w %q", ErrUnknownMetric, m)
	}
	return s.SetAt(i, v)
}

// SetAt sets the metric at schema position i. NaN and infinite values are
// rejected and leave the snapshot unchanged.
func (s *Snapshot) SetAt(i int, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("valuepath: metric %q: %w: %v", s.schema.names[i], ErrNotFinite, v)
	}
	s.values[i], s.present[i] = v, true
	return nil
}

// Unset marks the metric at schema position i as missing.
func (s *Snapshot) Unset(i int) { s.values[i], s.present[i] = 0, false }

// Coverage counts how many metrics of the schema are present.
type Coverage struct {
	Present int `json:"present"`
	Total   int `json:"total"`
}

// Ratio returns Present/Total, and 1 for an empty schema.
func (c Coverage) Ratio() float64 {
	if c.Total == 0 {
		return 1
	}
	return float64(c.Present) / float64(c.Total)
}

// Coverage reports how many of the schema's metrics are present.
func (s *Snapshot) Coverage() Coverage {
	c := Coverage{Total: len(s.present)}
	for _, ok := range s.present {
		if ok {
			c.Present++
		}
	}
	return c
}

// Missing yields the names of the metrics that are missing, in schema order.
func (s *Snapshot) Missing() iter.Seq[Metric] {
	return func(yield func(Metric) bool) {
		for i, ok := range s.present {
			if !ok && !yield(s.schema.names[i]) {
				return
			}
		}
	}
}

// Clone returns a deep copy that later reuse of s does not affect. The copy
// shares the immutable schema.
func (s *Snapshot) Clone() *Snapshot {
	c := *s
	c.values = slices.Clone(s.values)
	c.present = slices.Clone(s.present)
	return &c
}

// CloneInto makes dst a deep copy of s, like [Snapshot.Clone], reusing dst's
// storage when it is large enough: copying into the same dst again and again
// allocates nothing once it has grown to the schema. dst must not be nil.
func (s *Snapshot) CloneInto(dst *Snapshot) {
	dst.Account, dst.AsOf, dst.schema = s.Account, s.AsOf, s.schema
	dst.values = append(dst.values[:0], s.values...)
	dst.present = append(dst.present[:0], s.present...)
}

type snapshotJSON struct {
	Account  AccountID          `json:"account"`
	AsOf     time.Time          `json:"as_of"`
	Values   map[Metric]float64 `json:"values"`
	Missing  []Metric           `json:"missing"`
	Coverage Coverage           `json:"coverage"`
}

// MarshalJSON writes the account, the time, the present values by name, the
// missing names and the coverage.
func (s *Snapshot) MarshalJSON() ([]byte, error) {
	out := snapshotJSON{Account: s.Account, AsOf: s.AsOf, Values: map[Metric]float64{}, Missing: []Metric{}, Coverage: s.Coverage()}
	for i, ok := range s.present {
		if ok {
			out.Values[s.schema.names[i]] = s.values[i]
		} else {
			out.Missing = append(out.Missing, s.schema.names[i])
		}
	}
	return json.Marshal(out)
}
