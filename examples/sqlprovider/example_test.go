package sqlprovider_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/sqlprovider"
)

// Example creates a database file, imports an account's data from another
// provider, and derives metrics from the database.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlprovider-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Some data from elsewhere: ten days of logins and one support case.
	day0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var samples []valuepath.Sample
	for d := range 10 {
		samples = append(samples, valuepath.Sample{At: day0.AddDate(0, 0, d), Value: float64(20 + d)})
	}
	src := &valuepath.MemoryProvider{}
	if err := src.SetSeries("acme", "logins", valuepath.Must(valuepath.NewSeries(samples))); err != nil {
		log.Fatal(err)
	}
	if err := src.SetEvents("acme", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		{Account: "acme", Kind: "support_case", At: day0.Add(30 * time.Hour), Attrs: map[string]string{"severity": "high"}},
	}))); err != nil {
		log.Fatal(err)
	}

	p, err := sqlprovider.Create(ctx, filepath.Join(dir, "value.db"), sqlprovider.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	accounts := []sqlprovider.Account{{ID: "acme", Name: "Acme Corp", Segment: "smb", TimeZone: "Europe/Berlin", Start: day0}}
	st, err := p.Import(ctx, src, accounts, []valuepath.Metric{"logins"}, sqlprovider.StorableRange)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("imported %d account, %d samples, %d event\n", st.Accounts, st.Samples, st.Events)

	// The database is now a Provider like any other.
	ds := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "logins_7d", Op: valuepath.OpSum, Source: "logins", Window: valuepath.Days(7)},
		{Name: "cases_30d", Op: valuepath.OpEventCount, Event: "support_case", Window: valuepath.Days(30)},
	}))
	snap, err := ds.Evaluate(ctx, p, "acme", day0.AddDate(0, 0, 10))
	if err != nil {
		log.Fatal(err)
	}
	logins, _ := snap.Value("logins_7d")
	cases, _ := snap.Value("cases_30d")
	fmt.Printf("logins in the last 7 days: %.0f, support cases in 30 days: %.0f\n", logins, cases)

	_, err = p.Series(ctx, "globex", "logins", sqlprovider.StorableRange)
	fmt.Println(err)
	// Output:
	// imported 1 account, 10 samples, 1 event
	// logins in the last 7 days: 182, support cases in 30 days: 1
	// sqlprovider: series "logins" of account "globex": unknown account
}

// ExampleBuild writes a new database file crash-safely: the file appears at
// its path only once the import succeeded, and is then served read-only.
func ExampleBuild() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlprovider-build-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	src := &valuepath.MemoryProvider{}
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	if err := src.SetSeries("acme", "logins", valuepath.Must(valuepath.NewSeries([]valuepath.Sample{{At: day, Value: 12}}))); err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "value.db")
	_, err = sqlprovider.Build(ctx, path, sqlprovider.Options{}, func(ctx context.Context, p *sqlprovider.Provider) error {
		_, err := p.Import(ctx, src, []sqlprovider.Account{{ID: "acme", Name: "Acme", Segment: "smb", Start: day}}, []valuepath.Metric{"logins"}, sqlprovider.StorableRange)
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	p, err := sqlprovider.Open(ctx, path, sqlprovider.Options{ReadOnly: true})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	s, err := p.Series(ctx, "acme", "logins", sqlprovider.StorableRange)
	if err != nil {
		log.Fatal(err)
	}
	_, err = os.Stat(path + sqlprovider.PartialSuffix)
	fmt.Println(s.Len(), "sample; partial file left:", !os.IsNotExist(err))
	// Output: 1 sample; partial file left: false
}
