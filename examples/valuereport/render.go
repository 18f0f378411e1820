package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

//go:embed report.html.tmpl
var reportTemplate string

// tmpl is parsed once; a *template.Template is safe for concurrent
// execution.
var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{"inc": func(i int) int { return i + 1 }}).Parse(reportTemplate))

// noData is how the report shows a value it does not have. It is never 0.
const noData = "no data yet"

// page is the report as the template reads it: every number already
// formatted for a customer, every chart an SVG element.
type page struct {
	Name, Meta, AsOf, Summary, Notice string
	Eff                               effView
	Plan                              planView
	Health                            healthView
	Value                             valueView
	Sources                           []Source
	Method                            []string
}

type effView struct {
	Chart    template.HTML
	Model    string
	Standing string // for the summary
	Where    string // a sentence
	NoData   bool
	Rungs    []rungView
	Next     *nextView
}

type rungView struct {
	Title     string
	Current   bool
	Behaviors []behaviorView
}

type behaviorView struct {
	Description, Mark, Class string
}

type nextView struct {
	Name, Progress string
	Steps          []stepView
}

type stepView struct {
	Description, Where, Features string
}

type planView struct {
	Available bool
	Reason    string
	Intro     string
	Charts    []template.HTML
	Rows      []planRow
}

type planRow struct {
	Metric                                                   string
	Label, Baseline, Target, Expected, Actual, Share, Status string
	Class                                                    string
}

type healthView struct {
	Chart     template.HTML
	Now       string
	Scorecard string
	Months    []monthView
	Drags     []moverView
	Moves     []moverView
	NoData    bool
}

type monthView struct{ Month, Score, Class string }

type moverView struct{ Label, Value, Points string }

type valueView struct {
	Catalog          string
	FeelGood, Action equivView
}

type equivView struct {
	Present    bool
	Input      string
	Statements []Statement
}

// Render writes r as one self-contained HTML document. The same Report
// always gives the same bytes.
//
// The charts are SVG that this program drew with gonum/plot from numbers
// and from labels that gonum/plot's SVG canvas escapes
// (html.EscapeString); svgOf adds only an attribute it escapes itself. No
// text from outside reaches the SVG unescaped, so it is inserted as
// template.HTML; everything else goes through html/template's escaping.
func Render(r *Report) ([]byte, error) {
	if r == nil {
		return nil, errors.New("valuereport: render: nil report")
	}
	pg, err := pageOf(r)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, pg); err != nil {
		return nil, fmt.Errorf("valuereport: render: %w", err)
	}
	return buf.Bytes(), nil
}

func pageOf(r *Report) (*page, error) {
	c := r.Customer
	pg := &page{
		Name:    c.Name,
		AsOf:    date(r.AsOf),
		Sources: r.Sources,
	}
	meta := []string{string(c.ID), c.Segment}
	if c.Industry != "" {
		meta = append(meta, c.Industry)
	}
	if c.Seats > 0 {
		meta = append(meta, fmt.Sprintf("%d licensed seats", c.Seats))
	}
	meta = append(meta, "customer since "+date(c.Start))
	pg.Meta = strings.Join(meta, " · ")
	switch {
	case !c.ChurnedAt.IsZero() && !r.AsOf.Before(c.ChurnedAt):
		pg.Notice = fmt.Sprintf("The subscription ended on %s. Figures after that date are shown as %q.", date(c.ChurnedAt), noData)
	case r.AsOf.Before(c.Start):
		pg.Notice = fmt.Sprintf("The subscription starts on %s, after this report's date.", date(c.Start))
	case r.AsOf.Sub(c.Start) < 90*valuepath.Day:
		pg.Notice = fmt.Sprintf("The subscription started on %s: many figures need more history and show %q for now.", date(c.Start), noData)
	}

	in := labelsOf(r)
	var err error
	if pg.Eff, err = effViewOf(r.Effectiveness, in); err != nil {
		return nil, err
	}
	if pg.Plan, err = planViewOf(r.Plan, in, r.AsOf); err != nil {
		return nil, err
	}
	if pg.Health, err = healthViewOf(r.Health, in); err != nil {
		return nil, err
	}
	pg.Value = valueView{Catalog: r.Value.Catalog,
		FeelGood: equivView(r.Value.FeelGood), Action: equivView(r.Value.Action)}

	headline := "value figures: " + noData
	if st := r.Value.FeelGood.Statements; len(st) > 0 {
		headline = st[0].Text
	}
	health := "health: " + noData
	if h := r.Health.Now; h.Available {
		health = fmt.Sprintf("health %s (%.0f of 100)", h.Band, h.Value)
	}
	pg.Summary = fmt.Sprintf("%s · %s · %s.", pg.Eff.Standing, health, headline)

	pg.Method = []string{
		fmt.Sprintf("All figures are as of %s, from usage data up to that day.", date(r.AsOf)),
		fmt.Sprintf("Effectiveness: the %q model, %d phases; an account stands on the highest phase whose behaviors it all meets, with every phase below it reached. Missing data leaves a behavior unknown, never missed.", r.Effectiveness.Model, r.Effectiveness.Phases),
		fmt.Sprintf("Improvement plan: targets set from a day-one baseline taken %d months before this report, on %s; the expected value follows the straight path from the baseline to the target through its milestones.", baselineMonths, date(r.Plan.BaselineAt)),
		fmt.Sprintf("Health: scorecard %q, version %s, scored on the first of each month; bands %s.", r.Health.Scorecard, r.Health.Hash, r.Health.Bands),
		fmt.Sprintf("Equivalents: conversion catalog %q. Every step names the source of its factor; an equivalent is imprecise but its conversion is stated and applied consistently.", r.Value.Catalog),
	}
	return pg, nil
}

