package valuepath

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/valuepath/valuepath/internal/stats"
	"github.com/valuepath/valuepath/internal/strictjson"
)

// Op is the operation of a [Derivation].
type Op string

// The operations a derivation can apply. Window operations read the samples
// of Source in the trailing window [asOf-Window, asOf).
const (
	OpSum   Op = "sum"   // sum of the values in the window
	OpMean  Op = "mean"  // arithmetic mean of the values in the window
	OpMin   Op = "min"   // smallest value in the window
	OpMax   Op = "max"   // largest value in the window
	OpLast  Op = "last"  // newest value in the window
	OpCount Op = "count" // number of samples in the window

	// OpChange is Aggregate over the current window minus Aggregate over the
	// window of the same length just before it.
	OpChange Op = "change"
	// OpRelativeChange is OpChange divided by the magnitude of the previous
	// window's aggregate: 0.1 means up 10%. Missing when that aggregate is 0.
	OpRelativeChange Op = "relative_change"
	// OpSlope is the least-squares slope of value against time in the
	// window, in units per day. It needs two samples.
	OpSlope Op = "slope"
	// OpRatio divides the derived metric Numerator by the derived metric
	// Denominator, both defined in the same set. Missing when the denominator
	// is 0 or either side is missing.
	OpRatio Op = "ratio"
	// OpEventCount counts the events of kind Event in the window. Unlike the
	// series aggregates it is 0, not missing, when the window holds none:
	// the provider's event log is taken as complete.
	OpEventCount Op = "event_count"
	// OpDaysSince is the time in days (fractional) from the newest event of
	// kind Event in the window to asOf; missing if the window holds none.
	// The window bounds how far back to look.
	OpDaysSince Op = "days_since"
)

// Derivation declares one derived metric. It is data: build it in Go or load
// a set from JSON with [ParseDerivations]. Which fields apply depends on Op.
type Derivation struct {
	// Name is the derived metric's name, unique within its set.
	Name Metric `json:"name"`
	// Op is what to compute.
	Op Op `json:"op"`
	// Source is the raw series read by the window operations.
	Source Metric `json:"source,omitempty"`
	// Aggregate is the aggregate compared by OpChange and OpRelativeChange:
	// one of sum, mean, min, max, last, count. Empty means sum.
	Aggregate Op `json:"aggregate,omitempty"`
	// Numerator and Denominator name other derivations of the set, for OpRatio.
	Numerator   Metric `json:"numerator,omitempty"`
	Denominator Metric `json:"denominator,omitempty"`
	// Event is the event kind read by OpEventCount and OpDaysSince.
	Event EventKind `json:"event,omitempty"`
	// Where narrows OpEventCount and OpDaysSince to events whose attribute
	// key holds one of the listed values, for every key given: for example
	// {"severity": ["high", "critical"]}.
	Where map[string][]string `json:"where,omitempty"`
	// Window is the length of the trailing window; required (> 0) by every
	// op but OpRatio, which must leave it zero. A window is whole days or
	// weeks ("30d", "2w", or "720h", which is 30 days): "1m" is one minute,
	// not a month, and is an error that suggests "30d".
	Window Duration `json:"window,omitempty"`
}

type opKind uint8

const (
	kindAggregate opKind = iota
	kindChange
	kindRelChange
	kindSlope
	kindRatio
	kindEventCount
	kindDaysSince
)

type aggKind uint8

const (
	aggSum aggKind = iota
	aggMean
	aggMin
	aggMax
	aggLast
	aggCount
)

var aggregates = map[Op]aggKind{OpSum: aggSum, OpMean: aggMean, OpMin: aggMin, OpMax: aggMax, OpLast: aggLast, OpCount: aggCount}

// compiled is a derivation resolved to positions.
type compiled struct {
	kind     opKind
	agg      aggKind
	source   int // index into Derivations.sources
	num, den int // schema positions, for ratios
	event    EventKind
	where    []attrCond // sorted by key
	window   time.Duration
}

// attrCond requires an event attribute to hold one of vals.
type attrCond struct {
	key  string
	vals []string
}

// matches reports whether e is of kind c.event and meets every condition.
func (c *compiled) matches(e *Event) bool {
	if e.Kind != c.event {
		return false
	}
	for _, w := range c.where {
		v, ok := e.Attrs[w.key]
		if !ok || !slices.Contains(w.vals, v) {
			return false
		}
	}
	return true
}

