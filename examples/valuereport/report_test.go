package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/equivalents"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

var (
	baseOnce sync.Once
	theBase  *demo.Base
	baseErr  error
)

// testBase is the default demo base, generated once for every test.
func testBase(t testing.TB) *demo.Base {
	t.Helper()
	baseOnce.Do(func() { theBase, baseErr = demo.Generate(demo.Config{Accounts: 300, Seed: 1}) })
	if baseErr != nil {
		t.Fatal(baseErr)
	}
	return theBase
}

// report builds and renders the report of account as of the base's AsOf.
func report(t testing.TB, a *demo.Account) (*Report, []byte) {
	t.Helper()
	base := testBase(t)
	r, err := Build(context.Background(), demoInputs(base.Provider), customerOf(a), base.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, out
}

// doc is what the tests read back from a rendered report.
type doc struct {
	sections   []section // in document order
	planRows   [][]string
	planMetric []string
	statements []string
	sources    []string // text of each <li> of the sources list
	text       string   // all text
	httpAttrs  []string // attribute values with an http(s) URL, as name=value
}

type section struct {
	id, heading string
	svgs        int
	paths       int // <path> elements with drawing data, inside an <svg>
	text        string
}

// parse reads a rendered report as HTML with encoding/xml's lenient mode,
// failing on anything it cannot tokenize.
func parse(t *testing.T, html []byte) doc {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(html))
	dec.Strict, dec.AutoClose, dec.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	var (
		d                         doc
		cur                       *section
		stack                     []string
		inSVG, inH2, inStatement  int
		inSourceLi, inTD          bool
		row                       []string
		cell, stmt, src, allText  strings.Builder
		depthSection, depthSource = -1, -1
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("parse report: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range tk.Attr {
				attr[a.Name.Local] = a.Value
				if strings.Contains(a.Value, "http://") || strings.Contains(a.Value, "https://") {
					d.httpAttrs = append(d.httpAttrs, a.Name.Space+":"+a.Name.Local+"="+a.Value)
				}
			}
			stack = append(stack, tk.Name.Local)
			switch tk.Name.Local {
			case "section", "header":
				d.sections = append(d.sections, section{id: attr["id"]})
				cur, depthSection = &d.sections[len(d.sections)-1], len(stack)
			case "h1", "h2":
				inH2++
			case "svg":
				inSVG++
				if cur != nil {
					cur.svgs++
				}
			case "path":
				if inSVG > 0 && cur != nil && strings.TrimSpace(attr["d"]) != "" {
					cur.paths++
				}
			case "tr":
				if m, ok := attr["data-metric"]; ok {
					d.planMetric = append(d.planMetric, m)
					row = []string{}
				}
			case "td":
				if row != nil {
					inTD = true
					cell.Reset()
				}
			case "p":
				if attr["class"] == "statement" {
					inStatement++
					stmt.Reset()
				}
			case "ol":
				if attr["class"] == "sources" {
					depthSource = len(stack)
				}
			case "li":
				if depthSource > 0 {
					inSourceLi = true
					src.Reset()
				}
			}
		case xml.EndElement:
			switch tk.Name.Local {
			case "h1", "h2":
				inH2--
			case "svg":
				inSVG--
			case "td":
				if inTD {
					row = append(row, strings.TrimSpace(cell.String()))
					inTD = false
				}
			case "tr":
				if row != nil {
					d.planRows = append(d.planRows, row)
					row = nil
				}
			case "p":
				if inStatement > 0 {
					d.statements = append(d.statements, stmt.String())
					inStatement--
				}
			case "li":
				if inSourceLi {
					d.sources = append(d.sources, src.String())
					inSourceLi = false
				}
			}
			if len(stack) == depthSection {
				cur, depthSection = nil, -1
			}
			if len(stack) == depthSource {
				depthSource = -1
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			s := string(tk)
			allText.WriteString(s)
			if cur != nil {
				if inH2 > 0 && cur.heading == "" {
					cur.heading = strings.TrimSpace(s)
				}
				if inSVG == 0 {
					cur.text += s
				}
			}
			if inTD {
				cell.WriteString(s)
			}
			if inStatement > 0 {
				stmt.WriteString(s)
			}
			if inSourceLi {
				src.WriteString(s)
			}
		}
	}
	d.text = allText.String()
	return d
}

