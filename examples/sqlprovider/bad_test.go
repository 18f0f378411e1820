package sqlprovider

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
)

// smallSource is a one-account provider with a few samples and events.
func smallSource(t *testing.T) (*valuepath.MemoryProvider, []Account, []valuepath.Metric) {
	t.Helper()
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	src := &valuepath.MemoryProvider{}
	must(t, src.SetSeries("a", "m", valuepath.Must(valuepath.NewSeries([]valuepath.Sample{{At: t0, Value: 1}, {At: t0.Add(valuepath.Day), Value: 2}}))))
	must(t, src.SetEvents("a", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{{Account: "a", Kind: "k", At: t0, Attrs: map[string]string{"x": "y"}}}))))
	return src, []Account{{ID: "a", Name: "A", Start: t0}}, []valuepath.Metric{"m"}
}

// rawDB opens path with the driver directly, as another program would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenRejectsWhatIsNotADatabase(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	must(t, os.WriteFile(notDB, []byte(strings.Repeat("these are not the tables you are looking for\n", 200)), 0o644))
	noSchema := filepath.Join(dir, "other.db")
	db := rawDB(t, noSchema)
	if _, err := db.Exec(`CREATE TABLE accounts (id TEXT PRIMARY KEY); CREATE TABLE unrelated (x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	missing := filepath.Join(dir, "missing.db")

	for _, c := range []struct {
		name, path string
		want       []string // substrings of the message
		is         error
	}{
		{"missing file", missing, []string{missing, "no such database file"}, os.ErrNotExist},
		{"empty path", "", []string{"path must not be empty"}, nil},
		{"directory", dir, []string{dir, "is a directory"}, nil},
		{"not a database", notDB, []string{notDB, "not a database"}, nil},
		{"no schema", noSchema, []string{noSchema, "missing table metric_names, metric_samples, events"}, ErrNoSchema},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Open(ctx, c.path, Options{})
			if err == nil {
				p.Close()
				t.Fatal("Open succeeded")
			}
			for _, s := range c.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			t.Log(err)
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v does not wrap %v", err, c.is)
			}
		})
	}
	// Open must not have created the missing file.
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open created %s: %v", missing, err)
	}
}

func TestCreateNeverOverwrites(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	must(t, os.WriteFile(path, []byte("precious"), 0o644))
	if p, err := Create(ctx, path, Options{}); err == nil || !strings.Contains(err.Error(), path) {
		if p != nil {
			p.Close()
		}
		t.Fatalf("Create over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Errorf("Create changed the existing file to %q", b)
	}
	if _, err := Create(ctx, filepath.Join(t.TempDir(), "no", "such", "dir.db"), Options{}); err == nil {
		t.Error("Create in a missing directory succeeded")
	}
}

// TestLockedDatabase holds the write lock from another connection, as a
// second process would, and checks that an import fails with ErrBusy after
// the busy timeout, that reads go on meanwhile (WAL), and that nothing is
// lost: the import succeeds once the lock is released.
func TestLockedDatabase(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	src, accts, metrics := smallSource(t)
	p, err := Create(ctx, path, Options{BusyTimeout: 150 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Import(ctx, src, accts, metrics, StorableRange); err != nil {
		t.Fatal(err)
	}

	locker := rawDB(t, path)
	conn, err := locker.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = p.Import(ctx, src, accts, metrics, StorableRange)
	took := time.Since(start)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("import into a locked database: %v, want ErrBusy", err)
	}
	t.Logf("after %s: %v", took, err)
	if took < 100*time.Millisecond || took > 5*time.Second {
		t.Errorf("import gave up after %s; the busy timeout is 150ms", took)
	}
	if !strings.Contains(err.Error(), "locked") {
		t.Errorf("error %q does not say the database is locked", err)
	}
	// Readers are not blocked by the writer.
	s, err := p.Series(ctx, "a", "m", StorableRange)
	if err != nil || s.Len() != 2 {
		t.Errorf("read during the lock: %d samples, %v", s.Len(), err)
	}
	// A second provider can open the locked file, and read it.
	q, err := Open(ctx, path, Options{BusyTimeout: 150 * time.Millisecond})
	if err != nil {
		t.Fatalf("open during the lock: %v", err)
	}
	if _, err := q.Events(ctx, "a", StorableRange); err != nil {
		t.Errorf("events during the lock: %v", err)
	}
	must(t, q.Close())

	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	must(t, conn.Close())
	st, err := p.Import(ctx, src, accts, metrics, StorableRange)
	if err != nil || st.Samples != 2 || st.Events != 1 {
		t.Fatalf("import after the lock: %+v, %v", st, err)
	}
	if s, err := p.Series(ctx, "a", "m", StorableRange); err != nil || s.Len() != 2 {
		t.Errorf("after the retried import: %d samples, %v; want 2", s.Len(), err)
	}
}

func TestCancelledContext(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	f := loaded(t, testAccounts)
	p := openT(t, f.path, Options{})
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	a := f.base.Accounts[0].ID
	if _, err := p.Series(cancelled, a, "seats", StorableRange); !errors.Is(err, context.Canceled) {
		t.Errorf("Series: %v, want context.Canceled", err)
	}
	if _, err := p.Events(cancelled, a, StorableRange); !errors.Is(err, context.Canceled) {
		t.Errorf("Events: %v, want context.Canceled", err)
	}
	if _, err := p.Accounts(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Accounts: %v, want context.Canceled", err)
	}
	if _, err := Open(cancelled, f.path, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Open: %v, want context.Canceled", err)
	}

	// An import cancelled before it starts writes nothing.
	q, err := Create(ctx, filepath.Join(t.TempDir(), "x.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if _, err := LoadDemo(cancelled, q, f.base); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadDemo: %v, want context.Canceled", err)
	}
	if as, err := q.Accounts(ctx); err != nil || len(as) != 0 {
		t.Errorf("after a cancelled import: %d accounts, %v; want none", len(as), err)
	}
}

func TestUnknownNamesAndClosed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		noLeaks(t)
		ctx := context.Background()
		f, p := b.loaded(t, smallAccounts, Options{})
		a := f.base.Accounts[0].ID
		for _, c := range []struct {
			name string
			err  error
			is   error
			says string
		}{
			{"unknown account", second(p.Series(ctx, "nobody", "seats", StorableRange)), valuepath.ErrUnknownAccount, `"nobody"`},
			{"unknown account, empty interval", second(p.Series(ctx, "nobody", "seats", valuepath.Interval{})), valuepath.ErrUnknownAccount, `"nobody"`},
			{"unknown metric", second(p.Series(ctx, a, "nothing", StorableRange)), valuepath.ErrUnknownMetric, `"nothing"`},
			{"unknown account's events", second(p.Events(ctx, "nobody", StorableRange)), valuepath.ErrUnknownAccount, `"nobody"`},
		} {
			assert.ErrorIs(t, c.err, c.is, c.name)
			assert.ErrorContains(t, c.err, c.says, c.name)
		}
		require.NoError(t, p.Close())
		require.NoError(t, p.Close(), "a second Close is harmless")
		_, err := p.Series(ctx, a, "seats", StorableRange)
		assert.ErrorIs(t, err, ErrClosed, "Series after Close")
		src, accts, metrics := smallSource(t)
		_, err = p.Import(ctx, src, accts, metrics, StorableRange)
		assert.ErrorIs(t, err, ErrClosed, "Import after Close")
	})
}

func second[T any](_ T, err error) error { return err }

func TestImportRejectsBadArguments(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	p, err := Create(ctx, filepath.Join(t.TempDir(), "x.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	src, _, _ := smallSource(t)
	accts := []Account{{ID: "a"}, {ID: ""}, {ID: "a"}, {ID: "b", Start: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}}
	metrics := []valuepath.Metric{"m", "", "m"}
	_, err = p.Import(ctx, src, accts, metrics, StorableRange)
	for _, s := range []string{"accounts[1].id", "accounts[2].id: duplicate", "accounts[3].start", "metrics[1]", "metrics[2]: duplicate"} {
		if err == nil || !strings.Contains(err.Error(), s) {
			t.Errorf("Import error %v does not report %s", err, s)
		}
	}
	if _, err := p.Import(ctx, nil, nil, nil, StorableRange); err == nil || !strings.Contains(err.Error(), "src") {
		t.Errorf("nil source: %v", err)
	}
	// The source's own errors name the account and metric.
	if _, err := p.Import(ctx, src, []Account{{ID: "ghost"}}, []valuepath.Metric{"m"}, StorableRange); !errors.Is(err, valuepath.ErrUnknownAccount) || !strings.Contains(err.Error(), `"ghost"`) {
		t.Errorf("unknown source account: %v", err)
	}
	if _, err := p.Import(ctx, src, []Account{{ID: "a"}}, []valuepath.Metric{"zzz"}, StorableRange); !errors.Is(err, valuepath.ErrUnknownMetric) || !strings.Contains(err.Error(), `"zzz"`) {
		t.Errorf("unknown source metric: %v", err)
	}
	// Nothing of the failed imports was written.
	if as, err := p.Accounts(ctx); err != nil || len(as) != 0 {
		t.Errorf("after failed imports: %v accounts, %v", as, err)
	}
	if _, err := New(ctx, nil, SQLite); err == nil {
		t.Error("New(nil) succeeded")
	}
	if _, err := New(ctx, p.db, Dialect{}); err == nil {
		t.Error("New with the zero Dialect succeeded")
	}
}

// TestSchemaRejectsBadRows checks that the database itself refuses data
// that would break the model, whoever writes it.
func TestSchemaRejectsBadRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	src, accts, metrics := smallSource(t)
	p, err := Create(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Import(ctx, src, accts, metrics, StorableRange); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		q    string
		args []any
	}{
		{"NaN value", `INSERT INTO metric_samples VALUES ('a', 'm', 5, ?)`, []any{math.NaN()}},
		{"infinite value", `INSERT INTO metric_samples VALUES ('a', 'm', 5, ?)`, []any{math.Inf(1)}},
		{"duplicate sample", `INSERT INTO metric_samples SELECT account_id, metric, at, value + 1 FROM metric_samples`, nil},
		{"text value", `INSERT INTO metric_samples VALUES ('a', 'm', 6, 'many')`, nil},
		{"unknown account", `INSERT INTO metric_samples VALUES ('zz', 'm', 7, 1)`, nil},
		{"undeclared metric", `INSERT INTO metric_samples VALUES ('a', 'zz', 7, 1)`, nil},
		{"bad attrs JSON", `INSERT INTO events VALUES ('a', 5, 0, 'k', '{"severity":')`, nil},
		{"attrs not an object", `INSERT INTO events VALUES ('a', 5, 0, 'k', '[1, 2]')`, nil},
		{"empty kind", `INSERT INTO events VALUES ('a', 5, 0, '', NULL)`, nil},
		{"text time", `INSERT INTO events VALUES ('a', 'noon', 0, 'k', NULL)`, nil},
	} {
		if _, err := p.db.ExecContext(ctx, c.q, c.args...); err == nil {
			t.Errorf("%s: the schema accepted it", c.name)
		}
	}
}

// TestCorruptRows reads a database made by hand without the schema's
// constraints, as a legacy or foreign database might be, and checks that
// every bad row is reported with its table, account, metric and position.
func TestCorruptRows(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "legacy.db")
	db := rawDB(t, path)
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	day := int64(valuepath.Day)
	stmts := []struct {
		q    string
		args []any
	}{
		// The upserts of Import need the primary keys of these two.
		{`CREATE TABLE accounts (id PRIMARY KEY, name, segment, time_zone, start);
		  CREATE TABLE metric_names (metric PRIMARY KEY);
		  CREATE TABLE metric_samples (account_id, metric, at, value);
		  CREATE TABLE events (account_id, at, seq, kind, attrs)`, nil},
		{`INSERT INTO accounts VALUES ('a', 'A', 'smb', 'UTC', NULL), ('b', 'B', '', '', NULL)`, nil},
		{`INSERT INTO metric_names VALUES ('dup'), ('nan'), ('inf'), ('text'), ('when'), ('ok')`, nil},
		{`INSERT INTO metric_samples VALUES ('a', 'dup', ?, 1), ('a', 'dup', ?, 2), ('a', 'dup', ?, 3)`, []any{t0, t0 + day, t0 + day}},
		{`INSERT INTO metric_samples VALUES ('a', 'nan', ?, 1), ('a', 'nan', ?, ?)`, []any{t0, t0 + day, math.NaN()}},
		{`INSERT INTO metric_samples VALUES ('a', 'inf', ?, 9e999)`, []any{t0}},
		{`INSERT INTO metric_samples VALUES ('a', 'text', ?, 'lots')`, []any{t0}},
		// A REAL time (text would sort after every integer, out of range).
		{`INSERT INTO metric_samples VALUES ('a', 'when', 1.5e18, 4)`, nil},
		{`INSERT INTO metric_samples VALUES ('a', 'ok', ?, 4), ('a', 'ok', ?, 5)`, []any{t0, t0 + day}},
		{`INSERT INTO events VALUES ('a', ?, 0, 'k', '{"severity": "high"}'), ('a', ?, 1, 'k', '{"severity":'),
		                           ('b', ?, 0, 'k', '{"n": 3}'), ('b', ?, 0, '', NULL), ('b', ?, 0, 'k', 'null'), ('b', ?, 0, 'k', 7)`,
			[]any{t0, t0 + day, t0, t0 + day, t0 + 2*day, t0 + 3*day}},
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s.q, s.args...); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	p := openT(t, path, Options{})

	for _, c := range []struct {
		name   string
		err    error
		want   RowError
		is     error
		inText string
	}{
		{"duplicate", second(p.Series(ctx, "a", "dup", StorableRange)), RowError{Table: "metric_samples", Account: "a", Metric: "dup", Row: 2, Column: "at"}, valuepath.ErrDuplicate, "same as row 1"},
		{"NaN", second(p.Series(ctx, "a", "nan", StorableRange)), RowError{Table: "metric_samples", Account: "a", Metric: "nan", Row: 1, Column: "value"}, valuepath.ErrNotFinite, "NULL"},
		{"Inf", second(p.Series(ctx, "a", "inf", StorableRange)), RowError{Table: "metric_samples", Account: "a", Metric: "inf", Row: 0, Column: "value"}, valuepath.ErrNotFinite, "+Inf"},
		{"text value", second(p.Series(ctx, "a", "text", StorableRange)), RowError{Table: "metric_samples", Account: "a", Metric: "text", Row: 0, Column: "value"}, valuepath.ErrInvalid, `"lots"`},
		{"real time", second(p.Series(ctx, "a", "when", StorableRange)), RowError{Table: "metric_samples", Account: "a", Metric: "when", Row: 0, Column: "at"}, valuepath.ErrInvalid, "real 1.5e+18"},
		{"bad attrs JSON", second(p.Events(ctx, "a", StorableRange)), RowError{Table: "events", Account: "a", Row: 1, Column: "attrs"}, valuepath.ErrInvalid, "JSON"},
		{"attrs not strings", second(p.Events(ctx, "b", valuepath.Interval{Start: time.Unix(0, t0), End: time.Unix(0, t0+1)})), RowError{Table: "events", Account: "b", Row: 0, Column: "attrs"}, valuepath.ErrInvalid, "JSON"},
		{"empty kind", second(p.Events(ctx, "b", valuepath.Interval{Start: time.Unix(0, t0+day), End: time.Unix(0, t0+day+1)})), RowError{Table: "events", Account: "b", Row: 0, Column: "kind"}, valuepath.ErrInvalid, "empty"},
		{"null attrs", second(p.Events(ctx, "b", valuepath.Interval{Start: time.Unix(0, t0+2*day), End: time.Unix(0, t0+2*day+1)})), RowError{Table: "events", Account: "b", Row: 0, Column: "attrs"}, valuepath.ErrInvalid, "null"},
		{"number attrs", second(p.Events(ctx, "b", valuepath.Interval{Start: time.Unix(0, t0+3*day), End: time.Unix(0, t0+3*day+1)})), RowError{Table: "events", Account: "b", Row: 0, Column: "attrs"}, valuepath.ErrInvalid, "int64"},
	} {
		t.Logf("%s: %v", c.name, c.err)
		var re *RowError
		if !errors.As(c.err, &re) {
			t.Errorf("%s: %v, want a *RowError", c.name, c.err)
			continue
		}
		got := *re
		got.Err = nil
		if got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
		if !errors.Is(c.err, c.is) || !strings.Contains(c.err.Error(), c.inText) || !strings.Contains(c.err.Error(), `account "`+string(c.want.Account)+`"`) {
			t.Errorf("%s: %q, want %v mentioning %s and the account", c.name, c.err, c.is, c.inText)
		}
	}
	// Good rows next to bad ones still read.
	if s, err := p.Series(ctx, "a", "ok", StorableRange); err != nil || s.Len() != 2 {
		t.Errorf("the good series: %d samples, %v", s.Len(), err)
	}
	if l, err := p.Events(ctx, "a", valuepath.Interval{Start: time.Unix(0, t0), End: time.Unix(0, t0+1)}); err != nil || l.Len() != 1 || l.At(0).Attr("severity") != "high" {
		t.Errorf("the good event: %v, %v", l, err)
	}
	// A bad accounts row is reported too.
	db = rawDB(t, path)
	if _, err := db.ExecContext(ctx, `INSERT INTO accounts VALUES ('c', 'C', '', '', 'last spring')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	var re *RowError
	if _, err := p.Accounts(ctx); !errors.As(err, &re) || re.Table != "accounts" || re.Account != "c" || re.Column != "start" || re.Row != 2 {
		t.Errorf("Accounts with a bad start: %v", err)
	}
}