// Derivations is a validated, immutable set of derivations, compiled for
// evaluation. Its snapshots carry one metric per derivation, in declaration
// order. A *Derivations is safe for concurrent use: build it once and
// evaluate any number of accounts with it.
type Derivations struct {
	specs    []Derivation
	schema   *Schema
	ops      []compiled
	order    []int           // evaluation order: ratios after their inputs
	sources  []Metric        // distinct raw series read
	lookback []time.Duration // per source: the longest span read
	events   time.Duration   // longest event window; 0 if no event op
	pool     sync.Pool       // *evalState
}

type evalState struct {
	series []Series
}

// DerivationsSpec is the configuration of a [Derivations]: the derived
// metrics in declaration order. Its JSON form is an array of [Derivation].
type DerivationsSpec []Derivation

// NewDerivations validates specs and compiles them. Every problem is
// reported, each as a *[FieldError] with its path ("derivations[3].window"),
// joined: empty or duplicate names, unknown ops, missing sources, windows
// that are not positive, ratios that reference unknown derivations, and
// cycles among ratios. specs is copied, not kept (Where maps included).
func NewDerivations(specs DerivationsSpec) (*Derivations, error) {
	var p problems
	names := make([]Metric, 0, len(specs))
	index := make(map[Metric]int, len(specs))
	for i, d := range specs {
		path := "derivations[" + strconv.Itoa(i) + "]"
		switch {
		case d.Name == "":
			p.add(path+".name", fmt.Errorf("%w: must not be empty", ErrInvalid))
		default:
			if j, dup := index[d.Name]; dup {
				p.add(path+".name", fmt.Errorf("%w name %q (also derivations[%d])", ErrDuplicate, d.Name, j))
			} else {
				index[d.Name] = i
			}
		}
		names = append(names, d.Name)
	}
	ds := &Derivations{specs: cloneSpecs(specs), ops: make([]compiled, len(specs))}
	sourceIdx := map[Metric]int{}
	for i, d := range specs {
		path := "derivations[" + strconv.Itoa(i) + "]"
		c := &ds.ops[i]
		c.window = d.Window.Std()
		needSource, needEvent, needWindow := false, false, true
		if a, ok := aggregates[d.Op]; ok {
			c.kind, c.agg, needSource = kindAggregate, a, true
		} else {
			switch d.Op {
			case OpChange, OpRelativeChange:
				c.kind, needSource = kindChange, true
				if d.Op == OpRelativeChange {
					c.kind = kindRelChange
				}
				if d.Aggregate != "" {
					a, ok := aggregates[d.Aggregate]
					if !ok {
						p.add(path+".aggregate", fmt.Errorf("%w: unknown aggregate %q (want sum, mean, min, max, last or count)", ErrInvalid, d.Aggregate))
					}
					c.agg = a
				}
			case OpSlope:
				c.kind, needSource = kindSlope, true
			case OpRatio:
				c.kind, needWindow = kindRatio, false
				c.num = resolveRef(&p, path, "numerator", d.Numerator, index)
				c.den = resolveRef(&p, path, "denominator", d.Denominator, index)
			case OpEventCount, OpDaysSince:
				c.kind, needEvent = kindEventCount, true
				if d.Op == OpDaysSince {
					c.kind = kindDaysSince
				}
			case "":
				p.add(path+".op", fmt.Errorf("%w: must not be empty", ErrInvalid))
				continue
			default:
				p.add(path+".op", fmt.Errorf("%w: unknown op %q", ErrInvalid, d.Op))
				continue
			}
		}
		if d.Aggregate != "" && c.kind != kindChange && c.kind != kindRelChange {
			p.add(path+".aggregate", fmt.Errorf("%w: only change and relative_change take an aggregate", ErrInvalid))
		}
		if c.kind != kindRatio && (d.Numerator != "" || d.Denominator != "") {
			p.add(path, fmt.Errorf("%w: only ratio takes a numerator and denominator", ErrInvalid))
		}
		if needSource {
			if d.Source == "" {
				p.add(path+".source", fmt.Errorf("%w: %s needs a source series", ErrInvalid, d.Op))
			} else {
				si, ok := sourceIdx[d.Source]
				if !ok {
					si = len(ds.sources)
					sourceIdx[d.Source] = si
					ds.sources = append(ds.sources, d.Source)
					ds.lookback = append(ds.lookback, 0)
				}
				c.source = si
				span := c.window
				if c.kind == kindChange || c.kind == kindRelChange {
					span = 2 * c.window
				}
				ds.lookback[si] = max(ds.lookback[si], span)
			}
		} else if d.Source != "" {
			p.add(path+".source", fmt.Errorf("%w: %s takes no source series", ErrInvalid, d.Op))
		}
		if needEvent {
			c.event = d.Event
			if d.Event == "" {
				p.add(path+".event", fmt.Errorf("%w: %s needs an event kind", ErrInvalid, d.Op))
			}
			ds.events = max(ds.events, c.window)
			for _, key := range slices.Sorted(maps.Keys(d.Where)) {
				vals := d.Where[key]
				wpath := path + ".where[" + strconv.Quote(key) + "]"
				switch {
				case key == "":
					p.add(wpath, fmt.Errorf("%w: empty attribute name", ErrInvalid))
				case len(vals) == 0:
					p.add(wpath, fmt.Errorf("%w: list at least one value", ErrInvalid))
				}
				c.where = append(c.where, attrCond{key: key, vals: slices.Clone(vals)})
			}
		} else {
			if d.Event != "" {
				p.add(path+".event", fmt.Errorf("%w: %s takes no event kind", ErrInvalid, d.Op))
			}
			if len(d.Where) > 0 {
				p.add(path+".where", fmt.Errorf("%w: only event_count and days_since take a where filter", ErrInvalid))
			}
		}
		switch {
		case needWindow && d.Window <= 0:
			p.add(path+".window", fmt.Errorf("%w: must be > 0, got %s", ErrInvalid, d.Window))
		case needWindow && c.window > math.MaxInt64/4:
			p.add(path+".window", fmt.Errorf("%w: %s is too long", ErrInvalid, d.Window))
		case needWindow && c.window%Day != 0:
			p.add(path+".window", fmt.Errorf("%w: %s; a window is whole days or weeks, such as %q", ErrInvalid, d.Window, suggestWindow(c.window)))
		case !needWindow && d.Window != 0:
			p.add(path+".window", fmt.Errorf("%w: %s takes no window", ErrInvalid, d.Op))
		}
	}
	// The cycle check runs even when other problems were found, so that
	// every problem is reported at once.
	order, cycleErr := evalOrder(ds.ops, specs)
	if err := errors.Join(p.err(), cycleErr); err != nil {
		return nil, err
	}
	ds.order = order
	ds.schema = &Schema{names: names, index: index}
	ns := len(ds.sources)
	ds.pool.New = func() any { return &evalState{series: make([]Series, ns)} }
	return ds, nil
}

