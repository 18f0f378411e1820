package health

import (
	"fmt"
	"strconv"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
)

// Columns is a block of accounts held as columns, as a Parquet or Arrow
// reader or a columnar query hands them over: one []float64 per metric of
// Schema, every column one value per account (row), NaN where the account
// has no value. [Scorecard.SummarizeColumns] scores it without building a
// snapshot per account. Columns only refers to the caller's slices: nothing
// is copied or modified.
type Columns struct {
	// Schema names the columns: Values[j] holds metric Schema.Metric(j).
	Schema *valuepath.Schema
	// Values holds one column per metric of Schema, in the schema's order.
	// A column the scorecard does not read may be nil; every other column
	// must have one value per row. NaN is missing; an infinite value fails
	// its row.
	Values [][]float64
	// Accounts names the rows, one per row. It may be nil: the summaries
	// then have no Account, and the row count is the length of the
	// columns.
	Accounts []valuepath.AccountID
	// AsOf is the time every value is as of; it is copied to every
	// summary.
	AsOf time.Time
}

// Set puts column values of metric m in its place, by name, making Values
// as long as the schema on first use. It fails, changing nothing, when the
// schema has no metric m (an error wrapping [valuepath.ErrUnknownMetric]) or
// no schema is set.
func (c *Columns) Set(m valuepath.Metric, values []float64) error {
	if c.Schema == nil {
		return &valuepath.FieldError{Pkg: "health", Path: "schema", Err: fmt.Errorf("%w: nil schema", valuepath.ErrInvalid)}
	}
	j, ok := c.Schema.Index(m)
	if !ok {
		return &valuepath.FieldError{Pkg: "health", Path: colPath(m), Err: fmt.Errorf("%w %q", valuepath.ErrUnknownMetric, m)}
	}
	if len(c.Values) < c.Schema.Len() {
		c.Values = append(c.Values, make([][]float64, c.Schema.Len()-len(c.Values))...)
	}
	c.Values[j] = values
	return nil
}

func colPath(m valuepath.Metric) string { return "values[" + strconv.Quote(string(m)) + "]" }

// SummarizeColumns scores every row of cols into dst[i], as
// [Scorecard.SummarizeAll] would score a snapshot holding row i's values
// (with Account cols.Accounts[i] and AsOf cols.AsOf): the same Present,
// Reason, Value, Band, DataBand, Coverage and Rules. It is the fastest way
// to score a base held as columns: the columns are bound to the scorecard
// once per call and nothing is allocated per account.
//
// dst must hold at least one summary per row; SummarizeColumns fills
// dst[:rows] and leaves the rest alone. A block that cannot be scored at all
// (a schema lacking a metric the scorecard reads, a column of the wrong
// length, dst too short) fails before anything is written, with a
// *[valuepath.FieldError] naming the column. An infinite value fails only
// its row: that summary is not Present and says why, and the returned error
// joins an *[valuepath.AccountError] per such row (the first ten; then a
// count), each naming the column and row ("values[\"logins\"][17]").
//
// opt.Concurrency sets how many goroutines score: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 scores on the caller's goroutine. Each
// goroutine scores one contiguous range of rows.
func (sc *Scorecard) SummarizeColumns(cols Columns, dst []Summary, opt valuepath.BatchOptions) error {
	cb, rows, err := sc.bindColumns(&cols, len(dst))
	if err != nil {
		return err
	}
	dst = dst[:rows]
	return batch.Each(batch.Workers(opt.Concurrency), rows, batch.MinPerWorker, func() func(lo, hi int, fail func(int, error)) {
		z := sc.newSummarizer()
		return func(lo, hi int, fail func(int, error)) {
			for i := lo; i < hi; i++ {
				if e := z.summarizeRow(cb, i, &dst[i]); e != nil {
					fail(i, e)
				}
			}
		}
	}, func(_ int, e error) error { return e }, func(k int) error {
		return fmt.Errorf("health: and %d more rows with values that are not finite", k)
	})
}

// columnBinding is a block's columns in the order the scorecard reads them.
type columnBinding struct {
	cols      *Columns
	measures  [][]float64 // per measure
	names     []valuepath.Metric
	rules     [][]float64 // per rule
	ruleNames []valuepath.Metric
}