// labeler names and formats metrics for customers.
type labeler map[valuepath.Metric]Label

func labelsOf(r *Report) labeler { return labeler(r.Labels) }

func (l labeler) of(m valuepath.Metric) Label {
	if x, ok := l[m]; ok {
		return x
	}
	return Label{Name: strings.ReplaceAll(string(m), "_", " ")}
}

// value formats v as metric m is shown.
func (l labeler) value(m valuepath.Metric, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return noData
	}
	if l.of(m).Percent {
		if math.Abs(v) < 0.1 {
			return fmt.Sprintf("%.1f%%", 100*v)
		}
		return fmt.Sprintf("%.0f%%", 100*v)
	}
	return num(v)
}

// rowFormat returns the formatter of one plan row: the metric's usual
// format, or more decimals where that would show the baseline and the
// target alike.
func (l labeler) rowFormat(m valuepath.Metric, baseline, target float64) func(float64) string {
	if l.value(m, baseline) != l.value(m, target) {
		return func(v float64) string { return l.value(m, v) }
	}
	scale, unit := 1.0, ""
	if l.of(m).Percent {
		scale, unit = 100, "%"
	}
	d := 1
	for ; d < 4; d++ {
		if fmt.Sprintf("%.*f", d, scale*baseline) != fmt.Sprintf("%.*f", d, scale*target) {
			break
		}
	}
	return func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return noData
		}
		return fmt.Sprintf("%.*f%s", d, scale*v, unit)
	}
}

// shareText says how far along the way from the baseline to the target an
// actual value is.
func shareText(share float64) string {
	switch {
	case math.IsNaN(share) || math.IsInf(share, 0):
		return noData
	case share >= 1:
		return "all the way"
	case share < 0:
		return "below day one"
	}
	return pct(share)
}

// num formats a metric value for people: whole numbers plainly, small ones
// with three significant figures.
func num(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return noData
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 1:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
	case a < 0.0005:
		return "0"
	default:
		return fmt.Sprintf("%.2g", v)
	}
}

func pct(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return noData
	}
	return fmt.Sprintf("%.0f%%", 100*share)
}

func date(t time.Time) string { return t.Format("2 January 2006") }

func effViewOf(e Effectiveness, l labeler) (effView, error) {
	v := effView{Model: e.Model, NoData: e.Known == 0}
	switch {
	case e.Known == 0:
		v.Standing = "Effectiveness phase: " + noData
		v.Where = "There is no data yet to place you on a phase."
	case e.Level == 0:
		v.Standing = fmt.Sprintf("Working towards phase 1 of %d", e.Phases)
		v.Where = "You have not reached the first phase yet."
	default:
		v.Standing = fmt.Sprintf("Phase %d of %d (%s)", e.Level, e.Phases, e.Phase)
		v.Where = fmt.Sprintf("You stand on phase %d, %s.", e.Level, e.Phase)
	}
	for _, r := range e.Rungs {
		rv := rungView{Title: fmt.Sprintf("%d. %s: %d of %d met", r.Level, r.Name, r.Met, r.Total), Current: r.Current}
		for _, b := range r.Behaviors {
			bv := behaviorView{Description: b.Description}
			switch b.Status {
			case effectiveness.Met:
				bv.Mark, bv.Class = "met", "met"
			case effectiveness.NotMet:
				bv.Mark, bv.Class = "not yet", "notmet"
			default:
				bv.Mark, bv.Class = noData, "unknown"
			}
			rv.Behaviors = append(rv.Behaviors, bv)
		}
		v.Rungs = append(v.Rungs, rv)
	}
	if n := e.Next; n != nil {
		nv := &nextView{Name: fmt.Sprintf("phase %d, %s", n.Level, n.Name),
			Progress: fmt.Sprintf("%d of the phase's behaviors still to meet; %s of the way there", n.Needed, pct(n.Progress))}
		for _, s := range n.Steps {
			sv := stepView{Description: s.Description, Features: strings.Join(s.Features, ", ")}
			switch {
			case s.Status == effectiveness.Unknown || (s.Comparison && !s.Present):
				sv.Where = noData
			case s.Comparison:
				// Below a minimum is "short"; above a maximum is "over".
				gap := pct(s.Gap) + " short"
				if s.Op == valuepath.AtMost || s.Op == valuepath.Below {
					gap = pct(s.Gap) + " over"
				}
				sv.Where = fmt.Sprintf("%s %s now, %s %s needed (%s)", strings.ToLower(l.of(s.Metric).Name), l.value(s.Metric, s.Value), opWords[s.Op], l.value(s.Metric, s.Threshold), gap)
			default:
				sv.Where = pct(s.Gap) + " short"
			}
			nv.Steps = append(nv.Steps, sv)
		}
		v.Next = nv
	}
	chart, err := svgOfChart(ladderChart(e))
	if err != nil {
		return v, err
	}
	v.Chart = template.HTML(chart) // drawn by gonum/plot, see Render
	return v, nil
}

