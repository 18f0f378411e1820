package engagement

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// Phase is the part of the customer's life a moment belongs to.
type Phase string

// The two phases of an engagement model.
const (
	// Onboarding is takeoff: moments due at an offset from the contract start
	// or from the completion of their predecessor, escalated when late.
	Onboarding Phase = "onboarding"
	// Ongoing is cruise: moments that recur on a calendar or fire on events.
	Ongoing Phase = "ongoing"
)

// Automated is the owner of a moment that no person runs: an email, an
// in-app guide, a digital touch for low-touch customers.
const Automated = "automated"

// Condition is a test of one metric of the account's snapshot against a
// threshold, such as "users_created >= 10" or "logins_change_30d <= -0.2"
// (usage down 20% window over window, with a relative-change derivation). A
// metric that is missing from the snapshot never meets a condition; one
// that its schema lacks is an error (see [Model.Check]).
type Condition struct {
	Metric valuepath.Metric     `json:"metric"`
	Op     valuepath.Comparison `json:"op"`
	Value  float64              `json:"value"`
}

// String formats the condition as "metric op value".
func (c Condition) String() string {
	return fmt.Sprintf("%s %s %s", c.Metric, c.Op, formatFloat(c.Value))
}

func (c Condition) holds(v float64) bool { return c.Op.Holds(v, c.Value) }

// CadenceUnit is the calendar unit of a [Cadence].
type CadenceUnit string

// The units a cadence can step by.
const (
	UnitDay     CadenceUnit = "day"
	UnitWeek    CadenceUnit = "week"
	UnitMonth   CadenceUnit = "month"
	UnitQuarter CadenceUnit = "quarter"
	UnitYear    CadenceUnit = "year"
)

// Anchor says where a cadence's occurrences are counted from.
type Anchor string

// The anchors of a cadence.
const (
	// AnchorContract counts from the contract start, at its wall-clock time
	// of day in the account's time zone: a monthly review of a contract that
	// started on Jan 31 at 10:00 falls on Feb 28 (or 29) at 10:00, then on
	// Mar 31. The zero Anchor means AnchorContract.
	AnchorContract Anchor = "contract"
	// AnchorCalendar counts calendar periods in the account's time zone:
	// weeks start on Monday, months on the 1st, quarters on Jan, Apr, Jul and
	// Oct 1st, years on Jan 1st, all at midnight.
	AnchorCalendar Anchor = "calendar"
)

// Cadence is how often a time-based moment recurs: every Every units of
// Unit, anchored to the contract start or the calendar.
type Cadence struct {
	Unit   CadenceUnit `json:"unit"`
	Every  int         `json:"every"`
	Anchor Anchor      `json:"anchor,omitempty"`
}

// String formats the cadence as "every 1 quarter from the contract".
func (c Cadence) String() string {
	from := "the contract start"
	if c.Anchor == AnchorCalendar {
		from = "the calendar"
	}
	u := string(c.Unit)
	if c.Every != 1 {
		u += "s"
	}
	return fmt.Sprintf("every %d %s from %s", c.Every, u, from)
}

// Trigger fires an event-based moment. Exactly one of Event, When and Absent
// is set:
//   - Event fires on each event of that kind, optionally only when attribute
//     Attr is one of In, or parses as a number at most AtMost (a survey
//     answer of 6 or less);
//   - When fires while a metric condition holds at asOf;
//   - Absent fires when no event of that kind has happened for For (since
//     the newest one, or since the contract start), and again every
//     Cooldown while the silence lasts.
//
// A trigger never fires again within Cooldown of its last firing; moments
// that share a DedupeKey share that cooldown, so one event cannot start two
// outreaches of the same kind. An empty DedupeKey means the moment's id.
type Trigger struct {
	Event     valuepath.EventKind `json:"event,omitempty"`
	Attr      string              `json:"attr,omitempty"`
	In        []string            `json:"in,omitempty"`
	AtMost    *float64            `json:"at_most,omitempty"`
	When      *Condition          `json:"when,omitempty"`
	Absent    valuepath.EventKind `json:"absent,omitempty"`
	For       valuepath.Duration  `json:"for,omitempty"`
	Cooldown  valuepath.Duration  `json:"cooldown"`
	DedupeKey string              `json:"dedupe_key,omitempty"`
}

