// Command valuereport writes a customer-facing value report for one account
// of the demo customer base as a single self-contained HTML file: where the
// account stands on the effectiveness model and its path to the next phase,
// progress against the improvement plan agreed on day one, its health trend,
// and its value in familiar terms with the source of every figure. The charts
// are drawn with gonum/plot and inlined as SVG; the file needs no network to
// view and prints on A4 or Letter.
//
//	go run ./examples/valuereport -out report.html
//	go run ./examples/valuereport -account acct-0042 -asof 2026-09-01 -out report.html
//	go run ./examples/valuereport -accounts 1000 -seed 7 -out report.html
//
// Without -account it picks an active account with a path to its next phase
// and an improvement plan, and says which.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "valuereport:", err)
		}
		os.Exit(2)
	}
}

// config is what the flags choose.
type config struct {
	accounts int
	seed     uint64
	account  valuepath.AccountID
	asOf     time.Time // zero: the demo base's AsOf
	out      string    // "-" for standard output
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("valuereport", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.accounts, "accounts", 300, "number of accounts in the demo base")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed of the demo base")
	account := fs.String("account", "", "account id, e.g. acct-0042 (default: a demo account with a plan and a path to its next phase)")
	asOf := fs.String("asof", "", "date of the report, YYYY-MM-DD (default: the demo base's end, 2026-11-01)")
	fs.StringVar(&c.out, "out", "report.html", `file to write, or "-" for standard output`)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if c.accounts < 1 || c.accounts > 100000 {
		return c, fmt.Errorf("-accounts: must be between 1 and 100000, got %d", c.accounts)
	}
	if c.out == "" {
		return c, errors.New("-out: must name a file, or - for standard output")
	}
	c.account = valuepath.AccountID(strings.TrimSpace(*account))
	if *asOf != "" {
		t, err := parseAsOf(*asOf)
		if err != nil {
			return c, err
		}
		c.asOf = t
	}
	return c, nil
}

// parseAsOf reads the -asof flag: a calendar date (2026-11-01) or an RFC
// 3339 time, which is truncated to its UTC day, since the demo data is
// daily.
func parseAsOf(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		var err2 error
		if t, err2 = time.Parse(time.RFC3339, s); err2 != nil {
			return time.Time{}, fmt.Errorf("-asof: want a date like 2026-11-01, got %q", s)
		}
	}
	t = t.UTC().Truncate(valuepath.Day)
	if t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("-asof: year must be between 1970 and 9999, got %q", s)
	}
	return t, nil
}

// run generates the demo base, builds and renders the report and writes it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	base, err := demo.Generate(demo.Config{Accounts: c.accounts, Seed: c.seed})
	if err != nil {
		return err
	}
	asOf := c.asOf
	if asOf.IsZero() {
		asOf = base.AsOf
	}
	if asOf.After(base.AsOf) || !asOf.After(base.DataStart) {
		return fmt.Errorf("-asof: the demo data runs from %s to %s; %s is outside it",
			base.DataStart.Format(time.DateOnly), base.AsOf.Format(time.DateOnly), asOf.Format(time.DateOnly))
	}
	msg := stdout // where the command says what it did
	if c.out == "-" {
		msg = stderr // stdout carries the report
	}
	in := demoInputs(base.Provider)
	var acct *demo.Account
	if c.account == "" {
		if acct, err = pickAccount(ctx, in, base, asOf); err != nil {
			return err
		}
		fmt.Fprintf(msg, "no -account given: picked %s (%s, %s), an active account with a path to its next phase and a plan\n",
			acct.ID, acct.Name, acct.Segment)
	} else {
		var ok bool
		if acct, ok = base.Find(c.account); !ok {
			return fmt.Errorf("-account: no account %q in the demo base (%d accounts, %s to %s)",
				c.account, len(base.Accounts), base.Accounts[0].ID, base.Accounts[len(base.Accounts)-1].ID)
		}
	}
	r, err := Build(ctx, in, customerOf(acct), asOf)
	if err != nil {
		return err
	}
	html, err := Render(r)
	if err != nil {
		return err
	}
	if c.out == "-" {
		_, err = stdout.Write(html)
		return err
	}
	if err := os.WriteFile(c.out, html, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(msg, "wrote %s: value report of %s (%s) as of %s, %d bytes\n",
		c.out, acct.ID, acct.Name, asOf.Format(time.DateOnly), len(html))
	return nil
}

