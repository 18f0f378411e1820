package revenue_test

import (
	"bufio"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

var (
	peakMode      = flag.String("peak", "", "TestPeakMemory: bridge the benchmark book 'stream'ed, as 'events' in one pass, or held in 'memory', and report the process's peak resident memory")
	peakCustomers = flag.Int("peak.customers", 100_000, "TestPeakMemory: customers in the book (36 months each)")
)

// vmHWM returns the process's peak resident set from /proc/self/status.
func vmHWM(t *testing.T) string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Skip("no VmHWM in /proc/self/status")
	return ""
}

// TestPeakMemory measures the peak memory of one bridge over the
// benchmark's book (generated from a seed, never stored), in a process of
// its own; it runs only when asked:
//
//	go test -c -o /tmp/revenue.test ./revenue
//	/tmp/revenue.test -test.run '^TestPeakMemory$' -test.v -peak=stream -peak.customers=300000
//	/tmp/revenue.test -test.run '^TestPeakMemory$' -test.v -peak=events -peak.customers=300000
//	/tmp/revenue.test -test.run '^TestPeakMemory$' -test.v -peak=memory -peak.customers=300000
//
// stream feeds the accounts one at a time through NormalizeAll (every
// core) into NewBridgeStream; events feeds them to NewBridgeEvents (every
// core); memory builds the whole book as one slice,
// then Normalize and NewBridge, as a caller holding the book would.
func TestPeakMemory(t *testing.T) {
	if *peakMode == "" {
		t.Skip("run with -peak=stream, -peak=events or -peak=memory")
	}
	n := *peakCustomers
	periods := revenue.Months(day(2022, 1, 1), 36)
	before := vmHWM(t)
	var b *revenue.Bridge
	var err error
	switch *peakMode {
	case "stream":
		b, err = revenue.NewBridgeStream(revenue.NormalizeAll(benchAccounts(n), revenue.Policy{}, valuepath.BatchOptions{}), periods, revenue.BridgeOptions{})
	case "events":
		b, err = revenue.NewBridgeEvents(benchAccounts(n), revenue.Policy{}, periods, revenue.BridgeOptions{})
	case "memory":
		events := benchEvents(n)
		var ts []revenue.Timeline
		if ts, err = revenue.Normalize(events, revenue.Policy{}); err == nil {
			b, err = revenue.NewBridge(ts, periods, revenue.BridgeOptions{})
		}
	default:
		t.Fatalf("-peak=%q: want stream, events or memory", *peakMode)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("peak=%s customers=%d: VmHWM %s (%s before the bridge); closing MRR %s, %d accounts",
		*peakMode, n, vmHWM(t), before, b.Periods[len(b.Periods)-1].Closing, b.Periods[len(b.Periods)-1].Accounts.Closing)
}
