package valuepath

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/valuepath/valuepath/internal/short"
)

// Sentinel errors. Errors returned by this module wrap one of these where it
// applies, so callers can test for the class of problem with [errors.Is].
var (
	// ErrInvalid reports a value that breaks a documented constraint.
	ErrInvalid = errors.New("invalid value")
	// ErrNotFinite reports a NaN or infinite number.
	ErrNotFinite = errors.New("not a finite number")
	// ErrOutOfOrder reports time-stamped data that is not in time order.
	ErrOutOfOrder = errors.New("out of time order")
	// ErrDuplicate reports a repeated id, name or timestamp.
	ErrDuplicate = errors.New("duplicate")
	// ErrUnknownMetric reports a metric name that nothing defines.
	ErrUnknownMetric = errors.New("unknown metric")
	// ErrUnknownAccount reports an account the provider does not know.
	ErrUnknownAccount = errors.New("unknown account")
	// ErrCycle reports definitions that depend on themselves.
	ErrCycle = errors.New("dependency cycle")
	// ErrNoData reports that nothing at all was known about an account in
	// the windows asked for, typically because asOf is before all its data
	// or long after it. Evaluations return it as a *[NoDataError] saying
	// which windows were empty and when the last data was.
	ErrNoData = errors.New("no data before asOf")
	// ErrUndefined reports a result that has no value for its input: a ratio
	// over zero, a median of nothing, an AUC without both classes. Results
	// that can be undefined say so with a [Number] (or a presence field)
	// instead; the error is for functions that return one value.
	ErrUndefined = errors.New("undefined")
	// ErrUnknownCurrency reports a code missing from the ISO 4217 table.
	ErrUnknownCurrency = errors.New("unknown currency")
	// ErrCurrencyMismatch reports arithmetic or a comparison across two
	// currencies, or an amount in a currency no exchange rate converts.
	ErrCurrencyMismatch = errors.New("currency mismatch")
)

// MismatchError reports an operation on two amounts in different
// currencies. It wraps [ErrCurrencyMismatch].
type MismatchError struct {
	Op   string // the operation, e.g. "add"
	A, B Currency
}

// Error says which operation met which two currencies.
func (e *MismatchError) Error() string {
	return "valuepath: " + e.Op + ": " + ErrCurrencyMismatch.Error() + ": " + strconv.Quote(string(e.A)) + " and " + strconv.Quote(string(e.B))
}

// Unwrap returns [ErrCurrencyMismatch].
func (e *MismatchError) Unwrap() error { return ErrCurrencyMismatch }

// FieldError reports a problem with one field of a model or of input data,
// located by a path such as "measures[2].weight". Model constructors in this
// module report every problem they find, each as a *FieldError, joined with
// [errors.Join].
type FieldError struct {
	Pkg  string // the package that found the problem, e.g. "health"
	Path string // where the problem is, e.g. "measures[2].weight"
	Err  error  // what is wrong; often wraps a sentinel such as ErrNotFinite
}

func (e *FieldError) Error() string {
	msg := "<nil>"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Path == "" {
		return e.Pkg + ": " + msg
	}
	return e.Pkg + ": " + e.Path + ": " + msg
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// NoDataError reports that every window an evaluation read was empty. It
// says which windows they were and when the account's last data before
// them was, so that "asOf is before all the data" can be told from "the
// data stopped long before asOf". It wraps [ErrNoData]; an evaluation
// returns it inside an *[AccountError].
type NoDataError struct {
	Account AccountID
	AsOf    time.Time
	// Windows lists each source read and its window: one per raw series
	// (the longest window any derivation reads it over), and "events"
	// when derivations count events. Every one was empty.
	Windows []SourceWindow
	// Searched is the span searched for the account's last data: the
	// windows and the year before the longest of them. LastSample is the
	// time of the newest sample or event in it, and LastSource what it
	// was (a metric, or "events"); zero and empty when Searched holds no
	// data, as when asOf is before all of it. The search is bounded so
	// that it costs about one more evaluation, never a read of the whole
	// history.
	Searched   Interval
	LastSample time.Time
	LastSource string
}

// SourceWindow is one source an evaluation read, a raw metric or
// "events", and the window it read.
type SourceWindow struct {
	Source string
	Window Interval
}

// Error names the empty windows and the last data before them.
func (e *NoDataError) Error() string {
	var b strings.Builder
	b.WriteString("no data in any window as of " + e.AsOf.Format(time.RFC3339) + " (")
	for i, w := range e.Windows {
		if i > 0 {
			b.WriteString(", ")
		}
		if i == 4 && len(e.Windows) > 5 {
			b.WriteString(strconv.Itoa(len(e.Windows)-i) + " more")
			break
		}
		b.WriteString(short.Quote(w.Source) + " over [" + w.Window.Start.Format(time.RFC3339) + ", " + w.Window.End.Format(time.RFC3339) + ")")
	}
	if e.LastSample.IsZero() {
		b.WriteString("); there is no data in the " + strconv.Itoa(int(e.Searched.End.Sub(e.Searched.Start)/Day)) + " days before asOf either")
	} else {
		b.WriteString("); the last data is from " + e.LastSample.Format(time.RFC3339) + " (" + short.Quote(e.LastSource) + ")")
	}
	return b.String()
}

// Unwrap returns [ErrNoData].
func (e *NoDataError) Unwrap() error { return ErrNoData }

// AccountError attributes an error to the account, and where known the
// metric, being evaluated when it happened. Batch evaluations report every
// per-account failure as an *AccountError so one bad account never hides
// which one it was.
type AccountError struct {
	Account AccountID
	Metric  Metric // empty when the error is not about one metric
	Err     error
}

func (e *AccountError) Error() string {
	s := "valuepath: account " + strconv.Quote(string(e.Account))
	if e.Metric != "" {
		s += ": metric " + strconv.Quote(string(e.Metric))
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *AccountError) Unwrap() error { return e.Err }

// problems accumulates field errors for this package's own validation.
type problems []error

func (p *problems) add(path string, err error) {
	*p = append(*p, &FieldError{Pkg: "valuepath", Path: path, Err: err})
}

func (p problems) err() error { return errors.Join(p...) }
