package health

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// Scorecard is a compiled, validated scorecard. It is immutable and safe for
// concurrent use: compile it once with [NewScorecard] or [ParseScorecard] and score any number
// of snapshots with it. The zero value is not usable.
type Scorecard struct {
	spec     ScorecardSpec
	hash     string
	groups   []cgroup   // pre-order: a parent comes before its children
	measures []cmeasure // in declaration order, depth first
	hot      []hotMeasure
	bands    BandSet
	rules    []crule
	// bound caches the metric positions for the schema seen last, so a
	// batch over snapshots of one schema resolves names once.
	bound atomic.Pointer[binding]
}

// hotMeasure holds what the summary path reads of a measure, packed
// together for the cache.
type hotMeasure struct {
	group         int
	weight, share float64
	kind          schemeKind
	missing       missingKind
	lo, hi        Point // first and last points
	// inline holds a thresholds scheme of at most four points without
	// indirection: values, scores and slopes (see cmeasure.slopes).
	inline     bool
	n          int
	pv, ps, sl [4]float64
	// tv, bv, bs and bsl find the segment of an inline scheme without a
	// branch (see inlineScore): tv holds the point values padded with
	// +Inf; bv, bs and bsl hold, for k points below v, the base value,
	// base score and slope of the line through v — at or below the first
	// point and above the last, the end point's score with slope 0.
	tv          [4]float64
	bv, bs, bsl [8]float64
}

// b2i is 1 for true and 0 for false; the compiler makes it a SETcc.
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// inlineScore is scoreOf for an inline thresholds scheme and a finite v,
// with the same result: k, the number of points below v, is counted with
// conditional moves instead of a search whose branches random data
// mispredicts.
func (m *hotMeasure) inlineScore(v float64) float64 {
	k := (b2i(v > m.tv[0]) + b2i(v > m.tv[1]) + b2i(v > m.tv[2]) + b2i(v > m.tv[3])) & 7
	score := m.bs[k] + (v-m.bv[k])*m.bsl[k]
	if score != score || score < 0 || score > 100 {
		score = interpolate(Point{Value: m.bv[k], Score: m.bs[k]}, m.bsl[k], v)
	}
	return score
}

type cgroup struct {
	id, name string
	parent   int // index in groups, -1 for top level
	weight   float64
}

type cmeasure struct {
	path      string // e.g. "groups[0].measures[3]"
	id, name  string
	metric    valuepath.Metric
	group     int
	weight    float64
	share     float64 // nominal share of the overall weight
	dir       valuepath.Direction
	kind      schemeKind
	points    []Point
	slopes    []float64 // slopes[i]: score per unit between points[i-1] and points[i]
	cats      []Category
	missing   missingKind
	bands     BandSet
	timing    Timing
	scope     Scope
	groupName string
}

type schemeKind uint8

const (
	kindThresholds schemeKind = iota
	kindSteps
	kindCategories
)

var schemeKinds = map[SchemeKind]schemeKind{Thresholds: kindThresholds, Steps: kindSteps, Categories: kindCategories}

type missingKind uint8

const (
	missExclude missingKind = iota
	missNeutral
	missWorst
	missUnavailable
)

var missingKinds = map[MissingPolicy]missingKind{MissingExclude: missExclude, MissingNeutral: missNeutral, MissingWorst: missWorst, MissingUnavailable: missUnavailable}

type crule struct {
	Rule
	path string // e.g. "rules[0]"
	rank int    // band rank of Cap or Floor
}

// binding holds the schema positions of the metrics a scorecard reads, or
// the error that the schema lacks some of them.
type binding struct {
	schema   *valuepath.Schema
	measures []int // schema position per measure
	rules    []int // schema position per rule
	err      error
}