func (sc *Scorecard) bindColumns(cols *Columns, room int) (*columnBinding, int, error) {
	b := sc.bind(cols.Schema)
	if b.err != nil {
		return nil, 0, b.err
	}
	if len(cols.Values) != cols.Schema.Len() {
		return nil, 0, &valuepath.FieldError{Pkg: "health", Path: "values", Err: fmt.Errorf("%w: %d columns for a schema of %d metrics", valuepath.ErrInvalid, len(cols.Values), cols.Schema.Len())}
	}
	cb := &columnBinding{cols: cols, measures: make([][]float64, len(sc.measures)), names: make([]valuepath.Metric, len(sc.measures)), rules: make([][]float64, len(sc.rules)), ruleNames: make([]valuepath.Metric, len(sc.rules))}
	rows := -1
	if cols.Accounts != nil {
		rows = len(cols.Accounts)
	}
	check := func(pos int) ([]float64, error) {
		c := cols.Values[pos]
		if rows < 0 {
			rows = len(c)
		}
		if len(c) != rows {
			return nil, &valuepath.FieldError{Pkg: "health", Path: colPath(cols.Schema.Metric(pos)), Err: fmt.Errorf("%w: %d values for %d rows", valuepath.ErrInvalid, len(c), rows)}
		}
		return c, nil
	}
	var err error
	for i, pos := range b.measures {
		if cb.measures[i], err = check(pos); err != nil {
			return nil, 0, err
		}
		cb.names[i] = cols.Schema.Metric(pos)
	}
	for i, pos := range b.rules {
		if cb.rules[i], err = check(pos); err != nil {
			return nil, 0, err
		}
		cb.ruleNames[i] = cols.Schema.Metric(pos)
	}
	rows = max(rows, 0)
	if room < rows {
		return nil, 0, &valuepath.FieldError{Pkg: "health", Path: "dst", Err: fmt.Errorf("%w: room for %d summaries, %d rows", valuepath.ErrInvalid, room, rows)}
	}
	return cb, rows, nil
}

// summarizeRow is summarizeInto for row i of a block of columns: the same
// computation, reading cb's columns instead of a snapshot.
func (z *summarizer) summarizeRow(cb *columnBinding, row int, out *Summary) error {
	sc := z.sc
	*out = Summary{AsOf: cb.cols.AsOf, Coverage: MeasureCoverage{Measures: len(sc.measures)}}
	if cb.cols.Accounts != nil {
		out.Account = cb.cols.Accounts[row]
	}
	sums, ws := z.sums[:len(sc.groups)], z.ws[:len(sc.groups)]
	clear(sums)
	clear(ws)
	present, covered := 0, 0.0
	hot := sc.hot
	mcols := cb.measures[:len(hot)]
	for i := range hot {
		m := &hot[i]
		{
			v := mcols[i][row]
			if v-v != 0 {
				if v == v {
					return z.badCell(cb.measures[i], cb.names[i], row, out)
				}
				goto missing
			}
			var score float64
			if m.inline {
				score = m.inlineScore(v)
			} else {
				var ok bool
				if score, ok = sc.measures[i].scoreOf(v); !ok {
					goto missing
				}
			}
			present++
			covered += m.share
			sums[m.group] += m.weight * score
			ws[m.group] += m.weight
			continue
		}
	missing:
		if countMissing(m, sums, ws) {
			return z.unavailableRow(cb, row, out)
		}
	}
	if !z.rollUp(out, present, covered) {
		return nil
	}
	if len(sc.rules) > 0 {
		bad := -1
		if out.Band, out.Rules, bad = sc.ruleBandRow(cb, row, out.Band); bad >= 0 {
			return z.badCell(cb.rules[bad], cb.ruleNames[bad], row, out)
		}
	}
	return nil
}

// unavailableRow is summarizeInto's cut-short summary, for a row that
// misses a required measure; an infinite value met on the way still fails
// the row.
func (z *summarizer) unavailableRow(cb *columnBinding, row int, out *Summary) error {
	c := MeasureCoverage{Measures: len(z.sc.measures)}
	for i := range z.sc.measures {
		v := cb.measures[i][row]
		if v-v == 0 {
			if _, ok := z.sc.measures[i].scoreOf(v); ok {
				c.Present++
				c.Weight += z.sc.measures[i].share
			}
		} else if v == v {
			return z.badCell(cb.measures[i], cb.names[i], row, out)
		}
	}
	*out = Summary{Account: out.Account, AsOf: out.AsOf, Coverage: c, Reason: ReasonRequiredMissing}
	if c.Present == 0 {
		out.Reason = ReasonNoData
	}
	return nil
}

// badCell fails row for the infinite value in column col, of metric m.
func (z *summarizer) badCell(col []float64, m valuepath.Metric, row int, out *Summary) error {
	*out = Summary{Account: out.Account, AsOf: out.AsOf, Coverage: MeasureCoverage{Measures: len(z.sc.measures)}, Reason: "not scored: a value is not finite"}
	return &valuepath.AccountError{Account: out.Account, Metric: m, Err: &valuepath.FieldError{Pkg: "health",
		Path: colPath(m) + "[" + strconv.Itoa(row) + "]", Err: fmt.Errorf("%w: %v", valuepath.ErrNotFinite, col[row])}}
}

// ruleBandRow is ruleBand for row i of a block of columns; it also returns
// the index of a rule whose value is infinite, or -1.
func (sc *Scorecard) ruleBandRow(cb *columnBinding, row int, band Band) (Band, int, int) {
	rank, _ := sc.bands.Rank(band)
	capRank, floorRank, n := len(sc.bands)-1, 0, 0
	for i := range sc.rules {
		r := &sc.rules[i]
		v := cb.rules[i][row]
		if v-v != 0 {
			if v == v {
				return band, 0, i
			}
			continue
		}
		if !r.Op.Holds(v, r.Value) {
			continue
		}
		n++
		if r.Cap != "" {
			capRank = min(capRank, r.rank)
		} else {
			floorRank = max(floorRank, r.rank)
		}
	}
	return sc.bands[max(min(rank, capRank), floorRank)].Name, n, -1
}
