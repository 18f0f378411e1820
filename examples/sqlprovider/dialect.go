package sqlprovider

import (
	"strconv"
	"strings"
)

// Dialect is the SQL spoken to one kind of database: its placeholders, its
// DDL and the small differences in its queries. Use [SQLite] or
// [PostgreSQL]; the zero Dialect is not valid.
type Dialect struct {
	name        string
	dollar      bool   // $1, $2, … placeholders instead of ?
	schema      string // DDL, every statement idempotent
	tableQuery  string // lists which of the schema's tables exist
	collate     string // makes ORDER BY on text bytewise, as Go compares strings
	attrsIn     string // the attrs value inserted for a text parameter ?
	attrsOut    string // the attrs column read back as text
	sqliteLocks bool   // report SQLITE_BUSY as ErrBusy
}

// SQLite is the dialect of SQLite through the pure-Go driver
// modernc.org/sqlite ("sqlite"). Its tables are STRICT, and the sample and
// event tables are WITHOUT ROWID so that a series or event query is one
// range scan of the primary key.
var SQLite = Dialect{
	name:        "sqlite",
	schema:      sqliteSchema,
	attrsIn:     "?",
	attrsOut:    "attrs",
	tableQuery:  `SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('accounts', 'metric_names', 'metric_samples', 'events')`,
	sqliteLocks: true,
}

// PostgreSQL is the dialect of PostgreSQL (10 or later) through any
// database/sql driver that accepts $n placeholders, such as
// github.com/jackc/pgx/v5/stdlib. Times are BIGINT, values DOUBLE
// PRECISION, event attributes JSONB.
var PostgreSQL = Dialect{
	name:       "postgres",
	dollar:     true,
	schema:     postgresSchema,
	tableQuery: `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('accounts', 'metric_names', 'metric_samples', 'events')`,
	// Account ids sort bytewise, as Go compares strings, whatever the
	// database's default collation.
	collate: ` COLLATE "C"`,
	// Attributes travel as text both ways, whatever a driver's JSONB
	// codec makes of a Go string.
	attrsIn:  "CAST(CAST(? AS TEXT) AS JSONB)",
	attrsOut: "CAST(attrs AS TEXT)",
}

// Name returns the dialect's name: "sqlite" or "postgres".
func (d Dialect) Name() string { return d.name }

// Schema returns the DDL that creates the tables the provider reads. Every
// statement is CREATE … IF NOT EXISTS, so applying it to a database that
// already has the schema changes nothing.
func (d Dialect) Schema() string { return d.schema }

func (d Dialect) valid() bool { return d.schema != "" }