// suggestWindow proposes whole days for a window that is not: "1m" was
// most likely meant as a month, so N minutes (N up to 12) suggests N×30
// days; anything else is rounded to the nearest day, at least one.
func suggestWindow(w time.Duration) string {
	if w%time.Minute == 0 && w >= time.Minute && w <= 12*time.Minute {
		return strconv.Itoa(int(w/time.Minute)*30) + "d"
	}
	return strconv.FormatInt(max(1, int64((w+Day/2)/Day)), 10) + "d"
}

func resolveRef(p *problems, path, field string, ref Metric, index map[Metric]int) int {
	if ref == "" {
		p.add(path+"."+field, fmt.Errorf("%w: ratio needs a %s", ErrInvalid, field))
		return -1
	}
	i, ok := index[ref]
	if !ok {
		p.add(path+"."+field, fmt.Errorf("%w %q: not a derivation of this set", ErrUnknownMetric, ref))
		return -1
	}
	return i
}

// evalOrder orders derivations so that each ratio comes after its inputs,
// keeping declaration order otherwise, and reports every cycle found.
func evalOrder(ops []compiled, specs []Derivation) ([]int, error) {
	const (
		unvisited = iota
		visiting
		done
	)
	state := make([]uint8, len(ops))
	order := make([]int, 0, len(ops))
	var p problems
	var visit func(i int, stack []int)
	visit = func(i int, stack []int) {
		if i < 0 || i >= len(ops) {
			return // an unresolved reference, reported already
		}
		switch state[i] {
		case done:
			return
		case visiting:
			start := 0
			for k, j := range stack {
				if j == i {
					start = k
				}
			}
			cycle := ""
			for _, j := range stack[start:] {
				cycle += string(specs[j].Name) + " -> "
			}
			cycle += string(specs[i].Name)
			p.add("derivations["+strconv.Itoa(i)+"]", fmt.Errorf("%w: %s", ErrCycle, cycle))
			return
		}
		state[i] = visiting
		if ops[i].kind == kindRatio {
			stack = append(stack, i)
			visit(ops[i].num, stack)
			visit(ops[i].den, stack)
		}
		state[i] = done
		order = append(order, i)
	}
	for i := range ops {
		visit(i, nil)
	}
	return order, p.err()
}

