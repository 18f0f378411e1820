package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/internal/stats"
)

// derivedSection prints the distribution of every derived metric across the
// demo base and one account's snapshot in full.
func derivedSection(env *demoEnv) error {
	schema := env.derivations.Schema()
	fmt.Fprintf(env.w, "%d derived metrics from %d raw series, evaluated for every account as of %s.\n\n",
		schema.Len(), len(env.derivations.Sources()), env.asOf.Format("2006-01-02"))
	tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "metric\tpresent\tp10\tmedian\tp90\t")
	for i, m := range schema.Metrics() {
		var xs []float64
		for _, s := range env.snapshots {
			if v, ok := s.ValueAt(i); ok {
				xs = append(xs, v)
			}
		}
		slices.Sort(xs)
		fmt.Fprintf(tw, "%s\t%d/%d\t%s\t%s\t%s\t\n", m, len(xs), len(env.snapshots),
			num(stats.Quantile(xs, 0.1)), num(stats.Quantile(xs, 0.5)), num(stats.Quantile(xs, 0.9)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	// One active account, to show a snapshot with its coverage.
	for i, a := range env.base.Accounts {
		if !a.Active() || a.Segment != demo.MidMarket {
			continue
		}
		s := env.snapshots[i]
		cov := s.Coverage()
		fmt.Fprintf(env.w, "\n%s (%s, %s, %d seats): %d of %d metrics present\n", a.ID, a.Name, a.Segment, a.Seats, cov.Present, cov.Total)
		tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', 0)
		for j, m := range schema.Metrics() {
			if v, ok := s.ValueAt(j); ok {
				fmt.Fprintf(tw, "  %s\t%s\n", m, num(v))
			} else {
				fmt.Fprintf(tw, "  %s\tmissing\n", m)
			}
		}
		return tw.Flush()
	}
	return nil
}

// num formats a metric value for people, one rule throughout: three
// significant figures, whole numbers from 100 up, no trailing zeros.
func num(v float64) string {
	// One rule for every figure: three significant digits, whole numbers
	// from 100 up, no trailing zeros (22, not 22.00).
	if max(v, -v) >= 100 {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	if r == 0 {
		return "0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}
