package engagement

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/valuepath/valuepath"
)

// Input is what an engagement model reads about one account: when its
// contract started, in which time zone it lives, what happened to it, and
// its metrics as of the evaluation. Inputs are read, never kept.
type Input struct {
	// ID is the account; it must not be empty.
	ID valuepath.AccountID
	// Segment picks the account's model in a [Catalog]; [Model.Agenda]
	// ignores it.
	Segment string
	// TimeZone is an IANA zone name ("Europe/Berlin") in which cadences are
	// computed. Empty means UTC.
	TimeZone string
	// Start is the contract start: onboarding offsets and contract-anchored
	// cadences count from it.
	Start time.Time
	// Events is the account's event log; every event must be before asOf.
	Events valuepath.EventLog
	// Snapshot holds the metrics that conditions read. It must not be nil
	// when the model reads a metric, and its schema must hold every metric
	// the model reads; a metric missing from the snapshot (present in the
	// schema, without a value) never meets a condition. A model that reads
	// no metric ignores it.
	Snapshot *valuepath.Snapshot
}

// ItemStatus is where an agenda [Item] (a moment) stands at asOf.
type ItemStatus string

// The statuses of an agenda [Item].
const (
	// Completed: the moment happened (CompletedAt says when, if known).
	Completed ItemStatus = "completed"
	// Due: the moment is open and its due time has not passed.
	Due ItemStatus = "due"
	// Overdue: the due time has passed and the moment has not happened.
	Overdue ItemStatus = "overdue"
	// Upcoming: the next occurrence of a cadence, not yet open.
	Upcoming ItemStatus = "upcoming"
	// Waiting: an onboarding moment whose predecessor is not completed, so
	// its clock has not started.
	Waiting ItemStatus = "waiting"
)

// Progress is how an onboarding milestone stands, as journey tools show it.
type Progress string

// The states of an onboarding milestone.
const (
	Reached Progress = "reached"
	OnTrack Progress = "on_track"
	Behind  Progress = "behind" // past due
	Stuck   Progress = "stuck"  // past its stuck_after maximum
	Pending Progress = "pending"
)

// RuleKind names what made a moment due.
type RuleKind string

// The rules that produce agenda items.
const (
	RuleOffset  RuleKind = "offset"  // an onboarding offset from the start or a predecessor
	RuleCadence RuleKind = "cadence" // a recurring occurrence
	RuleEvent   RuleKind = "event"   // an event fired a trigger
	RuleMetric  RuleKind = "metric"  // a metric condition holds
	RuleAbsence RuleKind = "absence" // no event of a kind for a period
)

// Rule explains why an item is on the agenda: the rule of the model and the
// facts that made it fire. Fields that do not apply to Kind are zero.
type Rule struct {
	Kind RuleKind `json:"kind"`
	// From is the moment an offset counts from, or "" for the contract start.
	From string `json:"from,omitempty"`
	// Base is the instant the rule counts from: the start or predecessor's
	// completion, the occurrence, or the firing.
	Base time.Time `json:"base"`
	// Within is how long after Base the moment is due.
	Within valuepath.Duration `json:"within"`
	// Cadence is the recurrence, for RuleCadence.
	Cadence Cadence `json:"cadence"`
	// Event is the kind of the event that fired (RuleEvent) or that has
	// been absent (RuleAbsence).
	Event valuepath.EventKind `json:"event,omitempty"`
	// Condition is the metric condition, for RuleMetric.
	Condition Condition `json:"condition"`
	// Value is the metric's value at asOf, for RuleMetric.
	Value float64 `json:"value,omitempty"`
}