// NewScorecard validates spec and compiles it into a Scorecard. Every problem is
// reported with its field path ("groups[0].measures[2].weight"), joined:
// empty or duplicate ids, weights that are not > 0, empty groups, unknown
// scheme kinds, thresholds out of order, scores outside 0–100 or against the
// measure's direction, band sets with gaps or overlaps, and rules naming
// unknown bands. spec is copied, not kept.
func NewScorecard(spec ScorecardSpec) (*Scorecard, error) {
	c := validate.New("health")
	sc := &Scorecard{}
	ids := map[string]string{}
	spec = cloneSpec(spec)
	if len(spec.Bands) == 0 {
		spec.Bands = DefaultBands()
	} else {
		spec.Bands.check(c, "bands")
	}
	sc.bands = spec.Bands
	if len(spec.Groups) == 0 {
		c.Addf("groups", valuepath.ErrInvalid, "must have at least one group")
	}
	for i := range spec.Groups {
		sc.addGroup(c, ids, &spec.Groups[i], validate.Index("groups", i), -1)
	}
	ruleIDs := map[string]int{}
	for i := range spec.Rules {
		r := &spec.Rules[i]
		p := validate.Index("rules", i)
		if c.NonEmpty(validate.Field(p, "id"), r.ID) {
			if j, dup := ruleIDs[r.ID]; dup {
				c.Addf(validate.Field(p, "id"), valuepath.ErrDuplicate, "rule %q (also rules[%d])", r.ID, j)
			} else {
				ruleIDs[r.ID] = i
			}
		}
		c.NonEmpty(validate.Field(p, "metric"), string(r.Metric))
		if !r.Op.Valid() {
			c.Addf(validate.Field(p, "op"), valuepath.ErrInvalid, "unknown op %q (want <, <=, >, >=, == or !=)", r.Op)
		}
		c.Finite(validate.Field(p, "value"), r.Value)
		cr := crule{Rule: *r, path: p}
		switch {
		case (r.Cap == "") == (r.Floor == ""):
			c.Addf(p, valuepath.ErrInvalid, "set exactly one of cap and floor")
		case r.Cap != "":
			cr.rank = sc.bandRank(c, validate.Field(p, "cap"), r.Cap)
		default:
			cr.rank = sc.bandRank(c, validate.Field(p, "floor"), r.Floor)
		}
		sc.rules = append(sc.rules, cr)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	sc.spec = spec
	sc.shares()
	for i := range sc.measures {
		m := &sc.measures[i]
		if m.kind != kindThresholds {
			continue
		}
		m.slopes = make([]float64, len(m.points))
		for k := 1; k < len(m.points); k++ {
			a, b := m.points[k-1], m.points[k]
			m.slopes[k] = (b.Score - a.Score) / (b.Value - a.Value)
		}
	}
	sc.hot = make([]hotMeasure, len(sc.measures))
	for i := range sc.measures {
		sc.hot[i] = sc.measures[i].hotMeasure()
	}
	data, err := json.Marshal(spec)
	if err != nil {
		return nil, fmt.Errorf("health: %w", err)
	}
	sum := sha256.Sum256(data)
	sc.hash = "sha256:" + hex.EncodeToString(sum[:16])
	return sc, nil
}

func (sc *Scorecard) bandRank(c *validate.Collector, path string, b Band) int {
	r, ok := sc.bands.Rank(b)
	if !ok && len(sc.bands) > 0 {
		c.Addf(path, valuepath.ErrInvalid, "unknown band %q (the scorecard's bands are %s)", b, sc.bands)
	}
	return r
}

func claimID(c *validate.Collector, ids map[string]string, path, id string) {
	if !c.NonEmpty(validate.Field(path, "id"), id) {
		return
	}
	if other, dup := ids[id]; dup {
		c.Addf(validate.Field(path, "id"), valuepath.ErrDuplicate, "id %q (also %s)", id, other)
		return
	}
	ids[id] = path
}

// Weights are relative, so their scale carries no meaning; bounding it
// keeps every sum and ratio of weights well inside float64.
const minWeight, maxWeight = 1e-9, 1e9

func checkWeight(c *validate.Collector, path string, w float64) {
	if c.Positive(path, w) && (w < minWeight || w > maxWeight) {
		c.Addf(path, valuepath.ErrInvalid, "must be within 1e-9 and 1e9, got %v", w)
	}
}

func (sc *Scorecard) addGroup(c *validate.Collector, ids map[string]string, g *Group, path string, parent int) {
	claimID(c, ids, path, g.ID)
	checkWeight(c, validate.Field(path, "weight"), g.Weight)
	if len(g.Measures) == 0 && len(g.Groups) == 0 {
		c.Addf(path, valuepath.ErrInvalid, "group %q is empty: it needs measures or groups", g.ID)
	}
	if g.Name == "" {
		g.Name = g.ID
	}
	gi := len(sc.groups)
	sc.groups = append(sc.groups, cgroup{id: g.ID, name: g.Name, parent: parent, weight: g.Weight})
	for i := range g.Measures {
		sc.addMeasure(c, ids, &g.Measures[i], validate.Index(validate.Field(path, "measures"), i), gi)
	}
	for i := range g.Groups {
		sc.addGroup(c, ids, &g.Groups[i], validate.Index(validate.Field(path, "groups"), i), gi)
	}
}

func (sc *Scorecard) addMeasure(c *validate.Collector, ids map[string]string, m *Measure, path string, group int) {
	claimID(c, ids, path, m.ID)
	c.NonEmpty(validate.Field(path, "metric"), string(m.Metric))
	checkWeight(c, validate.Field(path, "weight"), m.Weight)
	if m.Name == "" {
		m.Name = m.ID
	}
	if m.Direction == "" {
		m.Direction = valuepath.HigherIsBetter
	}
	if m.Missing == "" {
		m.Missing = MissingExclude
	}
	if !m.Direction.Valid() {
		c.Addf(validate.Field(path, "direction"), valuepath.ErrInvalid, "unknown direction %q (want higher or lower)", m.Direction)
	}
	switch m.Missing {
	case MissingExclude, MissingNeutral, MissingWorst, MissingUnavailable:
	default:
		c.Addf(validate.Field(path, "missing"), valuepath.ErrInvalid, "unknown policy %q (want exclude, neutral, worst or unavailable)", m.Missing)
	}
	switch m.Timing {
	case "", Leading, Trailing:
	default:
		c.Addf(validate.Field(path, "timing"), valuepath.ErrInvalid, "unknown timing %q (want leading or trailing)", m.Timing)
	}
	switch m.Scope {
	case "", Generic, Specific:
	default:
		c.Addf(validate.Field(path, "scope"), valuepath.ErrInvalid, "unknown scope %q (want generic or specific)", m.Scope)
	}
	checkScheme(c, validate.Field(path, "scheme"), m.Scheme, m.Direction)
	bands := sc.bands
	if len(m.Bands) > 0 {
		m.Bands.check(c, validate.Field(path, "bands"))
		bands = m.Bands
	}
	sc.measures = append(sc.measures, cmeasure{
		path: path, id: m.ID, name: m.Name, metric: m.Metric, group: group, weight: m.Weight,
		dir: m.Direction, kind: schemeKinds[m.Scheme.Kind], points: m.Scheme.Points, cats: m.Scheme.Categories,
		missing: missingKinds[m.Missing], bands: bands, timing: m.Timing, scope: m.Scope,
		groupName: sc.groups[group].id,
	})
}

func checkScheme(c *validate.Collector, path string, s Scheme, dir valuepath.Direction) {
	score := func(p string, v float64) {
		if c.Finite(p, v) && (v < 0 || v > 100) {
			c.Addf(p, valuepath.ErrInvalid, "must be within 0 and 100, got %v", v)
		}
	}
	switch s.Kind {
	case Thresholds, Steps:
		if len(s.Categories) > 0 {
			c.Addf(validate.Field(path, "categories"), valuepath.ErrInvalid, "only a categories scheme takes categories")
		}
		need := 2
		if s.Kind == Steps {
			need = 1
		}
		if len(s.Points) < need {
			c.Addf(validate.Field(path, "points"), valuepath.ErrInvalid, "%s needs at least %d points, got %d", s.Kind, need, len(s.Points))
		}
		for i, pt := range s.Points {
			p := validate.Index(validate.Field(path, "points"), i)
			okV := c.Finite(validate.Field(p, "value"), pt.Value)
			score(validate.Field(p, "score"), pt.Score)
			if i == 0 || !okV {
				continue
			}
			prev := s.Points[i-1]
			if !(pt.Value > prev.Value) && !math.IsNaN(prev.Value) {
				c.Addf(validate.Field(p, "value"), valuepath.ErrOutOfOrder, "values must be strictly ascending: %v after %v", pt.Value, prev.Value)
			}
			if dir == valuepath.HigherIsBetter && pt.Score < prev.Score {
				c.Addf(validate.Field(p, "score"), valuepath.ErrInvalid, "falls from %v to %v but higher values are better", prev.Score, pt.Score)
			}
			if dir == valuepath.LowerIsBetter && pt.Score > prev.Score {
				c.Addf(validate.Field(p, "score"), valuepath.ErrInvalid, "rises from %v to %v but lower values are better", prev.Score, pt.Score)
			}
		}
	case Categories:
		if len(s.Points) > 0 {
			c.Addf(validate.Field(path, "points"), valuepath.ErrInvalid, "a categories scheme takes categories, not points")
		}
		if len(s.Categories) == 0 {
			c.Addf(validate.Field(path, "categories"), valuepath.ErrInvalid, "must have at least one category")
		}
		seen := map[float64]int{}
		for i, cat := range s.Categories {
			p := validate.Index(validate.Field(path, "categories"), i)
			if c.Finite(validate.Field(p, "value"), cat.Value) {
				if j, dup := seen[cat.Value]; dup {
					c.Addf(validate.Field(p, "value"), valuepath.ErrDuplicate, "value %v (also categories[%d])", cat.Value, j)
				} else {
					seen[cat.Value] = i
				}
			}
			score(validate.Field(p, "score"), cat.Score)
		}
	case "":
		c.Addf(validate.Field(path, "kind"), valuepath.ErrInvalid, "must not be empty (want thresholds, steps or categories)")
	default:
		c.Addf(validate.Field(path, "kind"), valuepath.ErrInvalid, "unknown kind %q (want thresholds, steps or categories)", s.Kind)
	}
}

// shares computes each measure's nominal share of the overall weight, the
// share it has when every measure has data.
func (sc *Scorecard) shares() {
	sumG := make([]float64, len(sc.groups)+1) // last: top level
	parent := func(g int) int {
		if g < 0 {
			return len(sc.groups)
		}
		return g
	}
	for _, g := range sc.groups {
		sumG[parent(g.parent)] += g.weight
	}
	for _, m := range sc.measures {
		sumG[m.group] += m.weight
	}
	gshare := make([]float64, len(sc.groups))
	for i, g := range sc.groups { // pre-order: parents first
		s := 1.0
		if g.parent >= 0 {
			s = gshare[g.parent]
		}
		gshare[i] = s * g.weight / sumG[parent(g.parent)]
	}
	for i := range sc.measures {
		m := &sc.measures[i]
		m.share = gshare[m.group] * m.weight / sumG[m.group]
	}
}

func cloneSpec(s ScorecardSpec) ScorecardSpec {
	s.Bands = slices.Clone(s.Bands)
	s.Rules = slices.Clone(s.Rules)
	s.Groups = cloneGroups(s.Groups)
	return s
}

func cloneGroups(gs []Group) []Group {
	if gs == nil {
		return nil
	}
	out := slices.Clone(gs)
	for i := range out {
		out[i].Groups = cloneGroups(out[i].Groups)
		out[i].Measures = slices.Clone(out[i].Measures)
		for j := range out[i].Measures {
			m := &out[i].Measures[j]
			m.Bands = slices.Clone(m.Bands)
			m.Scheme.Points = slices.Clone(m.Scheme.Points)
			m.Scheme.Categories = slices.Clone(m.Scheme.Categories)
		}
	}
	return out
}

// ParseScorecard decodes a JSON [ScorecardSpec] and compiles it with [NewScorecard]. Unknown fields and
// trailing data are errors.
func ParseScorecard(data []byte) (*Scorecard, error) {
	var spec ScorecardSpec
	if err := strictjson.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("health: decoding scorecard: %w: %w", valuepath.ErrInvalid, err)
	}
	return NewScorecard(spec)
}

