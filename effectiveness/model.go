package effectiveness

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// The bounds on the number of phases: five, plus or minus two. Fewer phases
// cannot show a path; more cannot be told apart by the people who use them.
const (
	MinPhases = 3
	MaxPhases = 7
)

// ModelSpec is an effectiveness model as data: what [NewModel] compiles,
// [ParseModel] reads from JSON and [Model.Spec] returns.
type ModelSpec struct {
	// Name names the model, e.g. "CRM effectiveness".
	Name string `json:"name,omitempty"`
	// Phases lists MinPhases to MaxPhases phases, from the basics any value
	// needs to what the best customers do.
	Phases []Phase `json:"phases"`
	// Placement decides when a phase counts as reached. The zero value is
	// the strict ladder.
	Placement Placement `json:"placement"`
	// Metrics declares where metrics come from. A metric not listed is
	// taken as usage measured by the product.
	Metrics []MetricSource `json:"metrics,omitempty"`
}

// Phase is one phase of an effectiveness model, defined by representative
// behaviors. ID is unique across the model; Name and Description are for
// people.
type Phase struct {
	ID          string     `json:"id"`
	Name        string     `json:"name,omitempty"`
	Description string     `json:"description,omitempty"`
	Behaviors   []Behavior `json:"behaviors"`
}

// Behavior is something customers in a phase do, with the criterion over
// snapshot metrics that shows it and the product features that help.
type Behavior struct {
	// ID is unique across the model.
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	// Features lists the product features that help achieve the behavior,
	// where that is genuine; it may be empty.
	Features  []string  `json:"features,omitempty"`
	Criterion Criterion `json:"criterion"`
}

// PlacementPolicy says when a phase counts as reached.
type PlacementPolicy string

// The placement policies.
const (
	// Ladder places an account on the highest phase whose behaviors are all
	// met, provided every lower phase is reached too. It is the default.
	Ladder PlacementPolicy = "ladder"
	// ShareOfBehaviors reaches a phase when at least Placement.Share of its
	// behaviors are met, again with every lower phase reached.
	ShareOfBehaviors PlacementPolicy = "share"
)

// Placement decides when a phase is reached. The zero value is [Ladder].
type Placement struct {
	Policy PlacementPolicy `json:"policy,omitempty"`
	// Share is the share of a phase's behaviors that must be met under
	// [ShareOfBehaviors], in (0, 1]; e.g. 0.8. Ladder leaves it zero.
	Share float64 `json:"share,omitempty"`
}

// Source says where a metric comes from.
type Source string

// The sources of metrics.
const (
	// Usage is measured by the product itself.
	Usage Source = "usage"
	// CustomerReported is reported by the customer (revenue, win rate…);
	// using it needs the customer's consent, given per account through a
	// [Consent] func.
	CustomerReported Source = "customer_reported"
)

func validSource(s Source) bool { return s == Usage || s == CustomerReported }

// MetricSource declares the source of one metric, with an optional
// description of what it measures.
type MetricSource struct {
	Metric      valuepath.Metric `json:"metric"`
	Source      Source           `json:"source"`
	Description string           `json:"description,omitempty"`
}

// Consent reports whether account has consented to the use of a
// customer-reported metric. A nil Consent consents to nothing: such metrics
// are then excluded, and results list them as excluded.
type Consent func(account valuepath.AccountID, metric valuepath.Metric) bool

// behaviorInfo is a behavior compiled.
type behaviorInfo struct {
	phase      int
	root       int32 // node index
	leafStart  int32 // observation slots [leafStart, leafEnd)
	leafEnd    int32
	hasFeature bool
}

// Model is a validated, immutable effectiveness model, compiled for
// evaluation. Build it with [NewModel] or [ParseModel]; bind it to a
// snapshot schema with [Model.Bind] to assess accounts. A *Model is safe for
// concurrent use. The zero value is not usable.
type Model struct {
	spec      ModelSpec
	nodes     []node
	leaves    []valuepath.Metric
	leafPaths []string       // per leaf: the field path of its metric
	behaviors []behaviorInfo // in model order
	phaseEnd  []int          // behaviors of phase p are [phaseEnd[p-1], phaseEnd[p])
	required  []int          // behaviors that must be met to reach each phase
	reported  map[valuepath.Metric]bool
}