// String explains the rule in a sentence fragment, such as
// "due 7d after training on 2026-03-02" or "fired by survey on 2026-05-04".
func (r Rule) String() string {
	day := r.Base.Format(time.DateOnly)
	switch r.Kind {
	case RuleOffset:
		from := "the contract start"
		if r.From != "" {
			from = r.From
		}
		if r.Base.IsZero() {
			return fmt.Sprintf("due %s after %s, once it is completed", r.Within, from)
		}
		return fmt.Sprintf("due %s after %s on %s", r.Within, from, day)
	case RuleCadence:
		return fmt.Sprintf("%s, occurrence of %s", r.Cadence, day)
	case RuleEvent:
		return fmt.Sprintf("fired by %s on %s", r.Event, day)
	case RuleMetric:
		return fmt.Sprintf("%s holds (%s) on %s", r.Condition, strconv.FormatFloat(r.Value, 'g', 4, 64), day)
	case RuleAbsence:
		return fmt.Sprintf("no %s for %s, fired on %s", r.Event, r.Within, day)
	}
	return string(r.Kind)
}

// MarshalJSON writes the fields that apply to the rule's kind and its
// explanation.
func (r Rule) MarshalJSON() ([]byte, error) {
	out := map[string]any{"kind": r.Kind, "within": r.Within, "explain": r.String()}
	if !r.Base.IsZero() {
		out["base"] = r.Base
	}
	switch r.Kind {
	case RuleOffset:
		out["from"] = r.From
	case RuleCadence:
		out["cadence"] = r.Cadence
	case RuleEvent, RuleAbsence:
		out["event"] = r.Event
	case RuleMetric:
		out["condition"] = r.Condition
		out["value"] = r.Value
	}
	return json.Marshal(out)
}

// Item is one moment on an account's agenda.
type Item struct {
	// Moment, Name, Phase, Owner and Objective are the moment's.
	Moment    string
	Name      string
	Phase     Phase
	Owner     string
	Objective string
	// Status is where the moment stands at asOf.
	Status ItemStatus
	// Opens is when the moment opened: its base, occurrence or firing. Zero
	// when Waiting.
	Opens time.Time
	// Due is when the moment is due. Zero when Waiting.
	Due time.Time
	// CompletedAt is when it was completed; zero if it is not, or if a
	// metric condition completed it (the time is then unknown).
	CompletedAt time.Time
	// Late is how far past Due an Overdue item is at asOf; zero otherwise.
	Late valuepath.Duration
	// Progress is the milestone state of an onboarding moment; empty for
	// ongoing moments.
	Progress Progress
	// Rule is what put the moment on the agenda.
	Rule Rule
}

// MarshalJSON omits the times that are zero and writes Late as a duration
// ("3d").
func (it Item) MarshalJSON() ([]byte, error) {
	out := map[string]any{"moment": it.Moment, "name": it.Name, "phase": it.Phase, "owner": it.Owner, "status": it.Status, "rule": it.Rule}
	if it.Objective != "" {
		out["objective"] = it.Objective
	}
	if !it.Opens.IsZero() {
		out["opens"] = it.Opens
	}
	if !it.Due.IsZero() {
		out["due"] = it.Due
	}
	if !it.CompletedAt.IsZero() {
		out["completed_at"] = it.CompletedAt
	}
	if it.Late > 0 {
		out["late"] = it.Late
	}
	if it.Progress != "" {
		out["progress"] = it.Progress
	}
	return json.Marshal(out)
}

// Escalation is raised when an onboarding milestone with an escalation role
// is behind or stuck.
type Escalation struct {
	Moment string   `json:"moment"`
	Name   string   `json:"name"`
	To     string   `json:"to"`
	Level  Progress `json:"level"` // Behind or Stuck
	// Since is when the milestone fell behind (its due time).
	Since time.Time          `json:"since"`
	Late  valuepath.Duration `json:"late"`
	Rule  Rule               `json:"rule"`
}

// Agenda is an account's engagement at asOf: one item per moment that
// applies (two for a cadence: the current occurrence and the next one), in
// the model's order, and the escalations raised. An Agenda can be reused
// with [Model.AgendaInto] to evaluate many accounts without allocating.
type Agenda struct {
	Account     valuepath.AccountID
	Segment     string
	AsOf        time.Time
	Items       []Item
	Escalations []Escalation

	st    []mstate
	slots []time.Time
	zones map[string]*time.Location
	// The binding of the last model and schema evaluated into the agenda.
	model   *Model
	schema  *valuepath.Schema
	pos     []int
	bindErr error
}

