package sqlprovider

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// There is no PostgreSQL server here, so these tests pin the SQL text the
// PostgreSQL dialect sends: the same statements as SQLite's with $n
// placeholders, and DDL with PostgreSQL's types.

func TestPostgreSQLPlaceholders(t *testing.T) {
	pg, lite := PostgreSQL.queries(), SQLite.queries()
	dollar := regexp.MustCompile(`\$\d+`)
	for i := range pg {
		if strings.Contains(pg[i], "?") {
			t.Errorf("query %d keeps a ? placeholder: %s", i, pg[i])
		}
		// $1 … $n in order, one per ? of the SQLite text.
		got := dollar.FindAllString(pg[i], -1)
		var want []string
		for k := range strings.Count(lite[i], "?") {
			want = append(want, "$"+strconv.Itoa(k+1))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("query %d placeholders (-want +got):\n%s\n%s", i, diff, pg[i])
		}
		// Apart from placeholders, collation and JSONB casts the text is
		// the same.
		norm := strings.NewReplacer(` COLLATE "C"`, "", "CAST(CAST(? AS TEXT) AS JSONB)", "?", "CAST(attrs AS TEXT)", "attrs").
			Replace(dollar.ReplaceAllString(pg[i], "?"))
		if norm != lite[i] {
			t.Errorf("query %d differs beyond placeholders:\npostgres: %s\nsqlite:   %s", i, pg[i], lite[i])
		}
	}
	want := "SELECT at, value FROM metric_samples\nWHERE account_id = $1 AND metric = $2 AND at >= $3 AND at < $4\nORDER BY at"
	if pg[qSeries] != want {
		t.Errorf("series query:\n%s\nwant\n%s", pg[qSeries], want)
	}
	if want := "INSERT INTO events (account_id, at, seq, kind, attrs) VALUES ($1, $2, $3, $4, CAST(CAST($5 AS TEXT) AS JSONB))"; pg[qInsertEvent] != want {
		t.Errorf("event insert:\n%s\nwant\n%s", pg[qInsertEvent], want)
	}
	if !strings.HasSuffix(pg[qAccounts], `ORDER BY id COLLATE "C"`) {
		t.Errorf("accounts query does not sort bytewise: %s", pg[qAccounts])
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

func TestSQLiteSchemaIsIdempotent(t *testing.T) {
	f := loaded(t, testAccounts)
	p := openT(t, f.path, Options{})
	if _, err := p.db.Exec(SQLite.Schema()); err != nil {
		t.Fatalf("applying the schema again: %v", err)
	}
	as, err := p.Accounts(t.Context())
	if err != nil || len(as) != testAccounts {
		t.Errorf("after reapplying the schema: %d accounts, %v", len(as), err)
	}
}
