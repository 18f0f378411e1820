package effectiveness_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/valuepath/valuepath/internal/batch/batchtest"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

const benchAccounts = 1_000_000

// benchModel is a 5-phase, 25-behavior model whose behaviors compare one
// metric each, with every comparison kind.
func benchModel() (*effectiveness.Model, *valuepath.Schema) {
	ops := []valuepath.Comparison{valuepath.AtLeast, valuepath.Above, valuepath.AtMost, valuepath.Below, valuepath.AtLeast}
	var phases []effectiveness.Phase
	var names []valuepath.Metric
	for p := range 5 {
		ph := effectiveness.Phase{ID: fmt.Sprintf("phase-%d", p+1)}
		for b := range 5 {
			m := valuepath.Metric(fmt.Sprintf("m%d_%d", p, b))
			names = append(names, m)
			// Thresholds get harder with the phase: more accounts stop early.
			t := 0.2 + 0.15*float64(p)
			if ops[b] == valuepath.AtMost || ops[b] == valuepath.Below {
				t = 1 - t
			}
			ph.Behaviors = append(ph.Behaviors, effectiveness.Behavior{
				ID: fmt.Sprintf("b%d_%d", p, b), Features: []string{"feature"},
				Criterion: effectiveness.Criterion{Metric: m, Comparison: ops[b], Value: t},
			})
		}
		phases = append(phases, ph)
	}
	return valuepath.Must(effectiveness.NewModel(effectiveness.ModelSpec{Phases: phases})), valuepath.Must(valuepath.NewSchema(names...))
}

// benchSnapshots returns n snapshots with values drawn uniformly in [0, 1)
// and about 2% of values missing.
func benchSnapshots(schema *valuepath.Schema, n int) []*valuepath.Snapshot {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]*valuepath.Snapshot, n)
	for i := range out {
		s := valuepath.NewSnapshot(schema, valuepath.AccountID(fmt.Sprintf("acct-%d", i)), time.Time{})
		for j := range schema.Len() {
			if r.Float64() < 0.98 {
				_ = s.SetAt(j, r.Float64())
			}
		}
		out[i] = s
	}
	return out
}

// cycle yields n snapshots, cycling through pool.
func cycle(pool []*valuepath.Snapshot, n int) iter.Seq[*valuepath.Snapshot] {
	return func(yield func(*valuepath.Snapshot) bool) {
		for i := range n {
			if !yield(pool[i%len(pool)]) {
				return
			}
		}
	}
}

// handCriterion is one behavior's comparison compiled to a schema index, as
// a host would write it by hand.
type handCriterion struct {
	idx int
	op  int // 0 >=, 1 >, 2 <=, 3 <
	t   float64
}

// handResult is what the hand-written loop computes per account: each
// behavior's status, the phase reached and the progress to the next.
type handResult struct {
	status   [25]effectiveness.BehaviorStatus
	level    int
	progress float64
}

func handAssess(crit []handCriterion, s *valuepath.Snapshot, r *handResult) {
	for i, c := range crit {
		v, ok := s.ValueAt(c.idx)
		if !ok {
			r.status[i] = effectiveness.Unknown
			continue
		}
		var met bool
		switch c.op {
		case 0:
			met = v >= c.t
		case 1:
			met = v > c.t
		case 2:
			met = v <= c.t
		case 3:
			met = v < c.t
		}
		if met {
			r.status[i] = effectiveness.Met
		} else {
			r.status[i] = effectiveness.NotMet
		}
	}
	r.level, r.progress = 0, 1
	for p := range 5 {
		met := 0
		for _, st := range r.status[p*5 : p*5+5] {
			if st == effectiveness.Met {
				met++
			}
		}
		if met < 5 {
			r.progress = float64(met) / 5
			return
		}
		r.level = p + 1
	}
}

// million holds the bench model, its schema and a million distinct
// snapshots on it, built once per process, so that the batch benchmarks do
// not cycle a small cache-hot set and all read the same snapshots.
var million struct {
	once   sync.Once
	model  *effectiveness.Model
	schema *valuepath.Schema
	snaps  []*valuepath.Snapshot
}