// reset empties the agenda for a new evaluation, keeping its storage.
func (a *Agenda) reset(account valuepath.AccountID, segment string, asOf time.Time) {
	a.Account, a.Segment, a.AsOf = account, segment, asOf
	a.Items, a.Escalations = a.Items[:0], a.Escalations[:0]
}

// bind returns the positions of m's metrics in schema, resolved once for a
// run of accounts with the same model and schema.
func (a *Agenda) bind(m *Model, schema *valuepath.Schema) ([]int, error) {
	if a.model != m || a.schema != schema {
		a.pos, a.bindErr = m.bind(schema, a.pos)
		a.model, a.schema = m, schema
	}
	return a.pos, a.bindErr
}

// MarshalJSON writes the agenda with empty lists as [], not null.
func (a Agenda) MarshalJSON() ([]byte, error) {
	type plain struct {
		Account     valuepath.AccountID `json:"account"`
		Segment     string              `json:"segment"`
		AsOf        time.Time           `json:"as_of"`
		Items       []Item              `json:"items"`
		Escalations []Escalation        `json:"escalations"`
	}
	p := plain{a.Account, a.Segment, a.AsOf, a.Items, a.Escalations}
	if p.Items == nil {
		p.Items = []Item{}
	}
	if p.Escalations == nil {
		p.Escalations = []Escalation{}
	}
	return json.Marshal(p)
}

// Count returns how many items have status s.
func (a *Agenda) Count(s ItemStatus) int {
	n := 0
	for i := range a.Items {
		if a.Items[i].Status == s {
			n++
		}
	}
	return n
}

type mstate struct {
	done     time.Time // completion instant, zero if none known
	lastDone time.Time // newest completing event
	open     time.Time // occurrence or firing
	next     time.Time // next occurrence (cadences)
	last     time.Time // newest event of an absence trigger's kind
	fired    bool
	met      bool // completed by its condition
	value    float64
}

// scan makes the one pass over an account's events, oldest first, that
// completes, fires and dates the moments watching each event's kind. It is
// the agenda's inner loop, kept in a function of its own so that it is
// compiled on its own.
func (m *Model) scan(log valuepath.EventLog, st []mstate, slots []time.Time) {
	for ei := range log.Len() {
		e := log.At(ei)
		for k, kind := range m.kinds {
			if kind != e.Kind {
				continue
			}
			for _, w := range m.watches[k] {
				c, s := &m.c[w.moment], &st[w.moment]
				switch w.role {
				case roleDone:
					s.lastDone = e.At
					switch c.kind {
					case kindMilestone:
						if s.done.IsZero() {
							s.done = e.At
						}
					case kindCadence, kindEvent:
						if s.fired && s.done.IsZero() && !e.At.Before(s.open) {
							s.done = e.At
						}
					}
				case roleFire:
					if !c.matches(e) {
						continue
					}
					if last := slots[c.dedupe]; !last.IsZero() && e.At.Sub(last) < c.cooldown {
						continue
					}
					slots[c.dedupe] = e.At
					s.open, s.fired, s.done = e.At, true, time.Time{}
				case roleLast:
					s.last = e.At
				}
			}
			break
		}
	}
}

// Agenda evaluates the model for one account as of asOf. See
// [Model.AgendaInto].
func (m *Model) Agenda(acct Input, asOf time.Time) (*Agenda, error) {
	a := &Agenda{}
	if err := m.AgendaInto(acct, asOf, a); err != nil {
		return nil, err
	}
	return a, nil
}

