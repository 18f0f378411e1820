package sqlprovider

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/valuepath/valuepath"
)

// Account is one account's metadata, a row of the accounts table. A host's
// service lists and describes accounts with it; the metric data is read
// through [Provider.Series] and [Provider.Events].
type Account struct {
	ID       valuepath.AccountID `json:"id"`
	Name     string              `json:"name"`
	Segment  string              `json:"segment"`
	TimeZone string              `json:"time_zone"`      // IANA name, such as "Europe/Berlin"; may be empty
	Start    time.Time           `json:"start,omitzero"` // contract start; zero if unknown
}

// RowError reports a row read from the database that breaks valuepath's
// data model: a NaN or infinite value, a duplicate or out-of-order
// timestamp, an empty event kind, attributes that are not a JSON object of
// strings, or a column of the wrong type. Such rows can only come from a
// database whose constraints are weaker than [Dialect.Schema]'s, and they
// are never passed on.
type RowError struct {
	Table   string              // "metric_samples", "events" or "accounts"
	Account valuepath.AccountID // the account whose rows were read
	Metric  valuepath.Metric    // the metric, for metric_samples
	Row     int                 // 0-based position of the row in the query's result
	Column  string              // the offending column
	Err     error               // what is wrong; wraps a valuepath sentinel
}

// Error names the table, row, account, metric and column, then the problem.
func (e *RowError) Error() string {
	s := "sqlprovider: " + e.Table + " row " + strconv.Itoa(e.Row) + " (account " + strconv.Quote(string(e.Account))
	if e.Metric != "" {
		s += ", metric " + strconv.Quote(string(e.Metric))
	}
	s += "): " + e.Column + ": "
	if e.Err == nil {
		return s + "<nil>"
	}
	return s + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *RowError) Unwrap() error { return e.Err }

// sampleBufs recycles the scratch slices rows are decoded into before
// [valuepath.NewSeries] copies them into an immutable series.
var sampleBufs = sync.Pool{New: func() any { s := make([]valuepath.Sample, 0, 512); return &s }}

// maxPooledSamples bounds the buffers kept for reuse, so that one huge
// query does not pin its memory.
const maxPooledSamples = 1 << 14

// Series implements [valuepath.Provider]: the samples of metric for account
// in [iv.Start, iv.End), oldest first, with one indexed range query. An
// empty interval gives an empty series. A known account without samples of
// a known metric gets an empty series and a nil error; an unknown account
// is an error wrapping [valuepath.ErrUnknownAccount], an unknown metric
// (one not in metric_names) one wrapping [valuepath.ErrUnknownMetric].
func (p *Provider) Series(ctx context.Context, account valuepath.AccountID, metric valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
	s, err := p.series(ctx, account, metric, iv)
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			return valuepath.Series{}, err
		}
		return valuepath.Series{}, fmt.Errorf("sqlprovider: series %q of account %q: %w", metric, account, err)
	}
	return s, nil
}

func (p *Provider) series(ctx context.Context, account valuepath.AccountID, metric valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
	if err := ctx.Err(); err != nil {
		return valuepath.Series{}, err
	}
	if iv.Empty() {
		return valuepath.Series{}, p.known(ctx, account, metric)
	}
	st, err := p.stmt(qSeries)
	if err != nil {
		return valuepath.Series{}, err
	}
	rows, err := st.QueryContext(ctx, string(account), string(metric), unixNano(iv.Start), unixNano(iv.End))
	if err != nil {
		return valuepath.Series{}, wrapErr(p.dialect, err)
	}
	bp := sampleBufs.Get().(*[]valuepath.Sample)
	defer func() {
		if cap(*bp) <= maxPooledSamples {
			*bp = (*bp)[:0]
			sampleBufs.Put(bp)
		}
	}()
	buf, err := decodeSamples(rows, account, metric, (*bp)[:0])
	*bp = buf
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return valuepath.Series{}, wrapErr(p.dialect, err)
	}
	if len(buf) == 0 {
		return valuepath.Series{}, p.known(ctx, account, metric)
	}
	s, err := valuepath.NewSeries(buf)
	if err != nil { // decodeSamples checked every row; kept as a guard
		return valuepath.Series{}, &RowError{Table: "metric_samples", Account: account, Metric: metric, Row: -1, Column: "at", Err: err}
	}
	return s, nil
}