// Spec returns a copy of the scorecard's spec with defaults filled in (band
// set, directions, missing policies, names).
func (sc *Scorecard) Spec() ScorecardSpec { return cloneSpec(sc.spec) }

// MarshalJSON writes the spec with defaults filled in; [ParseScorecard] reads it back
// into an equal scorecard with the same hash.
func (sc *Scorecard) MarshalJSON() ([]byte, error) { return json.Marshal(sc.spec) }

// Hash identifies the scorecard's content: two scorecards with equal specs
// (after defaults are filled in) have equal hashes, and any change to a
// weight, threshold, band or rule changes it. Every [Score] carries it, so a
// stored score says which version of the scorecard made it.
func (sc *Scorecard) Hash() string { return sc.hash }

// MeasureInfo describes one compiled measure.
type MeasureInfo struct {
	ID        string              `json:"id"`
	Name      string              `json:"name"`
	Group     string              `json:"group"`
	Metric    valuepath.Metric    `json:"metric"`
	Direction valuepath.Direction `json:"direction"`
	Timing    Timing              `json:"timing,omitempty"`
	Scope     Scope               `json:"scope,omitempty"`
	// Share is the measure's share of the overall weight when every
	// measure has data; the shares sum to 1.
	Share float64 `json:"share"`
	// Bands is the band set of the measure's own band: its own, or the
	// scorecard's.
	Bands BandSet `json:"bands"`
}