// AgendaInto evaluates the model for acct as of asOf into dst, reusing its
// storage: in the steady state it does not allocate, however many events the
// account has. It fails exactly when [Model.Agenda] does. Errors are
// *[valuepath.AccountError]s wrapping *[valuepath.FieldError]s, joined: an
// empty id ("id"), an unknown time zone ("time_zone"), a zero start or one
// after asOf ("start"), an event at or after asOf ("events[i].at"), a nil
// snapshot for a model that reads metrics ("snapshot"), and each metric the
// snapshot's schema lacks, wrapping [valuepath.ErrUnknownMetric] with the
// path of the condition that reads it ("moments[7].trigger.when.metric").
func (m *Model) AgendaInto(acct Input, asOf time.Time, dst *Agenda) error {
	dst.reset(acct.ID, m.segment, asOf)
	loc, pos, err := dst.check(m, acct, asOf)
	if err != nil {
		return err
	}
	n := len(m.c)
	if cap(dst.st) < n {
		dst.st = make([]mstate, n)
	}
	st := dst.st[:n]
	clear(st)
	if cap(dst.slots) < m.nDedupe {
		dst.slots = make([]time.Time, m.nDedupe)
	}
	slots := dst.slots[:m.nDedupe]
	clear(slots)

	// Conditions and cadence occurrences do not depend on events.
	for i := range m.c {
		c, s := &m.c[i], &st[i]
		if c.conditions[0] >= 0 {
			if v, ok := m.read(acct.Snapshot, pos, c.conditions[0]); ok && c.doneWhen.holds(v) {
				s.met = true
			}
		}
		if c.kind == kindCadence {
			s.open, s.next, s.fired = c.cadence.Around(acct.Start, asOf, loc)
		}
	}

	// One pass over the events, oldest first.
	log := acct.Events
	m.scan(log, st, slots)

	// Moments computed after the pass: absences and metric triggers.
	for i := range m.c {
		c, s := &m.c[i], &st[i]
		switch c.kind {
		case kindAbsence:
			base := acct.Start
			if s.last.After(base) {
				base = s.last
			}
			f := base.Add(c.silence)
			if f.After(asOf) {
				continue
			}
			f = f.Add(asOf.Sub(f) / c.cooldown * c.cooldown)
			if last := slots[c.dedupe]; !last.IsZero() && !last.After(f) && f.Sub(last) < c.cooldown {
				continue
			}
			s.open, s.fired = f, true
			s.done = firstOf(log.Window(valuepath.Interval{Start: f, End: asOf}), c.done)
		case kindMetric:
			v, ok := m.read(acct.Snapshot, pos, c.conditions[1])
			s.value = v
			switch {
			case !s.lastDone.IsZero() && asOf.Sub(s.lastDone) < c.cooldown:
				s.open, s.done, s.fired = s.lastDone, s.lastDone, true
			case !ok || !c.when.holds(v):
			case !slots[c.dedupe].IsZero() && asOf.Sub(slots[c.dedupe]) < c.cooldown:
			default:
				s.open, s.fired = asOf, true
			}
		}
	}

	// Onboarding moments, predecessors first, then the items in model order.
	for _, i := range m.order {
		c, s := &m.c[i], &st[i]
		if c.kind != kindMilestone {
			continue
		}
		if c.pred < 0 {
			s.open, s.fired = acct.Start, true
			continue
		}
		p := &st[c.pred]
		switch {
		case !p.done.IsZero():
			s.open, s.fired = p.done, true
		case p.met && p.fired:
			// Completed by a condition at an unknown time: its due time
			// stands in for the completion.
			s.open, s.fired = p.open.Add(m.c[c.pred].within), true
		}
	}
	for i := range m.c {
		m.emit(dst, i, &st[i], asOf, loc, acct.Start)
	}
	return nil
}

