package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/revenue"
	"github.com/valuepath/valuepath/revenue/forecast"
	"github.com/valuepath/valuepath/revenue/sbg"
)

// revenueSection prints the demo base's MRR bridge for the last twelve
// months, GRR and NRR against reference ranges, the sBG projection of the
// oldest cohort and the health-weighted renewal forecast for next quarter.
func revenueSection(env *demoEnv) error {
	events, err := demoSubscriptionEvents(env.base)
	if err != nil {
		return err
	}
	timelines, err := revenue.Normalize(events, revenue.Policy{})
	if err != nil {
		return err
	}
	if err := printBridge(env, timelines); err != nil {
		return err
	}
	if err := printRetention(env, timelines); err != nil {
		return err
	}
	if err := printCohortProjection(env, timelines); err != nil {
		return err
	}
	return printRenewalForecast(env)
}

// demoSubscriptionEvents converts the demo's subscription history: the demo
// records a monthly price per seat and a discount fraction; revenue wants
// the amount billed per interval and the discount in money.
func demoSubscriptionEvents(b *demo.Base) ([]revenue.SubscriptionEvent, error) {
	var out []revenue.SubscriptionEvent
	for _, a := range b.Accounts {
		cur, err := valuepath.ParseCurrency(a.Currency)
		if err != nil {
			return nil, err
		}
		for _, s := range a.Subscription {
			e := revenue.SubscriptionEvent{Account: a.ID, Kind: revenue.EventKind(s.Kind), At: s.At, Currency: cur, IntervalMonths: s.IntervalMonths}
			if e.Kind != revenue.Cancel {
				e.Amount = s.PricePerSeat.Mul(decimal.NewFromInt(int64(s.Seats) * int64(max(s.IntervalMonths, 1))))
				e.Discount = e.Amount.Mul(s.Discount)
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func usd(m valuepath.Money) string { return m.Amount().StringFixed(0) }

func printBridge(env *demoEnv, timelines []revenue.Timeline) error {
	start := env.asOf.AddDate(-1, 0, 0)
	bridge, err := revenue.NewBridge(timelines, revenue.Months(start, 12), revenue.BridgeOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.w, "MRR bridge, last 12 months (%s; discounts deducted, churn at cancellation):\n\n", bridge.Currency)
	tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\topening\tnew\texpansion\treactivation\tcontraction\tchurn\tclosing\taccounts\t")
	row := func(label string, p revenue.Period, accounts int) {
		fmt.Fprintf(tw, "%s\t%s\t+%s\t+%s\t+%s\t-%s\t-%s\t%s\t%d\t\n", label, usd(p.Opening), usd(p.New), usd(p.Expansion),
			usd(p.Reactivation), usd(p.Contraction), usd(p.Churn), usd(p.Closing), accounts)
	}
	for _, p := range bridge.Periods {
		row(p.Start.Format("2006-01"), p, p.Accounts.Closing)
	}
	total := bridge.Total()
	row("12 months", total, total.Accounts.Closing)
	if err := tw.Flush(); err != nil {
		return err
	}
	quick := "n/a (no MRR lost)"
	if q, ok := total.QuickRatio().Get(); ok {
		quick = fmt.Sprintf("%.2f", q)
	}
	fmt.Fprintf(env.w, "\nARR now %s; quick ratio over the year %s (MRR gained per MRR lost).\n", total.ARR(), quick)
	// The bridge's retention follows the accounts paying at its opening
	// (the cohort definition), so it is the same figure as the cohort
	// retention below.
	if r := total.Retention; r.Accounts > 0 {
		fmt.Fprintf(env.w, "Over the 12 months, the %d accounts paying at the opening kept GRR %s and NRR %s of their MRR.\n",
			r.Accounts, pctNum(total.GRR()), pctNum(total.NRR()))
	}
	return nil
}

func printRetention(env *demoEnv, timelines []revenue.Timeline) error {
	r, err := revenue.CohortRetention(timelines, env.asOf.AddDate(-1, 0, 0), env.asOf, revenue.CurrencyConversion{})
	if err != nil {
		return err
	}
	if r.Accounts == 0 {
		fmt.Fprintln(env.w, "\nNo account paid a year ago: retention is n/a (no data yet).")
		return nil
	}
	fmt.Fprintf(env.w, "\nRetention of the %d accounts paying a year ago (cohort-based, %s → %s):\n\n",
		r.Accounts, r.From.Format(time.DateOnly), r.To.Format(time.DateOnly))
	tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', 0)
	for _, x := range []struct {
		ref   *revenue.Reference
		value float64
		name  string
	}{
		{revenue.GRRReference(), r.GRR.Value, "GRR"},
		{revenue.NRRReference(), r.NRR.Value, "NRR"},
		{revenue.LogoChurnReference(), 1 - r.LogoRetention.Value, "logo churn"},
	} {
		a, err := x.ref.Assess(x.value)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "  %s\t%5.1f%%\t%s\t(reference band %s)\n", x.name, 100*a.Value, a.Label, percentRange(x.ref, a.Band))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.w, "  MRR %s a year ago → %s now (GRR caps each account at its earlier MRR: %s).\n", r.Starting, r.Net, r.Gross)
	return nil
}

// percentRange writes a reference band's bounds in percent.
func percentRange(ref *revenue.Reference, band int) string {
	p := func(x float64) string { return fmt.Sprintf("%g%%", 100*x) }
	th := ref.Spec().Thresholds
	switch {
	case band == 0:
		return "below " + p(th[0])
	case band == len(th):
		return p(th[band-1]) + " or more"
	}
	return p(th[band-1]) + " to " + p(th[band])
}

func printCohortProjection(env *demoEnv, timelines []revenue.Timeline) error {
	// Quarterly cohorts over the last three years; the oldest is followed
	// for eleven quarters after the one it joined in.
	first := env.asOf.AddDate(-3, 0, 0)
	var quarters []valuepath.Interval
	for q := range 12 {
		quarters = append(quarters, valuepath.Interval{Start: first.AddDate(0, 3*q, 0), End: first.AddDate(0, 3*q+3, 0)})
	}
	cohorts, err := revenue.Cohorts(timelines, quarters, revenue.CurrencyConversion{})
	if err != nil {
		return err
	}
	if len(cohorts) == 0 {
		fmt.Fprintln(env.w, "\nNo cohort to project.")
		return nil
	}
	c := cohorts[0]
	// Fit on the first eight quarters after joining, keep the rest to check
	// the projection against what happened.
	const fitQuarters = 8
	observed := append([]int{c.Accounts}, c.Survivors[1:]...)
	fitOn := observed[:min(len(observed), fitQuarters+1)]
	fmt.Fprintf(env.w, "\nOldest cohort: %d accounts that joined in the quarter from %s, followed quarter by quarter.\n",
		c.Accounts, c.Start.Format(time.DateOnly))
	m, err := sbg.Fit(fitOn)
	if err != nil {
		fmt.Fprintf(env.w, "  The sBG model cannot be fitted: %v\n", err)
		return nil
	}
	p := m.Spec()
	fmt.Fprintf(env.w, "Shifted-beta-geometric fit on quarters 1-%d: alpha %.2f, beta %.2f.\n", len(fitOn)-1, p.Alpha, p.Beta)
	if p.Alpha+p.Beta > 1000 {
		fmt.Fprintln(env.w, "(alpha + beta this large means the cohort shows no spread in churn risk: a constant renewal rate fits best.)")
	}
	fmt.Fprintln(env.w)
	tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "quarter\tactive\tprojected\trenewal rate\t\t")
	for t := 1; t <= 16; t++ {
		act, note := "", ""
		if t < len(observed) {
			act = fmt.Sprint(observed[t])
			if t >= len(fitOn) {
				note = "held out"
			}
		} else {
			note = "forecast"
		}
		fmt.Fprintf(tw, "%d\t%s\t%.1f\t%.1f%%\t%s\t\n", t, act, float64(c.Accounts)*m.Survival(t), 100*m.RetentionRate(t), note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	derl, err := m.DiscountedResidualLifetime(len(observed)-1, 0.025)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.w, "A survivor of %d quarters is worth %.1f more quarterly renewals (discounted at 2.5%% a quarter).\n", len(observed)-1, derl)
	return nil
}

// bandsAt scores every demo account with the demo health scorecard as of
// asOf and returns each account's band, in base order ("no data" when the
// account had no score then).
func bandsAt(env *demoEnv, sc *health.Scorecard, asOf time.Time) ([]string, error) {
	snaps, err := env.derive(demo.HealthDerivations(), env.all(), asOf)
	if err != nil {
		return nil, err
	}
	bands := make([]string, len(snaps))
	var score health.Score
	for i, s := range snaps {
		if err := sc.ScoreInto(s, &score); err != nil {
			return nil, err
		}
		bands[i] = "no data"
		if score.Present {
			bands[i] = string(score.Band)
		}
	}
	return bands, nil
}

func printRenewalForecast(env *demoEnv) error {
	// Past outcomes: every annual renewal due in the last twelve months,
	// with the account's health band (the demo scorecard's) six months
	// before it was due: its band of a year ago or of six months ago.
	sc := demo.Scorecard()
	yearAgo, halfAgo := env.asOf.AddDate(-1, 0, 0), env.asOf.AddDate(0, -6, 0)
	bandYear, err := bandsAt(env, sc, yearAgo)
	if err != nil {
		return err
	}
	bandHalf, err := bandsAt(env, sc, halfAgo)
	if err != nil {
		return err
	}
	bandNow, err := bandsAt(env, sc, env.asOf)
	if err != nil {
		return err
	}
	var outcomes []forecast.Outcome
	var renewals []forecast.Renewal
	next := valuepath.Interval{Start: env.asOf, End: env.asOf.AddDate(0, 3, 0)}
	for i := range env.base.Accounts {
		a := &env.base.Accounts[i]
		if a.TermMonths != 12 {
			continue // monthly plans renew every month; the forecast is about contracts
		}
		for k := 1; ; k++ {
			due := a.Start.AddDate(0, 12*k, 0)
			if !due.Before(next.End) {
				break
			}
			switch {
			case !due.Before(yearAgo) && due.Before(env.asOf):
				band := bandYear[i]
				if !due.Before(halfAgo) {
					band = bandHalf[i]
				}
				churned := !a.ChurnedAt.IsZero() && !a.ChurnedAt.After(due)
				if !a.ChurnedAt.IsZero() && a.ChurnedAt.Before(due) {
					continue // already gone before this renewal
				}
				outcomes = append(outcomes, forecast.Outcome{Account: a.ID, Band: band, Renewed: !churned})
			case next.Contains(due) && a.Active():
				arr, err := valuepath.NewMoney(a.MRR.Mul(decimal.NewFromInt(12)), valuepath.Currency(a.Currency))
				if err != nil {
					return err
				}
				renewals = append(renewals, forecast.Renewal{Account: a.ID, Band: bandNow[i], Due: due, ARR: arr})
			}
		}
	}
	if len(outcomes) == 0 {
		fmt.Fprintln(env.w, "\nNo annual renewals in the last year to calibrate a renewal forecast on.")
		return nil
	}
	cal, err := forecast.Calibrate(outcomes, forecast.CalibrationOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.w, "\nRenewal probabilities per health band, calibrated from %d annual renewals of the last year:\n\n", len(outcomes))
	tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "band\trenewed\tprobability\t90% interval\t")
	// forecast lists bands by name; people read them in band order, worst
	// first, as the scorecard defines them.
	bandSet := sc.Spec().Bands
	byBand := func(x, y string) int {
		rx, okx := bandSet.Rank(health.Band(x))
		ry, oky := bandSet.Rank(health.Band(y))
		if !okx || !oky {
			return strings.Compare(x, y)
		}
		return rx - ry
	}
	calBands := slices.SortedFunc(cal.Bands(), func(x, y forecast.BandRate) int { return byBand(x.Band, y.Band) })
	for _, b := range calBands {
		fmt.Fprintf(tw, "%s\t%d/%d\t%.0f%%\t%.0f%%-%.0f%%\t\n", b.Band, b.Renewed, b.Outcomes, 100*b.Probability, 100*b.Low, 100*b.High)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	f, err := forecast.Renewals(renewals, cal, next)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.w, "\nNext quarter (%s to %s): %d annual contracts up for renewal.\n\n", next.Start.Format(time.DateOnly), next.End.Format(time.DateOnly), len(f.Lines))
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "band\tcontracts\tARR due\tprobability\texpected ARR\t")
	fBands := slices.Clone(f.Bands)
	slices.SortStableFunc(fBands, func(x, y forecast.BandForecast) int { return byBand(x.Band, y.Band) })
	for _, b := range fBands {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.0f%%\t%s\t\n", b.Band, b.Renewals, usd(b.ARR), 100*b.Probability, usd(b.Expected))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.w, "\nExpected renewed ARR %s %s of %s due (90%% range %s to %s).\n", f.Expected.Currency(), usd(f.Expected), usd(f.Due), usd(f.Low), usd(f.High))
	return nil
}

// pctNum formats a rate as a percentage with one decimal, or "n/a".
func pctNum(n valuepath.Number) string {
	if v, ok := n.Get(); ok {
		return fmt.Sprintf("%.1f%%", 100*v)
	}
	return "n/a (" + n.Reason + ")"
}