// bind rewrites the ? placeholders of q for the dialect. The queries of this
// package hold no ? inside literals, so a plain scan is exact.
func (d Dialect) bind(q string) string {
	if !d.dollar {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// The statements the provider prepares, indexed by the q* constants.
const (
	qSeries = iota
	qEvents
	qKnown
	qAccountExists
	qAccount
	qAccounts
	qMetrics
	qUpsertAccount
	qDeclareMetric
	qDeleteSamples
	qDeleteEvents
	numQueries
)

// queries returns the dialect's statements, in q* order.
func (d Dialect) queries() [numQueries]string {
	q := [numQueries]string{
		qSeries: `SELECT at, value FROM metric_samples
WHERE account_id = ? AND metric = ? AND at >= ? AND at < ?
ORDER BY at`,
		qEvents: `SELECT at, kind, ` + d.attrsOut + ` FROM events
WHERE account_id = ? AND at >= ? AND at < ?
ORDER BY at, seq`,
		qKnown: `SELECT EXISTS (SELECT 1 FROM accounts WHERE id = ?),
       EXISTS (SELECT 1 FROM metric_names WHERE metric = ?)`,
		qAccountExists: `SELECT EXISTS (SELECT 1 FROM accounts WHERE id = ?)`,
		qAccount:       `SELECT id, name, segment, time_zone, start FROM accounts WHERE id = ?`,
		qAccounts:      `SELECT id, name, segment, time_zone, start FROM accounts ORDER BY id` + d.collate,
		qMetrics:       `SELECT metric FROM metric_names ORDER BY metric` + d.collate,
		qUpsertAccount: `INSERT INTO accounts (id, name, segment, time_zone, start) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, segment = excluded.segment,
  time_zone = excluded.time_zone, start = excluded.start`,
		qDeclareMetric: `INSERT INTO metric_names (metric) VALUES (?) ON CONFLICT (metric) DO NOTHING`,
		qDeleteSamples: `DELETE FROM metric_samples WHERE account_id = ? AND metric = ? AND at >= ? AND at < ?`,
		qDeleteEvents:  `DELETE FROM events WHERE account_id = ? AND at >= ? AND at < ?`,
	}
	for i := range q {
		q[i] = d.bind(q[i])
	}
	return q
}

// insertSamples returns the INSERT of rows metric samples in one statement,
// four parameters a row.
func (d Dialect) insertSamples(rows int) string {
	return d.insertValues(`INSERT INTO metric_samples (account_id, metric, at, value) VALUES `, `(?, ?, ?, ?)`, rows)
}

// insertEvents returns the INSERT of rows events in one statement, five
// parameters a row.
func (d Dialect) insertEvents(rows int) string {
	return d.insertValues(`INSERT INTO events (account_id, at, seq, kind, attrs) VALUES `, `(?, ?, ?, ?, `+d.attrsIn+`)`, rows)
}

// insertValues returns head followed by rows copies of row, comma-separated,
// with the dialect's placeholders.
func (d Dialect) insertValues(head, row string, rows int) string {
	var b strings.Builder
	b.Grow(len(head) + rows*(len(row)+2))
	b.WriteString(head)
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return d.bind(b.String())
}

// sqliteSchema is the SQLite DDL. Times are INTEGER Unix nanoseconds (UTC):
// exact, compact, compared as integers by the indexes, and the same in
// every dialect. NaN cannot be stored (SQLite turns it into NULL, which NOT
// NULL rejects) and the CHECK rejects ±Inf.
const sqliteSchema = `CREATE TABLE IF NOT EXISTS accounts (
  id        TEXT    NOT NULL PRIMARY KEY CHECK (id <> ''),
  name      TEXT    NOT NULL DEFAULT '',
  segment   TEXT    NOT NULL DEFAULT '',
  time_zone TEXT    NOT NULL DEFAULT '', -- IANA name, e.g. Europe/Berlin
  start     INTEGER                      -- contract start, Unix ns UTC; NULL if unknown
) STRICT;

CREATE TABLE IF NOT EXISTS metric_names (
  metric TEXT NOT NULL PRIMARY KEY CHECK (metric <> '')
) STRICT;

CREATE TABLE IF NOT EXISTS metric_samples (
  account_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  metric     TEXT    NOT NULL REFERENCES metric_names (metric),
  at         INTEGER NOT NULL, -- Unix ns UTC
  value      REAL    NOT NULL CHECK (value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308),
  PRIMARY KEY (account_id, metric, at)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS events (
  account_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  at         INTEGER NOT NULL, -- Unix ns UTC
  seq        INTEGER NOT NULL, -- keeps the order of events sharing a timestamp
  kind       TEXT    NOT NULL CHECK (kind <> ''),
  attrs      TEXT    CHECK (attrs IS NULL OR json_type(attrs) = 'object'), -- {"severity": "high"}
  PRIMARY KEY (account_id, at, seq)
) STRICT, WITHOUT ROWID;
`

// postgresSchema is the PostgreSQL DDL, the same tables with PostgreSQL
// types. Its primary keys are B-tree indexes serving the same range scans.
// DOUBLE PRECISION admits NaN and ±Infinity, which the CHECK rejects (NaN
// sorts above Infinity in PostgreSQL, so one comparison excludes both).
const postgresSchema = `CREATE TABLE IF NOT EXISTS accounts (
  id        TEXT   NOT NULL PRIMARY KEY CHECK (id <> ''),
  name      TEXT   NOT NULL DEFAULT '',
  segment   TEXT   NOT NULL DEFAULT '',
  time_zone TEXT   NOT NULL DEFAULT '', -- IANA name, e.g. Europe/Berlin
  start     BIGINT                      -- contract start, Unix ns UTC; NULL if unknown
);

CREATE TABLE IF NOT EXISTS metric_names (
  metric TEXT NOT NULL PRIMARY KEY CHECK (metric <> '')
);

CREATE TABLE IF NOT EXISTS metric_samples (
  account_id TEXT             NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  metric     TEXT             NOT NULL REFERENCES metric_names (metric),
  at         BIGINT           NOT NULL, -- Unix ns UTC
  value      DOUBLE PRECISION NOT NULL CHECK (value > '-Infinity' AND value < 'Infinity'),
  PRIMARY KEY (account_id, metric, at)
);

CREATE TABLE IF NOT EXISTS events (
  account_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  at         BIGINT  NOT NULL, -- Unix ns UTC
  seq        INTEGER NOT NULL, -- keeps the order of events sharing a timestamp
  kind       TEXT    NOT NULL CHECK (kind <> ''),
  attrs      JSONB   CHECK (attrs IS NULL OR jsonb_typeof(attrs) = 'object'), -- {"severity": "high"}
  PRIMARY KEY (account_id, at, seq)
);
`