// Measures returns the measures in declaration order, depth first: the
// order of [Score.Measures].
func (sc *Scorecard) Measures() []MeasureInfo {
	out := make([]MeasureInfo, len(sc.measures))
	for i, m := range sc.measures {
		out[i] = MeasureInfo{ID: m.id, Name: m.name, Group: m.groupName, Metric: m.metric, Direction: m.dir, Timing: m.timing, Scope: m.scope, Share: m.share, Bands: slices.Clone(m.bands)}
	}
	return out
}

// Metrics returns the distinct metrics the scorecard reads, measures first
// then rules, in order of first use.
func (sc *Scorecard) Metrics() []valuepath.Metric {
	var out []valuepath.Metric
	for _, m := range sc.measures {
		if !slices.Contains(out, m.metric) {
			out = append(out, m.metric)
		}
	}
	for _, r := range sc.rules {
		if !slices.Contains(out, r.Metric) {
			out = append(out, r.Metric)
		}
	}
	return out
}

// Check binds sc to schema as scoring a snapshot on it does, and returns
// the error scoring would: one *valuepath.FieldError wrapping
// [valuepath.ErrUnknownMetric] per metric the schema lacks, at the path of
// the measure or rule that reads it
// (groups[0].measures[3].metric: unknown metric "tenrue"), joined. It lets
// a host find such a mistake at start-up rather than on the first score.
func (sc *Scorecard) Check(schema *valuepath.Schema) error { return sc.bind(schema).err }

