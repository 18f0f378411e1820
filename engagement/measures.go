package engagement

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/stats"
)

// Elapsed is the time from an account's contract start to its first event
// of a kind. When the event has not happened yet, Reached is false and
// Elapsed is the time so far (to asOf): a censored observation.
type Elapsed struct {
	Reached bool               `json:"reached"`
	At      time.Time          `json:"at"`
	Elapsed valuepath.Duration `json:"elapsed"`
}

// TimeTo measures the time from acct's contract start to its first event of
// kind before asOf. Events before the start count as reached at once.
func TimeTo(acct Account, kind valuepath.EventKind, asOf time.Time) Elapsed {
	if t := firstOf(acct.Events.Window(valuepath.Interval{Start: time.Time{}, End: asOf}), kind); !t.IsZero() {
		return Elapsed{Reached: true, At: t, Elapsed: valuepath.Duration(max(0, t.Sub(acct.Start)))}
	}
	return Elapsed{Elapsed: valuepath.Duration(max(0, asOf.Sub(acct.Start)))}
}

// Times holds an account's time measures.
type Times struct {
	// ToValue runs from the contract start to the model's value event.
	ToValue Elapsed `json:"to_value"`
	// ToAdvocacy runs from the contract start to the model's advocacy event.
	ToAdvocacy Elapsed `json:"to_advocacy"`
}

// Times measures time to value and time to first advocacy for acct as of
// asOf, with the events the model names; a measure whose event the model
// does not name is left zero.
func (m *Model) Times(acct Account, asOf time.Time) Times {
	var t Times
	if m.value != "" {
		t.ToValue = TimeTo(acct, m.value, asOf)
	}
	if m.advocacy != "" {
		t.ToAdvocacy = TimeTo(acct, m.advocacy, asOf)
	}
	return t
}

// Summary describes a population of durations: how many reached the event,
// how many had not yet, and the median and 90th percentile of those that
// did (zero when none did).
type Summary struct {
	Reached int                `json:"reached"`
	NotYet  int                `json:"not_yet"`
	Median  valuepath.Duration `json:"median"`
	P90     valuepath.Duration `json:"p90"`
}

func summarize(hours []float64, notYet int) Summary {
	slices.Sort(hours)
	return Summary{
		Reached: len(hours),
		NotYet:  notYet,
		Median:  hoursToDuration(stats.Median(hours)),
		P90:     hoursToDuration(stats.Quantile(hours, 0.9)),
	}
}

// hoursToDuration rounds to the minute, so summaries read "3d" or "74h30m0s".
func hoursToDuration(h float64) valuepath.Duration {
	return valuepath.Duration((time.Duration(h*float64(time.Hour)) + 30*time.Second).Truncate(time.Minute))
}

// SegmentTimes is the time to value of one segment's accounts.
type SegmentTimes struct {
	Segment string  `json:"segment"`
	ToValue Summary `json:"to_value"`
}

// TimeToValue summarises time to value per segment, segments in catalog
// order, for accounts whose model names a value event. Accounts with an
// unknown segment are reported, joined, and left out.
func (c *Catalog) TimeToValue(accounts iter.Seq[Account], asOf time.Time) ([]SegmentTimes, error) {
	hours := make([][]float64, len(c.models))
	notYet := make([]int, len(c.models))
	var errs []error
	for acct := range accounts {
		i, ok := c.index[acct.Segment]
		if !ok {
			errs = append(errs, &valuepath.AccountError{Account: acct.ID, Err: &valuepath.FieldError{Pkg: "engagement", Path: "segment", Err: fmt.Errorf("%w: no model for segment %q", valuepath.ErrInvalid, acct.Segment)}})
			continue
		}
		if c.models[i].value == "" {
			continue
		}
		e := TimeTo(acct, c.models[i].value, asOf)
		if e.Reached {
			hours[i] = append(hours[i], e.Elapsed.Std().Hours())
		} else {
			notYet[i]++
		}
	}
	out := make([]SegmentTimes, len(c.models))
	for i, m := range c.models {
		out[i] = SegmentTimes{Segment: m.segment, ToValue: summarize(hours[i], notYet[i])}
	}
	return out, errors.Join(errs...)
}

