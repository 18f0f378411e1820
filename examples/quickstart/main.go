// Command quickstart runs valuepath end to end on the built-in demo customer
// base: it generates the accounts, derives their metrics through a Provider,
// and prints what each package of the library finds.
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -accounts 1000 -seed 7
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// demoEnv is what every section reads: the demo base, the derivation set,
// and every account's snapshot as of the demo's asOf, in base order.
type demoEnv struct {
	w           io.Writer
	ctx         context.Context
	base        *demo.Base
	asOf        time.Time
	derivations *valuepath.Derivations
	snapshots   []*valuepath.Snapshot
}

// section is one part of the tour, printed under its title.
type section struct {
	title string
	run   func(env *demoEnv) error
}

// sections lists the tour in order; each package adds its own.
var sections = []section{
	{"Derived metrics", derivedSection},
	{"Health", healthSection},
	{"Effectiveness", effectivenessSection},
	{"Engagement", engagementSection},
	{"Segments", segmentSection},
	{"Equivalents", equivalentsSection},
	{"Recurring revenue", revenueSection},
}

func main() {
	accounts := flag.Int("accounts", 300, fmt.Sprintf("number of demo accounts (at least %d)", minAccounts))
	seed := flag.Uint64("seed", 1, "random seed of the demo base")
	flag.Parse()
	if err := run(os.Stdout, *accounts, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// minAccounts is the smallest demo base every section has something to
// show for: below it a base can have no account with a path to its next
// phase, or no churn to backtest against.
const minAccounts = 5

func run(w io.Writer, accounts int, seed uint64) error {
	if accounts < minAccounts {
		return fmt.Errorf("-accounts must be at least %d (every section needs a few accounts to show), got %d", minAccounts, accounts)
	}
	base, err := demo.Generate(demo.Config{Accounts: accounts, Seed: seed})
	if err != nil {
		return err
	}
	env := &demoEnv{w: w, ctx: context.Background(), base: base, asOf: base.AsOf, derivations: demo.Derivations()}
	env.snapshots, err = env.snapshotsAt(base.AsOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "valuepath quickstart: %d demo accounts (seed %d), usage from %s, as of %s\n",
		len(base.Accounts), seed, base.DataStart.Format(time.DateOnly), base.AsOf.Format(time.DateOnly))
	for _, s := range sections {
		fmt.Fprintf(w, "\n== %s ==\n\n", s.title)
		if err := s.run(env); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
	}
	fmt.Fprint(w, `
== Next ==

The same models in production shape (see "Use it in your service" in README.md):
  go run ./examples/sqlprovider/cmd/loaddemo -db /tmp/demo.db   # the demo base in a SQLite file
  go run ./examples/service -db /tmp/demo.db                    # an HTTP JSON service over it
  go run ./examples/valuereport -out report.html                # one customer's value report
`)
	return nil
}

// snapshotsAt derives the demo set's metrics for every account as of asOf,
// in base order.
func (env *demoEnv) snapshotsAt(asOf time.Time) ([]*valuepath.Snapshot, error) {
	return env.derive(env.derivations, env.all(), asOf)
}

// all returns every demo account, in base order.
func (env *demoEnv) all() []*demo.Account {
	out := make([]*demo.Account, len(env.base.Accounts))
	for i := range env.base.Accounts {
		out[i] = &env.base.Accounts[i]
	}
	return out
}

// derive evaluates d for accounts as of asOf through the batch API, in the
// order given. Accounts with no data by then (churned long before, or not
// yet started) get a snapshot with every metric missing.
func (env *demoEnv) derive(d *valuepath.Derivations, accounts []*demo.Account, asOf time.Time) ([]*valuepath.Snapshot, error) {
	ids := func(yield func(valuepath.AccountID) bool) {
		for _, a := range accounts {
			if !yield(a.ID) {
				return
			}
		}
	}
	out := make([]*valuepath.Snapshot, 0, len(accounts))
	for snap, err := range d.EvaluateAll(env.ctx, env.base.Provider, ids, asOf, valuepath.BatchOptions{}) {
		if err != nil && !errors.Is(err, valuepath.ErrNoData) {
			return nil, err
		}
		out = append(out, snap.Clone())
	}
	return out, nil
}