// cancelAt is a Provider that cancels an import when it is asked for one
// account, as a shutdown signal arriving mid-import would.
type cancelAt struct {
	valuepath.Provider
	account valuepath.AccountID
	cancel  context.CancelFunc
}

func (c cancelAt) Series(ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
	if a == c.account {
		c.cancel()
	}
	return c.Provider.Series(ctx, a, m, iv)
}

// TestImportCancelledMidway cancels an import in its second batch: the
// first batch stays, complete; nothing of the second is written; a rerun
// completes the database.
func TestImportCancelledMidway(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		noLeaks(t)
		base := demoBase(t, testAccounts)
		if len(base.Accounts) <= importBatch {
			t.Skipf("needs more than %d accounts", importBatch)
		}
		p := b.create(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		src := cancelAt{Provider: base.Provider, account: base.Accounts[importBatch+3].ID, cancel: cancel}
		accts := DemoAccounts(base)
		metrics := []valuepath.Metric{"seats", "logins"}
		st, err := p.Import(ctx, src, accts, metrics, StorableRange)
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, importBatch, st.Accounts, "stats after the cancel: %+v, want the first batch", st)
		got, err := p.Accounts(context.Background())
		require.NoError(t, err)
		require.Len(t, got, importBatch, "accounts after the cancel")
		for _, a := range got {
			for _, m := range metrics {
				s, err := p.Series(context.Background(), a.ID, m, StorableRange)
				require.NoError(t, err)
				want, _ := base.Provider.Series(context.Background(), a.ID, m, StorableRange)
				assert.Equal(t, want.Len(), s.Len(), "%s %s after the cancel", a.ID, m)
			}
		}
		st, err = p.Import(context.Background(), base.Provider, accts, metrics, StorableRange)
		require.NoError(t, err, "rerun")
		assert.Equal(t, len(accts), st.Accounts, "rerun")
	})
}