// Transition is the time between two consecutive onboarding moments across
// a population: from the completion of From (or the contract start, when
// From is empty) to the completion of To.
type Transition struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Summary covers the accounts that completed To (Reached) and those
	// that completed From but not To yet (NotYet).
	Summary
	// Expected is the model's offset for To.
	Expected valuepath.Duration `json:"expected"`
	// Delay is the total time, over the accounts that made the transition,
	// beyond Expected: the delay this transition adds to onboarding.
	Delay valuepath.Duration `json:"delay"`
	// Stuck lists, sorted, the accounts that completed From but not To and
	// have waited longer than To's stuck_after (or its offset when it has
	// none).
	Stuck []valuepath.AccountID `json:"stuck"`
}

// Transitions is the onboarding of a population, transition by transition.
type Transitions struct {
	Transitions []Transition `json:"transitions"`
	// Bottleneck is the index in Transitions of the transition that adds
	// the most delay, or -1 when none is late.
	Bottleneck int `json:"bottleneck"`
}

// Transitions measures, over accounts as of asOf, each transition into an
// onboarding moment completed by an event, in the model's order. Only
// events before asOf count. Durations are in hours internally and reported
// to the minute.
func (m *Model) Transitions(accounts iter.Seq[Account], asOf time.Time) Transitions {
	type acc struct {
		hours  []float64
		notYet int
		delay  time.Duration
		stuck  []valuepath.AccountID
	}
	var idx []int
	for i, c := range m.c {
		if c.kind == kindMilestone && c.done != "" && (c.pred < 0 || m.c[c.pred].done != "") {
			idx = append(idx, i)
		}
	}
	accs := make([]acc, len(idx))
	firsts := make([]time.Time, len(m.c))
	for acct := range accounts {
		clear(firsts)
		log := acct.Events.Window(valuepath.Interval{End: asOf})
		for ei := range log.Len() {
			e := log.At(ei)
			for k, kind := range m.kinds {
				if kind != e.Kind {
					continue
				}
				for _, w := range m.watches[k] {
					if w.role == roleDone && m.c[w.moment].kind == kindMilestone && firsts[w.moment].IsZero() {
						firsts[w.moment] = e.At
					}
				}
				break
			}
		}
		for j, i := range idx {
			c := &m.c[i]
			from := acct.Start
			if c.pred >= 0 {
				from = firsts[c.pred]
				if from.IsZero() {
					continue
				}
			}
			a := &accs[j]
			if to := firsts[i]; !to.IsZero() {
				d := max(0, to.Sub(from))
				a.hours = append(a.hours, d.Hours())
				a.delay += max(0, d-c.within)
				continue
			}
			a.notYet++
			limit := c.stuck
			if limit == 0 {
				limit = c.within
			}
			if asOf.Sub(from) > limit {
				a.stuck = append(a.stuck, acct.ID)
			}
		}
	}
	out := Transitions{Transitions: make([]Transition, len(idx)), Bottleneck: -1}
	var worst time.Duration
	for j, i := range idx {
		c, a := &m.c[i], &accs[j]
		t := Transition{To: m.moments[i].ID, Summary: summarize(a.hours, a.notYet), Expected: valuepath.Duration(c.within), Delay: valuepath.Duration(a.delay.Truncate(time.Minute)), Stuck: a.stuck}
		if c.pred >= 0 {
			t.From = m.moments[c.pred].ID
		}
		if t.Stuck == nil {
			t.Stuck = []valuepath.AccountID{}
		}
		slices.SortFunc(t.Stuck, cmp.Compare)
		if a.delay > worst {
			worst, out.Bottleneck = a.delay, j
		}
		out.Transitions[j] = t
	}
	return out
}
