package engagement

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// Catalog holds a host's engagement models, one per customer segment
// (enterprise high-touch, SMB low-touch…), and evaluates whole books of
// accounts, each with the model of its segment. Build it with [NewCatalog]
// or [ParseCatalog]; a *Catalog is immutable and safe for concurrent use.
// The zero value is not valid.
type Catalog struct {
	models []*Model
	index  map[string]int
}

// CatalogSpec is the configuration of a [Catalog]: one [ModelSpec] per
// segment. Its JSON form is an array of models.
type CatalogSpec []ModelSpec

// NewCatalog validates every model of spec and builds the catalog. Every
// problem of every model is reported, joined, its path prefixed with
// "models[i]"; segments must be unique. spec is copied, not kept.
func NewCatalog(spec CatalogSpec) (*Catalog, error) {
	cat := &Catalog{index: map[string]int{}}
	var errs []error
	for i, s := range spec {
		p := validate.Index("models", i)
		m, err := NewModel(s)
		if err != nil {
			errs = append(errs, prefix(p, err))
			continue
		}
		if j, dup := cat.index[m.segment]; dup {
			errs = append(errs, &valuepath.FieldError{Pkg: "engagement", Path: validate.Field(p, "segment"),
				Err: fmt.Errorf("%w: segment %q (also models[%d])", valuepath.ErrDuplicate, m.segment, j)})
			continue
		}
		cat.index[m.segment] = i
		cat.models = append(cat.models, m)
	}
	if len(errs) > 0 {
		return nil, joinErrs(errs)
	}
	return cat, nil
}

// ParseCatalog reads a JSON array of models and builds a catalog with
// [NewCatalog]. Unknown fields and data after the array are errors.
func ParseCatalog(data []byte) (*Catalog, error) {
	var spec CatalogSpec
	if err := strictjson.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("engagement: catalog: %w: %w", valuepath.ErrInvalid, err)
	}
	return NewCatalog(spec)
}

// Spec returns a deep copy of the catalog's configuration; [NewCatalog]
// accepts it back.
func (c *Catalog) Spec() CatalogSpec {
	spec := make(CatalogSpec, len(c.models))
	for i, m := range c.models {
		spec[i] = m.Spec()
	}
	return spec
}

// Model returns the model of segment, and false if there is none.
func (c *Catalog) Model(segment string) (*Model, bool) {
	i, ok := c.index[segment]
	if !ok {
		return nil, false
	}
	return c.models[i], true
}

// Models yields the models in the order they were given.
func (c *Catalog) Models() iter.Seq[*Model] { return slices.Values(c.models) }

// MarshalJSON writes the catalog's [CatalogSpec]; [ParseCatalog] reads it
// back.
func (c *Catalog) MarshalJSON() ([]byte, error) { return json.Marshal(c.Spec()) }

// Check reports whether every model of the catalog can read snapshots on
// schema, as [Model.Check] does, with paths prefixed by "models[i]".
func (c *Catalog) Check(schema *valuepath.Schema) error {
	var errs []error
	for i, m := range c.models {
		if err := m.Check(schema); err != nil {
			errs = append(errs, prefix(validate.Index("models", i), err))
		}
	}
	return joinErrs(errs)
}

// AgendaAll evaluates every account with the model of its segment as of
// asOf and streams one agenda per input, in input order. The yielded
// *Agenda is reused: it is valid until the loop body returns. A failing
// account (an unknown segment, a bad time zone, events not before asOf, a
// snapshot the model cannot read) is yielded beside its agenda as a
// *[valuepath.AccountError] and the stream goes on; stop it by breaking out
// of the loop. In the steady state it allocates nothing per account.
//
// opt.Concurrency sets how many goroutines evaluate: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 evaluates on the caller's goroutine.
// Above 1, in is still ranged over on the caller's goroutine, which
// evaluates chunks of it beside opt.Concurrency-1 helper goroutines, and
// each input's snapshot is copied before it is used, so an iterator that
// reuses one snapshot is safe, unless opt.InPlace says the input stays as it
// is; results still come in input order.
func (c *Catalog) AgendaAll(in iter.Seq[Input], asOf time.Time, opt valuepath.BatchOptions) iter.Seq2[*Agenda, error] {
	if n := batch.Workers(opt.Concurrency); n > 1 {
		return func(yield func(*Agenda, error) bool) {
			batch.Ordered(in, n, putInput(opt.InPlace), func() func(*inputSlot, *Agenda) error {
				return func(slot *inputSlot, a *Agenda) error { return c.agendaInto(slot.get(), asOf, a) }
			}, yield)
		}
	}
	return func(yield func(*Agenda, error) bool) {
		a := &Agenda{}
		for acct := range in {
			if !yield(a, c.agendaInto(acct, asOf, a)) {
				return
			}
		}
	}
}

// agendaInto evaluates acct with the model of its segment into a.
func (c *Catalog) agendaInto(acct Input, asOf time.Time, a *Agenda) error {
	m, ok := c.Model(acct.Segment)
	if !ok {
		a.reset(acct.ID, acct.Segment, asOf)
		return noModel(acct)
	}
	return m.AgendaInto(acct, asOf, a)
}