// Moment is one engagement moment a customer should experience: who owns it,
// what it is for, when it is due and what completes it.
//
// An onboarding moment is due Within after its predecessor After is
// completed (or after the contract start when After is empty); it is stuck
// once StuckAfter has passed from the same base, and raises an escalation to
// EscalateTo when late. An ongoing moment has either a Cadence (due Within
// after each occurrence; zero Within means by the next occurrence) or a
// Trigger (due Within after it fires).
//
// A moment is completed by an event of kind CompletedBy at or after it
// opens, or by CompletedWhen holding in the account's snapshot at asOf (the
// time of completion is then unknown); at least one is required.
type Moment struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Phase     Phase  `json:"phase"`
	Owner     string `json:"owner"`
	Objective string `json:"objective,omitempty"`

	CompletedBy   valuepath.EventKind `json:"completed_by,omitempty"`
	CompletedWhen *Condition          `json:"completed_when,omitempty"`

	After      string             `json:"after,omitempty"`
	Within     valuepath.Duration `json:"within,omitempty"`
	StuckAfter valuepath.Duration `json:"stuck_after,omitempty"`
	EscalateTo string             `json:"escalate_to,omitempty"`

	Cadence *Cadence `json:"cadence,omitempty"`
	Trigger *Trigger `json:"trigger,omitempty"`
}

// kind is what drives a compiled moment.
type kind uint8

const (
	kindMilestone kind = iota // onboarding
	kindCadence
	kindEvent
	kindMetric
	kindAbsence
)

// compiled is a moment resolved for evaluation.
type compiled struct {
	kind       kind
	pred       int // index of the predecessor moment; -1 for the contract start
	within     time.Duration
	stuck      time.Duration
	done       valuepath.EventKind
	doneWhen   *Condition
	cadence    Cadence
	fire       valuepath.EventKind // the event that fires an event trigger, or the awaited kind of an absence
	attr       string
	in         []string
	atMost     float64
	hasAtMost  bool
	when       *Condition
	silence    time.Duration
	cooldown   time.Duration
	dedupe     int // index of the dedupe slot
	conditions [2]int
}

// Model is a validated, immutable engagement model for one customer
// segment. Build it with [NewModel] or [ParseModel]; a *Model is safe for concurrent
// use. The zero value is not valid.
type Model struct {
	segment  string
	value    valuepath.EventKind
	advocacy valuepath.EventKind
	moments  []Moment
	c        []compiled
	order    []int // evaluation order: onboarding predecessors first
	nDedupe  int
	metrics  []valuepath.Metric // metrics read by conditions
	kinds    []valuepath.EventKind
	watches  [][]watch // per kind: the moments that read its events
	uses     []metricUse
}

// ModelSpec is the configuration of a [Model], as built in Go or read from JSON.
type ModelSpec struct {
	// Segment names the customer segment the model serves ("enterprise").
	Segment string `json:"segment"`
	// ValueEvent is the event that marks the first value the customer gets;
	// time to value runs from the contract start to the first one. Optional.
	ValueEvent valuepath.EventKind `json:"value_event,omitempty"`
	// AdvocacyEvent marks the customer's first act of advocacy (a reference,
	// a case study). Optional.
	AdvocacyEvent valuepath.EventKind `json:"advocacy_event,omitempty"`
	// Moments are the moments of the model, in the order results list them.
	Moments []Moment `json:"moments"`
}