// rowSource is the part of *sql.Rows the decoders use.
type rowSource interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// decodeSamples appends the rows (at, value) to buf, checking each: at an
// integer, value a finite number, times strictly increasing.
func decodeSamples(rows rowSource, account valuepath.AccountID, metric valuepath.Metric, buf []valuepath.Sample) ([]valuepath.Sample, error) {
	var at, val any
	dest := []any{&at, &val} // one slice for every Scan, not one per row
	var prev int64
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(dest...); err != nil {
			return buf, err
		}
		n, err := decodeNanos(at)
		if err != nil {
			return buf, sampleRowError(account, metric, i, "at", err)
		}
		if i > 0 && n <= prev {
			if n == prev {
				return buf, sampleRowError(account, metric, i, "at", fmt.Errorf("%w timestamp %s (same as row %d)", valuepath.ErrDuplicate, fmtNanos(n), i-1))
			}
			return buf, sampleRowError(account, metric, i, "at", fmt.Errorf("%w: %s is before row %d at %s", valuepath.ErrOutOfOrder, fmtNanos(n), i-1, fmtNanos(prev)))
		}
		v, err := decodeValue(val)
		if err != nil {
			return buf, sampleRowError(account, metric, i, "value", err)
		}
		prev = n
		buf = append(buf, valuepath.Sample{At: fromUnixNano(n), Value: v})
	}
	return buf, rows.Err()
}

func sampleRowError(account valuepath.AccountID, metric valuepath.Metric, row int, col string, err error) error {
	return &RowError{Table: "metric_samples", Account: account, Metric: metric, Row: row, Column: col, Err: err}
}

func fmtNanos(n int64) string { return fromUnixNano(n).Format(time.RFC3339Nano) }

// decodeNanos reads a stored time: an integer of Unix nanoseconds.
func decodeNanos(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case nil:
		return 0, fmt.Errorf("%w: is NULL", valuepath.ErrInvalid)
	}
	return 0, fmt.Errorf("%w: want an integer of Unix nanoseconds, got %s", valuepath.ErrInvalid, describe(v))
}

// decodeValue reads a sample value: a finite number.
func decodeValue(v any) (float64, error) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case int64:
		f = float64(x)
	case nil:
		// SQLite stores NaN as NULL.
		return 0, fmt.Errorf("%w: is NULL (NaN reads back as NULL from SQLite)", valuepath.ErrNotFinite)
	default:
		return 0, fmt.Errorf("%w: want a number, got %s", valuepath.ErrInvalid, describe(v))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%w: %v", valuepath.ErrNotFinite, f)
	}
	return f, nil
}

// describe names a column value's type without echoing a long value.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return "text " + quoteShort(x)
	case []byte:
		return "bytes " + quoteShort(string(x))
	case float64:
		return "real " + strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprintf("%T", v)
}

func quoteShort(s string) string {
	const limit = 40
	if len(s) > limit {
		return strconv.Quote(s[:limit]) + "…"
	}
	return strconv.Quote(s)
}

// Events implements [valuepath.Provider]: the events of account in
// [iv.Start, iv.End), oldest first, events at the same instant in the order
// they were imported, with one indexed range query. An empty interval gives
// an empty log; an unknown account is an error wrapping
// [valuepath.ErrUnknownAccount].
func (p *Provider) Events(ctx context.Context, account valuepath.AccountID, iv valuepath.Interval) (valuepath.EventLog, error) {
	l, err := p.events(ctx, account, iv)
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			return valuepath.EventLog{}, err
		}
		return valuepath.EventLog{}, fmt.Errorf("sqlprovider: events of account %q: %w", account, err)
	}
	return l, nil
}