func (d doc) section(id string) section {
	for _, s := range d.sections {
		if s.id == id {
			return s
		}
	}
	return section{}
}

var wantSections = []struct{ id, heading string }{
	{"summary", ""}, // the account's name
	{"effectiveness", "How effectively you use the product"},
	{"plan", "Progress against your improvement plan"},
	{"health", "Health trend"},
	{"value", "Your value in familiar terms"},
	{"sources", "Sources and method"},
}

// checkCommon checks what every report must satisfy, whatever its data.
func checkCommon(t *testing.T, a *demo.Account, html []byte) doc {
	t.Helper()
	d := parse(t, html)
	var got, want []string
	for _, s := range d.sections {
		got = append(got, s.id+": "+s.heading)
	}
	for _, s := range wantSections {
		h := s.heading
		if s.id == "summary" {
			h = a.Name
		}
		want = append(want, s.id+": "+h)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	for _, id := range []string{"effectiveness", "health"} {
		if s := d.section(id); s.svgs != 1 || s.paths < 3 {
			t.Errorf("section %s: %d <svg> with %d drawn paths; want 1 with at least 3", id, s.svgs, s.paths)
		}
	}
	for _, attr := range d.httpAttrs {
		if !strings.HasPrefix(attr, "xmlns:") && !strings.HasPrefix(attr, ":xmlns=") {
			t.Errorf("external reference in attribute %s", attr)
		}
	}
	// Text and attribute values outside XML namespace declarations must
	// not reference the network either.
	noNS := regexp.MustCompile(`xmlns(:\w+)?="[^"]*"`).ReplaceAll(html, nil)
	if i := bytes.Index(noNS, []byte("http://")); i >= 0 {
		t.Errorf("http:// reference at %q", noNS[max(0, i-40):min(len(noNS), i+40)])
	}
	if bytes.Contains(noNS, []byte("https://")) {
		t.Error("https:// reference in the report")
	}
	if m := regexp.MustCompile(`\b(NaN|[+-]?Inf)\b`).Find(html); m != nil {
		t.Errorf("report contains %q", m)
	}
	for _, bad := range []string{"<?xml", "<!--", "<script", "<link", "<img", "@import", "url("} {
		if bytes.Contains(html, []byte(bad)) {
			t.Errorf("report contains %q", bad)
		}
	}
	return d
}

// pick is the account the command shows by default.
func pick(t *testing.T) *demo.Account {
	t.Helper()
	base := testBase(t)
	a, err := pickAccount(context.Background(), demoInputs(base.Provider), base, base.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReportStructure(t *testing.T) {
	a := pick(t)
	r, html := report(t, a)
	d := checkCommon(t, a, html)
	if !strings.Contains(d.section("summary").text, "as of 1 November 2026") {
		t.Errorf("header lacks the as-of date: %q", d.section("summary").text)
	}
	if r.Effectiveness.Next == nil || len(r.Effectiveness.Next.Steps) == 0 {
		t.Fatalf("picked account %s has no path to its next phase", a.ID)
	}
	for _, st := range r.Effectiveness.Next.Steps {
		if !strings.Contains(d.section("effectiveness").text, st.Description) {
			t.Errorf("path step %q missing from the effectiveness section", st.Description)
		}
	}
	if !r.Plan.Present {
		t.Fatalf("picked account %s has no plan: %s", a.ID, r.Plan.Reason)
	}
	if s := d.section("plan"); s.svgs != len(r.Plan.Targets) || s.paths < 2*s.svgs {
		t.Errorf("plan section: %d <svg> with %d paths; want one chart per target (%d)", s.svgs, s.paths, len(r.Plan.Targets))
	}
	if strings.Contains(d.text, noData) {
		t.Errorf("a fully measured account shows %q", noData)
	}
	if !strings.Contains(d.section("sources").text, r.Health.Hash) || !strings.Contains(d.section("sources").text, "demo health v1") {
		t.Error("sources and method lack the scorecard's name and hash")
	}
}

// TestPlanTableMatchesProgress recomputes the plan with the library alone,
// the way the quickstart does, and reads the table's cells back as numbers.
// TestWordsPeopleRead: a step above a maximum is "over", not "short"
// (the picked account's last review was 133 days ago against at most 120:
// (133 − 120)/120 = 10.8%, "11% over"); the plan table's first column is
// the metric, not a second "Target".
func TestWordsPeopleRead(t *testing.T) {
	a := pick(t)
	r, html := report(t, a)
	d := checkCommon(t, a, html)
	for _, st := range r.Effectiveness.Next.Steps {
		if !st.Comparison || st.Status != effectiveness.NotMet {
			continue
		}
		over := st.Op == valuepath.AtMost || st.Op == valuepath.Below
		text := d.section("effectiveness").text
		if over && !strings.Contains(text, pct(st.Gap)+" over") {
			t.Errorf("step %q above its maximum is not worded %q: %q", st.Description, pct(st.Gap)+" over", text)
		}
		if !over && !strings.Contains(text, pct(st.Gap)+" short") {
			t.Errorf("step %q below its minimum is not worded %q", st.Description, pct(st.Gap)+" short")
		}
	}
	if strings.Count(string(html), "<th>Target</th>") > 0 || !strings.Contains(string(html), "<th>Metric</th>") {
		t.Error("the plan table's first column is not headed Metric")
	}
}

func TestPlanTableMatchesProgress(t *testing.T) {
	a := pick(t)
	base := testBase(t)
	_, html := report(t, a)
	d := parse(t, html)

	ctx := context.Background()
	der := demo.AllDerivations()
	model := demo.EffectivenessModel()
	day1 := base.AsOf.AddDate(0, -6, 0)
	then, err := der.Evaluate(ctx, base.Provider, a.ID, day1)
	if err != nil {
		t.Fatal(err)
	}
	now, err := der.Evaluate(ctx, base.Provider, a.ID, base.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	assessed, err := model.Assess(then, effectiveness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bl, err := effectiveness.NewBaseline(assessed, then, demo.BaselineMetrics)
	if err != nil {
		t.Fatal(err)
	}
	goals, _ := demo.PlanGoals(model, bl)
	plan, err := effectiveness.NewPlan(effectiveness.PlanSpec{Revisions: []effectiveness.RevisionSpec{{Baseline: bl, Goals: goals}}}, model)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := plan.Progress(now, effectiveness.ProgressOptions{})
	if err != nil {
		t.Fatal(err)
	}

	if len(d.planRows) != len(pr.Targets) {
		t.Fatalf("plan table has %d rows, plan.Progress %d targets", len(d.planRows), len(pr.Targets))
	}
	for i, tp := range pr.Targets {
		row := d.planRows[i]
		if d.planMetric[i] != string(tp.Metric) || len(row) != 7 {
			t.Fatalf("row %d: metric %s with %d cells; want %s with 7", i, d.planMetric[i], len(row), tp.Metric)
		}
		if row[0] != demoLabels[tp.Metric].Name {
			t.Errorf("row %d: label %q, want %q", i, row[0], demoLabels[tp.Metric].Name)
		}
		for j, want := range []float64{tp.Baseline, tp.Target, tp.Expected, tp.Actual.Value} {
			if !tp.Actual.Present && j == 3 {
				continue
			}
			checkCell(t, tp.Metric, row[1+j], want)
		}
		if want := statusText[tp.Status]; !strings.HasPrefix(row[6], want) {
			t.Errorf("%s: status %q, want %q", tp.Metric, row[6], want)
		}
		switch share := row[5]; {
		case tp.Share.Value >= 1 && share != "all the way", tp.Share.Value < 0 && share != "below day one":
			t.Errorf("%s: share %q for %v", tp.Metric, share, tp.Share)
		case tp.Share.Present && tp.Share.Value >= 0 && tp.Share.Value < 1:
			checkCell(t, "share", share, tp.Share.Value)
		}
	}
}

// checkCell parses a formatted cell and checks it is want rounded to the
// decimals it shows.
func checkCell(t *testing.T, m valuepath.Metric, cell string, want float64) {
	t.Helper()
	s, scale := cell, 1.0
	if strings.HasSuffix(s, "%") {
		s, scale = strings.TrimSuffix(s, "%"), 100
	}
	got, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Errorf("%s: cell %q is not a number", m, cell)
		return
	}
	decimals := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		decimals = len(s) - i - 1
	}
	if tol := 0.5*math.Pow(10, -float64(decimals)) + 1e-9; math.Abs(got-want*scale) > tol {
		t.Errorf("%s: cell %q, want %v", m, cell, want)
	}
}

// TestEquivalentsMatchCatalog states the account's equivalents with the
// catalog alone and finds them, and every source, in the report.
func TestEquivalentsMatchCatalog(t *testing.T) {
	a := pick(t)
	base := testBase(t)
	_, html := report(t, a)
	d := parse(t, html)

	now, err := demo.AllDerivations().Evaluate(context.Background(), base.Provider, a.ID, base.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	cat := demo.EquivalentsCatalog()
	var want []string
	var sources []string
	for _, c := range []struct {
		metric valuepath.Metric
		unit   equivalents.Unit
		kind   equivalents.Kind
		names  []string
	}{
		{demo.Transactions365d, demo.TransactionUnit, equivalents.FeelGood, []string{"hours_saved", "staff_years"}},
		{demo.Records30d, demo.RecordUpdateUnit, equivalents.Action, []string{"automate_records"}},
	} {
		v, ok := now.Value(c.metric)
		if !ok {
			t.Fatalf("%s missing for %s", c.metric, a.ID)
		}
		q, err := equivalents.QuantityOf(v, c.unit)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := cat.Report(q, c.names...)
		if err != nil {
			t.Fatal(err)
		}
		for it := range rep.Of(c.kind) {
			want = append(want, cat.Statement(it, equivalents.English{}))
			for _, st := range it.Conversion.Steps {
				sources = append(sources, st.Factor.Source)
			}
		}
	}
	if len(want) != 3 {
		t.Fatalf("want 3 statements from the catalog, got %d", len(want))
	}
	if diff := cmp.Diff(want, d.statements); diff != "" {
		t.Errorf("statements (-catalog +report):\n%s", diff)
	}
	seen := map[string]bool{}
	for _, s := range d.sources {
		if seen[s] {
			t.Errorf("source listed twice: %q", s)
		}
		seen[s] = true
	}
	for _, src := range sources {
		found := false
		for _, s := range d.sources {
			found = found || strings.HasPrefix(s, src)
		}
		if !found {
			t.Errorf("source %q not in the sources section %q", src, d.sources)
		}
	}
}

func TestRenderDeterministic(t *testing.T) {
	a := pick(t)
	_, first := report(t, a)
	_, second := report(t, a)
	if !bytes.Equal(first, second) {
		i := 0
		for i < min(len(first), len(second)) && first[i] == second[i] {
			i++
		}
		t.Fatalf("two renders differ at byte %d: %q vs %q", i, first[i:min(len(first), i+60)], second[i:min(len(second), i+60)])
	}
}

// TestLittleData renders accounts with little or no data: a customer of
// a few weeks, and one that left a month ago.
func TestLittleData(t *testing.T) {
	base := testBase(t)
	var fresh, churned *demo.Account
	for i := range base.Accounts {
		a := &base.Accounts[i]
		switch {
		case fresh == nil && a.Active() && a.Start.After(base.AsOf.AddDate(0, -2, 0)):
			fresh = a
		case churned == nil && !a.Active() && a.ChurnedAt.After(base.AsOf.AddDate(0, -3, 0)):
			churned = a
		}
	}
	if fresh == nil || churned == nil {
		t.Fatal("the demo base has no recent or churned account")
	}
	for _, tc := range []struct {
		name string
		a    *demo.Account
	}{{"recently started", fresh}, {"churned", churned}} {
		t.Run(tc.name, func(t *testing.T) {
			r, html := report(t, tc.a)
			d := checkCommon(t, tc.a, html)
			if (tc.a == fresh && r.Plan.Present) || !strings.Contains(d.section("plan").text, noData) {
				t.Errorf("plan section of %s does not say %q: %q", tc.a.ID, noData, d.section("plan").text)
			}
			if tc.a == churned && (r.Health.Now.Available || !strings.Contains(d.section("health").text, "today: "+noData)) {
				t.Errorf("health section of %s does not say %q today", tc.a.ID, noData)
			}
			months := 0
			for _, p := range r.Health.Points {
				if !p.Available {
					months++
				}
			}
			if got := strings.Count(d.section("health").text, noData); got < months {
				t.Errorf("health section shows %q %d times for %d months without a score", noData, got, months)
			}
			if r.Value.FeelGood.Present && tc.a == churned {
				t.Errorf("a churned account shows value received today")
			}
			if _, again := report(t, tc.a); !bytes.Equal(html, again) {
				t.Error("two renders differ")
			}
		})
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.html")
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string // empty: success
		stdout  string
	}{
		{"default account", []string{"-accounts", "300", "-out", out}, "", "picked acct-"},
		{"named account", []string{"-account", "acct-0042", "-out", out}, "", "acct-0042"},
		{"unknown account", []string{"-account", "acct-9999", "-out", out}, `-account: no account "acct-9999" in the demo base (300 accounts, acct-0001 to acct-0300)`, ""},
		{"bad date", []string{"-asof", "1st of May", "-out", out}, `-asof: want a date like 2026-11-01, got "1st of May"`, ""},
		{"date after the data", []string{"-asof", "2027-01-01", "-out", out}, "-asof: the demo data runs from 2025-05-01 to 2026-11-01", ""},
		{"too many accounts", []string{"-accounts", "0"}, "-accounts: must be between 1 and 100000, got 0", ""},
		{"stray argument", []string{"-out", out, "extra"}, "unexpected arguments: extra", ""},
		{"unwritable output", []string{"-account", "acct-0042", "-out", filepath.Join(dir, "missing", "r.html")}, "no such file or directory", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stdout, &stderr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(stdout.String(), tc.stdout) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tc.stdout)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
				t.Errorf("output does not start with a doctype: %q", b[:min(len(b), 40)])
			}
		})
	}
}

func TestRunStdoutAndAsOf(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-asof", "2026-09-01", "-out", "-"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(stdout.Bytes(), []byte("<!DOCTYPE html>")) || !strings.Contains(stderr.String(), "picked acct-") {
		t.Errorf("stdout starts %q, stderr %q: want the report on stdout and the message on stderr", stdout.String()[:min(40, stdout.Len())], stderr.String())
	}
	d := parse(t, stdout.Bytes())
	if !strings.Contains(d.section("summary").text, "as of 1 September 2026") {
		t.Errorf("header %q lacks the -asof date", d.section("summary").text)
	}
}

