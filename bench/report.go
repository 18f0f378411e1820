package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// entryRows names the ratio rows of the health entries other than the
// stream, by contender.
var entryRows = map[string]string{"library-slice": "health (slice)", "library-columns": "health (columns)"}

// report checks every contender's answer against the library's and prints
// two tables: what each process measured, and library time ÷ contender
// time per workload with the library on 1 core and on 2.
func report(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	dir := fs.String("dir", "", "directory written by gen and run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rs, err := loadResults(*dir)
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return errors.New("no results")
	}
	s, err := readSizes(*dir)
	if err != nil {
		return err
	}
	// The reference answer is the library's on 1 core.
	ref := map[string]result{}
	lib := map[string]map[int]float64{}
	for _, r := range rs {
		if row, ok := entryRows[r.Contender]; ok {
			// The other health entries get a row of their own in the ratios.
			if lib[row] == nil {
				lib[row] = map[int]float64{}
			}
			lib[row][r.Procs] = r.Best
		}
		if r.Contender != "library" {
			continue
		}
		if lib[r.Workload] == nil {
			lib[r.Workload] = map[int]float64{}
		}
		lib[r.Workload][r.Procs] = r.Best
		if cur, ok := ref[r.Workload]; !ok || r.Procs < cur.Procs {
			ref[r.Workload] = r
		}
	}
	checked := map[string]error{} // by workload/contender/procs
	key := func(r result) string { return fmt.Sprintf("%s/%s/%d", r.Workload, r.Contender, r.Procs) }
	for _, r := range rs {
		want, ok := ref[r.Workload]
		if !ok {
			checked[key(r)] = errors.New("no library result to check against")
			continue
		}
		checked[key(r)] = checkAnswer(r.Workload, r.Answer, want.Answer)
	}
	fmt.Printf("data: seed %d; health %d accounts × %d measures; AUC of %d scores; bridge of %d customers × %d months\n\n",
		s.Seed, s.HealthAccts, healthMeasures, s.AUCScores, s.RevenueAccts, s.RevenueMonths)
	fmt.Println("| workload | contender | GOMAXPROCS | best (s) | runs (s) | load/setup (s, not timed) | peak RSS (MB) | answer |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, w := range workloads {
		for _, c := range contenders {
			for _, r := range rs {
				if r.Workload != w || r.Contender != c {
					continue
				}
				runs := make([]string, len(r.Runs))
				for i, x := range r.Runs {
					runs[i] = fmt.Sprintf("%.3f", x)
				}
				rss := "?"
				if kb := peakKB(*dir, r); kb > 0 {
					rss = fmt.Sprintf("%.0f", float64(kb)/1024)
				}
				if r.BackendKB > 0 {
					rss += fmt.Sprintf(" client, %.0f backend", float64(r.BackendKB)/1024)
				}
				ok := "= library"
				if err := checked[key(r)]; err != nil {
					ok = "MISMATCH: " + err.Error()
				} else if c == "library" && r.Procs == ref[w].Procs {
					ok = "reference"
				}
				fmt.Printf("| %s | %s | %d | %.3f | %s | %.1f | %s | %s |\n", w, c, r.Procs, r.Best, strings.Join(runs, " "), r.Setup, rss, ok)
			}
		}
	}
	fmt.Println("\nlibrary time ÷ contender time (below 1 the library is faster), library on 1 core / on 2 cores:")
	fmt.Println()
	names := map[string]string{"hand": "hand-written Go (flat arrays)", "hand-snapshots": "hand-written Go (over snapshots)",
		"duckdb": "DuckDB (duckdb-go)", "duckdb-csv": "DuckDB over the CSV", "postgres": "PostgreSQL"}
	cols := contenders[3:]
	head := "| workload |"
	sep := "|---|"
	for _, c := range cols {
		head += " " + names[c] + " |"
		sep += "---|"
	}
	fmt.Println(head)
	fmt.Println(sep)
	rows := slices.Insert(slices.Clone(workloads), 1, entryRows["library-slice"], entryRows["library-columns"])
	for _, row := range rows {
		w, _, _ := strings.Cut(row, " (")
		if lib[row] == nil {
			continue
		}
		line := "| " + row + " |"
		for _, c := range cols {
			cell := ""
			for _, r := range rs {
				if r.Workload != w || r.Contender != c {
					continue
				}
				if err := checked[key(r)]; err != nil {
					cell = "answer differs"
					break
				}
				var parts []string
				for _, p := range []int{1, 2} {
					if t, ok := lib[row][p]; ok {
						parts = append(parts, fmt.Sprintf("%.3g", t/r.Best))
					} else {
						parts = append(parts, "–")
					}
				}
				cell = strings.Join(parts, " / ")
			}
			line += " " + cell + " |"
		}
		fmt.Println(line)
	}
	for k, err := range checked {
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

func checkAnswer(w string, got, want json.RawMessage) error {
	switch w {
	case "health":
		var g, x healthAnswer
		if err := unmarshal2(got, want, &g, &x); err != nil {
			return err
		}
		return g.check(x)
	case "auc":
		var g, x aucAnswer
		if err := unmarshal2(got, want, &g, &x); err != nil {
			return err
		}
		return g.check(x)
	default:
		var g, x bridgeAnswer
		if err := unmarshal2(got, want, &g, &x); err != nil {
			return err
		}
		return g.check(x)
	}
}

func unmarshal2(a, b json.RawMessage, x, y any) error {
	if err := json.Unmarshal(a, x); err != nil {
		return err
	}
	return json.Unmarshal(b, y)
}

// peakKB reads the "Maximum resident set size" that /usr/bin/time -v wrote
// beside the result file, or 0.
func peakKB(dir string, r result) int64 {
	b, err := os.ReadFile(fmt.Sprintf("%s/results/%s.%s.p%d.time", dir, r.Workload, r.Contender, r.Procs))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if _, v, ok := strings.Cut(line, "Maximum resident set size (kbytes):"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return kb
		}
	}
	return 0
}