// ParseDerivations reads a JSON array of [Derivation] and compiles it with
// [NewDerivations]. Unknown fields are errors, as is trailing data.
func ParseDerivations(data []byte) (*Derivations, error) {
	var specs DerivationsSpec
	if err := strictjson.Unmarshal(data, &specs); err != nil {
		return nil, fmt.Errorf("valuepath: derivations: %w: %w", ErrInvalid, err)
	}
	return NewDerivations(specs)
}

// Spec returns a copy of the configuration d was built from.
func (d *Derivations) Spec() DerivationsSpec { return cloneSpecs(d.specs) }

// cloneSpecs copies specs deeply, so that neither side's Where maps can
// change the other's.
func cloneSpecs(specs []Derivation) []Derivation {
	out := make([]Derivation, len(specs))
	for i, d := range specs {
		if d.Where != nil {
			w := make(map[string][]string, len(d.Where))
			for k, v := range d.Where {
				w[k] = slices.Clone(v)
			}
			d.Where = w
		}
		out[i] = d
	}
	return out
}

// MarshalJSON writes the derivations as declared; [ParseDerivations] reads
// the result back.
func (d *Derivations) MarshalJSON() ([]byte, error) { return json.Marshal(d.specs) }

// Schema returns the schema of the snapshots d produces: one metric per
// derivation, in declaration order.
func (d *Derivations) Schema() *Schema { return d.schema }

// Sources returns the raw series the derivations read, in first-use order.
func (d *Derivations) Sources() []Metric { return append([]Metric(nil), d.sources...) }

// NewSnapshot returns an empty snapshot on d's schema, to reuse with
// [Derivations.EvaluateInto].
func (d *Derivations) NewSnapshot() *Snapshot { return NewSnapshot(d.schema, "", time.Time{}) }

// Evaluate derives every metric of d for account as of asOf, reading data
// through p. See [Derivations.EvaluateInto].
func (d *Derivations) Evaluate(ctx context.Context, p Provider, account AccountID, asOf time.Time) (*Snapshot, error) {
	s := d.NewSnapshot()
	err := d.EvaluateInto(ctx, p, account, asOf, s)
	return s, err
}

// EvaluateInto derives every metric of d for account as of asOf into dst,
// which must have been made by [Derivations.NewSnapshot] (or share d's
// schema). Each raw series is fetched once, over the longest window any
// derivation needs, and events once if any derivation reads them.
//
// A division by zero, an empty window or a missing input leaves a metric
// missing, never NaN or infinite. Errors are *[AccountError]s naming the
// account and, for a provider failure, the metric: a provider error (an
// unknown metric, a cancelled ctx) stops the evaluation; if the provider
// returned no samples and no events at all, the snapshot is filled (every
// metric missing) and the error wraps [ErrNoData]. In the steady state it
// does not allocate.
func (d *Derivations) EvaluateInto(ctx context.Context, p Provider, account AccountID, asOf time.Time, dst *Snapshot) error {
	if dst.schema != d.schema {
		return &AccountError{Account: account, Err: fmt.Errorf("%w: snapshot is not on this set's schema", ErrInvalid)}
	}
	dst.Reset(account, asOf)
	if account == "" {
		return &AccountError{Account: account, Err: fmt.Errorf("%w: empty account id", ErrInvalid)}
	}
	if asOf.IsZero() {
		return &AccountError{Account: account, Err: fmt.Errorf("%w: asOf must not be zero", ErrInvalid)}
	}
	st := d.pool.Get().(*evalState)
	defer d.pool.Put(st)
	seen := 0
	for i, src := range d.sources {
		s, err := p.Series(ctx, account, src, Trailing(asOf, d.lookback[i]))
		if err != nil {
			clear(st.series)
			return &AccountError{Account: account, Metric: src, Err: err}
		}
		st.series[i] = s
		seen += s.Len()
	}
	var events EventLog
	if d.events > 0 {
		ev, err := p.Events(ctx, account, Trailing(asOf, d.events))
		if err != nil {
			clear(st.series)
			return &AccountError{Account: account, Err: fmt.Errorf("events: %w", err)}
		}
		events = ev
		seen += ev.Len()
	}
	for _, i := range d.order {
		if v, ok := d.ops[i].eval(st.series, events, dst, asOf); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			dst.values[i], dst.present[i] = v, true
		}
	}
	clear(st.series) // do not keep the provider's data alive from the pool
	if seen == 0 && (len(d.sources) > 0 || d.events > 0) {
		// Nothing at all was known: counts of zero events would claim
		// knowledge the provider did not give.
		dst.Reset(account, asOf)
		return d.noData(ctx, p, account, asOf)
	}
	return nil
}

