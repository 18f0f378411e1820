package sqlprovider

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/stretchr/testify/require"
)

// backend is a database the provider runs on. The tests that state the
// provider's contract run on every backend in backends, as subtests named
// after it.
type backend struct {
	name string
	// server says the backend needs the server of VALUEPATH_POSTGRES_DSN.
	server bool
	// create returns a Provider over a new database that holds the schema
	// and nothing else, removed when the test ends.
	create func(tb testing.TB) *Provider
	// loaded returns the demo base of n accounts and a Provider over a
	// database holding it, which the test only reads.
	loaded func(tb testing.TB, n int, opts Options) (*loadedDB, *Provider)
}

// backends are SQLite (a file in a temporary directory) and PostgreSQL (a
// schema of its own per test, in the database of VALUEPATH_POSTGRES_DSN).
var backends = []backend{
	{name: "sqlite", create: createSQLite, loaded: loadedSQLite},
	{name: "postgres", server: true, create: createPostgres, loaded: loadedPostgres},
}

// forEachBackend runs test once per backend, as a subtest. Without a
// server, the PostgreSQL subtest is skipped, or fails in CI (postgresDSN).
func forEachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.server {
				postgresDSN(t)
			}
			test(t, b)
		})
	}
}

// smallAccounts is the size of the demo base loaded by the tests that need
// a few accounts with data rather than the whole testAccounts: loading is
// most of what a PostgreSQL test costs.
const smallAccounts = 8

// postgresEnv names the variable holding the PostgreSQL tests' server.
const postgresEnv = "VALUEPATH_POSTGRES_DSN"

// postgresDSN returns the data source name of the PostgreSQL server the
// tests use, from VALUEPATH_POSTGRES_DSN. Without it the test is skipped,
// except in CI (CI set to anything), where a skipped PostgreSQL test would
// hide that the server is missing: there it fails.
func postgresDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(postgresEnv)
	switch {
	case dsn != "":
		return dsn
	case os.Getenv("CI") != "":
		tb.Fatal(postgresEnv + " not set, and CI is: the PostgreSQL tests must run in CI (wrap the command in .ci/with-postgres)")
	default:
		tb.Skip(postgresEnv + " not set; .ci/with-postgres starts a server")
	}
	return ""
}

func createSQLite(tb testing.TB) *Provider {
	tb.Helper()
	p, err := Create(context.Background(), filepath.Join(tb.TempDir(), "x.db"), Options{})
	require.NoError(tb, err)
	tb.Cleanup(func() { require.NoError(tb, p.Close()) })
	return p
}

func loadedSQLite(tb testing.TB, n int, opts Options) (*loadedDB, *Provider) {
	tb.Helper()
	f := loaded(tb, n)
	return f, openT(tb, f.path, opts)
}

// createPostgres makes a schema of its own for the test, applies
// PostgreSQL.Schema() in it and returns a Provider over a pool whose
// connections use it (search_path). The schema is dropped when the test
// ends.
func createPostgres(tb testing.TB) *Provider {
	tb.Helper()
	return newPostgres(tb, Options{})
}

func newPostgres(tb testing.TB, opts Options) *Provider {
	tb.Helper()
	ctx := context.Background()
	dsn := postgresDSN(tb)
	admin, err := sql.Open("pgx", dsn)
	require.NoError(tb, err)
	tb.Cleanup(func() { admin.Close() })
	schema := "valuepath_test_" + strings.ToLower(rand.Text())
	_, err = admin.ExecContext(ctx, "CREATE SCHEMA "+schema)
	require.NoError(tb, err, "create a schema for the test")
	tb.Cleanup(func() {
		_, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		require.NoError(tb, err, "drop the test's schema")
	})

	db, err := sql.Open("pgx", withSearchPath(tb, dsn, schema))
	require.NoError(tb, err)
	if opts.MaxOpenConns > 0 {
		db.SetMaxOpenConns(opts.MaxOpenConns)
	}
	tb.Cleanup(func() { require.NoError(tb, db.Close()) })
	_, err = db.ExecContext(ctx, PostgreSQL.Schema())
	require.NoError(tb, err, "apply the schema")
	p, err := New(ctx, db, PostgreSQL)
	require.NoError(tb, err)
	tb.Cleanup(func() { require.NoError(tb, p.Close()) })
	return p
}

// withSearchPath returns dsn, a URL or a keyword/value string, with the
// run-time parameter search_path set to schema.
func withSearchPath(tb testing.TB, dsn, schema string) string {
	tb.Helper()
	if !strings.Contains(dsn, "://") {
		return dsn + " search_path=" + schema
	}
	u, err := url.Parse(dsn)
	require.NoError(tb, err, "%s is not a URL", postgresEnv)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// loadedPostgres loads the demo base of n accounts into a new schema.
func loadedPostgres(tb testing.TB, n int, opts Options) (*loadedDB, *Provider) {
	tb.Helper()
	p := newPostgres(tb, opts)
	base := demoBase(tb, n)
	start := time.Now()
	st, err := LoadDemo(context.Background(), p, base)
	require.NoError(tb, err)
	return &loadedDB{base: base, stats: st, took: time.Since(start)}, p
}
