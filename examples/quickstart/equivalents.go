package main

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath/equivalents"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// equivalentsSection turns one demo account's raw usage into feel-good
// equivalents (hours and staff-years saved) and one action equivalent, each
// with its chain and sources.
func equivalentsSection(env *demoEnv) error {
	cat := demo.EquivalentsCatalog()

	// The first active Enterprise account with a year of transactions, or
	// failing that (in a small demo base) the first active account with them.
	txIdx, _ := env.derivations.Schema().Index(demo.Transactions365d)
	recIdx, _ := env.derivations.Schema().Index(demo.Records30d)
	pick := -1
	for i, a := range env.base.Accounts {
		_, ok := env.snapshots[i].ValueAt(txIdx)
		_, ok2 := env.snapshots[i].ValueAt(recIdx)
		if a.Active() && ok && ok2 && (pick < 0 || a.Segment == demo.Enterprise) {
			pick = i
			if a.Segment == demo.Enterprise {
				break
			}
		}
	}
	if pick >= 0 {
		a := env.base.Accounts[pick]
		tx, _ := env.snapshots[pick].ValueAt(txIdx)
		rec, _ := env.snapshots[pick].ValueAt(recIdx)
		en := equivalents.English{}
		txQ, err := equivalents.QuantityOf(tx, "transaction")
		if err != nil {
			return err
		}
		fmt.Fprintf(env.w, "%s (%s): %s transactions in the last 365 days, %s records updated in the last 30.\n",
			a.Name, a.ID, en.Number(txQ.Value), en.Number(decimal.NewFromFloat(rec)))
		fmt.Fprintf(env.w, "Catalog %q: every figure below is justified by the factor named under it.\n", cat.Name())

		report, err := cat.Report(txQ, "hours_saved", "staff_years")
		if err != nil {
			return err
		}
		print := func(kind string, it equivalents.Item) {
			fmt.Fprintf(env.w, "\n  [%s] %s\n", kind, cat.Statement(it, en))
			for _, line := range cat.Explain(it.Conversion, en) {
				fmt.Fprintf(env.w, "      %s\n", line)
			}
		}
		for it := range report.Of(equivalents.FeelGood) {
			print(string(equivalents.FeelGood), it) // the kind as JSON writes it: feel_good
		}
		recQ, err := equivalents.QuantityOf(rec, "record_update")
		if err != nil {
			return err
		}
		action, err := cat.Report(recQ, "automate_records")
		if err != nil {
			return err
		}
		for it := range action.Of(equivalents.Action) {
			print(string(equivalents.Action), it)
		}
		g, err := cat.Grant("leave", txQ)
		if err != nil {
			return err
		}
		leave, _ := cat.Unit(g.Award.Quantity.Unit)
		capped := ""
		if g.Capped {
			capped = ", capped"
		}
		fmt.Fprintf(env.w, "\n  [award] every 100 hours saved earns 2 hours of team leave: %s full steps → %s%s (%s)\n",
			g.Steps, en.Amount(g.Award.Quantity.Value, leave), capped, g.Source)
		return nil
	}
	fmt.Fprintln(env.w, "no active account with transactions in the demo base")
	return nil
}