// noDataSearch is how far before its windows an evaluation that found
// nothing looks for an account's last data: far enough to tell "churned
// last quarter" from "never had data", bounded so that the search costs
// about one evaluation, not a read of the whole history.
const noDataSearch = 366 * Day

// noData builds the error for an account whose every window was empty:
// which windows they were, and when its last data in the year before them
// was, which costs one more read per source on this path only.
func (d *Derivations) noData(ctx context.Context, p Provider, account AccountID, asOf time.Time) error {
	e := &NoDataError{Account: account, AsOf: asOf}
	longest := d.events
	for i, src := range d.sources {
		e.Windows = append(e.Windows, SourceWindow{Source: string(src), Window: Trailing(asOf, d.lookback[i])})
		longest = max(longest, d.lookback[i])
	}
	if d.events > 0 {
		e.Windows = append(e.Windows, SourceWindow{Source: "events", Window: Trailing(asOf, d.events)})
	}
	// One span for every source: its windows are in it but empty.
	e.Searched = Trailing(asOf, longest+noDataSearch)
	for _, src := range d.sources {
		s, err := p.Series(ctx, account, src, e.Searched)
		if err != nil {
			return &AccountError{Account: account, Metric: src, Err: err}
		}
		if last, ok := s.Last(); ok && last.At.After(e.LastSample) {
			e.LastSample, e.LastSource = last.At, string(src)
		}
	}
	if d.events > 0 {
		ev, err := p.Events(ctx, account, e.Searched)
		if err != nil {
			return &AccountError{Account: account, Err: fmt.Errorf("events: %w", err)}
		}
		if n := ev.Len(); n > 0 && ev.At(n-1).At.After(e.LastSample) {
			e.LastSample, e.LastSource = ev.At(n-1).At, "events"
		}
	}
	return &AccountError{Account: account, Err: e}
}

func (c *compiled) eval(series []Series, events EventLog, dst *Snapshot, asOf time.Time) (float64, bool) {
	switch c.kind {
	case kindAggregate:
		return aggregate(series[c.source].Window(Trailing(asOf, c.window)).s, c.agg)
	case kindChange, kindRelChange:
		s := series[c.source]
		cur, ok1 := aggregate(s.Window(Trailing(asOf, c.window)).s, c.agg)
		prev, ok2 := aggregate(s.Window(Trailing(asOf.Add(-c.window), c.window)).s, c.agg)
		if !ok1 || !ok2 {
			return 0, false
		}
		if c.kind == kindChange {
			return cur - prev, true // beyond float64 only if truly so: dropped
		}
		if prev == 0 {
			return 0, false
		}
		if d := cur - prev; !math.IsInf(d, 0) {
			return d / math.Abs(prev), true
		}
		// The difference of two large values of opposite sign overflows
		// though the relative change need not: divide first.
		return cur/math.Abs(prev) - math.Copysign(1, prev), true
	case kindSlope:
		return slope(series[c.source].Window(Trailing(asOf, c.window)).s, asOf)
	case kindRatio:
		if !dst.present[c.num] || !dst.present[c.den] || dst.values[c.den] == 0 {
			return 0, false
		}
		return dst.values[c.num] / dst.values[c.den], true
	case kindEventCount:
		ev := events.Window(Trailing(asOf, c.window)).ev
		n := 0
		for i := range ev {
			if c.matches(&ev[i]) {
				n++
			}
		}
		return float64(n), true
	case kindDaysSince:
		ev := events.Window(Trailing(asOf, c.window)).ev
		for i := len(ev) - 1; i >= 0; i-- {
			if c.matches(&ev[i]) {
				return float64(asOf.Sub(ev[i].At)) / float64(Day), true
			}
		}
		return 0, false
	}
	return 0, false
}