func TestParseAsOf(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"2026-11-01", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), false},
		{" 2026-02-28 ", time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), false},
		{"2026-11-01T15:04:05+02:00", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), false},
		{"2026-11-01T23:30:00-05:00", time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), false},
		{"2026-02-30", time.Time{}, true},
		{"11/01/2026", time.Time{}, true},
		{"", time.Time{}, true},
		{"0001-01-01", time.Time{}, true},
	} {
		got, err := parseAsOf(tc.in)
		if (err != nil) != tc.err || !got.Equal(tc.want) {
			t.Errorf("parseAsOf(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func FuzzParseAsOf(f *testing.F) {
	for _, s := range []string{"2026-11-01", "2026-11-01T15:04:05Z", "2026-11-01T23:30:00-05:00", "9999-12-31", "1970-01-01", "x", "", "2026-13-01", "+2026-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseAsOf(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "-asof: ") {
				t.Fatalf("error %q does not name the flag", err)
			}
			return
		}
		if got.Location() != time.UTC || !got.Equal(got.Truncate(valuepath.Day)) {
			t.Fatalf("parseAsOf(%q) = %v, not a UTC day", s, got)
		}
		again, err := parseAsOf(got.Format(time.DateOnly))
		if err != nil || !again.Equal(got) {
			t.Fatalf("round trip of %v: %v, %v", got, again, err)
		}
	})
}