func (p *Provider) events(ctx context.Context, account valuepath.AccountID, iv valuepath.Interval) (valuepath.EventLog, error) {
	if err := ctx.Err(); err != nil {
		return valuepath.EventLog{}, err
	}
	if iv.Empty() {
		return valuepath.EventLog{}, p.knownAccount(ctx, account)
	}
	st, err := p.stmt(qEvents)
	if err != nil {
		return valuepath.EventLog{}, err
	}
	rows, err := st.QueryContext(ctx, string(account), unixNano(iv.Start), unixNano(iv.End))
	if err != nil {
		return valuepath.EventLog{}, wrapErr(p.dialect, err)
	}
	evs, err := decodeEvents(rows, account)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return valuepath.EventLog{}, wrapErr(p.dialect, err)
	}
	if len(evs) == 0 {
		return valuepath.EventLog{}, p.knownAccount(ctx, account)
	}
	l, err := valuepath.NewEventLog(evs)
	if err != nil { // decodeEvents checked every row; kept as a guard
		return valuepath.EventLog{}, &RowError{Table: "events", Account: account, Row: -1, Column: "at", Err: err}
	}
	return l, nil
}

// decodeEvents reads the rows (at, kind, attrs) of account's events,
// checking each.
func decodeEvents(rows rowSource, account valuepath.AccountID) ([]valuepath.Event, error) {
	var evs []valuepath.Event
	var at, kind, attrs any
	dest := []any{&at, &kind, &attrs}
	var prev int64
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		e, col, err := decodeEvent(account, at, kind, attrs)
		if err == nil && i > 0 && e.At.UnixNano() < prev {
			col, err = "at", fmt.Errorf("%w: %s is before row %d at %s", valuepath.ErrOutOfOrder, e.At.Format(time.RFC3339Nano), i-1, fmtNanos(prev))
		}
		if err != nil {
			return nil, &RowError{Table: "events", Account: account, Row: i, Column: col, Err: err}
		}
		prev = e.At.UnixNano()
		evs = append(evs, e)
	}
	return evs, rows.Err()
}

// decodeEvent checks and converts one events row. On error it names the
// offending column.
func decodeEvent(account valuepath.AccountID, at, kind, attrs any) (valuepath.Event, string, error) {
	n, err := decodeNanos(at)
	if err != nil {
		return valuepath.Event{}, "at", err
	}
	k, ok := text(kind)
	switch {
	case !ok:
		return valuepath.Event{}, "kind", fmt.Errorf("%w: want text, got %s", valuepath.ErrInvalid, describe(kind))
	case k == "":
		return valuepath.Event{}, "kind", fmt.Errorf("%w: must not be empty", valuepath.ErrInvalid)
	}
	a, err := decodeAttrs(attrs)
	if err != nil {
		return valuepath.Event{}, "attrs", err
	}
	return valuepath.Event{Account: account, Kind: valuepath.EventKind(k), At: fromUnixNano(n), Attrs: a}, "", nil
}

// decodeAttrs reads event attributes: NULL (none) or a JSON object whose
// values are strings.
func decodeAttrs(v any) (map[string]string, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := text(v)
	if !ok {
		return nil, fmt.Errorf("%w: want JSON text, got %s", valuepath.ErrInvalid, describe(v))
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("%w: want a JSON object of strings: %w", valuepath.ErrInvalid, err)
	}
	if m == nil { // JSON null
		return nil, fmt.Errorf("%w: want a JSON object of strings, got null (store SQL NULL for no attributes)", valuepath.ErrInvalid)
	}
	return m, nil
}

func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return "", false
}

// known returns nil if account and metric are both known, else an error
// wrapping ErrUnknownAccount or, for a known account, ErrUnknownMetric.
func (p *Provider) known(ctx context.Context, account valuepath.AccountID, metric valuepath.Metric) error {
	st, err := p.stmt(qKnown)
	if err != nil {
		return err
	}
	var acct, met bool
	if err := st.QueryRowContext(ctx, string(account), string(metric)).Scan(&acct, &met); err != nil {
		return wrapErr(p.dialect, err)
	}
	switch {
	case !acct:
		return valuepath.ErrUnknownAccount
	case !met:
		return valuepath.ErrUnknownMetric
	}
	return nil
}