func aggregate(s []Sample, agg aggKind) (float64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	switch agg {
	case aggLast:
		return s[len(s)-1].Value, true
	case aggCount:
		return float64(len(s)), true
	case aggMin:
		m := s[0].Value
		for i := 1; i < len(s); i++ {
			m = min(m, s[i].Value)
		}
		return m, true
	case aggMax:
		m := s[0].Value
		for i := 1; i < len(s); i++ {
			m = max(m, s[i].Value)
		}
		return m, true
	}
	// The plain sum is exact enough for windows of samples and keeps the
	// hot path cheap; only when it overflows is the sum redone, scaled and
	// compensated.
	sum, scale := 0.0, 1.0
	for i := range s {
		sum += s[i].Value
	}
	if math.IsNaN(sum) || math.IsInf(sum, 0) {
		// A partial sum overflowed: sum again in units of the largest
		// magnitude, so that a mean of finite samples is finite, and so
		// is a sum whose total is in range (1e308 + 1e308 − 1e308).
		sum, scale = scaledSum(s)
	}
	if agg == aggMean {
		sum /= float64(len(s))
	}
	// A total truly beyond float64 is ±Inf here, which the caller drops.
	return sum * scale, true
}

// scaledSum returns the sum of s's values as sum × scale, with scale the
// largest magnitude, so that sum is at most len(s) in magnitude; the sum
// is compensated, since terms of mixed sign near the range's edge cancel.
func scaledSum(s []Sample) (sum, scale float64) {
	for i := range s {
		scale = max(scale, math.Abs(s[i].Value))
	}
	if scale == 0 {
		return 0, 1
	}
	var k stats.Sum
	for i := range s {
		k.Add(s[i].Value / scale)
	}
	return k.Value(), scale
}

// slope fits value = a + b*days by least squares and returns b, in units per
// day. Time is measured from asOf to keep the numbers small.
//
// Large finite values (near ±1.8e308) overflow the sums of the plain
// computation; the fit is then done on the values divided by the largest
// magnitude and the slope scaled back, so that it is finite whenever it is
// representable.
func slope(s []Sample, asOf time.Time) (float64, bool) {
	if len(s) < 2 {
		return 0, false
	}
	b, ok := slopeScaled(s, asOf, 1)
	if ok && !math.IsNaN(b) && !math.IsInf(b, 0) {
		return b, true
	}
	scale := 0.0
	for i := range s {
		scale = max(scale, math.Abs(s[i].Value))
	}
	if scale == 0 {
		return b, ok
	}
	b, ok = slopeScaled(s, asOf, scale)
	return b * scale, ok
}

// slopeScaled is the least-squares slope of value/scale against days.
func slopeScaled(s []Sample, asOf time.Time, scale float64) (float64, bool) {
	n := float64(len(s))
	since := sinceFrom(asOf)
	var sx, sy float64
	for i := range s {
		sx += float64(since.of(s[i].At)) / float64(Day)
		sy += s[i].Value / scale
	}
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for i := range s {
		dx := float64(since.of(s[i].At))/float64(Day) - mx
		sxx += dx * dx
		sxy += dx * (s[i].Value/scale - my)
	}
	if sxx == 0 {
		return 0, false
	}
	return sxy / sxx, true
}

// sinceTime computes t.Sub(asOf) for many t, exactly, at a fraction of the
// cost: Sub checks every difference for overflow by adding it back and
// comparing, which is most of the cost of a slope. When asOf carries no
// monotonic clock reading (a parsed or constructed time; a time from
// time.Now does), Sub is the difference of the Unix seconds and
// nanoseconds, which cannot overflow a Duration when the seconds differ by
// less than 2³³ (272 years); otherwise, or past that, of calls Sub.
type sinceTime struct {
	asOf     time.Time
	sec      int64
	nsec     int
	wallOnly bool
}

func sinceFrom(asOf time.Time) sinceTime {
	// Round(0) strips the monotonic reading and changes nothing else, so
	// the two are identical exactly when asOf has none.
	return sinceTime{asOf: asOf, sec: asOf.Unix(), nsec: asOf.Nanosecond(), wallOnly: asOf == asOf.Round(0)}
}

func (c sinceTime) of(t time.Time) time.Duration {
	if d := t.Unix() - c.sec; c.wallOnly && d > -1<<33 && d < 1<<33 {
		return time.Duration(d)*time.Second + time.Duration(t.Nanosecond()-c.nsec)
	}
	return t.Sub(c.asOf)
}