// bind returns the metric positions for schema, computing them once per
// schema seen in a row.
func (sc *Scorecard) bind(schema *valuepath.Schema) *binding {
	if b := sc.bound.Load(); b != nil && b.schema == schema {
		return b
	}
	b := &binding{schema: schema, measures: make([]int, len(sc.measures)), rules: make([]int, len(sc.rules))}
	c := validate.New("health")
	look := func(path string, m valuepath.Metric) int {
		if schema == nil {
			return -1
		}
		i, ok := schema.Index(m)
		if !ok {
			c.Add(validate.Field(path, "metric"), fmt.Errorf("%w %q", valuepath.ErrUnknownMetric, m))
		}
		return i
	}
	for i, m := range sc.measures {
		b.measures[i] = look(m.path, m.metric)
	}
	for i, r := range sc.rules {
		b.rules[i] = look(r.path, r.Metric)
	}
	if schema == nil {
		c.Addf("schema", valuepath.ErrInvalid, "nil schema")
	}
	b.err = c.Err()
	sc.bound.Store(b)
	return b
}

// scoreOf maps value v of measure m to a score, and false when a categorical
// scheme has no category for v.
func (m *cmeasure) scoreOf(v float64) (float64, bool) {
	p := m.points
	switch m.kind {
	case kindThresholds:
		if v <= p[0].Value {
			return p[0].Score, true
		}
		for i := 1; i < len(p); i++ {
			if v <= p[i].Value {
				return interpolate(p[i-1], m.slopes[i], v), true
			}
		}
		return p[len(p)-1].Score, true
	case kindSteps:
		s := p[0].Score
		for i := 1; i < len(p) && v >= p[i].Value; i++ {
			s = p[i].Score
		}
		return s, true
	default:
		for _, c := range m.cats {
			if c.Value == v {
				return c.Score, true
			}
		}
		return 0, false
	}
}

// interpolate returns the score at v on the line through a with slope,
// within 0–100.
func interpolate(a Point, slope, v float64) float64 {
	s := a.Score + (v-a.Value)*slope
	switch {
	case s != s: // NaN from spans too wide or narrow for float64
		return a.Score
	case s < 0:
		return 0
	case s > 100:
		return 100
	}
	return s
}

// hotMeasure packs m for the scoring loops.
func (m *cmeasure) hotMeasure() hotMeasure {
	h := hotMeasure{group: m.group, weight: m.weight, share: m.share, kind: m.kind, missing: m.missing, n: len(m.points)}
	if len(m.points) > 0 {
		h.lo, h.hi = m.points[0], m.points[len(m.points)-1]
	}
	if m.kind == kindThresholds && len(m.points) <= len(h.pv) {
		h.inline = true
		for k, p := range m.points {
			h.pv[k], h.ps[k], h.sl[k] = p.Value, p.Score, m.slopes[k]
		}
		n := len(m.points)
		for k := range h.tv {
			h.tv[k] = math.Inf(1)
			if k < n {
				h.tv[k] = m.points[k].Value
			}
		}
		h.bv[0], h.bs[0] = h.lo.Value, h.lo.Score
		for k := 1; k < n; k++ {
			h.bv[k], h.bs[k], h.bsl[k] = h.pv[k-1], h.ps[k-1], h.sl[k]
		}
		h.bv[n], h.bs[n] = h.hi.Value, h.hi.Score
	}
	return h
}
