package sqlprovider

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests pin the SQL text the PostgreSQL dialect sends: the same
// statements as SQLite's with $n placeholders, and DDL with PostgreSQL's
// types. They need no server; the tests run on every backend (see
// backends_test.go) check the same statements against a real one.

func TestPostgreSQLPlaceholders(t *testing.T) {
	pg, lite := PostgreSQL.queries(), SQLite.queries()
	dollar := regexp.MustCompile(`\$\d+`)
	for i := range pg {
		assert.NotContains(t, pg[i], "?", "query %d keeps a ? placeholder", i)
		// $1 … $n in order, one per ? of the SQLite text.
		got := dollar.FindAllString(pg[i], -1)
		if diff := cmp.Diff(dollars(strings.Count(lite[i], "?")), got); diff != "" {
			t.Errorf("query %d placeholders (-want +got):\n%s\n%s", i, diff, pg[i])
		}
		// Apart from placeholders, collation and JSONB casts the text is
		// the same.
		norm := strings.NewReplacer(` COLLATE "C"`, "", "CAST(attrs AS TEXT)", "attrs").
			Replace(dollar.ReplaceAllString(pg[i], "?"))
		assert.Equal(t, lite[i], norm, "query %d differs beyond placeholders", i)
	}
	assert.Equal(t, "SELECT at, value FROM metric_samples\nWHERE account_id = $1 AND metric = $2 AND at >= $3 AND at < $4\nORDER BY at", pg[qSeries])
	assert.Equal(t, "SELECT at, kind, CAST(attrs AS TEXT) FROM events\nWHERE account_id = $1 AND at >= $2 AND at < $3\nORDER BY at, seq", pg[qEvents])
	assert.True(t, strings.HasSuffix(pg[qAccounts], `ORDER BY id COLLATE "C"`), "accounts query does not sort bytewise: %s", pg[qAccounts])
}

// dollars returns $1 … $n.
func dollars(n int) []string {
	var out []string
	for k := range n {
		out = append(out, "$"+strconv.Itoa(k+1))
	}
	return out
}

// TestMultiRowInserts pins the INSERTs that load rows: one statement of
// many rows, its parameters numbered in order on PostgreSQL, and never more
// parameters than either database accepts.
func TestMultiRowInserts(t *testing.T) {
	assert.Equal(t, "INSERT INTO events (account_id, at, seq, kind, attrs) VALUES ($1, $2, $3, $4, CAST(CAST($5 AS TEXT) AS JSONB)), ($6, $7, $8, $9, CAST(CAST($10 AS TEXT) AS JSONB))",
		PostgreSQL.insertEvents(2))
	assert.Equal(t, "INSERT INTO metric_samples (account_id, metric, at, value) VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)",
		SQLite.insertSamples(3))
	assert.Equal(t, "INSERT INTO events (account_id, at, seq, kind, attrs) VALUES (?, ?, ?, ?, ?)", SQLite.insertEvents(1))

	const (
		postgresMaxParams = 65535
		sqliteMaxParams   = 32766 // SQLITE_MAX_VARIABLE_NUMBER since 3.32
	)
	dollar := regexp.MustCompile(`\$\d+`)
	for _, c := range []struct {
		name       string
		pg, sqlite string
		cols       int
	}{
		{"samples", PostgreSQL.insertSamples(insertRows), SQLite.insertSamples(insertRows), 4},
		{"events", PostgreSQL.insertEvents(insertRows), SQLite.insertEvents(insertRows), 5},
	} {
		n := insertRows * c.cols
		assert.Equal(t, n, strings.Count(c.sqlite, "?"), c.name)
		assert.LessOrEqual(t, n, sqliteMaxParams, c.name)
		assert.LessOrEqual(t, n, postgresMaxParams, c.name)
		if diff := cmp.Diff(dollars(n), dollar.FindAllString(c.pg, -1)); diff != "" {
			t.Errorf("%s: PostgreSQL placeholders (-want +got):\n%s", c.name, diff)
		}
		assert.Equal(t, insertRows, strings.Count(c.sqlite, "), (")+1, c.name)
	}
}

func TestPostgreSQLSchema(t *testing.T) {
	ddl := PostgreSQL.Schema()
	for _, s := range []string{
		"start     BIGINT",
		"at         BIGINT           NOT NULL",
		"value      DOUBLE PRECISION NOT NULL CHECK (value > '-Infinity' AND value < 'Infinity')",
		"attrs      JSONB   CHECK (attrs IS NULL OR jsonb_typeof(attrs) = 'object')",
		"PRIMARY KEY (account_id, metric, at)",
		"PRIMARY KEY (account_id, at, seq)",
	} {
		if !strings.Contains(ddl, s) {
			t.Errorf("PostgreSQL schema lacks %q", s)
		}
	}
	for _, s := range []string{"STRICT", "WITHOUT ROWID", "INTEGER NOT NULL, -- Unix", " REAL ", "json_type("} {
		if strings.Contains(ddl, s) {
			t.Errorf("PostgreSQL schema contains SQLite's %q", s)
		}
	}
	if got := strings.Count(ddl, "CREATE TABLE IF NOT EXISTS"); got != 4 {
		t.Errorf("PostgreSQL schema creates %d tables, want 4", got)
	}
	if PostgreSQL.Name() != "postgres" || SQLite.Name() != "sqlite" {
		t.Errorf("names %q, %q", PostgreSQL.Name(), SQLite.Name())
	}
}

// TestSchemaIsIdempotent applies the dialect's schema to a database that
// holds it and data: nothing changes.
func TestSchemaIsIdempotent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		_, p := b.loaded(t, smallAccounts, Options{})
		_, err := p.db.Exec(p.Dialect().Schema())
		require.NoError(t, err, "applying the schema again")
		as, err := p.Accounts(t.Context())
		require.NoError(t, err)
		assert.Len(t, as, smallAccounts, "accounts after reapplying the schema")
	})
}