func (p *Provider) knownAccount(ctx context.Context, account valuepath.AccountID) error {
	st, err := p.stmt(qAccountExists)
	if err != nil {
		return err
	}
	var ok bool
	if err := st.QueryRowContext(ctx, string(account)).Scan(&ok); err != nil {
		return wrapErr(p.dialect, err)
	}
	if !ok {
		return valuepath.ErrUnknownAccount
	}
	return nil
}

// Accounts returns every account's metadata, sorted by ID (bytewise, as Go
// compares strings).
func (p *Provider) Accounts(ctx context.Context) ([]Account, error) {
	st, err := p.stmt(qAccounts)
	if err != nil {
		return nil, fmt.Errorf("sqlprovider: accounts: %w", err)
	}
	rows, err := st.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlprovider: accounts: %w", wrapErr(p.dialect, err))
	}
	defer rows.Close()
	var out []Account
	for i := 0; rows.Next(); i++ {
		a, err := scanAccount(rows, i)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlprovider: accounts: %w", wrapErr(p.dialect, err))
	}
	return out, nil
}

// Account returns the metadata of one account, or an error wrapping
// [valuepath.ErrUnknownAccount].
func (p *Provider) Account(ctx context.Context, id valuepath.AccountID) (Account, error) {
	st, err := p.stmt(qAccount)
	if err != nil {
		return Account{}, fmt.Errorf("sqlprovider: account %q: %w", id, err)
	}
	rows, err := st.QueryContext(ctx, string(id))
	if err != nil {
		return Account{}, fmt.Errorf("sqlprovider: account %q: %w", id, wrapErr(p.dialect, err))
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Account{}, fmt.Errorf("sqlprovider: account %q: %w", id, wrapErr(p.dialect, err))
		}
		return Account{}, fmt.Errorf("sqlprovider: account %q: %w", id, valuepath.ErrUnknownAccount)
	}
	return scanAccount(rows, 0)
}

func scanAccount(rows *sql.Rows, i int) (Account, error) {
	var id, name, segment, tz, start any
	if err := rows.Scan(&id, &name, &segment, &tz, &start); err != nil {
		return Account{}, fmt.Errorf("sqlprovider: accounts row %d: %w", i, err)
	}
	a, col, err := decodeAccount(id, name, segment, tz, start)
	if err != nil {
		return Account{}, &RowError{Table: "accounts", Account: a.ID, Row: i, Column: col, Err: err}
	}
	return a, nil
}

func decodeAccount(id, name, segment, tz, start any) (Account, string, error) {
	var a Account
	s, ok := text(id)
	if !ok || s == "" {
		return a, "id", fmt.Errorf("%w: want non-empty text, got %s", valuepath.ErrInvalid, describe(id))
	}
	a.ID = valuepath.AccountID(s)
	for _, f := range []struct {
		col string
		v   any
		dst *string
	}{{"name", name, &a.Name}, {"segment", segment, &a.Segment}, {"time_zone", tz, &a.TimeZone}} {
		if f.v == nil {
			continue
		}
		s, ok := text(f.v)
		if !ok {
			return a, f.col, fmt.Errorf("%w: want text, got %s", valuepath.ErrInvalid, describe(f.v))
		}
		*f.dst = s
	}
	if start != nil {
		n, err := decodeNanos(start)
		if err != nil {
			return a, "start", err
		}
		a.Start = fromUnixNano(n)
	}
	return a, "", nil
}

// Metrics returns the metrics the database declares (the metric_names
// table), sorted bytewise.
func (p *Provider) Metrics(ctx context.Context) ([]valuepath.Metric, error) {
	st, err := p.stmt(qMetrics)
	if err != nil {
		return nil, fmt.Errorf("sqlprovider: metrics: %w", err)
	}
	rows, err := st.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlprovider: metrics: %w", wrapErr(p.dialect, err))
	}
	defer rows.Close()
	var out []valuepath.Metric
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, fmt.Errorf("sqlprovider: metrics: %w", err)
		}
		out = append(out, valuepath.Metric(m))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlprovider: metrics: %w", wrapErr(p.dialect, err))
	}
	return out, nil
}