// TestImportNamesRejectedRows has the database refuse one event of an
// import: the error names the rows of the multi-row INSERT that held it,
// and nothing of the transaction is written.
func TestImportNamesRejectedRows(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		noLeaks(t)
		ctx := context.Background()
		p := b.create(t)
		if p.Dialect() == SQLite {
			// PostgreSQL's JSONB refuses \u0000; SQLite's JSON takes it,
			// so a trigger refuses it here.
			_, err := p.db.ExecContext(ctx, `CREATE TRIGGER refuse_nul BEFORE INSERT ON events
WHEN instr(NEW.attrs, '\u0000') > 0 BEGIN SELECT RAISE(ABORT, 'unsupported Unicode escape sequence'); END`)
			require.NoError(t, err)
		}
		t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		src := &valuepath.MemoryProvider{}
		require.NoError(t, src.SetSeries("a", "m", valuepath.Must(valuepath.NewSeries([]valuepath.Sample{{At: t0, Value: 1}}))))
		require.NoError(t, src.SetEvents("a", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
			{Account: "a", Kind: "k", At: t0},
			{Account: "a", Kind: "k", At: t0.Add(valuepath.Day), Attrs: map[string]string{"note": "a NUL \x00 byte"}},
			{Account: "a", Kind: "k", At: t0.Add(2 * valuepath.Day)},
		}))))
		require.NoError(t, src.SetEvents("b", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{{Account: "b", Kind: "k", At: t0}}))))
		_, err := p.Import(ctx, src, []Account{{ID: "a"}, {ID: "b"}}, []valuepath.Metric{"m"}, StorableRange)
		require.ErrorContains(t, err, `sqlprovider: import: events: 4 rows from account "a" events[0] to account "b" events[0]: `)
		assert.ErrorContains(t, err, "unsupported Unicode escape sequence")
		t.Log(err)
		as, err := p.Accounts(ctx)
		require.NoError(t, err)
		assert.Empty(t, as, "accounts written by the failed transaction")
	})
}
