package sqlprovider

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// importBatch is the number of accounts written per transaction: large
// enough that commits (an fsync each) do not dominate, small enough that a
// writer does not hold the lock for long.
const importBatch = 25

// insertRows is the number of rows one INSERT statement of an import
// writes, instead of one statement (one round trip) per row. A statement
// binds at most 5 × insertRows parameters (an event row has five), well
// under the limits of PostgreSQL (65,535) and SQLite (32,766 since 3.32).
// BenchmarkImport loads alike with 250 to 2,000 rows a statement on both
// databases, and slower with 100 or 5,000.
const insertRows = 1000

// ImportStats counts what an import wrote.
type ImportStats struct {
	Accounts int // accounts upserted
	Metrics  int // metrics declared
	Samples  int // metric samples written
	Events   int // events written
}

// Import copies data from src, any [valuepath.Provider], into the database:
// every account's metadata (inserted, or updated if the id exists), the
// samples of every metric in metrics within iv, and its events within iv.
// For each account it first deletes what the database held for it within iv,
// so importing the same data twice leaves the database as after one import,
// and an import that failed can simply be run again.
//
// Accounts are written in batches of 25, one transaction per batch, so a
// failure or a cancelled ctx leaves every earlier batch complete and no
// account half-written. Within a transaction the samples and events go in
// multi-row INSERTs of up to 1,000 rows, not one round trip per row. Every
// metric is declared (metric_names) even if no account has samples of it.
// Pass [StorableRange] as iv to copy everything; data outside
// StorableRange is rejected.
//
// Bad arguments are reported together, each with its field path; an error
// from src names the account and metric, and a statement the database
// rejects names the first and last row it held. Nothing the caller passed
// is modified.
func (p *Provider) Import(ctx context.Context, src valuepath.Provider, accounts []Account, metrics []valuepath.Metric, iv valuepath.Interval) (ImportStats, error) {
	var st ImportStats
	if err := checkImport(src, accounts, metrics); err != nil {
		return st, err
	}
	if p.closed.Load() {
		return st, fmt.Errorf("sqlprovider: import: %w", ErrClosed)
	}
	for lo := 0; lo < len(accounts) || (lo == 0 && len(metrics) > 0); lo += importBatch {
		hi := min(lo+importBatch, len(accounts))
		if err := p.importBatch(ctx, src, accounts[lo:hi], metrics, iv, lo == 0, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// checkImport reports every problem with Import's arguments.
func checkImport(src valuepath.Provider, accounts []Account, metrics []valuepath.Metric) error {
	var errs []error
	bad := func(path string, format string, args ...any) {
		errs = append(errs, fmt.Errorf("sqlprovider: import: %s: %w: %s", path, valuepath.ErrInvalid, fmt.Sprintf(format, args...)))
	}
	if src == nil {
		bad("src", "must not be nil")
	}
	seen := make(map[valuepath.AccountID]int, len(accounts))
	for i, a := range accounts {
		path := "accounts[" + strconv.Itoa(i) + "]"
		if a.ID == "" {
			bad(path+".id", "must not be empty")
		} else if j, dup := seen[a.ID]; dup {
			errs = append(errs, fmt.Errorf("sqlprovider: import: %s.id: %w id %q (also accounts[%d])", path, valuepath.ErrDuplicate, a.ID, j))
		} else {
			seen[a.ID] = i
		}
		if !a.Start.IsZero() && !storable(a.Start) {
			bad(path+".start", "%s is outside the storable range (years 1678 to 2262)", a.Start)
		}
	}
	seenM := make(map[valuepath.Metric]int, len(metrics))
	for i, m := range metrics {
		path := "metrics[" + strconv.Itoa(i) + "]"
		if m == "" {
			bad(path, "must not be empty")
		} else if j, dup := seenM[m]; dup {
			errs = append(errs, fmt.Errorf("sqlprovider: import: %s: %w metric %q (also metrics[%d])", path, valuepath.ErrDuplicate, m, j))
		} else {
			seenM[m] = i
		}
	}
	return errors.Join(errs...)
}

// importBatch writes accounts in one transaction.
func (p *Provider) importBatch(ctx context.Context, src valuepath.Provider, accounts []Account, metrics []valuepath.Metric, iv valuepath.Interval, declare bool, st *ImportStats) (err error) {
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlprovider: import: begin: %w", wrapErr(p.dialect, err))
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	w := newImportWriter(ctx, p, tx)
	var done ImportStats
	if declare {
		declareMetric := tx.StmtContext(ctx, p.stmts[qDeclareMetric])
		for _, m := range metrics {
			if _, err := declareMetric.ExecContext(ctx, string(m)); err != nil {
				return fmt.Errorf("sqlprovider: import: metric %q: %w", m, wrapErr(p.dialect, err))
			}
		}
		done.Metrics = len(metrics)
	}
	lo, hi := unixNano(iv.Start), unixNano(iv.End)
	for _, a := range accounts {
		n, err := p.importAccount(ctx, w, src, a, metrics, iv, lo, hi)
		if err != nil {
			return err
		}
		done.Accounts++
		done.Samples += n.Samples
		done.Events += n.Events
	}
	if err := w.samples.flush(ctx); err != nil {
		return err
	}
	if err := w.events.flush(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlprovider: import: commit: %w", wrapErr(p.dialect, err))
	}
	st.Accounts += done.Accounts
	st.Metrics += done.Metrics
	st.Samples += done.Samples
	st.Events += done.Events
	return nil
}

// importAccount writes one account's metadata at once, and replaces its
// samples and events within iv: the deletes run at once, the new rows go
// to w, which writes them in multi-row INSERTs before the commit. The
// deletes of an account always precede the inserts of its rows, so they
// never remove what this import wrote.
func (p *Provider) importAccount(ctx context.Context, w *importWriter, src valuepath.Provider, a Account, metrics []valuepath.Metric, iv valuepath.Interval, lo, hi int64) (ImportStats, error) {
	var n ImportStats
	id := string(a.ID)
	var start any
	if !a.Start.IsZero() {
		start = a.Start.UnixNano()
	}
	if _, err := w.upsertAccount.ExecContext(ctx, id, a.Name, a.Segment, a.TimeZone, start); err != nil {
		return n, fmt.Errorf("sqlprovider: import: account %q: %w", a.ID, wrapErr(p.dialect, err))
	}
	for _, m := range metrics {
		fail := func(err error) error {
			return fmt.Errorf("sqlprovider: import: account %q: metric %q: %w", a.ID, m, err)
		}
		s, err := src.Series(ctx, a.ID, m, iv)
		if err != nil {
			return n, fail(fmt.Errorf("source: %w", err))
		}
		if _, err := w.deleteSamples.ExecContext(ctx, id, string(m), lo, hi); err != nil {
			return n, fail(wrapErr(p.dialect, err))
		}
		for i := range s.Len() {
			smp := s.At(i)
			if !storable(smp.At) {
				return n, fail(fmt.Errorf("samples[%d].at: %w: %s is outside the storable range", i, valuepath.ErrInvalid, smp.At))
			}
			if err := w.samples.add(ctx, rowRef{account: a.ID, metric: m, i: i}, id, string(m), smp.At.UnixNano(), smp.Value); err != nil {
				return n, err
			}
		}
		n.Samples += s.Len()
	}
	log, err := src.Events(ctx, a.ID, iv)
	if err != nil {
		return n, fmt.Errorf("sqlprovider: import: account %q: events: source: %w", a.ID, err)
	}
	if _, err := w.deleteEvents.ExecContext(ctx, id, lo, hi); err != nil {
		return n, fmt.Errorf("sqlprovider: import: account %q: events: %w", a.ID, wrapErr(p.dialect, err))
	}
	for i := range log.Len() {
		e := log.At(i)
		fail := func(err error) error {
			return fmt.Errorf("sqlprovider: import: account %q: events[%d]: %w", a.ID, i, err)
		}
		switch {
		case e.Account != a.ID:
			return n, fail(fmt.Errorf("account: %w: %q in the log of %q", valuepath.ErrInvalid, e.Account, a.ID))
		case !storable(e.At):
			return n, fail(fmt.Errorf("at: %w: %s is outside the storable range", valuepath.ErrInvalid, e.At))
		}
		var attrs any
		if e.Attrs != nil {
			b, err := json.Marshal(e.Attrs)
			if err != nil {
				return n, fail(fmt.Errorf("attrs: %w", err))
			}
			attrs = string(b)
		}
		if err := w.events.add(ctx, rowRef{account: a.ID, i: i}, id, e.At.UnixNano(), i, string(e.Kind), attrs); err != nil {
			return n, err
		}
	}
	n.Events = log.Len()
	return n, nil
}

// DemoAccounts returns the metadata of the demo base's accounts, in its
// order.
func DemoAccounts(base *demo.Base) []Account {
	out := make([]Account, len(base.Accounts))
	for i, a := range base.Accounts {
		out[i] = Account{ID: a.ID, Name: a.Name, Segment: a.Segment, TimeZone: a.TimeZone, Start: a.Start}
	}
	return out
}

// LoadDemo imports the whole demo base into p: every account, every series
// of [demo.SeriesMetrics] and every event.
func LoadDemo(ctx context.Context, p *Provider, base *demo.Base) (ImportStats, error) {
	if base == nil || base.Provider == nil {
		return ImportStats{}, errors.New("sqlprovider: load demo: base must not be nil")
	}
	return p.Import(ctx, base.Provider, DemoAccounts(base), demo.SeriesMetrics, StorableRange)
}

// importWriter is one import transaction's statements: the per-account
// upsert and deletes, and the buffers of the rows inserted.
type importWriter struct {
	upsertAccount, deleteSamples, deleteEvents *sql.Stmt
	samples, events                            rowBuffer
}

func newImportWriter(ctx context.Context, p *Provider, tx *sql.Tx) *importWriter {
	d := p.dialect
	return &importWriter{
		upsertAccount: tx.StmtContext(ctx, p.stmts[qUpsertAccount]),
		deleteSamples: tx.StmtContext(ctx, p.stmts[qDeleteSamples]),
		deleteEvents:  tx.StmtContext(ctx, p.stmts[qDeleteEvents]),
		samples:       rowBuffer{tx: tx, dialect: d, table: "metric_samples", cols: 4, query: d.insertSamples},
		events:        rowBuffer{tx: tx, dialect: d, table: "events", cols: 5, query: d.insertEvents},
	}
}

// rowBuffer collects the rows of one table within a transaction and writes
// them with multi-row INSERTs of insertRows rows, the last one shorter.
type rowBuffer struct {
	tx          *sql.Tx
	dialect     Dialect
	table       string
	cols        int                   // parameters a row
	query       func(rows int) string // the INSERT of that many rows
	full        *sql.Stmt             // the INSERT of insertRows rows, prepared on first use
	args        []any                 // the buffered rows' parameters
	first, last rowRef                // the buffered rows' origin, for errors
}

// rowRef says where a buffered row came from, so that an error of a
// multi-row INSERT can name the rows it held.
type rowRef struct {
	account valuepath.AccountID
	metric  valuepath.Metric // empty for an event
	i       int              // the index in the series or the event log
}

func (r rowRef) String() string {
	if r.metric == "" {
		return fmt.Sprintf("account %q events[%d]", r.account, r.i)
	}
	return fmt.Sprintf("account %q metric %q samples[%d]", r.account, r.metric, r.i)
}

// add buffers one row, and writes the buffer once it holds insertRows rows.
func (b *rowBuffer) add(ctx context.Context, from rowRef, vals ...any) error {
	if len(b.args) == 0 {
		b.first = from
	}
	b.last = from
	b.args = append(b.args, vals...)
	if len(b.args) < insertRows*b.cols {
		return nil
	}
	return b.flush(ctx)
}

// flush writes the buffered rows, if any, in one statement.
func (b *rowBuffer) flush(ctx context.Context) error {
	rows := len(b.args) / b.cols
	if rows == 0 {
		return nil
	}
	var err error
	if rows == insertRows {
		if b.full == nil {
			b.full, err = b.tx.PrepareContext(ctx, b.query(insertRows))
		}
		if err == nil {
			_, err = b.full.ExecContext(ctx, b.args...)
		}
	} else {
		_, err = b.tx.ExecContext(ctx, b.query(rows), b.args...)
	}
	clear(b.args)
	b.args = b.args[:0]
	if err != nil {
		return fmt.Errorf("sqlprovider: import: %s: %d rows from %s to %s: %w", b.table, rows, b.first, b.last, wrapErr(b.dialect, err))
	}
	return nil
}
