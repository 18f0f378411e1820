// Package stakeholders maps a customer's stakeholders to the product's
// capabilities: the stakeholder capability matrix of the effectiveness
// practice, and the gap analysis and roadmap that follow from it.
//
// A [Matrix] crosses stakeholder roles in the customer organisation with
// the product's core capabilities, saying how each capability serves each
// role, and records for named people the current and planned state of each
// capability on an ordered scale (unaware, educated, planned, adopting,
// using by default). [Matrix.Gaps] is the gap analysis: current state,
// what to educate on next, planned future state. [Matrix.Roadmap] orders
// the gaps by a stated [Priority].
//
//	m, err := stakeholders.ParseMatrix(data)
//	items, err := m.Roadmap(stakeholders.ByGap)
//
// A matrix is data: built with [NewMatrix] or read from JSON with
// [ParseMatrix] (unknown fields are errors), validated once with every
// problem reported by field path, then immutable and safe for concurrent
// use. It is planning work done with the customer, away from request
// paths, which is why it lives apart from package effectiveness.
package stakeholders

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// Role is a stakeholder role in the customer organisation, e.g. "sales
// manager" or "CFO".
type Role struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Capability is a core capability of the product. The order of a matrix's
// capabilities is their priority: first is most important.
type Capability struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Intersection says how a capability serves a role.
type Intersection struct {
	Role       string `json:"role"`
	Capability string `json:"capability"`
	Serves     string `json:"serves"`
}

// Person is a named stakeholder in the customer organisation, with the
// current and planned future state of each capability that serves them.
// The order of a matrix's stakeholders is their priority.
type Person struct {
	Name   string  `json:"name"`
	Role   string  `json:"role"`
	States []State `json:"states"`
}

// State is where a stakeholder stands with one capability, on the matrix's
// scale, now and as planned.
type State struct {
	Capability string `json:"capability"`
	Current    string `json:"current"`
	Future     string `json:"future"`
}

// defaultScale returns the scale used when a matrix states none: from not
// knowing the capability exists to using it.
func defaultScale() []string {
	return []string{"unaware", "educated", "planned", "adopting", "using"}
}

// MatrixSpec is a stakeholder capability matrix as data.
type MatrixSpec struct {
	Roles         []Role         `json:"roles"`
	Capabilities  []Capability   `json:"capabilities"`
	Intersections []Intersection `json:"intersections"`
	// Scale orders the states, lowest first; empty means unaware, educated,
	// planned, adopting, using.
	Scale        []string `json:"scale,omitempty"`
	Stakeholders []Person `json:"stakeholders,omitempty"`
}

// Matrix is a validated, immutable stakeholder capability matrix: roles ×
// capabilities, how each capability serves each role, and where named
// stakeholders stand. It is safe for concurrent use.
type Matrix struct {
	spec   MatrixSpec
	scale  map[string]int
	cap    map[string]int
	serves map[[2]string]string
}

