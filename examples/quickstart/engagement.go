package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// engagementSection prints this week's work per owner role, the onboarding
// transitions with their bottleneck, and the median time to value per
// segment, for the active demo accounts.
func engagementSection(env *demoEnv) error {
	cat := demo.EngagementCatalog()
	var accts []engagement.Input
	for i, a := range env.base.Accounts {
		if !a.Active() {
			continue
		}
		log, err := env.base.Provider.Events(env.ctx, a.ID, valuepath.Interval{End: env.asOf})
		if err != nil {
			return err
		}
		accts = append(accts, engagement.Input{ID: a.ID, Segment: a.Segment, TimeZone: a.TimeZone, Start: a.Start, Events: log, Snapshot: env.snapshots[i]})
	}
	week := 7 * valuepath.Day
	wl, err := cat.Workload(slices.Values(accts), env.asOf, week)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.w, "This week's agenda (%s to %s) for %d active accounts, by owner role:\n\n",
		wl.From.Format(time.DateOnly), wl.To.Add(-time.Nanosecond).Format(time.DateOnly), len(accts))
	tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "role\toverdue\tdue\topening\tescalations\t")
	for _, r := range wl.Roles {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", r.Role, r.Overdue, r.Due, r.Upcoming, r.Escalations)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.w, "\nDue or opening this week:\n")
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', 0)
	for _, r := range wl.Roles {
		for _, t := range r.Tasks {
			if t.Item.Status == engagement.Due || t.Item.Status == engagement.Upcoming {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", r.Role, t.Account, t.Item.Name, t.Item.Status, t.Item.Rule)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.w, "\nEscalations:\n")
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', 0)
	for _, r := range wl.Roles {
		for _, t := range r.Tasks {
			if e := t.Escalation; e != nil {
				fmt.Fprintf(tw, "  to %s\t%s\t%s\t%s, %s late\n", r.Role, t.Account, e.Name, e.Level, days(e.Late))
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	ent, _ := cat.Model("enterprise")
	var entAccts []engagement.Input
	for _, a := range accts {
		if a.Segment == "enterprise" {
			entAccts = append(entAccts, a)
		}
	}
	tr := ent.Transitions(slices.Values(entAccts), env.asOf)
	fmt.Fprintf(env.w, "\nEnterprise onboarding transitions (%d accounts):\n\n", len(entAccts))
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "transition\tdone\twaiting\tmedian\tp90\texpected\ttotal delay\tstuck\t")
	for i, t := range tr.Transitions {
		from := t.From
		if from == "" {
			from = "start"
		}
		mark := ""
		if i == tr.Bottleneck {
			mark = " <- bottleneck"
		}
		fmt.Fprintf(tw, "%s -> %s%s\t%d\t%d\t%s\t%s\t%s\t%s\t%d\t\n", from, t.To, mark, t.Reached, t.NotYet, ndays(t.MedianDays), ndays(t.P90Days), days(t.Expected), days(t.Delay), len(t.Stuck))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(env.w, "(median and p90 are per account; total delay is the time beyond expected summed over the accounts that made the transition.)")
	for _, t := range tr.Transitions {
		if len(t.Stuck) > 0 {
			fmt.Fprintf(env.w, "Stuck before %s: %s\n", t.To, strings.Join(ids(t.Stuck, 8), ", "))
		}
	}

	journey, err := engagement.ParseJourney([]byte(`{"enter": {
		"adoption": ["kickoff", "sponsor_change"], "performance": ["self_sufficient"], "advocacy": ["reference"]}}`))
	if err != nil {
		return err
	}
	flow := journey.Flow(slices.Values(accts), env.asOf.AddDate(0, -3, 0), env.asOf)
	fmt.Fprintf(env.w, "\nJourney of the active accounts (moves over the last 3 months):\n\n")
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\tmotion\taccounts\tmedian time in stage\t")
	for _, st := range flow.Stages {
		if st.Accounts > 0 {
			spec, _ := journey.Stage(st.Stage)
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t\n", st.Stage, spec.Motion, st.Accounts, ndays(st.MedianDaysInStage))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, m := range flow.Moves {
		from := string(m.From)
		if from == "" {
			from = "(new)"
		}
		fmt.Fprintf(env.w, "  %s -> %s: %d\n", from, m.To, m.Accounts)
	}

	ttv, err := cat.TimeToValue(slices.Values(accts), env.asOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.w, "\nTime to value (contract start to first metrics review):\n\n")
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "segment\treached\tnot yet\tmedian\tp90\t")
	for _, s := range ttv {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t\n", s.Segment, s.ToValue.Reached, s.ToValue.NotYet, ndays(s.ToValue.MedianDays), ndays(s.ToValue.P90Days))
	}
	return tw.Flush()
}

// days formats a duration in days with one decimal.
func days(d valuepath.Duration) string {
	return fmt.Sprintf("%.1fd", d.Std().Hours()/24)
}

// ndays formats a number of days with one decimal, and "n/a" when it is
// absent (a median of nothing).
func ndays(n valuepath.Number) string {
	if v, ok := n.Get(); ok {
		return fmt.Sprintf("%.1fd", v)
	}
	return "n/a"
}

func ids(xs []valuepath.AccountID, n int) []string {
	out := make([]string, 0, n+1)
	for _, x := range xs[:min(n, len(xs))] {
		out = append(out, string(x))
	}
	if len(xs) > n {
		out = append(out, fmt.Sprintf("and %d more", len(xs)-n))
	}
	return out
}