// millionBench returns what the batch benchmarks compare: the bench
// model's assessor, its hand-written criteria and the million snapshots.
func millionBench(b *testing.B) (*effectiveness.Assessor, []handCriterion, []*valuepath.Snapshot) {
	million.once.Do(func() {
		million.model, million.schema = benchModel()
		million.snaps = benchSnapshots(million.schema, benchAccounts)
	})
	a, err := million.model.Bind(million.schema, effectiveness.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return a, handCriteria(million.model, million.schema), million.snaps
}

// BenchmarkAssessAll assesses 1,000,000 distinct accounts per op with
// AssessAll on 1 and 2 goroutines, and the hand-written loop over the same
// snapshots on as many shards in the same op; it reports both per-account
// times, their ratio (x-handwritten) and the ratio of their CPU times
// (cpu-x-handwritten, steadier on a busy machine).
func BenchmarkAssessAll(b *testing.B) {
	a, crit, snaps := millionBench(b)
	batchtest.CompareHandWritten(b, len(snaps), func(b *testing.B, opt valuepath.BatchOptions) int {
		levels := 0
		for got, err := range a.AssessAll(slices.Values(snaps), opt) {
			if err != nil {
				b.Fatal(err)
			}
			levels += got.Level
		}
		return levels
	}, func(lo, hi int) int {
		var r handResult
		levels := 0
		for _, s := range snaps[lo:hi] {
			handAssess(crit, s, &r)
			levels += r.level
		}
		return levels
	})
}

// BenchmarkAssessSlice assesses the 1,000,000 distinct accounts of
// BenchmarkAssessAll per op with AssessSlice into a reused []Assessment, on
// 1 and 2 goroutines, against the hand-written loop over the same slice on
// as many shards writing each account's result to a slice of its own.
func BenchmarkAssessSlice(b *testing.B) {
	a, crit, snaps := millionBench(b)
	dst := make([]effectiveness.Assessment, len(snaps))
	hand := make([]handResult, len(snaps))
	batchtest.CompareSlice(b, len(snaps), func(b *testing.B, opt valuepath.BatchOptions) {
		if err := a.AssessSlice(snaps, dst, opt); err != nil {
			b.Fatal(err)
		}
	}, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			handAssess(crit, snaps[i], &hand[i])
		}
	}, func() error {
		for i := range dst {
			if dst[i].Level != hand[i].level {
				return fmt.Errorf("account %d: level %d, hand-written loop %d", i, dst[i].Level, hand[i].level)
			}
		}
		return nil
	})
}

func handCriteria(m *effectiveness.Model, schema *valuepath.Schema) []handCriterion {
	var crit []handCriterion
	for _, ph := range m.Spec().Phases {
		for _, bh := range ph.Behaviors {
			i, _ := schema.Index(bh.Criterion.Metric)
			op := map[valuepath.Comparison]int{valuepath.AtLeast: 0, valuepath.Above: 1, valuepath.AtMost: 2, valuepath.Below: 3}[bh.Criterion.Comparison]
			crit = append(crit, handCriterion{idx: i, op: op, t: bh.Criterion.Value})
		}
	}
	return crit
}

// TestHandWrittenLoopAgrees checks the baseline computes what the library
// does, so the benchmark compares like with like.
func TestHandWrittenLoopAgrees(t *testing.T) {
	m, schema := benchModel()
	a, err := m.Bind(schema, effectiveness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	crit := handCriteria(m, schema)
	pool := benchSnapshots(schema, 500)
	levels := map[int]int{}
	i := 0
	for got, err := range a.AssessAll(cycle(pool, len(pool)), valuepath.BatchOptions{Concurrency: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		var r handResult
		handAssess(crit, pool[i], &r)
		if got.Level != r.level || got.Next.Progress != r.progress {
			t.Fatalf("account %d: library level %d progress %v, hand-written %d %v", i, got.Level, got.Next.Progress, r.level, r.progress)
		}
		levels[got.Level]++
		i++
	}
	if len(levels) < 3 {
		t.Errorf("benchmark data reaches too few phases to be a fair test: %v", levels)
	}
}