// NewMatrix validates spec: unique non-empty ids and names, intersections
// of known roles and capabilities (one each), a scale of at least two
// distinct states, stakeholders of known roles whose states name
// capabilities that serve their role, states on the scale, and planned
// futures not below the current state. Every problem is reported with its
// path.
func NewMatrix(spec MatrixSpec) (*Matrix, error) {
	c := validate.New("stakeholders")
	spec = spec.clone()
	if len(spec.Scale) == 0 {
		spec.Scale = defaultScale()
	}
	m := &Matrix{spec: spec, scale: map[string]int{}, cap: map[string]int{}, serves: map[[2]string]string{}}
	roles := map[string]int{}
	for i, r := range spec.Roles {
		p := validate.Field(validate.Index("roles", i), "id")
		if c.NonEmpty(p, r.ID) {
			if j, dup := roles[r.ID]; dup {
				c.Addf(p, valuepath.ErrDuplicate, "role %q (also roles[%d])", r.ID, j)
			} else {
				roles[r.ID] = i
			}
		}
	}
	for i, cp := range spec.Capabilities {
		p := validate.Field(validate.Index("capabilities", i), "id")
		if c.NonEmpty(p, cp.ID) {
			if j, dup := m.cap[cp.ID]; dup {
				c.Addf(p, valuepath.ErrDuplicate, "capability %q (also capabilities[%d])", cp.ID, j)
			} else {
				m.cap[cp.ID] = i
			}
		}
	}
	if len(spec.Roles) == 0 {
		c.Addf("roles", valuepath.ErrInvalid, "want at least one role")
	}
	if len(spec.Capabilities) == 0 {
		c.Addf("capabilities", valuepath.ErrInvalid, "want at least one capability")
	}
	for i, x := range spec.Intersections {
		path := validate.Index("intersections", i)
		okR := c.NonEmpty(validate.Field(path, "role"), x.Role)
		if _, known := roles[x.Role]; okR && !known {
			c.Addf(validate.Field(path, "role"), valuepath.ErrInvalid, "unknown role %q", x.Role)
		}
		okC := c.NonEmpty(validate.Field(path, "capability"), x.Capability)
		if _, known := m.cap[x.Capability]; okC && !known {
			c.Addf(validate.Field(path, "capability"), valuepath.ErrInvalid, "unknown capability %q", x.Capability)
		}
		c.NonEmpty(validate.Field(path, "serves"), x.Serves)
		key := [2]string{x.Role, x.Capability}
		if _, dup := m.serves[key]; dup {
			c.Addf(path, valuepath.ErrDuplicate, "role %q and capability %q meet twice", x.Role, x.Capability)
		}
		m.serves[key] = x.Serves
	}
	for i, s := range spec.Scale {
		p := validate.Index("scale", i)
		if c.NonEmpty(p, s) {
			if j, dup := m.scale[s]; dup {
				c.Addf(p, valuepath.ErrDuplicate, "state %q (also scale[%d])", s, j)
			} else {
				m.scale[s] = i
			}
		}
	}
	if len(spec.Scale) < 2 {
		c.Addf("scale", valuepath.ErrInvalid, "want at least two states, got %d", len(spec.Scale))
	}
	names := map[string]int{}
	for i, sh := range spec.Stakeholders {
		path := validate.Index("stakeholders", i)
		if c.NonEmpty(validate.Field(path, "name"), sh.Name) {
			if j, dup := names[sh.Name]; dup {
				c.Addf(validate.Field(path, "name"), valuepath.ErrDuplicate, "stakeholder %q (also stakeholders[%d])", sh.Name, j)
			} else {
				names[sh.Name] = i
			}
		}
		_, roleKnown := roles[sh.Role]
		if !roleKnown {
			c.Addf(validate.Field(path, "role"), valuepath.ErrInvalid, "unknown role %q", sh.Role)
		}
		caps := map[string]int{}
		for j, st := range sh.States {
			spath := validate.Index(validate.Field(path, "states"), j)
			if _, known := m.cap[st.Capability]; !known {
				c.Addf(validate.Field(spath, "capability"), valuepath.ErrInvalid, "unknown capability %q", st.Capability)
			} else if _, serves := m.serves[[2]string{sh.Role, st.Capability}]; roleKnown && !serves {
				c.Addf(validate.Field(spath, "capability"), valuepath.ErrInvalid, "capability %q does not serve role %q: add an intersection", st.Capability, sh.Role)
			}
			if k, dup := caps[st.Capability]; dup {
				c.Addf(validate.Field(spath, "capability"), valuepath.ErrDuplicate, "capability %q (also states[%d])", st.Capability, k)
			}
			caps[st.Capability] = j
			cur, okCur := m.scale[st.Current]
			if !okCur {
				c.Addf(validate.Field(spath, "current"), valuepath.ErrInvalid, "%q is not on the scale %v", st.Current, spec.Scale)
			}
			fut, okFut := m.scale[st.Future]
			if !okFut {
				c.Addf(validate.Field(spath, "future"), valuepath.ErrInvalid, "%q is not on the scale %v", st.Future, spec.Scale)
			}
			if okCur && okFut && fut < cur {
				c.Addf(validate.Field(spath, "future"), valuepath.ErrInvalid, "planned %q is below current %q", st.Future, st.Current)
			}
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// ParseMatrix reads a [MatrixSpec] from JSON, rejecting unknown fields and
// trailing data, and validates it with [NewMatrix].
func ParseMatrix(data []byte) (*Matrix, error) {
	var spec MatrixSpec
	if err := strictjson.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("stakeholders: matrix: %w", err)
	}
	return NewMatrix(spec)
}

func (s MatrixSpec) clone() MatrixSpec {
	s.Roles = slices.Clone(s.Roles)
	s.Capabilities = slices.Clone(s.Capabilities)
	s.Intersections = slices.Clone(s.Intersections)
	s.Scale = slices.Clone(s.Scale)
	s.Stakeholders = slices.Clone(s.Stakeholders)
	for i := range s.Stakeholders {
		s.Stakeholders[i].States = slices.Clone(s.Stakeholders[i].States)
	}
	return s
}

// Spec returns a copy of the configuration m was built from, with the scale
// filled in.
func (m *Matrix) Spec() MatrixSpec { return m.spec.clone() }

// MarshalJSON writes the spec; [ParseMatrix] reads it back.
func (m *Matrix) MarshalJSON() ([]byte, error) { return json.Marshal(m.spec) }

// Serves returns how capability serves role, and false if they do not meet.
func (m *Matrix) Serves(role, capability string) (string, bool) {
	s, ok := m.serves[[2]string{role, capability}]
	return s, ok
}

// Gap is the distance between where a stakeholder stands with a capability
// and where the plan puts them.
type Gap struct {
	Stakeholder string `json:"stakeholder"`
	Role        string `json:"role"`
	Capability  string `json:"capability"`
	// Serves is how the capability serves the stakeholder's role.
	Serves  string `json:"serves"`
	Current string `json:"current"`
	Future  string `json:"future"`
	// Steps is how many states of the scale lie between Current and Future.
	Steps int `json:"steps"`
	// Next is the state after Current: the next thing to do.
	Next string `json:"next"`
}

// Gaps returns every state whose planned future is above its current, in
// stakeholder order and, within a stakeholder, in the order stated.
func (m *Matrix) Gaps() []Gap {
	var out []Gap
	for _, sh := range m.spec.Stakeholders {
		for _, st := range sh.States {
			cur, fut := m.scale[st.Current], m.scale[st.Future]
			if fut <= cur {
				continue
			}
			out = append(out, Gap{Stakeholder: sh.Name, Role: sh.Role, Capability: st.Capability, Serves: m.serves[[2]string{sh.Role, st.Capability}],
				Current: st.Current, Future: st.Future, Steps: fut - cur, Next: m.spec.Scale[cur+1]})
		}
	}
	return out
}

// Priority orders a roadmap.
type Priority string

// The roadmap priorities. Ties fall to the next criterion, then to the
// order the matrix states.
const (
	// ByCapability puts the most important capability (the first of the
	// matrix) first, then the widest gap.
	ByCapability Priority = "capability"
	// ByStakeholder puts the first stakeholder of the matrix first, then
	// the most important capability.
	ByStakeholder Priority = "stakeholder"
	// ByGap puts the widest gap first, then the most important capability.
	ByGap Priority = "gap"
)

// RoadmapItem is one step of a roadmap: a gap with its rank.
type RoadmapItem struct {
	Rank int `json:"rank"` // 1-based
	Gap
}

// Roadmap orders the gaps by priority. It fails on an unknown priority.
func (m *Matrix) Roadmap(priority Priority) ([]RoadmapItem, error) {
	type keyed struct {
		g                Gap
		cap, person, ord int
	}
	gaps := m.Gaps()
	ks := make([]keyed, len(gaps))
	person := map[string]int{}
	for i, sh := range m.spec.Stakeholders {
		person[sh.Name] = i
	}
	for i, g := range gaps {
		ks[i] = keyed{g, m.cap[g.Capability], person[g.Stakeholder], i}
	}
	var less func(a, b keyed) int
	switch priority {
	case ByCapability:
		less = func(a, b keyed) int {
			return cmp.Or(cmp.Compare(a.cap, b.cap), cmp.Compare(b.g.Steps, a.g.Steps), cmp.Compare(a.ord, b.ord))
		}
	case ByStakeholder:
		less = func(a, b keyed) int {
			return cmp.Or(cmp.Compare(a.person, b.person), cmp.Compare(a.cap, b.cap), cmp.Compare(a.ord, b.ord))
		}
	case ByGap:
		less = func(a, b keyed) int {
			return cmp.Or(cmp.Compare(b.g.Steps, a.g.Steps), cmp.Compare(a.cap, b.cap), cmp.Compare(a.ord, b.ord))
		}
	default:
		return nil, fmt.Errorf("stakeholders: roadmap: %w: unknown priority %q (want %q, %q or %q)", valuepath.ErrInvalid, priority, ByCapability, ByStakeholder, ByGap)
	}
	slices.SortFunc(ks, less)
	out := make([]RoadmapItem, len(ks))
	for i, k := range ks {
		out[i] = RoadmapItem{Rank: i + 1, Gap: k.g}
	}
	return out, nil
}
