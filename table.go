package valuepath

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/valuepath/valuepath/internal/short"
)

// Table is tabular data on a [Schema]: one row per account and one column
// per metric, every value as of one time — what a warehouse query or a CSV
// export gives. It is the route from such data to snapshots without a
// [Provider]: there are no time-stamped samples to invent and no
// derivations to declare, because each column already is the metric.
//
// Build a Table once with [NewTable], which validates everything and
// reports each problem by column and row, then range over
// [Table.Snapshots]. A *Table is immutable and safe for concurrent use; the
// zero value is an empty table with no schema.
type Table struct {
	schema   *Schema
	accounts []AccountID
	values   []float64 // row-major, NaN for missing
	asOf     time.Time
}

// maxValueProblems bounds the bad values reported per column, so that a
// column of a million infinities gives a short error.
const maxValueProblems = 5

// NewTable returns a table of the given accounts (the rows) and columns,
// keyed by metric, as of asOf. Every metric of schema needs a column and
// every column a metric of schema (else an error wrapping
// [ErrUnknownMetric]); every column holds one value per account, in the
// order of accounts. A NaN value means missing — the account has no value
// of that metric, which is not zero — and an infinite value is an error
// wrapping [ErrNotFinite] that names the column, the row and the account.
// Account ids must be non-empty and unique. Every problem is reported, each
// as a *[FieldError] ("columns[\"logins\"][17]"), joined. accounts and
// columns are copied, not kept or modified.
func NewTable(schema *Schema, accounts []AccountID, columns map[Metric][]float64, asOf time.Time) (*Table, error) {
	if schema == nil {
		return nil, &FieldError{Pkg: "valuepath", Path: "schema", Err: fmt.Errorf("%w: must not be nil", ErrInvalid)}
	}
	var p problems
	checkAccounts(&p, accounts)
	names := make([]Metric, 0, len(columns))
	for m := range columns {
		names = append(names, m)
	}
	slices.Sort(names)
	for _, m := range names {
		if _, ok := schema.Index(m); !ok {
			p.add(columnPath(m), fmt.Errorf("%w: the schema has no metric %q", ErrUnknownMetric, m))
		}
	}
	n := schema.Len()
	t := &Table{schema: schema, accounts: slices.Clone(accounts), values: make([]float64, len(accounts)*n), asOf: asOf}
	for j, m := range schema.names {
		col, ok := columns[m]
		switch {
		case !ok:
			p.add(columnPath(m), fmt.Errorf("%w: no column for the schema's metric %q (give one of NaN if no account has it)", ErrInvalid, m))
			continue
		case len(col) != len(accounts):
			p.add(columnPath(m), fmt.Errorf("%w: %d rows, want one per account (%d)", ErrInvalid, len(col), len(accounts)))
			continue
		}
		bad := 0
		for i, v := range col {
			if math.IsInf(v, 0) {
				if bad < maxValueProblems {
					p.add(columnPath(m)+"["+strconv.Itoa(i)+"]", fmt.Errorf("%w: %v (account %s); use NaN for a missing value", ErrNotFinite, v, short.Quote(string(accounts[i]))))
				}
				bad++
			}
			t.values[i*n+j] = v
		}
		if bad > maxValueProblems {
			p.add(columnPath(m), fmt.Errorf("%w: %d more infinite values", ErrNotFinite, bad-maxValueProblems))
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return t, nil
}

func columnPath(m Metric) string { return "columns[" + strconv.Quote(string(m)) + "]" }

// checkAccounts reports empty and duplicate account ids.
func checkAccounts(p *problems, accounts []AccountID) {
	seen := make(map[AccountID]int, len(accounts))
	for i, a := range accounts {
		path := "accounts[" + strconv.Itoa(i) + "]"
		if a == "" {
			p.add(path, fmt.Errorf("%w: must not be empty", ErrInvalid))
			continue
		}
		if j, dup := seen[a]; dup {
			p.add(path, fmt.Errorf("%w account %s (also accounts[%d])", ErrDuplicate, short.Quote(string(a)), j))
			continue
		}
		seen[a] = i
	}
}

// Schema returns the table's schema.
func (t *Table) Schema() *Schema { return t.schema }

// Len returns the number of rows (accounts).
func (t *Table) Len() int { return len(t.accounts) }

// AsOf returns the time the table's values are as of.
func (t *Table) AsOf() time.Time { return t.asOf }

// Account returns the account of row i. It panics if i is out of range,
// like a slice index.
func (t *Table) Account(i int) AccountID { return t.accounts[i] }

// SnapshotInto fills dst with row i: its account, the table's time and the
// row's values, missing where the table holds NaN. dst must be on the
// table's schema (make it with [Table.NewSnapshot]); otherwise an error
// wrapping [ErrInvalid] is returned and dst is unchanged. It does not
// allocate.
func (t *Table) SnapshotInto(i int, dst *Snapshot) error {
	if dst == nil || dst.schema != t.schema {
		return fmt.Errorf("valuepath: table: %w: the snapshot is not on the table's schema", ErrInvalid)
	}
	if i < 0 || i >= len(t.accounts) {
		return fmt.Errorf("valuepath: table: %w: row %d of %d", ErrInvalid, i, len(t.accounts))
	}
	n := t.schema.Len()
	dst.Account, dst.AsOf = t.accounts[i], t.asOf
	for j, v := range t.values[i*n : (i+1)*n] {
		if math.IsNaN(v) {
			dst.values[j], dst.present[j] = 0, false
		} else {
			dst.values[j], dst.present[j] = v, true
		}
	}
	return nil
}

// NewSnapshot returns an empty snapshot on the table's schema, for
// [Table.SnapshotInto].
func (t *Table) NewSnapshot() *Snapshot { return NewSnapshot(t.schema, "", t.asOf) }

// Snapshots yields a snapshot of every row, in row order. The yielded
// *Snapshot is reused: it is valid until the loop body returns; call
// [Snapshot.Clone] to keep it. Memory stays constant however many rows
// there are, and nothing is allocated per row.
func (t *Table) Snapshots() iter.Seq[*Snapshot] {
	return func(yield func(*Snapshot) bool) {
		if t.schema == nil {
			return
		}
		s := t.NewSnapshot()
		for i := range t.accounts {
			_ = t.SnapshotInto(i, s) // s is on the schema and i in range
			if !yield(s) {
				return
			}
		}
	}
}

// SetValues sets every metric of the snapshot from values, one per metric
// in schema order: the route from one row of tabular data, read as a stream,
// to a snapshot. A NaN value makes its metric missing. It fails, leaving
// the snapshot unchanged, if values has the wrong length or holds an
// infinite value; the error names the metric. It does not allocate.
func (s *Snapshot) SetValues(values []float64) error {
	if len(values) != len(s.values) {
		return fmt.Errorf("valuepath: snapshot: %w: %d values for a schema of %d metrics", ErrInvalid, len(values), len(s.values))
	}
	for j, v := range values {
		if math.IsInf(v, 0) {
			return fmt.Errorf("valuepath: metric %q: %w: %v; use NaN for a missing value", s.schema.names[j], ErrNotFinite, v)
		}
	}
	for j, v := range values {
		if math.IsNaN(v) {
			s.values[j], s.present[j] = 0, false
		} else {
			s.values[j], s.present[j] = v, true
		}
	}
	return nil
}