// NewModel validates spec and compiles it. Every problem is reported with
// its field path, joined: fewer than [MinPhases] or more than [MaxPhases]
// phases, empty or duplicate phase and behavior ids, phases without
// behaviors, malformed criteria or unknown comparisons, NaN or infinite
// thresholds, an unknown placement policy or a share outside (0, 1], and
// bad metric sources. spec is copied, not kept.
func NewModel(spec ModelSpec) (*Model, error) {
	c := validate.New("effectiveness")
	m := &Model{spec: spec.clone(), reported: map[valuepath.Metric]bool{}}
	spec = m.spec
	if n := len(spec.Phases); n < MinPhases || n > MaxPhases {
		c.Addf("phases", valuepath.ErrInvalid, "want %d to %d phases, got %d", MinPhases, MaxPhases, n)
	}
	k := &compiler{c: c}
	phaseIDs := map[string]int{}
	behaviorIDs := map[string]string{}
	for p, ph := range spec.Phases {
		path := validate.Index("phases", p)
		if c.NonEmpty(validate.Field(path, "id"), ph.ID) {
			if q, dup := phaseIDs[ph.ID]; dup {
				c.Addf(validate.Field(path, "id"), valuepath.ErrDuplicate, "phase id %q (also phases[%d])", ph.ID, q)
			} else {
				phaseIDs[ph.ID] = p
			}
		}
		if len(ph.Behaviors) == 0 {
			c.Addf(validate.Field(path, "behaviors"), valuepath.ErrInvalid, "a phase needs at least one behavior")
		}
		for b, bh := range ph.Behaviors {
			bpath := validate.Index(validate.Field(path, "behaviors"), b)
			if c.NonEmpty(validate.Field(bpath, "id"), bh.ID) {
				if other, dup := behaviorIDs[bh.ID]; dup {
					c.Addf(validate.Field(bpath, "id"), valuepath.ErrDuplicate, "behavior id %q (also %s)", bh.ID, other)
				} else {
					behaviorIDs[bh.ID] = bpath
				}
			}
			for f, feat := range bh.Features {
				c.NonEmpty(validate.Index(validate.Field(bpath, "features"), f), feat)
			}
			info := behaviorInfo{phase: p, leafStart: int32(len(k.leaves)), hasFeature: len(bh.Features) > 0}
			info.root = k.root(validate.Field(bpath, "criterion"), &bh.Criterion)
			info.leafEnd = int32(len(k.leaves))
			m.behaviors = append(m.behaviors, info)
		}
		m.phaseEnd = append(m.phaseEnd, len(m.behaviors))
	}
	share := 1.0
	switch spec.Placement.Policy {
	case "", Ladder:
		if spec.Placement.Share != 0 && spec.Placement.Share != 1 {
			c.Addf("placement.share", valuepath.ErrInvalid, "the ladder policy takes no share (every behavior counts), got %v", spec.Placement.Share)
		}
	case ShareOfBehaviors:
		share = spec.Placement.Share
		if c.Finite("placement.share", share) && (share <= 0 || share > 1) {
			c.Addf("placement.share", valuepath.ErrInvalid, "must be in (0, 1], got %v", share)
		}
	default:
		c.Addf("placement.policy", valuepath.ErrInvalid, "unknown policy %q (want %q or %q)", spec.Placement.Policy, Ladder, ShareOfBehaviors)
	}
	seen := map[valuepath.Metric]int{}
	for i, ms := range spec.Metrics {
		path := validate.Index("metrics", i)
		if c.NonEmpty(validate.Field(path, "metric"), string(ms.Metric)) {
			if j, dup := seen[ms.Metric]; dup {
				c.Addf(validate.Field(path, "metric"), valuepath.ErrDuplicate, "metric %q (also metrics[%d])", ms.Metric, j)
			}
			seen[ms.Metric] = i
		}
		if !validSource(ms.Source) {
			c.Addf(validate.Field(path, "source"), valuepath.ErrInvalid, "unknown source %q (want %q or %q)", ms.Source, Usage, CustomerReported)
		}
		if ms.Source == CustomerReported {
			m.reported[ms.Metric] = true
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	m.nodes, m.leaves, m.leafPaths = k.nodes, k.leaves, k.leafPaths
	start := 0
	for _, end := range m.phaseEnd {
		m.required = append(m.required, requiredCount(end-start, share))
		start = end
	}
	return m, nil
}

// requiredCount is the number of behaviors out of n that reach a phase when
// share of them must be met, rounded up.
func requiredCount(n int, share float64) int {
	r := int(float64(n)*share + 1 - 1e-9)
	return min(max(r, 1), n)
}

// ParseModel reads a [ModelSpec] from JSON, rejecting unknown fields and
// trailing data, and compiles it with [NewModel].
func ParseModel(data []byte) (*Model, error) {
	var spec ModelSpec
	if err := strictUnmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("effectiveness: model: %w", err)
	}
	return NewModel(spec)
}

// strictUnmarshal decodes exactly one JSON value into v, rejecting unknown
// fields and anything after the value.
func strictUnmarshal(data []byte, v any) error { return strictjson.Unmarshal(data, v) }

// Spec returns a deep copy of the configuration m was built from.
func (m *Model) Spec() ModelSpec { return m.spec.clone() }

// Name returns the model's name.
func (m *Model) Name() string { return m.spec.Name }

// MarshalJSON writes the model's spec; [ParseModel] reads it back.
func (m *Model) MarshalJSON() ([]byte, error) { return json.Marshal(m.spec) }

// NumPhases returns the number of phases.
func (m *Model) NumPhases() int { return len(m.spec.Phases) }

// Phase returns the phase at level (1-based). It panics if level is out of
// range, like a slice index. The returned phase shares the model's storage:
// treat it as read-only.
func (m *Model) Phase(level int) Phase { return m.spec.Phases[level-1] }

// Metrics returns the distinct metrics the model's criteria read, in the
// order they first appear.
func (m *Model) Metrics() []valuepath.Metric {
	seen := map[valuepath.Metric]bool{}
	var out []valuepath.Metric
	for _, l := range m.leaves {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// behavior returns the spec of the i'th behavior in model order.
func (m *Model) behavior(i int) *Behavior {
	info := m.behaviors[i]
	start := 0
	if info.phase > 0 {
		start = m.phaseEnd[info.phase-1]
	}
	return &m.spec.Phases[info.phase].Behaviors[i-start]
}

func (s ModelSpec) clone() ModelSpec {
	out := s
	if s.Phases != nil {
		out.Phases = make([]Phase, len(s.Phases))
		for i, p := range s.Phases {
			if p.Behaviors != nil {
				bs := make([]Behavior, len(p.Behaviors))
				for j, b := range p.Behaviors {
					b.Features = append([]string(nil), b.Features...)
					b.Criterion = b.Criterion.clone()
					bs[j] = b
				}
				p.Behaviors = bs
			}
			out.Phases[i] = p
		}
	}
	out.Metrics = append([]MetricSource(nil), s.Metrics...)
	return out
}

// formatFloat formats v in the shortest form that reads back exactly.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
