package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/effectiveness/population"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// effectivenessSection places the active demo accounts on the demo
// effectiveness model, shows one account's path to its next phase, its
// day-one baseline and progress against a plan, and the AMPM weak links of
// one customer's teams.
func effectivenessSection(env *demoEnv) error {
	model := demo.EffectivenessModel()
	derivations := demo.EffectivenessDerivations()
	assessor, err := model.Bind(derivations.Schema(), effectiveness.Options{})
	if err != nil {
		return err
	}
	var active []*demo.Account
	for i := range env.base.Accounts {
		if env.base.Accounts[i].Active() {
			active = append(active, &env.base.Accounts[i])
		}
	}
	snaps, err := env.derive(derivations, active, env.asOf)
	if err != nil {
		return err
	}

	// 1. The phase distribution of the active base.
	dist := population.NewDistribution(model)
	var picked *effectiveness.Assessment
	var pickedAccount *demo.Account
	var pickedSnap *valuepath.Snapshot
	for i, s := range snaps {
		a, err := assessor.Assess(s)
		if err != nil {
			return err
		}
		if err := dist.Add(a); err != nil {
			return err
		}
		// An account that was already a customer on the day-one baseline,
		// six months ago.
		// Prefer a mid-market account on phase 2; take any with a path on
		// small bases.
		if len(a.Next.Steps) > 0 && active[i].Start.Before(env.asOf.AddDate(0, -7, 0)) &&
			(picked == nil || !preferred(pickedAccount, picked) && preferred(active[i], a)) {
			picked, pickedAccount, pickedSnap = a, active[i], s
		}
	}
	fmt.Fprintf(env.w, "%q: %d phases; %d active accounts placed on the strict ladder.\n\n", model.Name(), model.NumPhases(), dist.Total)
	tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', 0)
	for _, p := range dist.Phases {
		name := "(not yet started)"
		if p.Level > 0 {
			name = model.Phase(p.Level).Name
		}
		fmt.Fprintf(tw, "  %d\t%s\t%3d\t%5s\t%s\n", p.Level, name, p.Count, pctOf(p.Share), strings.Repeat("█", (p.Count+2)/3))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if picked == nil {
		return errors.New("no account with a path to its next phase to show")
	}

	// 2. One account's assessment and its path to the next phase.
	fmt.Fprintf(env.w, "\n%s (%s, %s): phase %d, %s; %.0f%% of the way to %s.\n",
		pickedAccount.ID, pickedAccount.Name, pickedAccount.Segment, picked.Level, model.Phase(picked.Level).Name, 100*picked.Next.Progress, model.Phase(picked.Next.Level).Name)
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', 0)
	for _, p := range picked.Phases {
		for _, b := range p.Behaviors {
			obs := b.Observed[0]
			val := "missing"
			if obs.Present {
				val = num(obs.Value)
			}
			fmt.Fprintf(tw, "  %d %s\t%s\t%s\t%s\n", p.Level, p.ID, b.ID, b.Status, val)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.w, "Path to %s (%d more behavior(s) needed):\n", picked.Next.Phase, picked.Next.Needed)
	for _, s := range picked.Next.Steps {
		how := "no data yet: start measuring it"
		if g, ok := s.Gap.Get(); ok && s.Status == effectiveness.NotMet {
			// The gap is relative to the threshold: below a minimum is
			// "short", above a maximum is "over".
			word := "short"
			if c, found := criterionOf(model, s.Behavior); found && (c.Comparison == valuepath.AtMost || c.Comparison == valuepath.Below) {
				word = "over the maximum"
			}
			how = fmt.Sprintf("%.0f%% %s", 100*g, word)
		}
		fmt.Fprintf(env.w, "  - %s (%s); features that help: %s\n", s.Description, how, orNone(s.Features))
	}

	// 3. Day-one baseline six months ago, a plan from it, progress now.
	day1 := env.asOf.AddDate(0, -6, 0)
	then, err := env.derive(derivations, []*demo.Account{pickedAccount}, day1)
	if err != nil {
		return err
	}
	thenA, err := assessor.Assess(then[0])
	if err != nil {
		return err
	}
	base, err := effectiveness.NewBaseline(thenA, then[0], demo.BaselineMetrics)
	if err != nil {
		return err
	}
	goals, due := demo.PlanGoals(model, base)
	fmt.Fprintf(env.w, "\nDay-one baseline on %s: phase %d (%s).\n", base.At.Format(time.DateOnly), base.Level, phaseName(model, base.Level))
	if len(goals) == 0 {
		fmt.Fprintln(env.w, "No baseline values to plan from.")
		return weakLinks(env, active)
	}
	plan, err := effectiveness.NewPlan(effectiveness.PlanSpec{Revisions: []effectiveness.RevisionSpec{{Baseline: base, Goals: goals}}}, model)
	if err != nil {
		return err
	}
	pr, err := plan.Progress(pickedSnap, effectiveness.ProgressOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.w, "Progress on %s against the plan due %s:\n", pr.AsOf.Format(time.DateOnly), due.Format(time.DateOnly))
	tw = tabwriter.NewWriter(env.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  metric\tbaseline\ttarget\tactual\texpected\tof the way\tstatus\t")
	for _, t := range pr.Targets {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", t.Metric, num(t.Baseline), num(t.Target), numOf(t.Actual), num(t.Expected), pctOf(t.Share), t.Status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	return weakLinks(env, active)
}

// weakLinks prints AMPM for the first enterprise customer with a weak link.
func weakLinks(env *demoEnv, active []*demo.Account) error {
	x := demo.AMPM()
	consent := effectiveness.Options{Consent: func(valuepath.AccountID, valuepath.Metric) bool { return true }}
	for _, a := range active {
		if a.Segment != demo.Enterprise {
			continue
		}
		m, err := x.Measure(a.ID, a.Units(), consent)
		if err != nil {
			return err
		}
		links := x.WeakLinks(m)
		if len(links) == 0 {
			continue
		}
		fmt.Fprintf(env.w, "\nAMPM for %s (%s, %d teams; the customer consented to share its win rate):\n", a.ID, a.Name, len(a.Teams))
		tw := tabwriter.NewWriter(env.w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  team\tusers\tadoption\tweekly active\twin rate\tcycle days")
		for _, t := range m.Units {
			fmt.Fprintf(tw, "  %s\t%.0f\t%s\t%s\t%s\t%s\n", t.Unit, t.Weight, numOf(t.AdoptionIndex), reading(t.Readings[0]), reading(t.Readings[2]), reading(t.Readings[3]))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, wl := range links {
			var lag []string
			for _, s := range wl.Lagging {
				lag = append(lag, fmt.Sprintf("%s %.2f < %.2f", s.Indicator, s.Value.Value, s.Threshold))
			}
			fmt.Fprintf(env.w, "  weak link: %s, %.2f behind the rest of the customer, carrying %.0f%% of its users (%s)\n",
				wl.Unit, wl.Behind, 100*wl.WeightShare, strings.Join(lag, ", "))
		}
		cost, err := valuepath.NewMoney(a.MRR.Mul(decimal.NewFromInt(12)), valuepath.Currency(a.Currency))
		if err != nil {
			return err
		}
		roi, err := x.ROI(m, cost)
		if err != nil {
			return err
		}
		if roi.Present {
			fmt.Fprintf(env.w, "  ROI against baseline: gain %s on a year's cost of %s: %s\n", roi.Gain, roi.Cost, pctOf(roi.Ratio))
		} else {
			fmt.Fprintf(env.w, "  ROI against baseline: not yet meaningful, adoption across the customer has not passed (a year's cost: %s)\n", roi.Cost)
		}
		return nil
	}
	fmt.Fprintln(env.w, "\nNo enterprise customer has a weak link today.")
	return nil
}

func preferred(a *demo.Account, as *effectiveness.Assessment) bool {
	return a.Segment == demo.MidMarket && as.Level == 2
}

func phaseName(m *effectiveness.Model, level int) string {
	if level == 0 {
		return "not yet started"
	}
	return m.Phase(level).Name
}

func reading(r effectiveness.Reading) string {
	v, ok := r.Value.Get()
	if !ok {
		return string(r.Judgement)
	}
	return fmt.Sprintf("%s (%s)", num(v), strings.ReplaceAll(string(r.Judgement), "_", " "))
}

// numOf formats a number that may be undefined: "n/a" when it is.
func numOf(n valuepath.Number) string {
	v, ok := n.Get()
	if !ok {
		return "n/a"
	}
	return num(v)
}

// pctOf formats a share as a percentage, "n/a" when it is undefined.
func pctOf(n valuepath.Number) string {
	v, ok := n.Get()
	if !ok {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// criterionOf returns the criterion of the model's behavior id when it is a
// single comparison.
func criterionOf(model *effectiveness.Model, id string) (effectiveness.Criterion, bool) {
	for _, p := range model.Spec().Phases {
		for _, b := range p.Behaviors {
			if b.ID == id && b.Criterion.Metric != "" {
				return b.Criterion, true
			}
		}
	}
	return effectiveness.Criterion{}, false
}
