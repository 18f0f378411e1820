// Package sqlprovider is a [valuepath.Provider] backed by a SQL database
// through database/sql.
//
// It is the example of how a host serves its own data to valuepath: account
// metadata, metric samples and events live in four documented tables (see
// [Dialect.Schema]), and every Series or Events call is one indexed range
// query. The default database is a SQLite file through the pure-Go driver
// modernc.org/sqlite, so nothing but this package is needed; the same
// provider runs on PostgreSQL with the [PostgreSQL] dialect and a pool the
// caller opens (see [New]).
//
// Open an existing database file with [Open] (read-only with
// Options.ReadOnly), make a new one with [Create], fill it from any
// Provider with [Provider.Import] (or with the demo base: [LoadDemo], and
// the command examples/sqlprovider/cmd/loaddemo) — or do both crash-safely
// with [Build], which publishes the file only once it is complete — then
// hand the *Provider to [valuepath.Derivations.Evaluate] like any other:
//
//	p, err := sqlprovider.Open(ctx, "demo.db", sqlprovider.Options{})
//	if err != nil { … }
//	defer p.Close()
//	snap, err := derivations.Evaluate(ctx, p, "acct-0001", asOf)
//
// Rows read from the database are outside data: the provider checks them
// (finite values, strictly increasing sample times, non-empty event kinds,
// attributes a JSON object of strings) and reports a bad row as a
// *[RowError] naming its table, account, metric and position, never passing
// it on.
//
// Times are stored as INTEGER (BIGINT) Unix nanoseconds in UTC: exact to
// the nanosecond like time.Time, compared as plain integers by the indexes,
// identical in every dialect and free of time-zone and text-format
// ambiguity. The price is a range: only instants in [StorableRange] can be
// stored (years 1678 to 2262), and values read back are in UTC.
package sqlprovider

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/valuepath/valuepath"
	"modernc.org/sqlite"
)

// Errors of this package, to test with [errors.Is]. Errors also wrap the
// valuepath sentinels where they apply: [valuepath.ErrUnknownAccount],
// [valuepath.ErrUnknownMetric], [valuepath.ErrNotFinite],
// [valuepath.ErrOutOfOrder], [valuepath.ErrDuplicate],
// [valuepath.ErrInvalid].
var (
	// ErrNoSchema reports a database that lacks the provider's tables.
	ErrNoSchema = errors.New("no valuepath schema")
	// ErrBusy reports that another connection held a lock for longer than
	// the busy timeout (SQLITE_BUSY or SQLITE_LOCKED). The operation was not
	// applied and can be retried.
	ErrBusy = errors.New("database busy: another connection holds the lock")
	// ErrClosed reports a call on a closed Provider.
	ErrClosed = errors.New("provider is closed")
)

// StorableRange is the span of instants the provider can store: those whose
// Unix nanoseconds fit an int64, from 1677-09-21 to just before 2262-04-11.
// Import rejects data outside it; queries may use any interval.
var StorableRange = valuepath.Interval{
	Start: time.Unix(0, math.MinInt64).UTC(),
	End:   time.Unix(0, math.MaxInt64).UTC(),
}

// Options tunes [Open] and [Create]. The zero value gives the documented
// defaults.
type Options struct {
	// BusyTimeout is how long a statement waits for a lock held by another
	// connection or process before it fails with [ErrBusy]. Zero means 5s.
	BusyTimeout time.Duration
	// MaxOpenConns caps the connection pool. SQLite in WAL mode serves any
	// number of readers next to one writer. Zero means no limit, as in
	// database/sql.
	MaxOpenConns int
	// ReadOnly opens the file for reading only (SQLite's mode=ro), without
	// switching it to WAL mode: every write fails, and the file's
	// directory need not be writable. A file in rollback-journal mode, as
	// [Build] leaves it, opens this way on a read-only volume; a file in
	// WAL mode needs its -shm file or a writable directory, or Immutable.
	// For [Open] only.
	ReadOnly bool
	// Immutable is ReadOnly for a file that nothing changes while it is
	// open, such as one on a read-only mount (SQLite's immutable=1): no
	// locks are taken and no side files are read or made, whatever the
	// journal mode. If the file does change, reads may see it torn.
	Immutable bool
}

// DefaultBusyTimeout is the busy timeout used when Options.BusyTimeout is zero.
const DefaultBusyTimeout = 5 * time.Second

