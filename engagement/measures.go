package engagement

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/stats"
)

// Elapsed is the time from an account's contract start to its first event
// of a kind. When the event has not happened yet, Reached is false and
// Elapsed is the time so far (to asOf): a censored observation. When there
// is nothing to measure (no event kind, no contract start before asOf),
// Present is false and Reason says why.
type Elapsed struct {
	Present bool   `json:"present"`
	Reason  string `json:"reason,omitempty"`
	Reached bool   `json:"reached"`
	// At is when the event first happened; zero unless Reached.
	At      time.Time          `json:"at"`
	Elapsed valuepath.Duration `json:"elapsed"`
}

// MarshalJSON writes an absent measure as {"present": false, "reason": …}
// and omits At until the event is reached, so no reader sees a zero.
func (e Elapsed) MarshalJSON() ([]byte, error) {
	if !e.Present {
		return json.Marshal(map[string]any{"present": false, "reason": e.Reason})
	}
	out := map[string]any{"present": true, "reached": e.Reached, "elapsed": e.Elapsed}
	if e.Reached {
		out["at"] = e.At
	}
	return json.Marshal(out)
}

// TimeTo measures the time from acct's contract start to its first event of
// kind before asOf. Events before the start count as reached at once. It is
// absent for an empty kind and for a contract start that is zero or not
// before asOf.
func TimeTo(acct Input, kind valuepath.EventKind, asOf time.Time) Elapsed {
	switch {
	case kind == "":
		return Elapsed{Reason: "no event kind to measure"}
	case acct.Start.IsZero():
		return Elapsed{Reason: "no contract start"}
	case !acct.Start.Before(asOf):
		return Elapsed{Reason: "the contract starts at or after asOf"}
	}
	if t := firstOf(acct.Events.Window(valuepath.Interval{End: asOf}), kind); !t.IsZero() {
		return Elapsed{Present: true, Reached: true, At: t, Elapsed: valuepath.Duration(max(0, t.Sub(acct.Start)))}
	}
	return Elapsed{Present: true, Elapsed: valuepath.Duration(asOf.Sub(acct.Start))}
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
// does not name is absent.
func (m *Model) Times(acct Input, asOf time.Time) Times {
	t := Times{ToValue: Elapsed{Reason: "the model names no value event"}, ToAdvocacy: Elapsed{Reason: "the model names no advocacy event"}}
	if m.value != "" {
		t.ToValue = TimeTo(acct, m.value, asOf)
	}
	if m.advocacy != "" {
		t.ToAdvocacy = TimeTo(acct, m.advocacy, asOf)
	}
	return t
}

// Summary describes how long a population took to reach an event: how many
// reached it, how many had not yet, and the median and 90th percentile, in
// days to the minute, of those that did. Both are absent, with the reason,
// when none did.
type Summary struct {
	Reached    int              `json:"reached"`
	NotYet     int              `json:"not_yet"`
	MedianDays valuepath.Number `json:"median_days"`
	P90Days    valuepath.Number `json:"p90_days"`
}

// summarize describes hours; why says why the statistics are absent when
// hours is empty.
func summarize(hours []float64, notYet int, why string) Summary {
	s := Summary{Reached: len(hours), NotYet: notYet}
	if len(hours) == 0 {
		s.MedianDays, s.P90Days = valuepath.Absent(why), valuepath.Absent(why)
		return s
	}
	slices.Sort(hours)
	s.MedianDays, s.P90Days = hoursToDays(stats.Median(hours)), hoursToDays(stats.Quantile(hours, 0.9))
	return s
}

// hoursToDays rounds to the minute, so summaries read 3.5 or 7.6 days.
func hoursToDays(h float64) valuepath.Number {
	return valuepath.Defined(math.Round(h*60) / (24 * 60))
}

// SegmentTimes is the time to value of one segment's accounts.
type SegmentTimes struct {
	Segment string  `json:"segment"`
	ToValue Summary `json:"to_value"`
}

// TimeToValue summarises time to value per segment, segments in catalog
// order; a segment whose model names no value event has absent statistics.
// Accounts with an unknown segment are reported, joined, and left out.
func (c *Catalog) TimeToValue(accounts iter.Seq[Input], asOf time.Time) ([]SegmentTimes, error) {
	hours := make([][]float64, len(c.models))
	notYet := make([]int, len(c.models))
	var errs []error
	for acct := range accounts {
		i, ok := c.index[acct.Segment]
		if !ok {
			errs = append(errs, noModel(acct))
			continue
		}
		e := TimeTo(acct, c.models[i].value, asOf)
		switch {
		case !e.Present:
		case e.Reached:
			hours[i] = append(hours[i], e.Elapsed.Std().Hours())
		default:
			notYet[i]++
		}
	}
	out := make([]SegmentTimes, len(c.models))
	for i, m := range c.models {
		why := "the model names no value event"
		if m.value != "" {
			why = fmt.Sprintf("no account has reached %s yet", m.value)
		}
		out[i] = SegmentTimes{Segment: m.segment, ToValue: summarize(hours[i], notYet[i], why)}
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
func (m *Model) Transitions(accounts iter.Seq[Input], asOf time.Time) Transitions {
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
		why := fmt.Sprintf("no account has completed %s yet", m.moments[i].ID)
		t := Transition{To: m.moments[i].ID, Summary: summarize(a.hours, a.notYet, why), Expected: valuepath.Duration(c.within), Delay: valuepath.Duration(a.delay.Truncate(time.Minute)), Stuck: a.stuck}
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