// NewModel validates spec and compiles it into a Model. Every problem is reported
// with its field path ("moments[3].trigger.cooldown"), joined: empty or
// duplicate ids, unknown phases, units or operators, zero or negative
// offsets, cadences and cooldowns, unknown predecessors and cycles among
// them, triggers that set more or less than one source, moments nothing can
// complete. spec is copied, not kept.
func NewModel(spec ModelSpec) (*Model, error) {
	c := validate.New("engagement")
	c.NonEmpty("segment", spec.Segment)
	if len(spec.Moments) == 0 {
		c.Addf("moments", valuepath.ErrInvalid, "must not be empty")
	}
	ids := make(map[string]int, len(spec.Moments))
	for i, m := range spec.Moments {
		if m.ID == "" {
			continue
		}
		if j, dup := ids[m.ID]; dup {
			c.Addf(validate.Field(validate.Index("moments", i), "id"), valuepath.ErrDuplicate, "moment id %q (also moments[%d])", m.ID, j)
			continue
		}
		ids[m.ID] = i
	}
	m := &Model{
		segment:  spec.Segment,
		value:    spec.ValueEvent,
		advocacy: spec.AdvocacyEvent,
		moments:  cloneMoments(spec.Moments),
		c:        make([]compiled, len(spec.Moments)),
	}
	dedupe := map[string]int{}
	metricIdx := map[valuepath.Metric]int{}
	cond := func(x *Condition, path string) int {
		if x == nil {
			return -1
		}
		i, ok := metricIdx[x.Metric]
		if !ok {
			i = len(m.metrics)
			metricIdx[x.Metric] = i
			m.metrics = append(m.metrics, x.Metric)
		}
		m.uses = append(m.uses, metricUse{i, validate.Field(path, "metric")})
		return i
	}
	for i, mo := range m.moments {
		p := validate.Index("moments", i)
		cm := compileMoment(c, p, mo, spec.Moments, ids)
		cm.conditions = [2]int{cond(mo.CompletedWhen, validate.Field(p, "completed_when")), -1}
		if cm.kind == kindMetric && mo.Trigger != nil && mo.Trigger.When != nil {
			cm.conditions[1] = cond(mo.Trigger.When, validate.Field(validate.Field(p, "trigger"), "when"))
		}
		if cm.kind == kindEvent || cm.kind == kindMetric || cm.kind == kindAbsence {
			key := mo.ID
			if mo.Trigger != nil && mo.Trigger.DedupeKey != "" {
				key = mo.Trigger.DedupeKey
			}
			slot, ok := dedupe[key]
			if !ok {
				slot = len(dedupe)
				dedupe[key] = slot
			}
			cm.dedupe = slot
		}
		m.c[i] = cm
	}
	m.nDedupe = len(dedupe)
	m.buildWatches()
	if c.Len() == 0 {
		order, err := milestoneOrder(m.c, m.moments)
		if err != nil {
			return nil, err
		}
		m.order = order
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

func compileMoment(c *validate.Collector, p string, mo Moment, all []Moment, ids map[string]int) compiled {
	cm := compiled{pred: -1, dedupe: -1}
	c.NonEmpty(validate.Field(p, "id"), mo.ID)
	c.NonEmpty(validate.Field(p, "name"), mo.Name)
	c.NonEmpty(validate.Field(p, "owner"), mo.Owner)
	cm.done = mo.CompletedBy
	cm.doneWhen = mo.CompletedWhen
	if mo.CompletedBy == "" && mo.CompletedWhen == nil {
		c.Addf(p, valuepath.ErrInvalid, "nothing completes the moment: set completed_by or completed_when")
	}
	if mo.CompletedWhen != nil {
		checkCondition(c, validate.Field(p, "completed_when"), *mo.CompletedWhen)
	}
	cm.within = mo.Within.Std()
	cm.stuck = mo.StuckAfter.Std()
	switch mo.Phase {
	case Onboarding:
		cm.kind = kindMilestone
		if mo.Within <= 0 {
			c.Addf(validate.Field(p, "within"), valuepath.ErrInvalid, "an onboarding moment needs an offset > 0, got %s", mo.Within)
		}
		if mo.StuckAfter < 0 || (mo.StuckAfter > 0 && mo.StuckAfter < mo.Within) {
			c.Addf(validate.Field(p, "stuck_after"), valuepath.ErrInvalid, "must be zero or at least within (%s), got %s", mo.Within, mo.StuckAfter)
		}
		if mo.After != "" {
			j, ok := ids[mo.After]
			switch {
			case !ok:
				c.Addf(validate.Field(p, "after"), valuepath.ErrInvalid, "unknown moment %q", mo.After)
			case all[j].Phase != Onboarding:
				c.Addf(validate.Field(p, "after"), valuepath.ErrInvalid, "moment %q is not an onboarding moment", mo.After)
			default:
				cm.pred = j
			}
		}
		if mo.Cadence != nil {
			c.Addf(validate.Field(p, "cadence"), valuepath.ErrInvalid, "onboarding moments are due at an offset, not on a cadence")
		}
		if mo.Trigger != nil {
			c.Addf(validate.Field(p, "trigger"), valuepath.ErrInvalid, "onboarding moments are due at an offset, not on a trigger")
		}
	case Ongoing:
		if mo.After != "" {
			c.Addf(validate.Field(p, "after"), valuepath.ErrInvalid, "only onboarding moments have a predecessor")
		}
		if mo.StuckAfter != 0 {
			c.Addf(validate.Field(p, "stuck_after"), valuepath.ErrInvalid, "only onboarding moments get stuck")
		}
		if mo.EscalateTo != "" {
			c.Addf(validate.Field(p, "escalate_to"), valuepath.ErrInvalid, "only onboarding moments escalate")
		}
		switch {
		case (mo.Cadence == nil) == (mo.Trigger == nil):
			c.Addf(p, valuepath.ErrInvalid, "an ongoing moment needs exactly one of cadence and trigger")
		case mo.Cadence != nil:
			cm.kind = kindCadence
			cm.cadence = *mo.Cadence
			if cm.cadence.Anchor == "" {
				cm.cadence.Anchor = AnchorContract
			}
			checkCadence(c, validate.Field(p, "cadence"), *mo.Cadence)
			if mo.Within < 0 {
				c.Addf(validate.Field(p, "within"), valuepath.ErrInvalid, "must not be negative, got %s", mo.Within)
			}
		default:
			if mo.Within <= 0 {
				c.Addf(validate.Field(p, "within"), valuepath.ErrInvalid, "a triggered moment needs a response time > 0, got %s", mo.Within)
			}
			cm.kind = compileTrigger(c, validate.Field(p, "trigger"), *mo.Trigger, &cm)
		}
	default:
		c.Addf(validate.Field(p, "phase"), valuepath.ErrInvalid, "want %q or %q, got %q", Onboarding, Ongoing, mo.Phase)
	}
	return cm
}

func compileTrigger(c *validate.Collector, p string, t Trigger, cm *compiled) kind {
	n := 0
	for _, set := range []bool{t.Event != "", t.When != nil, t.Absent != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		c.Addf(p, valuepath.ErrInvalid, "set exactly one of event, when and absent, got %d", n)
	}
	if t.Cooldown <= 0 {
		c.Addf(validate.Field(p, "cooldown"), valuepath.ErrInvalid, "must be > 0, got %s", t.Cooldown)
	}
	cm.cooldown = t.Cooldown.Std()
	if t.Event == "" && (t.Attr != "" || len(t.In) > 0 || t.AtMost != nil) {
		c.Addf(validate.Field(p, "attr"), valuepath.ErrInvalid, "attribute filters apply to event triggers only")
	}
	if t.Absent == "" && t.For != 0 {
		c.Addf(validate.Field(p, "for"), valuepath.ErrInvalid, "applies to absent triggers only")
	}
	k := kindEvent
	switch {
	case t.Event != "":
		cm.fire = t.Event
		cm.attr = t.Attr
		cm.in = slices.Clone(t.In)
		if (len(t.In) > 0 || t.AtMost != nil) && t.Attr == "" {
			c.Addf(validate.Field(p, "attr"), valuepath.ErrInvalid, "in and at_most need the attribute to test")
		}
		if len(t.In) > 0 && t.AtMost != nil {
			c.Addf(validate.Field(p, "at_most"), valuepath.ErrInvalid, "set in or at_most, not both")
		}
		if t.AtMost != nil {
			if c.Finite(validate.Field(p, "at_most"), *t.AtMost) {
				cm.atMost, cm.hasAtMost = *t.AtMost, true
			}
		}
	case t.When != nil:
		k = kindMetric
		cm.when = t.When
		checkCondition(c, validate.Field(p, "when"), *t.When)
	case t.Absent != "":
		k = kindAbsence
		cm.fire = t.Absent
		cm.silence = t.For.Std()
		if t.For <= 0 {
			c.Addf(validate.Field(p, "for"), valuepath.ErrInvalid, "an absent trigger needs a period > 0, got %s", t.For)
		}
	}
	return k
}

func checkCondition(c *validate.Collector, p string, x Condition) {
	c.NonEmpty(validate.Field(p, "metric"), string(x.Metric))
	if !x.Op.Valid() {
		c.Addf(validate.Field(p, "op"), valuepath.ErrInvalid, "want one of >=, >, <=, <, ==, !=, got %q", x.Op)
	}
	c.Finite(validate.Field(p, "value"), x.Value)
}

func checkCadence(c *validate.Collector, p string, cd Cadence) {
	switch cd.Unit {
	case UnitDay, UnitWeek, UnitMonth, UnitQuarter, UnitYear:
	default:
		c.Addf(validate.Field(p, "unit"), valuepath.ErrInvalid, "want day, week, month, quarter or year, got %q", cd.Unit)
	}
	if cd.Every <= 0 || cd.Every > maxEvery {
		c.Addf(validate.Field(p, "every"), valuepath.ErrInvalid, "must be between 1 and %d, got %d", maxEvery, cd.Every)
	}
	switch cd.Anchor {
	case "", AnchorContract, AnchorCalendar:
	default:
		c.Addf(validate.Field(p, "anchor"), valuepath.ErrInvalid, "want %q or %q, got %q", AnchorContract, AnchorCalendar, cd.Anchor)
	}
}

// maxEvery bounds a cadence's step so that occurrence arithmetic never
// overflows: a thousand years is long enough for any review.
const maxEvery = 1000

// milestoneOrder sorts the onboarding moments so that each comes after its
// predecessor, and reports cycles with the path of every moment on one.
func milestoneOrder(cs []compiled, moments []Moment) ([]int, error) {
	c := validate.New("engagement")
	const (
		unseen = iota
		active
		finished
	)
	state := make([]uint8, len(cs))
	order := make([]int, 0, len(cs))
	var visit func(i int, chain []int)
	visit = func(i int, chain []int) {
		switch state[i] {
		case finished:
			return
		case active:
			start := slices.Index(chain, i)
			ids := make([]string, 0, len(chain)-start+1)
			for _, j := range chain[start:] {
				ids = append(ids, moments[j].ID)
			}
			ids = append(ids, moments[i].ID)
			c.Addf(validate.Field(validate.Index("moments", i), "after"), valuepath.ErrCycle, "%s", strings.Join(ids, " -> "))
			return
		}
		state[i] = active
		if p := cs[i].pred; p >= 0 {
			visit(p, append(chain, i))
		}
		state[i] = finished
		order = append(order, i)
	}
	for i := range cs {
		visit(i, nil)
	}
	return order, c.Err()
}

// role is what a moment reads from events of one kind.
type role uint8

const (
	roleDone role = iota // the kind completes the moment
	roleFire             // the kind fires the moment's trigger
	roleLast             // the kind's absence fires the moment's trigger
)

type watch struct {
	moment int
	role   role
}

// buildWatches indexes, per event kind, the moments that read it: completions
// first, so that a response and a new firing on the same kind keep their
// order.
func (m *Model) buildWatches() {
	add := func(k valuepath.EventKind, w watch) {
		if k == "" {
			return
		}
		i := slices.Index(m.kinds, k)
		if i < 0 {
			i = len(m.kinds)
			m.kinds = append(m.kinds, k)
			m.watches = append(m.watches, nil)
		}
		m.watches[i] = append(m.watches[i], w)
	}
	for _, r := range []role{roleDone, roleFire, roleLast} {
		for i, c := range m.c {
			switch {
			case r == roleDone:
				add(c.done, watch{i, r})
			case r == roleFire && c.kind == kindEvent:
				add(c.fire, watch{i, r})
			case r == roleLast && c.kind == kindAbsence:
				add(c.fire, watch{i, r})
			}
		}
	}
}

// ParseModel reads a JSON [ModelSpec] and compiles it with [NewModel]. Unknown fields and
// data after the object are errors.
func ParseModel(data []byte) (*Model, error) {
	var spec ModelSpec
	if err := strictjson.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("engagement: model: %w: %w", valuepath.ErrInvalid, err)
	}
	return NewModel(spec)
}

// Segment returns the customer segment the model serves.
func (m *Model) Segment() string { return m.segment }

// Spec returns a deep copy of the model as declared; [NewModel] accepts it back.
func (m *Model) Spec() ModelSpec {
	return ModelSpec{Segment: m.segment, ValueEvent: m.value, AdvocacyEvent: m.advocacy, Moments: cloneMoments(m.moments)}
}

// MarshalJSON writes the model's [ModelSpec]; [ParseModel] reads it back.
func (m *Model) MarshalJSON() ([]byte, error) { return json.Marshal(m.Spec()) }

// metricUse is one condition's reading of a metric, with its field path.
type metricUse struct {
	metric int // index in Model.metrics
	path   string
}

// Check reports whether the model can read snapshots on schema: every
// metric its conditions read must be in it. Each one missing is a
// *[valuepath.FieldError] wrapping [valuepath.ErrUnknownMetric] with the
// path of the condition that reads it
// ("moments[7].trigger.when.metric: unknown metric \"logins_change_30d\""),
// all of them joined. [Model.AgendaInto] fails the same way for a snapshot
// on such a schema. A nil schema is an error.
func (m *Model) Check(schema *valuepath.Schema) error {
	if schema == nil {
		return &valuepath.FieldError{Pkg: "engagement", Path: "schema", Err: fmt.Errorf("%w: must not be nil", valuepath.ErrInvalid)}
	}
	_, err := m.bind(schema, nil)
	return err
}

// metricList names the metrics the model reads, for messages.
func (m *Model) metricList() string {
	names := make([]string, len(m.metrics))
	for i, x := range m.metrics {
		names[i] = strconv.Quote(string(x))
	}
	return "metrics " + strings.Join(names, ", ")
}

// bind resolves the model's metrics to their positions in schema, into pos
// (grown as needed), and reports every metric the schema lacks.
func (m *Model) bind(schema *valuepath.Schema, pos []int) ([]int, error) {
	pos = slices.Grow(pos[:0], len(m.metrics))[:len(m.metrics)]
	missing := false
	for i, name := range m.metrics {
		j, ok := schema.Index(name)
		if !ok {
			j, missing = -1, true
		}
		pos[i] = j
	}
	if !missing {
		return pos, nil
	}
	var errs []error
	for _, u := range m.uses {
		if pos[u.metric] < 0 {
			errs = append(errs, &valuepath.FieldError{Pkg: "engagement", Path: u.path, Err: fmt.Errorf("%w %q", valuepath.ErrUnknownMetric, m.metrics[u.metric])})
		}
	}
	return pos, errors.Join(errs...)
}

func cloneMoments(ms []Moment) []Moment {
	out := make([]Moment, len(ms))
	for i, mo := range ms {
		out[i] = cloneMoment(mo)
	}
	return out
}

func cloneMoment(mo Moment) Moment {
	if mo.CompletedWhen != nil {
		x := *mo.CompletedWhen
		mo.CompletedWhen = &x
	}
	if mo.Cadence != nil {
		x := *mo.Cadence
		mo.Cadence = &x
	}
	if mo.Trigger != nil {
		t := *mo.Trigger
		t.In = slices.Clone(t.In)
		if t.AtMost != nil {
			v := *t.AtMost
			t.AtMost = &v
		}
		if t.When != nil {
			w := *t.When
			t.When = &w
		}
		mo.Trigger = &t
	}
	return mo
}

func formatFloat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%g", v)
}
