package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/stdlib"
)

// dbContender is a database with the three tables loaded (or, for
// duckdb-csv, views over the CSV files), on one connection.
type dbContender struct {
	db      *sql.DB
	conn    *sql.Conn
	dialect dialect
	pg      bool
}

// openContender opens driver at dsn on one connection.
func openContender(ctx context.Context, driver, dsn string, d dialect) (*dbContender, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &dbContender{db: db, conn: conn, dialect: d}, nil
}

// execAll runs the statements in order, closing c at the first that fails.
func (c *dbContender) execAll(ctx context.Context, stmts []string) error {
	for _, q := range stmts {
		if _, err := c.conn.ExecContext(ctx, q); err != nil {
			c.Close()
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

func (c *dbContender) Close() {
	c.conn.Close()
	c.db.Close()
}

// openDuckDB opens an in-memory DuckDB. With csv, the tables are views
// that read the CSV files on every query; otherwise the CSV files are
// loaded into tables first (not timed).
func openDuckDB(ctx context.Context, dir string, csv bool) (*dbContender, error) {
	c, err := openContender(ctx, "duckdb", "", duckDialect)
	if err != nil {
		return nil, err
	}
	if csv {
		cols := []string{"'account': 'VARCHAR'"}
		for j := range healthMeasures {
			cols = append(cols, fmt.Sprintf("'m%d': 'DOUBLE'", j))
		}
		views := []string{
			fmt.Sprintf("CREATE VIEW health AS SELECT * FROM read_csv(%s, header = true, columns = {%s})", quote(filepath.Join(dir, "health.csv")), strings.Join(cols, ", ")),
			fmt.Sprintf("CREATE VIEW auc AS SELECT * FROM read_csv(%s, header = true, columns = {'score': 'DOUBLE', 'churned': 'BOOLEAN'})", quote(filepath.Join(dir, "auc.csv"))),
			fmt.Sprintf("CREATE VIEW events AS SELECT * FROM read_csv(%s, header = true, columns = {'account': 'VARCHAR', 'kind': 'VARCHAR', 'effective_at': 'TIMESTAMP', 'amount_cents': 'BIGINT', 'interval_months': 'INTEGER'})", quote(filepath.Join(dir, "events.csv"))),
		}
		if err := c.execAll(ctx, views); err != nil {
			return nil, err
		}
		return c, nil
	}
	if err := c.execAll(ctx, createTables()); err != nil {
		return nil, err
	}
	for _, t := range []string{"health", "auc", "events"} {
		file := t + ".csv"
		if _, err := c.conn.ExecContext(ctx, fmt.Sprintf("COPY %s FROM %s (HEADER)", t, quote(filepath.Join(dir, file)))); err != nil {
			c.Close()
			return nil, fmt.Errorf("load %s: %w", file, err)
		}
	}
	return c, nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// openPostgres connects to VALUEPATH_POSTGRES_DSN, creates the tables
// afresh and loads the CSV files with COPY, then ANALYZE (not timed). The
// session gets work_mem = 256MB, so that the sorts of the window functions
// stay in memory as DuckDB's do; everything else is the server's default.
func openPostgres(ctx context.Context, dir string) (*dbContender, error) {
	dsn := os.Getenv("VALUEPATH_POSTGRES_DSN")
	if dsn == "" {
		return nil, errors.New("VALUEPATH_POSTGRES_DSN is not set (run under .ci/with-postgres, as bench/run does)")
	}
	c, err := openContender(ctx, "pgx", dsn, pgDialect)
	if err != nil {
		return nil, err
	}
	c.pg = true
	if err := c.execAll(ctx, append([]string{"DROP TABLE IF EXISTS health, auc, events", "SET work_mem = '256MB'"}, createTables()...)); err != nil {
		return nil, err
	}
	for _, t := range []string{"health", "auc", "events"} {
		f, err := os.Open(filepath.Join(dir, t+".csv"))
		if err != nil {
			c.Close()
			return nil, err
		}
		err = c.conn.Raw(func(dc any) error {
			_, err := dc.(*stdlib.Conn).Conn().PgConn().CopyFrom(ctx, f, "COPY "+t+" FROM STDIN WITH (FORMAT csv, HEADER true)")
			return err
		})
		f.Close()
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("load %s.csv: %w", t, err)
		}
	}
	if _, err := c.conn.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// backendPeakKB is the peak RSS (VmHWM) of the PostgreSQL backend serving
// the connection, read from /proc: the server runs on this machine. The
// parallel workers it may start are other processes and not included.
func (c *dbContender) backendPeakKB(ctx context.Context) int64 {
	var pid int
	if err := c.conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}

func (c *dbContender) health(ctx context.Context) (healthAnswer, error) {
	var a healthAnswer
	rows, err := c.conn.QueryContext(ctx, healthSQL())
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var band string
		var n int64
		var sum float64
		if err := rows.Scan(&band, &n, &sum); err != nil {
			return a, err
		}
		switch band {
		case "absent":
			a.Absent += int(n)
		case "red":
			a.Red += int(n)
		case "yellow":
			a.Yellow += int(n)
		case "green":
			a.Green += int(n)
		}
		a.ScoreSum += sum
	}
	return a, rows.Err()
}

func (c *dbContender) auc(ctx context.Context) (aucAnswer, error) {
	var a aucAnswer
	err := c.conn.QueryRowContext(ctx, aucSQL).Scan(&a.AUC)
	return a, err
}

func (c *dbContender) bridge(ctx context.Context, months int) (bridgeAnswer, error) {
	a := bridgeAnswer{Months: make([]bridgeMonth, months)}
	rows, err := c.conn.QueryContext(ctx, bridgeSQL(c.dialect))
	if err != nil {
		return a, err
	}
	defer rows.Close()
	var closing int64
	last := -1
	for rows.Next() {
		var month time.Time
		var m bridgeMonth
		if err := rows.Scan(&month, &m.New, &m.Expansion, &m.Reactivation, &m.Contraction, &m.Churn, &m.Closing); err != nil {
			return a, err
		}
		i := (month.Year()-revStart.Year())*12 + int(month.Month()) - 1
		if i < 0 || i >= months {
			return a, fmt.Errorf("a movement in %s, outside the bridge", month.Format("2006-01"))
		}
		for k := last + 1; k < i; k++ { // months without movement
			a.Months[k].Closing = closing
		}
		a.Months[i], closing, last = m, m.Closing, i
	}
	for k := last + 1; k < months; k++ {
		a.Months[k].Closing = closing
	}
	return a, rows.Err()
}