// Provider is a [valuepath.Provider] over a SQL database. It is safe for
// concurrent use. Make one with [Open], [Create] or [New]; the zero value is
// not usable. Close it when done.
type Provider struct {
	db      *sql.DB
	ownsDB  bool // Close closes db too
	dialect Dialect
	stmts   [numQueries]*sql.Stmt // set once by newProvider
	closed  atomic.Bool
}

// Open opens the existing SQLite database file at path, which must hold the
// schema (made by [Create], or by applying [SQLite].Schema()). A missing
// file is an error naming the path: Open never creates a database. The
// connections run in WAL mode (readers do not wait for a writer) with
// foreign keys enforced and the busy timeout of opts; with opts.ReadOnly
// or opts.Immutable they only read and change nothing about the file. A
// path ending in [PartialSuffix] is refused: it is a file [Build] has not
// finished.
func Open(ctx context.Context, path string, opts Options) (*Provider, error) {
	if path == "" {
		return nil, errors.New("sqlprovider: open: path must not be empty")
	}
	if strings.HasSuffix(path, PartialSuffix) {
		return nil, fmt.Errorf("sqlprovider: open %q: an unfinished database (a load is running or was killed); open %q once the load is done, or run the load again", path, strings.TrimSuffix(path, PartialSuffix))
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if _, perr := os.Stat(path + PartialSuffix); perr == nil {
			return nil, fmt.Errorf("sqlprovider: open %q: no such database file, only %q, an unfinished one (a load is running or was killed); wait for the load, or run it again: %w", path, path+PartialSuffix, err)
		}
		return nil, fmt.Errorf("sqlprovider: open %q: no such database file (make one with Create or the loaddemo command): %w", path, err)
	case err != nil:
		return nil, fmt.Errorf("sqlprovider: open %q: %w", path, err)
	case st.IsDir():
		return nil, fmt.Errorf("sqlprovider: open %q: is a directory, not a database file", path)
	}
	return openFile(ctx, path, opts, false)
}

// Create makes a new SQLite database file at path with the schema and
// returns a Provider over it. It fails if anything exists at path already,
// so it never overwrites data. A process killed while filling the file
// leaves it incomplete at path; to fill a new file crash-safely, use
// [Build].
func Create(ctx context.Context, path string, opts Options) (*Provider, error) {
	if path == "" {
		return nil, errors.New("sqlprovider: create: path must not be empty")
	}
	if opts.ReadOnly || opts.Immutable {
		return nil, fmt.Errorf("sqlprovider: create %q: a read-only Options cannot create a file", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sqlprovider: create %q: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("sqlprovider: create %q: %w", path, err)
	}
	p, err := openFile(ctx, path, opts, true)
	if err != nil {
		// The file is ours and holds nothing worth keeping.
		_ = os.Remove(path)
		_ = os.Remove(path + "-wal")
		_ = os.Remove(path + "-shm")
		return nil, err
	}
	return p, nil
}

// dsn returns the modernc.org/sqlite data source name for path: a file: URI
// whose mode=rw stops SQLite from creating a missing file, with the pragmas
// every pooled connection runs when it opens.
func dsn(path string, opts Options) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = DefaultBusyTimeout
	}
	q := url.Values{}
	if opts.ReadOnly || opts.Immutable {
		q.Set("mode", "ro")
		if opts.Immutable {
			q.Set("immutable", "1")
		}
		q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", max(1, busy.Milliseconds())))
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
		return u.String(), nil
	}
	q.Set("mode", "rw")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", max(1, busy.Milliseconds())))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	// Write transactions take the write lock when they begin, so a busy
	// database makes them wait (up to the busy timeout) at BEGIN instead
	// of failing halfway.
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String(), nil
}

func openFile(ctx context.Context, path string, opts Options, create bool) (*Provider, error) {
	op := "open"
	if create {
		op = "create"
	}
	name, err := dsn(path, opts)
	if err != nil {
		return nil, fmt.Errorf("sqlprovider: %s %q: %w", op, path, err)
	}
	db, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, fmt.Errorf("sqlprovider: %s %q: %w", op, path, err)
	}
	if opts.MaxOpenConns > 0 {
		db.SetMaxOpenConns(opts.MaxOpenConns)
	}
	db.SetMaxIdleConns(max(2, opts.MaxOpenConns))
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlprovider: %s %q: %w", op, path, wrapErr(SQLite, err))
	}
	if create {
		if _, err := db.ExecContext(ctx, SQLite.schema); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("sqlprovider: %s %q: schema: %w", op, path, wrapErr(SQLite, err))
		}
	}
	p, err := newProvider(ctx, db, SQLite)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlprovider: %s %q: %w", op, path, err)
	}
	p.ownsDB = true
	return p, nil
}

