// Command loaddemo writes the valuepath demo customer base into a new SQLite
// database file that the sqlprovider package (and the service example) can
// serve from, and prints what it wrote and how long it took.
//
//	go run ./examples/sqlprovider/cmd/loaddemo -db /tmp/demo.db -accounts 300 -seed 1
//
// It refuses to overwrite an existing file: delete it first, or choose
// another path. The file appears only once it is complete: the load goes to
// PATH.partial, renamed into place at the end (see sqlprovider.Build). An
// interrupt (Ctrl-C, SIGTERM) removes the partial file; after a kill -9 or
// a crash, running the same command again discards it and starts over.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/examples/sqlprovider"
)

func main() {
	// SIGTERM (kill, a container stop) is handled like Ctrl-C: the load
	// stops and its partial file is removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout, os.Args[1:])
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "loaddemo:", err)
		}
		os.Exit(2)
	}
}

// run parses args, generates the demo base and loads it into a new file.
func run(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("loaddemo", flag.ContinueOnError)
	path := fs.String("db", "", "path of the SQLite database file to create (must not exist)")
	accounts := fs.Int("accounts", 300, "number of demo accounts, 1 to 100000")
	seed := fs.Uint64("seed", 1, "random seed of the demo base (0 means 1)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *path == "":
		return errors.New("-db: give the path of the database file to create")
	case *accounts < 1 || *accounts > 100000:
		return fmt.Errorf("-accounts: must be between 1 and 100000, got %d", *accounts)
	}

	t0 := time.Now()
	base, err := demo.Generate(demo.Config{Accounts: *accounts, Seed: *seed})
	if err != nil {
		return err
	}
	genTime := time.Since(t0)

	t1 := time.Now()
	var st sqlprovider.ImportStats
	recovered, err := sqlprovider.Build(ctx, *path, sqlprovider.Options{}, func(ctx context.Context, p *sqlprovider.Provider) error {
		var err error
		st, err = sqlprovider.LoadDemo(ctx, p, base)
		return err
	})
	if recovered {
		fmt.Fprintf(w, "found %s%s left by a load that did not finish; discarded it and started over\n", *path, sqlprovider.PartialSuffix)
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; nothing was written to %s (run again to load it)", *path)
	}
	if err != nil {
		return err
	}
	loadTime := time.Since(t1)
	size := int64(-1)
	if fi, err := os.Stat(*path); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(w, "wrote %s: %d accounts, %d metrics, %d samples, %d events (%.1f MB)\n",
		*path, st.Accounts, st.Metrics, st.Samples, st.Events, float64(size)/1e6)
	fmt.Fprintf(w, "generated the demo base in %s, loaded it in %s (%.0f rows/s)\n",
		genTime.Round(time.Millisecond), loadTime.Round(time.Millisecond),
		float64(st.Samples+st.Events)/loadTime.Seconds())
	fmt.Fprintf(w, "data as of %s, daily series from %s\n", base.AsOf.Format("2006-01-02"), base.DataStart.Format("2006-01-02"))
	return nil
}
