// Command beam scores a whole customer base on Apache Beam: it derives
// every account's snapshot from raw samples and events with the library's
// derivations, scores its health, places it on the effectiveness model and
// writes one result per account, then combines the base's band counts,
// percentiles and the backtest's AUC. The same pipeline runs in-process on
// Beam's Prism runner (the default) and on Flink, Spark or Google Cloud
// Dataflow; see README.md.
//
//	go run ./examples/beam -accounts 300 -out /tmp/vp-beam
//	go run ./examples/beam -accounts 300 -out /tmp/vp-beam -measure
//
// Beam's own flags choose the runner: --runner=prism|flink|spark|dataflow
// with --endpoint, --project, --region, --staging_location and the rest
// as the Beam Go SDK documents them.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

var (
	accounts      = flag.Int("accounts", 300, "number of demo accounts to generate")
	seed          = flag.Uint64("seed", 1, "demo base seed")
	out           = flag.String("out", "", "output directory or prefix (gs://… on Dataflow): results.jsonl and base.json; the generated input goes to <out>/input")
	input         = flag.String("input", "", "read samples.jsonl, events.jsonl and accounts.jsonl under this prefix instead of generating the demo base")
	asOfFlag      = flag.String("asof", "", "score as of this date (YYYY-MM-DD); default six months before the end of the demo data")
	derivations   = flag.String("derivations", "", "derivations JSON file; default the demo's")
	scorecardFile = flag.String("scorecard", "", "health scorecard JSON file; default the demo's")
	modelFile     = flag.String("effectiveness", "", "effectiveness model JSON file; default the demo's")
	measure       = flag.Bool("measure", false, "also run the in-process batch path on the same data, check parity and report accounts per second for both")
)

func main() {
	flag.Parse()
	beam.Init()
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer) error {
	if *out == "" {
		return fmt.Errorf("-out: must be set")
	}
	models, err := loadModels()
	if err != nil {
		return err
	}
	base, err := demo.Generate(demo.Config{Accounts: *accounts, Seed: *seed})
	if err != nil {
		return err
	}
	asOf := scoringDate(base)
	if *asOfFlag != "" {
		if asOf, err = time.Parse(time.DateOnly, *asOfFlag); err != nil {
			return fmt.Errorf("-asof: %w", err)
		}
	}
	opt := Options{Results: join(*out, "results.jsonl"), Base: join(*out, "base.json"), AsOf: asOf, Models: models}
	var in *Inputs
	if *input != "" {
		if *measure {
			return fmt.Errorf("-measure: needs the generated demo base, not -input")
		}
		opt.Samples, opt.Events, opt.Accounts = join(*input, "samples*.jsonl"), join(*input, "events*.jsonl"), join(*input, "accounts*.jsonl")
	} else {
		if in, err = writeInputs(ctx, base, join(*out, "input"), asOf); err != nil {
			return err
		}
		opt.Samples, opt.Events, opt.Accounts = in.Samples, in.Events, in.Accounts
		fmt.Fprintf(w, "wrote %d sample and event lines for %d accounts; scoring %d as of %s\n",
			in.Lines, len(base.Accounts), len(in.Population), asOf.Format(time.DateOnly))
	}

	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, opt); err != nil {
		return err
	}
	start := time.Now()
	if err := beamx.Run(ctx, p); err != nil {
		return err
	}
	pipelineTime := time.Since(start)
	fmt.Fprintf(w, "pipeline: %s, results in %s, base in %s\n", pipelineTime.Round(time.Millisecond), opt.Results, opt.Base)
	if !*measure {
		return nil
	}

	start = time.Now()
	results, stats, err := inProcess(ctx, models, base.Provider, in.Population, asOf)
	if err != nil {
		return err
	}
	inTime := time.Since(start)
	if err := sameOutput(opt, results, stats); err != nil {
		return err
	}
	// The same path, reading the same files first, as the pipeline does.
	start = time.Now()
	fp, pop, err := readInputs(in, demo.SeriesMetrics)
	if err != nil {
		return err
	}
	results, stats, err = inProcess(ctx, models, fp, pop, asOf)
	if err != nil {
		return err
	}
	fileTime := time.Since(start)
	if err := sameOutput(opt, results, stats); err != nil {
		return err
	}
	n := float64(len(in.Population))
	fmt.Fprintf(w, "parity: %d per-account results and the base statistics are byte-identical, from memory and from the files\n", len(results))
	fmt.Fprintf(w, "in-process: %s from memory, %s reading the same files\n", inTime.Round(time.Millisecond), fileTime.Round(time.Millisecond))
	fmt.Fprintf(w, "accounts/s: pipeline on %s %.1f; in-process %.0f from memory (%.0fx), %.0f from the files (%.0fx)\n",
		runnerName(), n/pipelineTime.Seconds(), n/inTime.Seconds(), pipelineTime.Seconds()/inTime.Seconds(),
		n/fileTime.Seconds(), pipelineTime.Seconds()/fileTime.Seconds())
	fmt.Fprintf(w, "Go heap peak (runtime/metrics, whole process): %.0f MiB; GOMAXPROCS %d\n", heapPeakMiB(), runtime.GOMAXPROCS(0))
	return nil
}

// loadModels reads the model files the flags name, or the demo's models.
func loadModels() (Models, error) {
	d, err := json.Marshal(demo.AllDerivations().Spec())
	if err != nil {
		return Models{}, err
	}
	m := Models{Derivations: string(d), Scorecard: demo.HealthScorecardJSON, Effectiveness: demo.EffectivenessModelJSON}
	for _, f := range []struct {
		path string
		dst  *string
	}{{*derivations, &m.Derivations}, {*scorecardFile, &m.Scorecard}, {*modelFile, &m.Effectiveness}} {
		if f.path == "" {
			continue
		}
		b, err := os.ReadFile(f.path)
		if err != nil {
			return Models{}, err
		}
		*f.dst = string(b)
	}
	return m, nil
}

// sameOutput checks that the pipeline's files hold exactly what the
// in-process path computes, line for line.
func sameOutput(opt Options, results []Result, stats *BaseStats) error {
	got, err := readResults(opt.Results)
	if err != nil {
		return err
	}
	if len(got) != len(results) {
		return fmt.Errorf("parity: pipeline wrote %d results, in-process computed %d", len(got), len(results))
	}
	for i := range got {
		a, _ := json.Marshal(got[i])
		b, _ := json.Marshal(results[i])
		if string(a) != string(b) {
			return fmt.Errorf("parity: account %s differs:\npipeline   %s\nin-process %s", results[i].Account, a, b)
		}
	}
	gotBase, err := os.ReadFile(opt.Base)
	if err != nil {
		return err
	}
	want, _ := json.Marshal(stats)
	if strings.TrimSpace(string(gotBase)) != string(want) {
		return fmt.Errorf("parity: base statistics differ:\npipeline   %s\nin-process %s", strings.TrimSpace(string(gotBase)), want)
	}
	return nil
}

func join(prefix, name string) string { return strings.TrimSuffix(prefix, "/") + "/" + name }

func runnerName() string {
	if f := flag.Lookup("runner"); f != nil && f.Value.String() != "" {
		return f.Value.String()
	}
	return "prism"
}

// heapPeakMiB is the Go runtime's total mapped memory, the closest the
// runtime itself reports to a peak; /usr/bin/time -v gives the RSS peak.
func heapPeakMiB() float64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	return float64(s[0].Value.Uint64()) / (1 << 20)
}
