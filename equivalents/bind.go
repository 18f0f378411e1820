package equivalents

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
)

// Binding converts one metric of [valuepath.Snapshot]s along a [Path]. It
// resolves the metric's position in the schema once, so a batch over
// millions of snapshots reads each value by index. A *Binding is immutable
// and safe for concurrent use.
type Binding struct {
	path   *Path
	schema *valuepath.Schema
	metric valuepath.Metric
	index  int
}

// Bind returns a binding that reads metric from snapshots on schema, whose
// values count the path's From unit, and converts them along p.
func (p *Path) Bind(schema *valuepath.Schema, metric valuepath.Metric) (*Binding, error) {
	if schema == nil {
		return nil, fmt.Errorf("equivalents: bind %q: %w: nil schema", metric, valuepath.ErrInvalid)
	}
	i, ok := schema.Index(metric)
	if !ok {
		return nil, fmt.Errorf("equivalents: bind: %w %q", valuepath.ErrUnknownMetric, metric)
	}
	return &Binding{path: p, schema: schema, metric: metric, index: i}, nil
}

// Path returns the path the binding converts along.
func (b *Binding) Path() *Path { return b.path }

// Apply converts the bound metric of s. It returns false, with no error, when
// the metric is missing from s, so a report can tell "no data" from zero.
// A snapshot on another schema is an error: positions would not match.
func (b *Binding) Apply(s *valuepath.Snapshot) (decimal.Decimal, bool, error) {
	if s == nil || s.Schema() != b.schema {
		return decimal.Decimal{}, false, fmt.Errorf("equivalents: metric %q: %w: snapshot is not on the bound schema", b.metric, valuepath.ErrInvalid)
	}
	v, ok := s.ValueAt(b.index)
	if !ok {
		return decimal.Decimal{}, false, nil
	}
	if math.IsNaN(v) || math.IsInf(v, 0) { // snapshots reject these; kept for safety
		return decimal.Decimal{}, false, fmt.Errorf("equivalents: metric %q: %w", b.metric, valuepath.ErrNotFinite)
	}
	out, err := b.path.Apply(decimal.NewFromFloat(v))
	return out, err == nil, err
}