// opWords says a criterion's comparison in words.
var opWords = map[valuepath.Comparison]string{
	valuepath.AtLeast: "at least", valuepath.Above: "more than",
	valuepath.AtMost: "at most", valuepath.Below: "less than",
	valuepath.Equal: "exactly", valuepath.NotEqual: "anything but",
}

var statusText = map[effectiveness.TargetStatus]string{
	effectiveness.Achieved: "achieved",
	effectiveness.Ahead:    "ahead of plan",
	effectiveness.OnTrack:  "on track",
	effectiveness.Behind:   "behind plan",
	effectiveness.NoValue:  noData,
}

func planViewOf(p Plan, l labeler, asOf time.Time) (planView, error) {
	v := planView{Available: p.Present, Reason: p.Reason}
	if !p.Present {
		return v, nil
	}
	where := "had not reached the first phase yet"
	if p.BaselineLevel > 0 {
		where = fmt.Sprintf("stood on phase %d, %s", p.BaselineLevel, p.BaselinePhase)
	}
	targets := "targets"
	if len(p.Targets) == 1 {
		targets = "target"
	}
	v.Intro = fmt.Sprintf("On day one, %s, you %s. The plan agreed then sets %d %s, due %s.",
		date(p.BaselineAt), where, len(p.Targets), targets, date(p.Due))
	for _, t := range p.Targets {
		tp := t.Progress
		f := l.rowFormat(tp.Metric, tp.Baseline, tp.Target)
		row := planRow{Metric: string(tp.Metric), Label: l.of(tp.Metric).Name,
			Baseline: f(tp.Baseline), Target: f(tp.Target), Expected: f(tp.Expected),
			Actual: noData, Share: noData, Status: statusText[tp.Status], Class: string(tp.Status)}
		if row.Status == "" {
			row.Status = string(tp.Status)
		}
		if actual, ok := tp.Actual.Get(); ok {
			row.Actual, row.Share = f(actual), shareText(tp.Share.Value)
		}
		if tp.Overdue {
			row.Status += ", overdue"
		}
		v.Rows = append(v.Rows, row)
		chart, err := svgOfChart(planChart(t, l.of(tp.Metric), asOf))
		if err != nil {
			return v, err
		}
		v.Charts = append(v.Charts, template.HTML(chart)) // drawn by gonum/plot, see Render
	}
	return v, nil
}

func healthViewOf(h Health, l labeler) (healthView, error) {
	v := healthView{Now: noData, Scorecard: h.Scorecard, NoData: !h.Now.Available}
	if h.Now.Available {
		v.Now = fmt.Sprintf("%.0f of 100, %s", h.Now.Value, h.Now.Band)
	}
	for _, p := range h.Points {
		m := monthView{Month: p.At.Format("Jan 2006"), Score: noData, Class: "unknown"}
		if p.Available {
			m.Score, m.Class = fmt.Sprintf("%.0f", p.Value), string(p.Band)
		}
		v.Months = append(v.Months, m)
	}
	mv := func(m Mover, signed bool) moverView {
		x := moverView{Label: l.of(m.Metric).Name, Value: noData}
		if m.Present {
			x.Value = l.value(m.Metric, m.Value)
		}
		if signed {
			x.Points = fmt.Sprintf("%+.1f", m.Points)
		} else {
			x.Points = fmt.Sprintf("%.1f", m.Points)
		}
		return x
	}
	for _, m := range h.Drags {
		v.Drags = append(v.Drags, mv(m, false))
	}
	for _, m := range h.Moves {
		v.Moves = append(v.Moves, mv(m, true))
	}
	chart, err := svgOfChart(healthChart(h))
	if err != nil {
		return v, err
	}
	v.Chart = template.HTML(chart) // drawn by gonum/plot, see Render
	return v, nil
}

// svgOfChart draws a chart that was built without error.
func svgOfChart(c chart, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return c.svg()
}