func TestSVGOfStripsDeclaration(t *testing.T) {
	r, _ := report(t, pick(t))
	c, err := healthChart(r.Health)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := c.svg()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(svg, []byte(`<svg role="img" aria-label="Health score, monthly, last 12 months"`)) || !bytes.HasSuffix(svg, []byte("</svg>")) {
		t.Errorf("svg starts %q, ends %q", svg[:min(60, len(svg))], svg[max(0, len(svg)-20):])
	}
	if !bytes.Contains(svg, []byte("Liberation Sans")) || bytes.Contains(svg, []byte("Liberation Serif")) {
		t.Error("chart text is not in Liberation Sans")
	}
}

func TestFormatting(t *testing.T) {
	l := labeler(demoLabels)
	for _, tc := range []struct{ got, want string }{
		{num(12408.4), "12408"},
		{num(8), "8"},
		{num(2.345), "2.3"},
		{num(0.0123), "0.012"},
		{num(0), "0"},
		{num(math.NaN()), noData},
		{l.value(demo.Utilisation, 0.564), "56%"},
		{l.value(demo.Utilisation, 0.05), "5.0%"},
		{l.value(demo.Utilisation, math.Inf(1)), noData},
		{shareText(1.2), "all the way"},
		{shareText(-0.1), "below day one"},
		{shareText(0.256), "26%"},
		{l.rowFormat(demo.RecordsPerUser, 199.6, 200)(199.6), "199.6"},
		{l.rowFormat(demo.RecordsPerUser, 150, 200)(199.6), "200"},
		{l.rowFormat(demo.Utilisation, 0.4501, 0.4504)(0.4501), "45.01%"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestRenderNil(t *testing.T) {
	if _, err := Render(nil); err == nil {
		t.Fatal("Render(nil) succeeded")
	}
}

func TestBuildRejectsMissingInputs(t *testing.T) {
	_, err := Build(context.Background(), Inputs{}, Customer{ID: "x"}, time.Now())
	if err == nil || !strings.Contains(err.Error(), "Provider: must be set") || !strings.Contains(err.Error(), "Goals: must be set") {
		t.Fatalf("err = %v", err)
	}
}

func TestBuildCancelled(t *testing.T) {
	base := testBase(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := pick(t)
	if _, err := Build(ctx, demoInputs(base.Provider), customerOf(a), base.AsOf); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func BenchmarkReport(b *testing.B) {
	base := testBase(b)
	in := demoInputs(base.Provider)
	a, err := pickAccount(context.Background(), in, base, base.AsOf)
	if err != nil {
		b.Fatal(err)
	}
	c := customerOf(a)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		r, err := Build(context.Background(), in, c, base.AsOf)
		if err != nil {
			b.Fatal(err)
		}
		out, err := Render(r)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/report")
}
