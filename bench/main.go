// Command vpbench times the valuepath library against a hand-written Go
// loop, DuckDB and PostgreSQL on the same data, checks that every
// contender's answer equals the library's, and prints the ratios. bench/run
// drives it; see README.md.
//
//	vpbench gen -dir D [-small]               write the data (CSV) and its sizes
//	vpbench run -dir D -w W -c C [-reps 3]    time contender C on workload W
//	vpbench report -dir D                     check the answers, print the tables
//	vpbench sql                               print the SQL every database runs
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: vpbench gen|run|report|sql [flags]")
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "gen":
		err = gen(args)
	case "run":
		err = run(args)
	case "report":
		err = report(args)
	case "sql":
		printSQL()
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "vpbench:", err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	dir := fs.String("dir", "", "directory for the CSV files")
	small := fs.Bool("small", false, "small sizes, for a smoke run")
	seed := fs.Uint64("seed", 1, "seed of the generators")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("-dir is required")
	}
	s := fullSizes
	if *small {
		s = smallSizes
	}
	s.Seed = *seed
	return writeCSVs(*dir, s)
}

// result is what one contender process measured.
type result struct {
	Workload  string          `json:"workload"`
	Contender string          `json:"contender"`
	Procs     int             `json:"procs"`
	Runs      []float64       `json:"runs_s"`
	Best      float64         `json:"best_s"`
	Setup     float64         `json:"setup_s"` // data generation or load, not timed
	BackendKB int64           `json:"backend_peak_kb,omitempty"`
	Answer    json.RawMessage `json:"answer"`
}

var (
	workloads  = []string{"health", "auc", "bridge"}
	contenders = []string{"library", "library-slice", "library-columns", "hand", "hand-snapshots", "duckdb", "duckdb-csv", "postgres"}
)

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	dir := fs.String("dir", "", "directory written by gen")
	w := fs.String("w", "", "workload: health, auc or bridge")
	c := fs.String("c", "", "contender: library, library-slice and library-columns (health only), hand, hand-snapshots (health only), duckdb, duckdb-csv or postgres")
	reps := fs.Int("reps", 3, "timed repetitions; the best counts")
	out := fs.String("out", "", "result file (JSON)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !slices.Contains(workloads, *w) || !slices.Contains(contenders, *c) || *reps < 1 || *out == "" {
		return fmt.Errorf("need -w (%v), -c (%v), -reps ≥ 1 and -out", workloads, contenders)
	}
	if *c == "hand-snapshots" && *w != "health" {
		return errors.New("hand-snapshots is a health contender")
	}
	s, err := readSizes(*dir)
	if err != nil {
		return err
	}
	ctx := context.Background()
	res := result{Workload: *w, Contender: *c, Procs: runtime.GOMAXPROCS(0)}
	setupStart := time.Now()
	var once func() (any, error)
	var db *dbContender
	switch *c {
	case "duckdb", "duckdb-csv":
		db, err = openDuckDB(ctx, *dir, *c == "duckdb-csv")
	case "postgres":
		db, err = openPostgres(ctx, *dir)
	}
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
		switch *w {
		case "health":
			once = func() (any, error) { return db.health(ctx) }
		case "auc":
			once = func() (any, error) { return db.auc(ctx) }
		case "bridge":
			once = func() (any, error) { return db.bridge(ctx, s.RevenueMonths) }
		}
	} else {
		once, err = goContender(*w, *c, s)
		if err != nil {
			return err
		}
	}
	res.Setup = time.Since(setupStart).Seconds()
	runtime.GC()
	var answer []byte
	for i := range *reps {
		start := time.Now()
		a, err := once()
		d := time.Since(start).Seconds()
		if err != nil {
			return fmt.Errorf("%s on %s: %w", *c, *w, err)
		}
		b, err := json.Marshal(a)
		if err != nil {
			return err
		}
		// A parallel database sums floats in no fixed order, so runs are
		// held to the same check as contenders: checkAnswer's tolerance.
		if i > 0 && string(b) != string(answer) {
			if err := checkAnswer(*w, b, answer); err != nil {
				return fmt.Errorf("%s on %s: run %d answered %s, run 1 %s: %w", *c, *w, i+1, b, answer, err)
			}
		}
		answer = b
		res.Runs = append(res.Runs, d)
	}
	res.Best = slices.Min(res.Runs)
	res.Answer = answer
	if db != nil && db.pg {
		res.BackendKB = db.backendPeakKB(ctx)
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*out, append(b, '\n'), 0o644)
}

// goContender prepares the Go contenders' in-memory input (not timed) and
// returns the timed part.
func goContender(w, c string, s Sizes) (func() (any, error), error) {
	switch w {
	case "health":
		d := genHealth(s)
		switch c {
		case "library":
			in, err := newLibHealth(d)
			if err != nil {
				return nil, err
			}
			return func() (any, error) { return libHealth(in) }, nil
		case "library-slice":
			in, err := newLibHealth(d)
			if err != nil {
				return nil, err
			}
			in.dst = newSummaries(d.n)
			return func() (any, error) { return libSlice(in) }, nil
		case "library-columns":
			in, err := newLibColumns(d)
			if err != nil {
				return nil, err
			}
			return func() (any, error) { return libColumns(in) }, nil
		case "hand-snapshots":
			in, err := newLibHealth(d)
			if err != nil {
				return nil, err
			}
			return func() (any, error) { return handHealthSnapshots(in), nil }, nil
		default:
			return func() (any, error) { return handHealth(d), nil }, nil
		}
	case "auc":
		d := genAUC(s)
		if c == "library" {
			return func() (any, error) { return libAUC(d) }, nil
		}
		return func() (any, error) { return handAUC(d) }, nil
	default:
		ev := genRevenue(s)
		if c == "library" {
			in := newLibRevenue(ev, s.RevenueMonths)
			return func() (any, error) { return libRevenue(in) }, nil
		}
		return func() (any, error) { return handRevenue(ev, s.RevenueMonths) }, nil
	}
}

func printSQL() {
	fmt.Println("-- tables (PostgreSQL and DuckDB)")
	for _, q := range createTables() {
		fmt.Println(q + ";")
	}
	fmt.Println("\n-- health\n" + healthSQL() + ";")
	fmt.Println("\n-- auc\n" + aucSQL + ";")
	fmt.Println("\n-- bridge (PostgreSQL; DuckDB writes // for the integer division)\n" + bridgeSQL(pgDialect) + ";")
}

// loadResults reads every result file under dir/results.
func loadResults(dir string) ([]result, error) {
	files, err := filepath.Glob(filepath.Join(dir, "results", "*.json"))
	if err != nil {
		return nil, err
	}
	var out []result
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var r result
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, r)
	}
	return out, nil
}