// inputSlot is a parallel batch's copy of one Input: the event log is
// immutable and shared, the snapshot is copied.
type inputSlot struct {
	in   Input
	snap valuepath.Snapshot
}

// putInput returns the put function of the parallel batch: it keeps the
// input as it is when inPlace, and otherwise copies its snapshot.
func putInput(inPlace bool) func(*inputSlot, Input) {
	if inPlace {
		return func(slot *inputSlot, in Input) { slot.in = in }
	}
	return putInputCopy
}

func putInputCopy(slot *inputSlot, in Input) {
	slot.in = in
	if in.Snapshot != nil {
		in.Snapshot.CloneInto(&slot.snap)
		slot.in.Snapshot = &slot.snap
	}
}

func (slot *inputSlot) get() Input { return slot.in }

func noModel(acct Input) error {
	return &valuepath.AccountError{Account: acct.ID, Err: &valuepath.FieldError{Pkg: "engagement", Path: "segment", Err: fmt.Errorf("%w: no model for segment %q", valuepath.ErrInvalid, acct.Segment)}}
}

// Task is one piece of work for a role: an agenda item or an escalation of
// one account.
type Task struct {
	Account valuepath.AccountID `json:"account"`
	Segment string              `json:"segment"`
	Item    Item                `json:"item"`
	// Escalation is set when the task is an escalation to the role.
	Escalation *Escalation `json:"escalation,omitempty"`
}

// RoleWork is the work of one owner role over a period: what is overdue at
// its start, what falls due during it, what opens during it, and the
// escalations addressed to the role.
type RoleWork struct {
	Role        string `json:"role"`
	Overdue     int    `json:"overdue"`
	Due         int    `json:"due"`
	Upcoming    int    `json:"upcoming"`
	Escalations int    `json:"escalations"`
	Tasks       []Task `json:"tasks"`
}

// Workload is the work per owner role for the period [From, To) across a
// book of accounts, roles in name order and each role's tasks by due time
// (escalations by how long they have waited), then account.
type Workload struct {
	From  time.Time  `json:"from"`
	To    time.Time  `json:"to"`
	Roles []RoleWork `json:"roles"`
}

// Workload evaluates every account as of asOf and gathers the work per owner
// role for the coming period [asOf, asOf+period): items overdue at asOf,
// items due before the period ends, occurrences that open during it, and
// escalations. Accounts that fail are left out and their errors returned,
// joined, alongside the workload of the rest.
func (c *Catalog) Workload(accounts iter.Seq[Input], asOf time.Time, period time.Duration) (*Workload, error) {
	if period <= 0 {
		return nil, &valuepath.FieldError{Pkg: "engagement", Path: "period", Err: fmt.Errorf("%w: must be > 0, got %s", valuepath.ErrInvalid, period)}
	}
	end := asOf.Add(period)
	roles := map[string]*RoleWork{}
	get := func(r string) *RoleWork {
		w := roles[r]
		if w == nil {
			w = &RoleWork{Role: r}
			roles[r] = w
		}
		return w
	}
	var errs []error
	for a, err := range c.AgendaAll(accounts, asOf, valuepath.BatchOptions{Concurrency: 1}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, it := range a.Items {
			var w *RoleWork
			switch {
			case it.Status == Overdue:
				w = get(it.Owner)
				w.Overdue++
			case it.Status == Due && it.Due.Before(end):
				w = get(it.Owner)
				w.Due++
			case it.Status == Upcoming && it.Opens.Before(end):
				w = get(it.Owner)
				w.Upcoming++
			default:
				continue
			}
			w.Tasks = append(w.Tasks, Task{Account: a.Account, Segment: a.Segment, Item: it})
		}
		for _, e := range a.Escalations {
			w := get(e.To)
			w.Escalations++
			esc := e
			w.Tasks = append(w.Tasks, Task{Account: a.Account, Segment: a.Segment, Item: Item{Moment: e.Moment, Name: e.Name, Owner: e.To, Status: Overdue, Due: e.Since, Late: e.Late, Progress: e.Level, Rule: e.Rule}, Escalation: &esc})
		}
	}
	out := &Workload{From: asOf, To: end}
	for _, w := range roles {
		slices.SortFunc(w.Tasks, func(x, y Task) int {
			return cmp.Or(x.Item.Due.Compare(y.Item.Due), cmp.Compare(x.Account, y.Account), cmp.Compare(x.Item.Moment, y.Item.Moment))
		})
		out.Roles = append(out.Roles, *w)
	}
	slices.SortFunc(out.Roles, func(x, y RoleWork) int { return cmp.Compare(x.Role, y.Role) })
	return out, joinErrs(errs)
}

func prefix(path string, err error) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		if fe, ok := e.(*valuepath.FieldError); ok {
			cp := *fe
			cp.Path = validate.Field(path, fe.Path)
			out[i] = &cp
		} else {
			out[i] = fmt.Errorf("%s: %w", path, e)
		}
	}
	return joinErrs(out)
}

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