// demoInputs wires the demo models into a report's Inputs.
func demoInputs(p valuepath.Provider) Inputs {
	return Inputs{
		Provider:        p,
		Derivations:     demo.AllDerivations(),
		Scorecard:       demo.Scorecard(),
		Model:           demo.EffectivenessModel(),
		Catalog:         demo.EquivalentsCatalog(),
		BaselineMetrics: demo.BaselineMetrics,
		Goals:           demo.PlanGoals,
		Volume:          demo.Transactions365d,
		VolumeUnit:      demo.TransactionUnit,
		VolumePeriod:    "processed in the last 12 months",
		FeelGood:        []string{"hours_saved", "staff_years"},
		Records:         demo.Records30d,
		RecordsUnit:     demo.RecordUpdateUnit,
		RecordsSpan:     "made by hand in the last 30 days",
		Action:          []string{"automate_records"},
		Labels:          demoLabels,
	}
}

// demoLabels names the demo metrics for customers.
var demoLabels = map[valuepath.Metric]Label{
	demo.Utilisation:      {Name: "Licensed seats in use", Percent: true},
	demo.RecordsPerUser:   {Name: "Records updated per active user, 30 days"},
	demo.ReportsPerUser:   {Name: "Reports built per active user, 30 days"},
	demo.WorkflowsPerUser: {Name: "Workflows run per active user, 30 days"},
	demo.DaysSinceQBR:     {Name: "Days since the last quarterly review"},
	demo.LoginsChange30d:  {Name: "Change in logins, month over month", Percent: true},
	demo.LatestSurvey:     {Name: "Latest survey score (0 to 10)"},
	demo.LoginsPerSeat:    {Name: "Logins per seat, 30 days"},
	demo.RecordsPerSeat:   {Name: "Records updated per seat, 30 days"},
	demo.ReportsPerSeat:   {Name: "Reports built per seat, 30 days"},
	demo.WorkflowsPerSeat: {Name: "Workflows run per seat, 30 days"},
	demo.UserTrendPerSeat: {Name: "Trend in active users, per seat per day"},
	demo.CasesPerSeat:     {Name: "Support cases per seat, 90 days"},
}

func customerOf(a *demo.Account) Customer {
	return Customer{ID: a.ID, Name: a.Name, Segment: a.Segment, Industry: a.Industry, Seats: a.Seats, Start: a.Start, ChurnedAt: a.ChurnedAt}
}

// pickAccount chooses the demo account a report shows by default: the first
// active account, in id order, that has been a customer for the whole
// health trend, stands on a phase with a path to the next, and has an
// improvement plan with at least two targets from a baseline on a phase;
// failing that, the first active one with a path and a plan.
func pickAccount(ctx context.Context, in Inputs, base *demo.Base, asOf time.Time) (*demo.Account, error) {
	assessor, err := in.Model.Bind(in.Derivations.Schema(), effectiveness.Options{})
	if err != nil {
		return nil, err
	}
	day1 := asOf.AddDate(0, -baselineMonths, 0)
	var fallback *demo.Account
	for i := range base.Accounts {
		a := &base.Accounts[i]
		c := customerOf(a)
		if !c.customerAt(asOf) || !c.customerAt(day1) {
			continue
		}
		now, err := derive(ctx, in, a.ID, asOf)
		if err != nil {
			return nil, err
		}
		as, err := assessor.Assess(now)
		if err != nil {
			return nil, err
		}
		if as.Next.Level == 0 || len(as.Next.Steps) == 0 || as.Level == 0 {
			continue
		}
		then, err := derive(ctx, in, a.ID, day1)
		if err != nil {
			return nil, err
		}
		thenA, err := assessor.Assess(then)
		if err != nil {
			return nil, err
		}
		b, err := effectiveness.NewBaseline(thenA, then, in.BaselineMetrics)
		if err != nil {
			return nil, err
		}
		whole := c.customerAt(asOf.AddDate(0, -(trendMonths - 1), 0))
		switch goals, _ := in.Goals(in.Model, b); {
		case len(goals) >= 2 && whole && b.Level > 0:
			return a, nil
		case len(goals) > 0 && fallback == nil:
			fallback = a
		}
	}
	if fallback == nil {
		return nil, errors.New("no active account in the demo base has a plan and a path to its next phase; pass -account")
	}
	return fallback, nil
}
