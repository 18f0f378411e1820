package valuepath

import (
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"strconv"
	"time"

	"github.com/valuepath/valuepath/internal/strictjson"
)

// Event is something that happened to an account at a moment: a support
// case opened, a survey answered, a sponsor changed. Attrs carries string
// attributes such as "severity" or "score".
//
// Events handed out by an [EventLog] share their Attrs map with the log:
// treat it as read-only.
type Event struct {
	Account AccountID         `json:"account"`
	Kind    EventKind         `json:"kind"`
	At      time.Time         `json:"at"`
	Attrs   map[string]string `json:"attrs,omitempty"`
}

// Attr returns the attribute key, or "" if it is absent.
func (e Event) Attr(key string) string { return e.Attrs[key] }

// EventLog is an immutable sequence of events in non-decreasing time order
// (events may share a timestamp; their order is kept). The zero value is an
// empty log, ready to use. Windows of a log share its storage.
type EventLog struct {
	ev []Event
}

// NewEventLog returns a log holding a copy of events, attribute maps
// included. It rejects events out of time order, with an empty kind or
// account, or with a zero time, naming the index of each.
func NewEventLog(events []Event) (EventLog, error) {
	var p problems
	for i, e := range events {
		path := "events[" + strconv.Itoa(i) + "]"
		if e.Account == "" {
			p.add(path+".account", fmt.Errorf("%w: must not be empty", ErrInvalid))
		}
		if e.Kind == "" {
			p.add(path+".kind", fmt.Errorf("%w: must not be empty", ErrInvalid))
		}
		if e.At.IsZero() {
			p.add(path+".at", fmt.Errorf("%w: must not be zero", ErrInvalid))
		}
		if i > 0 && e.At.Before(events[i-1].At) {
			p.add(path+".at", fmt.Errorf("%w: %s is before events[%d] at %s", ErrOutOfOrder, e.At.Format(time.RFC3339Nano), i-1, events[i-1].At.Format(time.RFC3339Nano)))
		}
	}
	if err := p.err(); err != nil {
		return EventLog{}, err
	}
	if len(events) == 0 {
		return EventLog{}, nil
	}
	cp := make([]Event, len(events))
	for i, e := range events {
		if e.Attrs != nil {
			e.Attrs = maps.Clone(e.Attrs)
		}
		cp[i] = e
	}
	return EventLog{ev: cp}, nil
}

// Len returns the number of events.
func (l EventLog) Len() int { return len(l.ev) }

// At returns the i'th event, oldest first. It panics if i is out of range.
func (l EventLog) At(i int) Event { return l.ev[i] }

// Events yields the events, oldest first.
func (l EventLog) Events() iter.Seq[Event] {
	return func(yield func(Event) bool) {
		for _, e := range l.ev {
			if !yield(e) {
				return
			}
		}
	}
}

// OfKind yields the events of one kind, oldest first.
func (l EventLog) OfKind(kind EventKind) iter.Seq[Event] {
	return func(yield func(Event) bool) {
		for _, e := range l.ev {
			if e.Kind == kind && !yield(e) {
				return
			}
		}
	}
}

// Count returns the number of events of kind.
func (l EventLog) Count(kind EventKind) int {
	n := 0
	for i := range l.ev {
		if l.ev[i].Kind == kind {
			n++
		}
	}
	return n
}

// Last returns the newest event of kind, and false if there is none.
func (l EventLog) Last(kind EventKind) (Event, bool) {
	for i := len(l.ev) - 1; i >= 0; i-- {
		if l.ev[i].Kind == kind {
			return l.ev[i], true
		}
	}
	return Event{}, false
}

// Window returns the events in iv, [iv.Start, iv.End), sharing storage with
// l. It does not allocate. Like [Series.Window], it searches back from the
// newest event.
func (l EventLog) Window(iv Interval) EventLog {
	hi := searchEventsBack(l.ev, iv.End, len(l.ev))
	var lo int
	if iv.Start.After(iv.End) {
		lo = searchEventsBack(l.ev, iv.Start, len(l.ev))
	} else {
		lo = searchEventsBack(l.ev, iv.Start, hi)
	}
	if hi < lo {
		hi = lo
	}
	return EventLog{ev: l.ev[lo:hi]}
}

// searchEventsBack is searchEvents(ev, t) for ev whose events from hi on
// are all at or after t; see searchSamplesBack.
func searchEventsBack(ev []Event, t time.Time, hi int) int {
	for step := 1; hi > 0; step *= 2 {
		j := max(hi-step, 0)
		if ev[j].At.Before(t) {
			return j + 1 + searchEvents(ev[j+1:hi], t)
		}
		hi = j
	}
	return 0
}

func searchEvents(ev []Event, t time.Time) int {
	lo, hi := 0, len(ev)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ev[m].At.Before(t) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// MarshalJSON writes the log as an array of events.
func (l EventLog) MarshalJSON() ([]byte, error) {
	if l.ev == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(l.ev)
}

// UnmarshalJSON reads an array of events and validates it as [NewEventLog] does.
func (l *EventLog) UnmarshalJSON(b []byte) error {
	var events []Event
	if err := strictjson.Unmarshal(b, &events); err != nil {
		return err
	}
	v, err := NewEventLog(events)
	if err != nil {
		return err
	}
	*l = v
	return nil
}