// New returns a Provider over a pool the caller opened and owns, such as a
// PostgreSQL database opened with github.com/jackc/pgx/v5/stdlib and the
// [PostgreSQL] dialect. The database must hold the dialect's schema
// ([Dialect.Schema]); New checks that and prepares its statements.
// [Provider.Close] releases the statements but leaves db open.
func New(ctx context.Context, db *sql.DB, dialect Dialect) (*Provider, error) {
	if db == nil {
		return nil, errors.New("sqlprovider: new: db must not be nil")
	}
	if !dialect.valid() {
		return nil, errors.New("sqlprovider: new: dialect: want SQLite or PostgreSQL, got the zero Dialect")
	}
	p, err := newProvider(ctx, db, dialect)
	if err != nil {
		return nil, fmt.Errorf("sqlprovider: new: %w", err)
	}
	return p, nil
}

// newProvider checks the schema and prepares every statement once.
func newProvider(ctx context.Context, db *sql.DB, d Dialect) (*Provider, error) {
	if err := checkSchema(ctx, db, d); err != nil {
		return nil, err
	}
	p := &Provider{db: db, dialect: d}
	for i, q := range d.queries() {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			p.closeStmts()
			return nil, fmt.Errorf("prepare %q: %w", firstLine(q), wrapErr(d, err))
		}
		p.stmts[i] = st
	}
	return p, nil
}

// checkSchema reports which of the schema's tables the database lacks.
func checkSchema(ctx context.Context, db *sql.DB, d Dialect) error {
	rows, err := db.QueryContext(ctx, d.tableQuery)
	if err != nil {
		return wrapErr(d, err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return wrapErr(d, err)
		}
		have[name] = true
	}
	if err := rows.Err(); err != nil {
		return wrapErr(d, err)
	}
	var missing []string
	for _, t := range []string{"accounts", "metric_names", "metric_samples", "events"} {
		if !have[t] {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: missing table %s (make the database with Create, or apply Dialect.Schema)", ErrNoSchema, strings.Join(missing, ", "))
	}
	return nil
}

func firstLine(q string) string {
	if i := strings.IndexByte(q, '\n'); i >= 0 {
		return q[:i] + " …"
	}
	return q
}

// Close releases the prepared statements and, for a Provider made by Open or
// Create, closes the database. Later calls of Close return nil; any other
// call on a closed Provider returns an error wrapping [ErrClosed].
func (p *Provider) Close() error {
	if !p.closed.CompareAndSwap(false, true) {
		return nil
	}
	err := p.closeStmts()
	if p.ownsDB {
		err = errors.Join(err, p.db.Close())
	}
	return err
}

func (p *Provider) closeStmts() error {
	var errs []error
	for _, st := range p.stmts {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// Dialect returns the dialect the provider speaks.
func (p *Provider) Dialect() Dialect { return p.dialect }

// stmt returns the prepared statement i, or ErrClosed.
func (p *Provider) stmt(i int) (*sql.Stmt, error) {
	if p.closed.Load() {
		return nil, ErrClosed
	}
	return p.stmts[i], nil
}

// wrapErr marks a SQLite lock timeout with ErrBusy, keeping the driver's
// error in the chain.
func wrapErr(d Dialect, err error) error {
	if err == nil || !d.sqliteLocks {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return fmt.Errorf("%w: %w", ErrBusy, err)
		}
	}
	return err
}

// unixNano returns t as stored: Unix nanoseconds, clamped to the int64
// range. Clamping keeps half-open comparisons exact for query bounds, since
// nothing is stored at math.MaxInt64 (see StorableRange).
func unixNano(t time.Time) int64 {
	switch {
	case t.Before(StorableRange.Start):
		return math.MinInt64
	case !t.Before(StorableRange.End):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// storable reports whether t can be stored exactly.
func storable(t time.Time) bool { return StorableRange.Contains(t) }

// fromUnixNano is the inverse of unixNano for stored values.
func fromUnixNano(n int64) time.Time { return time.Unix(0, n).UTC() }
