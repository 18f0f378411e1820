package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/health/backtest"
)

// healthSection scores the demo base, shows its distribution with both
// tails, the five accounts most at risk and what drags them down, and
// backtests the scorecard against the demo base's churn.
func healthSection(env *demoEnv) error {
	sc := demo.Scorecard()
	derivations := demo.HealthDerivations()
	if err := sc.Check(derivations.Schema()); err != nil {
		return err
	}
	spec := sc.Spec()
	fmt.Fprintf(env.w, "Scorecard %q (%s): %d measures in 3 groups, bands %s.\n\n",
		spec.Name, sc.Hash()[:15], len(sc.Measures()), spec.Bands)

	// Scores of the active accounts as of the demo's asOf.
	snaps, err := env.derive(derivations, env.all(), env.asOf)
	if err != nil {
		return err
	}
	var now []*health.Score
	for i, a := range env.base.Accounts {
		if a.Active() {
			s, err := sc.Score(snaps[i])
			if err != nil {
				return err
			}
			now = append(now, s)
		}
	}
	// 5-point bins, so that bins never straddle a band boundary.
	dist, err := sc.Distribution(now, health.DistributionOptions{Bins: 20})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.w, "Health of the %d active accounts (%d without data): mean %s, median %s, p10 %s, p90 %s\n\n",
		dist.Count, dist.Unavailable, healthNum(dist.Mean, "%.1f"), healthNum(dist.Median, "%.1f"),
		healthNum(dist.Percentiles[0].Value, "%.1f"), healthNum(dist.Percentiles[4].Value, "%.1f"))
	maxCount := 1
	for _, b := range dist.Histogram {
		maxCount = max(maxCount, b.Count)
	}
	bands := spec.Bands
	first := slices.IndexFunc(dist.Histogram, func(b health.Bin) bool { return b.Count > 0 })
	for _, b := range dist.Histogram[max(first, 0):] {
		band, _ := bands.Of(b.Min)
		// Mark only the bins that hold accounts of a tail: those with
		// accounts on the tail's side of its bound.
		mark := ""
		if lo, ok := dist.AtRisk.Bound.Get(); ok && b.Count > 0 && b.Min <= lo {
			mark = "  at-risk tail"
		}
		if hi, ok := dist.Advocates.Bound.Get(); ok && b.Count > 0 && b.Max >= hi {
			mark = "  advocate / upsell tail"
		}
		bar := strings.Repeat("#", (b.Count*40+maxCount-1)/maxCount)
		fmt.Fprintf(env.w, "  %3.0f-%-3.0f %-6s |%-40s %3d%s\n", b.Min, b.Max, band, bar, b.Count, mark)
	}
	fmt.Fprintln(env.w)
	for _, t := range []struct {
		name, bound string
		tail        health.Tail
	}{{"at-risk tail", "highest", dist.AtRisk}, {"advocate / upsell tail", "lowest", dist.Advocates}} {
		what := "the " + string(t.tail.Band) + " band"
		if t.tail.By != "band" {
			what = "by " + t.tail.By
		}
		fmt.Fprintf(env.w, "  %s: %d accounts (%s; %s score %s)\n", t.name, t.tail.Count, what, t.bound, healthNum(t.tail.Bound, "%.1f"))
	}
	fmt.Fprintln(env.w)
	for _, bc := range dist.Bands {
		fmt.Fprintf(env.w, "  %-6s %3d accounts (%s)\n", bc.Band, bc.Count, healthPct(bc.Share, "%4.1f%%"))
	}

	// The five accounts most at risk, and what drags them down.
	atRisk := slices.Clone(now)
	slices.SortStableFunc(atRisk, func(a, b *health.Score) int {
		switch {
		case a.Present != b.Present:
			if a.Present {
				return -1
			}
			return 1
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return strings.Compare(string(a.Account), string(b.Account))
	})
	fmt.Fprintf(env.w, "\nThe five accounts most at risk, with the three measures that cost them most (value, points lost):\n\n")
	tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', 0)
	for _, s := range atRisk[:min(5, len(atRisk))] {
		a, _ := env.base.Find(s.Account)
		var drags []string
		for _, m := range s.Draggers(3) {
			value := "n/a"
			if m.Present {
				value = num(m.Value)
			}
			drags = append(drags, fmt.Sprintf("%s %s (-%.1f)", m.ID, value, m.Drag()))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%.1f %s\t%s\n", s.Account, a.Name, a.Segment, s.Value, s.Band, strings.Join(drags, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return healthBacktest(env, sc, derivations)
}

// healthBacktest scores every account monthly over the last year and
// checks the scores against who churned.
func healthBacktest(env *demoEnv, sc *health.Scorecard, d *valuepath.Derivations) error {
	var history []*health.Score
	const months = 12
	for k := months; k >= 1; k-- {
		asOf := env.asOf.AddDate(0, -k, 0)
		snaps, err := env.derive(d, env.all(), asOf)
		if err != nil {
			return err
		}
		for i, a := range env.base.Accounts {
			if a.Start.After(asOf) || (!a.Active() && !a.ChurnedAt.After(asOf)) {
				continue // not a customer then
			}
			s, err := sc.Score(snaps[i])
			if err != nil {
				return err
			}
			history = append(history, s)
		}
	}
	var outcomes []backtest.Outcome
	for _, a := range env.base.Accounts {
		o := backtest.Outcome{Account: a.ID, At: env.asOf}
		if !a.Active() {
			o.Churned, o.At = true, a.ChurnedAt
		}
		outcomes = append(outcomes, o)
	}
	bt, err := backtest.Run(sc, history, outcomes, backtest.Options{Thresholds: []float64{40, 50, 60, 70}})
	if errors.Is(err, valuepath.ErrInvalid) && len(history) > 0 {
		// A small base may have no churn (or nobody retained) in the
		// window: a backtest needs both, so say so instead of failing.
		fmt.Fprintf(env.w, "\nBacktest: n/a on this base (%v).\n", err)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.w, "\nBacktest: monthly scores over the %d months before %s against churn within %s.\n",
		months, env.asOf.Format(time.DateOnly), bt.Horizon)
	fmt.Fprintf(env.w, "%d scores, %d followed by churn (base rate %.1f%%); AUC %s; red churns %sx the base rate.\n\n",
		bt.Observations, bt.Churned, 100*bt.BaseRate, healthNum(bt.AUC, "%.2f"), healthNum(bt.WorstBandLift, "%.1f"))
	tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "band\tscores\tchurned\tchurn rate\tlift\t")
	for _, b := range bt.Bands {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t\n", b.Band, b.Observations, b.Churned, healthPct(b.Rate, "%.1f%%"), healthNum(b.Lift, "%.2fx"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(env.w)
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "flag below\tflagged\tprecision\trecall\t")
	for _, t := range bt.Thresholds {
		fmt.Fprintf(tw, "%.0f\t%d\t%s\t%.1f%%\t\n", t.Threshold, t.Flagged, healthPct(t.Precision, "%.1f%%"), 100*t.Recall)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.w, "\nChurn rate by score decile (lowest first):")
	for _, dc := range bt.Deciles {
		fmt.Fprintf(env.w, " %.0f%%", 100*dc.Rate)
	}
	fmt.Fprintf(env.w, "\n\nEarly warning for the %d accounts that churned:\n", bt.ChurnedAccounts)
	for _, l := range bt.Leads {
		fmt.Fprintf(env.w, "  %3s before churn: %4s were below green (%d of %d scored then)\n", l.Before, healthPct(l.Share, "%.0f%%"), l.Below, l.Churners)
	}
	fmt.Fprintf(env.w, "  %d turned red before churning, a median of %s days ahead.\n\n", bt.Warned, healthNum(bt.MedianLeadDays, "%.0f"))

	measures := slices.Clone(bt.Measures)
	slices.SortStableFunc(measures, func(a, b backtest.MeasureReport) int {
		// Measures without an AUC (no churner had data for them) go last.
		x, y := a.AUC.Or(-1), b.AUC.Or(-1)
		switch {
		case x > y:
			return -1
		case x < y:
			return 1
		}
		return 0
	})
	// The scorecard's leading/trailing label is the host's claim; the
	// measure's lead time in this backtest is the evidence.
	minLead := valuepath.Days(60)
	fmt.Fprintf(env.w, "Which indicators lead (per measure, best first; label = the scorecard's claim, evidence = leading when\n"+
		"at least half of the churners turned red on it a median of %s or more before churn):\n", minLead)
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', 0)
	var disagree []string
	for _, m := range measures {
		share60 := valuepath.Absent("no lead of 60 days")
		if len(m.Leads) > 1 {
			share60 = m.Leads[1].Share
		}
		ev, why := m.Evidence(minLead)
		evidence := string(ev)
		if ev == "" {
			evidence = "no evidence"
		}
		if m.Timing != "" && ev != "" && ev != m.Timing {
			disagree = append(disagree, fmt.Sprintf("%s (claimed %s, evidence %s)", m.ID, m.Timing, ev))
		}
		fmt.Fprintf(tw, "  %s\tclaimed %s, %s\tAUC %s\tbelow green 60 days out: %s\tevidence: %s: %s\n", m.ID, m.Timing, m.Scope,
			healthNum(m.AUC, "%.2f"), healthPct(share60, "%.0f%%"), evidence, why)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(disagree) == 0 {
		fmt.Fprintln(env.w, "Claim and evidence agree for every labelled measure.")
	} else {
		fmt.Fprintf(env.w, "Claim and evidence disagree: %s.\n", strings.Join(disagree, "; "))
	}
	return nil
}

// healthNum formats n with format, or "n/a" when it is undefined.
func healthNum(n valuepath.Number, format string) string {
	if v, ok := n.Get(); ok {
		return fmt.Sprintf(format, v)
	}
	return "n/a"
}

// healthPct formats the share n as a percentage with format, or "n/a".
func healthPct(n valuepath.Number, format string) string {
	if v, ok := n.Get(); ok {
		return fmt.Sprintf(format, 100*v)
	}
	return "n/a"
}