func (m *Model) emit(dst *Agenda, i int, s *mstate, asOf time.Time, loc *time.Location, start time.Time) {
	c, mo := &m.c[i], &m.moments[i]
	it := Item{Moment: mo.ID, Name: mo.Name, Phase: mo.Phase, Owner: mo.Owner, Objective: mo.Objective}
	done := !s.done.IsZero() || s.met
	switch c.kind {
	case kindMilestone:
		it.Rule = Rule{Kind: RuleOffset, From: mo.After, Base: s.open, Within: mo.Within}
		switch {
		case done:
			it.Status, it.Progress, it.CompletedAt = Completed, Reached, s.done
			if s.fired {
				it.Opens, it.Due = s.open, s.open.Add(c.within)
			}
		case !s.fired:
			it.Status, it.Progress = Waiting, Pending
		default:
			it.Opens, it.Due = s.open, s.open.Add(c.within)
			it.Status, it.Progress = Due, OnTrack
			if !asOf.Before(it.Due) {
				it.Status, it.Progress, it.Late = Overdue, Behind, valuepath.Duration(asOf.Sub(it.Due))
				if c.stuck > 0 && !asOf.Before(s.open.Add(c.stuck)) {
					it.Progress = Stuck
				}
				if mo.EscalateTo != "" {
					dst.Escalations = append(dst.Escalations, Escalation{
						Moment: mo.ID, Name: mo.Name, To: mo.EscalateTo, Level: it.Progress,
						Since: it.Due, Late: it.Late, Rule: it.Rule,
					})
				}
			}
		}
		dst.Items = append(dst.Items, it)
	case kindCadence:
		if s.fired {
			cur := it
			cur.Rule = Rule{Kind: RuleCadence, Base: s.open, Within: mo.Within, Cadence: c.cadence}
			cur.Opens, cur.Due = s.open, s.next
			if c.within > 0 {
				cur.Due = s.open.Add(c.within)
			}
			m.settle(&cur, s, done, asOf)
			dst.Items = append(dst.Items, cur)
		}
		if !s.next.IsZero() {
			it.Rule = Rule{Kind: RuleCadence, Base: s.next, Within: mo.Within, Cadence: c.cadence}
			it.Opens, it.Due, it.Status = s.next, s.next.Add(c.within), Upcoming
			if c.within == 0 {
				_, after, _ := c.cadence.Around(start, s.next, loc)
				it.Due = after
			}
			dst.Items = append(dst.Items, it)
		}
	default:
		if !s.fired {
			return
		}
		it.Opens, it.Due = s.open, s.open.Add(c.within)
		switch c.kind {
		case kindEvent:
			it.Rule = Rule{Kind: RuleEvent, Base: s.open, Within: mo.Within, Event: c.fire}
		case kindAbsence:
			it.Rule = Rule{Kind: RuleAbsence, Base: s.open, Within: valuepath.Duration(c.silence), Event: c.fire}
		case kindMetric:
			it.Rule = Rule{Kind: RuleMetric, Base: s.open, Within: mo.Within, Condition: *c.when, Value: s.value}
		}
		m.settle(&it, s, done, asOf)
		dst.Items = append(dst.Items, it)
	}
}

// settle sets the status of an open item.
func (m *Model) settle(it *Item, s *mstate, done bool, asOf time.Time) {
	switch {
	case done:
		it.Status, it.CompletedAt = Completed, s.done
	case !asOf.Before(it.Due):
		it.Status, it.Late = Overdue, valuepath.Duration(asOf.Sub(it.Due))
	default:
		it.Status = Due
	}
}

// matches applies an event trigger's attribute filter.
func (c *compiled) matches(e valuepath.Event) bool {
	if c.attr == "" {
		return true
	}
	v, ok := e.Attrs[c.attr]
	if !ok {
		return false
	}
	if c.hasAtMost {
		f, err := strconv.ParseFloat(v, 64)
		return err == nil && f <= c.atMost
	}
	if len(c.in) == 0 {
		return true
	}
	for _, x := range c.in {
		if x == v {
			return true
		}
	}
	return false
}

func (m *Model) read(s *valuepath.Snapshot, pos []int, metric int) (float64, bool) {
	if metric < 0 {
		return 0, false
	}
	return s.ValueAt(pos[metric])
}

