package main

import (
	"fmt"
	"strings"
)

// dialect holds what differs between DuckDB's and PostgreSQL's SQL here:
// integer division.
type dialect struct {
	name string
	div  string // integer division operator
}

var (
	duckDialect = dialect{name: "duckdb", div: "//"}
	pgDialect   = dialect{name: "postgres", div: "/"}
)

// createSQL creates the three tables. The CHECK constraints are the
// databases' share of the validation; they run at load time, which is not
// timed.
const createSQL = `CREATE TABLE health (account TEXT NOT NULL, %s);
CREATE TABLE auc (score FLOAT8 NOT NULL, churned BOOLEAN NOT NULL);
CREATE TABLE events (
  account TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('start', 'change', 'cancel', 'reactivate')),
  effective_at TIMESTAMP NOT NULL,
  amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
  interval_months INTEGER NOT NULL CHECK (interval_months BETWEEN 1 AND 120)
)`

func createTables() []string {
	cols := make([]string, healthMeasures)
	for j := range cols {
		cols[j] = fmt.Sprintf("m%d FLOAT8", j)
	}
	return strings.Split(fmt.Sprintf(createSQL, strings.Join(cols, ", ")), ";\n")
}

// healthSQL scores every account as healthSpec does and returns, per band
// ('absent' for an account without any measure), the accounts and the sum
// of their scores. The sums are in the hand-written loop's order, so the
// arithmetic matches it term by term.
func healthSQL() string {
	var b strings.Builder
	b.WriteString("WITH s AS (\n  SELECT")
	for j := range healthMeasures {
		m := fmt.Sprintf("m%d", j)
		sep := ","
		if j == healthMeasures-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "\n    CASE WHEN %[1]s IS NULL THEN NULL WHEN %[1]s <= 0 THEN 0 WHEN %[1]s <= 50 THEN %[1]s / 50 * 60"+
			" WHEN %[1]s <= 100 THEN 60 + (%[1]s - 50) / 50 * 40 ELSE 100 END::float8 AS s%[2]d%[3]s", m, j, sep)
	}
	b.WriteString("\n  FROM health\n), g AS (\n  SELECT")
	for g := range 3 {
		var num, den []string
		for k := range 4 {
			j := g*4 + k
			num = append(num, fmt.Sprintf("COALESCE(%d * s%d, 0)", k+1, j))
			den = append(den, fmt.Sprintf("CASE WHEN s%d IS NULL THEN 0 ELSE %d END", j, k+1))
		}
		sep := ","
		if g == 2 {
			sep = ""
		}
		fmt.Fprintf(&b, "\n    (%s) / NULLIF(%s, 0) AS g%d%s", strings.Join(num, " + "), strings.Join(den, " + "), g, sep)
	}
	b.WriteString("\n  FROM s\n), t AS (\n  SELECT ")
	var num, den []string
	for g, w := range healthGroupWeights {
		num = append(num, fmt.Sprintf("COALESCE(%g::float8 * g%d, 0)", w, g))
		den = append(den, fmt.Sprintf("CASE WHEN g%d IS NULL THEN 0 ELSE %g::float8 END", g, w))
	}
	fmt.Fprintf(&b, "(%s)\n    / NULLIF(%s, 0) AS score\n  FROM g\n)\n", strings.Join(num, " + "), strings.Join(den, " + "))
	b.WriteString(`SELECT CASE WHEN score IS NULL THEN 'absent' WHEN score < 50 THEN 'red' WHEN score < 75 THEN 'yellow' ELSE 'green' END AS band,
  count(*), COALESCE(sum(score), 0)
FROM t GROUP BY 1`)
	return b.String()
}

// aucSQL is the Mann-Whitney statistic: average ranks of tied scores, the
// rank sum of the retained accounts.
const aucSQL = `WITH r AS (
  SELECT churned,
    rank() OVER (ORDER BY score)::float8 + (count(*) OVER (PARTITION BY score) - 1)::float8 / 2 AS rk
  FROM auc
), n AS (
  SELECT (count(*) FILTER (WHERE NOT churned))::float8 AS nr, (count(*) FILTER (WHERE churned))::float8 AS nc FROM auc
)
SELECT (sum(rk) FILTER (WHERE NOT churned) - nr * (nr + 1) / 2) / (nr * nc)
FROM r, n GROUP BY nr, nc`

// bridgeSQL normalises every event to the account's MRR after it (0 after
// a cancel; the amount over the interval otherwise, exact because the
// generated amounts are whole multiples of the interval), pairs it with
// the MRR before it, classifies the change and sums the movements by
// month, with the closing MRR as the running total of the net changes.
func bridgeSQL(d dialect) string {
	return strings.ReplaceAll(`WITH e AS (
  SELECT account, effective_at,
    CASE WHEN kind = 'cancel' THEN 0 ELSE amount_cents DIV interval_months END AS mrr,
    row_number() OVER w AS rn,
    COALESCE(lag(CASE WHEN kind = 'cancel' THEN 0 ELSE amount_cents DIV interval_months END) OVER w, 0) AS before
  FROM events
  WINDOW w AS (PARTITION BY account ORDER BY effective_at)
), m AS (
  SELECT date_trunc('month', effective_at) AS month,
    sum(CASE WHEN before = 0 AND mrr > 0 AND rn = 1 THEN mrr ELSE 0 END)::bigint AS new,
    sum(CASE WHEN before > 0 AND mrr > before THEN mrr - before ELSE 0 END)::bigint AS expansion,
    sum(CASE WHEN before = 0 AND mrr > 0 AND rn > 1 THEN mrr ELSE 0 END)::bigint AS reactivation,
    sum(CASE WHEN mrr > 0 AND mrr < before THEN before - mrr ELSE 0 END)::bigint AS contraction,
    sum(CASE WHEN mrr = 0 AND before > 0 THEN before ELSE 0 END)::bigint AS churn,
    sum(mrr - before)::bigint AS net
  FROM e GROUP BY 1
)
SELECT month, new, expansion, reactivation, contraction, churn, (sum(net) OVER (ORDER BY month))::bigint AS closing
FROM m ORDER BY month`, " DIV ", " "+d.div+" ")
}
