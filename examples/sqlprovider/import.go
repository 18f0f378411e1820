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
// Accounts are written in batches, one transaction per batch with the
// prepared statements, so a failure leaves every earlier batch complete and
// no account half-written. Every metric is declared (metric_names) even if
// no account has samples of it. Pass [StorableRange] as iv to copy
// everything; data outside StorableRange is rejected.
//
// Bad arguments are reported together, each with its field path; an error
// from src names the account and metric. Nothing the caller passed is
// modified.
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
	var stmts [numQueries]*sql.Stmt
	for _, q := range []int{qUpsertAccount, qDeclareMetric, qDeleteSamples, qInsertSample, qDeleteEvents, qInsertEvent} {
		stmts[q] = tx.StmtContext(ctx, p.stmts[q])
	}
	var done ImportStats
	if declare {
		for _, m := range metrics {
			if _, err := stmts[qDeclareMetric].ExecContext(ctx, string(m)); err != nil {
				return fmt.Errorf("sqlprovider: import: metric %q: %w", m, wrapErr(p.dialect, err))
			}
		}
		done.Metrics = len(metrics)
	}
	lo, hi := unixNano(iv.Start), unixNano(iv.End)
	for _, a := range accounts {
		n, err := p.importAccount(ctx, &stmts, src, a, metrics, iv, lo, hi)
		if err != nil {
			return err
		}
		done.Accounts++
		done.Samples += n.Samples
		done.Events += n.Events
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

func (p *Provider) importAccount(ctx context.Context, stmts *[numQueries]*sql.Stmt, src valuepath.Provider, a Account, metrics []valuepath.Metric, iv valuepath.Interval, lo, hi int64) (ImportStats, error) {
	var n ImportStats
	id := string(a.ID)
	var start any
	if !a.Start.IsZero() {
		start = a.Start.UnixNano()
	}
	if _, err := stmts[qUpsertAccount].ExecContext(ctx, id, a.Name, a.Segment, a.TimeZone, start); err != nil {
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
		if _, err := stmts[qDeleteSamples].ExecContext(ctx, id, string(m), lo, hi); err != nil {
			return n, fail(wrapErr(p.dialect, err))
		}
		for i := range s.Len() {
			smp := s.At(i)
			if !storable(smp.At) {
				return n, fail(fmt.Errorf("samples[%d].at: %w: %s is outside the storable range", i, valuepath.ErrInvalid, smp.At))
			}
			if _, err := stmts[qInsertSample].ExecContext(ctx, id, string(m), smp.At.UnixNano(), smp.Value); err != nil {
				return n, fail(fmt.Errorf("samples[%d]: %w", i, wrapErr(p.dialect, err)))
			}
		}
		n.Samples += s.Len()
	}
	log, err := src.Events(ctx, a.ID, iv)
	if err != nil {
		return n, fmt.Errorf("sqlprovider: import: account %q: events: source: %w", a.ID, err)
	}
	if _, err := stmts[qDeleteEvents].ExecContext(ctx, id, lo, hi); err != nil {
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
		if _, err := stmts[qInsertEvent].ExecContext(ctx, id, e.At.UnixNano(), i, string(e.Kind), attrs); err != nil {
			return n, fail(wrapErr(p.dialect, err))
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