func firstOf(log valuepath.EventLog, kind valuepath.EventKind) time.Time {
	if kind == "" {
		return time.Time{}
	}
	for i := range log.Len() {
		if e := log.At(i); e.Kind == kind {
			return e.At
		}
	}
	return time.Time{}
}

// check validates the account against asOf and m, resolves its time zone
// and binds m to its snapshot's schema, caching both in the agenda so that a
// reused agenda loads each zone once and binds once per schema.
func (a *Agenda) check(m *Model, acct Input, asOf time.Time) (*time.Location, []int, error) {
	fail := func(path string, err error) error {
		return &valuepath.AccountError{Account: acct.ID, Err: &valuepath.FieldError{Pkg: "engagement", Path: path, Err: err}}
	}
	var errs []error
	if acct.ID == "" {
		errs = append(errs, fail("id", fmt.Errorf("%w: must not be empty", valuepath.ErrInvalid)))
	}
	if asOf.IsZero() {
		errs = append(errs, fail("as_of", fmt.Errorf("%w: must not be zero", valuepath.ErrInvalid)))
	}
	switch {
	case acct.Start.IsZero():
		errs = append(errs, fail("start", fmt.Errorf("%w: must not be zero", valuepath.ErrInvalid)))
	case acct.Start.After(asOf):
		errs = append(errs, fail("start", fmt.Errorf("%w: %s is after asOf %s", valuepath.ErrInvalid, acct.Start.Format(time.RFC3339), asOf.Format(time.RFC3339))))
	}
	if n := acct.Events.Len(); n > 0 {
		if last := acct.Events.At(n - 1); !last.At.Before(asOf) {
			first := n - 1
			for first > 0 && !acct.Events.At(first-1).At.Before(asOf) {
				first--
			}
			errs = append(errs, fail(fmt.Sprintf("events[%d].at", first), fmt.Errorf("%w: %s is not before asOf %s (%d events in the future)", valuepath.ErrOutOfOrder, acct.Events.At(first).At.Format(time.RFC3339), asOf.Format(time.RFC3339), n-first)))
		}
	}
	loc, err := a.zone(acct.TimeZone)
	if err != nil {
		errs = append(errs, fail("time_zone", err))
	}
	pos, err := a.bindSnapshot(m, acct)
	if err != nil {
		for _, e := range unjoin(err) {
			errs = append(errs, &valuepath.AccountError{Account: acct.ID, Err: e})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return loc, pos, nil
}

// bindSnapshot binds m to the schema of acct's snapshot. A model that reads
// no metric needs no snapshot; one that does fails on a nil snapshot and on
// a schema that lacks any of its metrics.
func (a *Agenda) bindSnapshot(m *Model, acct Input) ([]int, error) {
	if len(m.metrics) == 0 {
		return nil, nil
	}
	if acct.Snapshot == nil || acct.Snapshot.Schema() == nil {
		return nil, &valuepath.FieldError{Pkg: "engagement", Path: "snapshot", Err: fmt.Errorf("%w: must not be nil: the model reads %s", valuepath.ErrInvalid, m.metricList())}
	}
	return a.bind(m, acct.Snapshot.Schema())
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func (a *Agenda) zone(name string) (*time.Location, error) {
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if loc, ok := a.zones[name]; ok {
		return loc, nil
	}
	loc, err := LoadZone(name)
	if err != nil {
		return nil, err
	}
	if a.zones == nil {
		a.zones = map[string]*time.Location{}
	}
	a.zones[name] = loc
	return loc, nil
}

// LoadZone loads the IANA time zone name as [time.LoadLocation] does, but
// rejects "Local", whose meaning depends on the machine, and reports an
// unknown zone as an error wrapping [valuepath.ErrInvalid].
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("%w: %q is not an IANA time zone name", valuepath.ErrInvalid, name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%w: unknown time zone %q", valuepath.ErrInvalid, name)
	}
	return loc, nil
}
