package main

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/valuepath/valuepath/health"
)

// Chart sizes: full width of an A4 or Letter page inside its margins, and
// half of it for the small multiples of the plan.
const (
	fullWidth  = 170 * vg.Millimeter
	halfWidth  = 84 * vg.Millimeter
	chartTall  = 68 * vg.Millimeter
	chartShort = 60 * vg.Millimeter
)

// The report's palette: one accent for the account, greys for context, and
// the band colours, light enough to print.
var (
	ink       = color.NRGBA{0x1f, 0x29, 0x37, 0xff}
	muted     = color.NRGBA{0x6b, 0x72, 0x80, 0xff}
	accent    = color.NRGBA{0x1d, 0x4e, 0xd8, 0xff}
	reachedC  = color.NRGBA{0x93, 0xc5, 0xfd, 0xff}
	partialC  = color.NRGBA{0xcb, 0xd5, 0xe1, 0xff}
	bandFills = map[health.Band]color.NRGBA{
		health.Red:    {0xdc, 0x26, 0x26, 0x26},
		health.Yellow: {0xea, 0xb3, 0x08, 0x33},
		health.Green:  {0x16, 0xa3, 0x4a, 0x26},
	}
	otherBand = color.NRGBA{0x94, 0xa3, 0xb8, 0x26}
)

// sans is the font of every chart: Liberation Sans, metric-compatible with
// Arial and Helvetica, so the CSS fallback to them keeps the layout.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot whose every text is in sans at the given sizes,
// without touching gonum/plot's package-level defaults.
func newPlot() *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = font.From(sans, 11)
	p.Title.TextStyle.Color = ink
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, 9)
		ax.Label.TextStyle.Color = muted
		ax.Tick.Label.Font = font.From(sans, 8)
		ax.Tick.Label.Color = muted
		ax.LineStyle.Color = muted
		ax.Tick.LineStyle.Color = muted
		ax.Padding = 0
	}
	p.Legend.TextStyle.Font = font.From(sans, 8)
	return p
}

// textStyle is a label style in sans.
func textStyle(size vg.Length, c color.Color, x text.XAlignment) text.Style {
	return text.Style{Font: font.From(sans, size), Color: c, XAlign: x, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
}

// labels places texts at points in one style.
func labels(xs, ys []float64, texts []string, st text.Style) (*plotter.Labels, error) {
	xyl := plotter.XYLabels{XYs: make(plotter.XYs, len(xs)), Labels: texts}
	for i := range xs {
		xyl.XYs[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	l, err := plotter.NewLabels(xyl)
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i] = st
	}
	return l, nil
}

// chart is a drawn plot with its size and accessible name.
type chart struct {
	p    *plot.Plot
	w, h vg.Length
	name string
}

// svg draws the chart into an SVG element; see svgOf.
func (c chart) svg() ([]byte, error) { return svgOf(c.p, c.w, c.h, c.name) }

// svgOf draws p into an SVG element of w × h, without the XML declaration
// and generator comment that cannot stand inside HTML, and with an
// accessible name. gonum/plot panics on a few impossible inputs (a
// zero-size canvas, a corrupt font); the panic becomes an error here.
func svgOf(p *plot.Plot, w, h vg.Length, name string) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("valuereport: chart %q: %v", name, r)
		}
	}()
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("valuereport: chart %q: %w", name, err)
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte("<svg"))
	if i < 0 {
		return nil, fmt.Errorf("valuereport: chart %q: no <svg> element in gonum/plot's output", name)
	}
	b = b[i+len("<svg"):]
	out = append([]byte(`<svg role="img" aria-label="`+html.EscapeString(name)+`"`), b...)
	return bytes.TrimSpace(out), nil
}

// ladderChart draws the phases as bars of their behaviors, the behaviors met
// filled: dark for the account's phase, light for phases reached below it,
// grey for behaviors met in phases not reached yet.
func ladderChart(e Effectiveness) (chart, error) {
	n := len(e.Rungs)
	if n == 0 {
		return chart{}, fmt.Errorf("valuereport: ladder chart: the model has no phases")
	}
	total := make(plotter.Values, n)
	current := make(plotter.Values, n)
	reached := make(plotter.Values, n)
	partial := make(plotter.Values, n)
	names := make([]string, n)
	maxTotal := 1
	for i, r := range e.Rungs {
		total[i] = float64(r.Total)
		maxTotal = max(maxTotal, r.Total)
		names[i] = fmt.Sprintf("%d. %s", r.Level, r.Name)
		switch {
		case r.Current:
			current[i] = float64(r.Met)
		case r.Reached:
			reached[i] = float64(r.Met)
		default:
			partial[i] = float64(r.Met)
		}
	}
	p := newPlot()
	p.Y.Label.Text = "behaviors"
	p.Y.Min, p.Y.Max = 0, float64(maxTotal)+0.6
	var ticks plot.ConstantTicks
	for k := 0; k <= maxTotal; k++ {
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: fmt.Sprint(k)})
	}
	p.Y.Tick.Marker = ticks
	w := halfWidth / vg.Length(n+1)
	for _, b := range []struct {
		v    plotter.Values
		fill color.Color
		line bool
	}{{total, color.White, true}, {partial, partialC, false}, {reached, reachedC, false}, {current, accent, false}} {
		bc, err := plotter.NewBarChart(b.v, w)
		if err != nil {
			return chart{}, fmt.Errorf("valuereport: ladder chart: %w", err)
		}
		bc.Color = b.fill
		bc.LineStyle.Width = 0
		if b.line {
			bc.LineStyle = draw.LineStyle{Color: muted, Width: vg.Points(0.75)}
		}
		p.Add(bc)
	}
	// Mark where the account stands, or the first phase it is working to.
	for i, r := range e.Rungs {
		mark := ""
		switch {
		case r.Current:
			mark = "you are here"
		case e.Next != nil && r.Level == e.Next.Level:
			mark = "next"
		}
		if mark == "" {
			continue
		}
		l, err := labels([]float64{float64(i)}, []float64{float64(r.Total) + 0.3}, []string{mark}, textStyle(8, ink, draw.XCenter))
		if err != nil {
			return chart{}, fmt.Errorf("valuereport: ladder chart: %w", err)
		}
		p.Add(l)
	}
	p.NominalX(names...)
	// One unit per phase, the bars centred in theirs: the last bar keeps
	// the same margin from the edge as the first.
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.X.Tick.Label.Font = font.From(sans, 8)
	p.X.Tick.Label.Color = ink
	return chart{p, fullWidth, chartShort, "Effectiveness phases: behaviors met per phase"}, nil
}

// unix is the x value of a time on the charts' time axes.
func unix(t time.Time) float64 { return float64(t.Unix()) }

// monthTicks marks the first of every month in [from, to] and labels every
// step-th, with the year on the first label of each year.
func monthTicks(from, to time.Time, step int) plot.ConstantTicks {
	var ts plot.ConstantTicks
	m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	if m.Before(from) {
		m = m.AddDate(0, 1, 0)
	}
	year := 0
	for k := 0; !m.After(to); m, k = m.AddDate(0, 1, 0), k+1 {
		if k%step != 0 {
			ts = append(ts, plot.Tick{Value: unix(m)})
			continue
		}
		label := m.Format("Jan")
		if m.Year() != year {
			label, year = m.Format("Jan 2006"), m.Year()
		}
		ts = append(ts, plot.Tick{Value: unix(m), Label: label})
	}
	return ts
}

// valueTicks formats the default ticks of a metric's axis: as percentages
// for shares, else with as few decimals as the step needs.
type valueTicks struct{ percent bool }

func (v valueTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label == "" {
			continue
		}
		x := ts[i].Value
		if v.percent {
			x *= 100
		}
		s := formatNumber(x, hi-lo)
		if v.percent {
			s += "%"
		}
		ts[i].Label = s
	}
	return ts
}

// formatNumber writes x with decimals enough for a range of span.
func formatNumber(x, span float64) string {
	switch {
	case math.Abs(x) < 1e-9:
		return "0"
	case span >= 5 || span == 0:
		return fmt.Sprintf("%.0f", x)
	case span >= 0.5:
		return fmt.Sprintf("%.1f", x)
	default:
		return fmt.Sprintf("%.3g", x)
	}
}

// planChart draws one target: the planned path from the baseline to the
// target (dashed), the actual monthly values since the baseline, and the
// expected value today on the planned path.
func planChart(t PlanTarget, l Label, asOf time.Time) (chart, error) {
	if len(t.Path) < 2 {
		return chart{}, fmt.Errorf("valuereport: plan chart %s: no path", t.Progress.Metric)
	}
	p := newPlot()
	p.Title.Text = l.Name
	p.Title.TextStyle.Font = font.From(sans, 9)
	path := make(plotter.XYs, len(t.Path))
	for i, pt := range t.Path {
		path[i] = plotter.XY{X: unix(pt.At), Y: pt.Value}
	}
	planned, err := plotter.NewLine(path)
	if err != nil {
		return chart{}, fmt.Errorf("valuereport: plan chart %s: %w", t.Progress.Metric, err)
	}
	planned.LineStyle = draw.LineStyle{Color: muted, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	p.Add(planned)
	ends, err := plotter.NewScatter(plotter.XYs{path[0], path[len(path)-1]})
	if err != nil {
		return chart{}, fmt.Errorf("valuereport: plan chart %s: %w", t.Progress.Metric, err)
	}
	ends.GlyphStyle = draw.GlyphStyle{Color: muted, Radius: vg.Points(2.5), Shape: draw.BoxGlyph{}}
	p.Add(ends)
	if tp := t.Progress; tp.Actual.Present {
		exp, err := plotter.NewScatter(plotter.XYs{{X: unix(asOf), Y: tp.Expected}})
		if err != nil {
			return chart{}, fmt.Errorf("valuereport: plan chart %s: %w", t.Progress.Metric, err)
		}
		exp.GlyphStyle = draw.GlyphStyle{Color: muted, Radius: vg.Points(3.5), Shape: draw.RingGlyph{}}
		p.Add(exp)
	}
	if len(t.Actual) > 0 {
		act := make(plotter.XYs, len(t.Actual))
		for i, pt := range t.Actual {
			act[i] = plotter.XY{X: unix(pt.At), Y: pt.Value}
		}
		line, pts, err := plotter.NewLinePoints(act)
		if err != nil {
			return chart{}, fmt.Errorf("valuereport: plan chart %s: %w", t.Progress.Metric, err)
		}
		line.LineStyle = draw.LineStyle{Color: accent, Width: vg.Points(1.5)}
		pts.GlyphStyle = draw.GlyphStyle{Color: accent, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}}
		p.Add(line, pts)
	}
	from, to := t.Path[0].At, t.Path[len(t.Path)-1].At
	p.X.Min, p.X.Max = unix(from), unix(to)
	p.X.Tick.Marker = monthTicks(from, to, 3)
	p.Y.Tick.Marker = valueTicks{percent: l.Percent}
	lo, hi := p.Y.Min, p.Y.Max
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.1, 1)
	}
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	if lo >= 0 && p.Y.Min < 0 {
		p.Y.Min = 0
	}
	return chart{p, halfWidth, chartShort, "Plan: " + l.Name}, nil
}

// healthChart draws the monthly health score over the band ranges. Months
// without a score break the line; with no score at all the chart says so.
func healthChart(h Health) (chart, error) {
	n := len(h.Points)
	if n == 0 {
		return chart{}, fmt.Errorf("valuereport: health chart: no months")
	}
	p := newPlot()
	p.Y.Label.Text = "health score"
	p.Y.Min, p.Y.Max = 0, 100
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	for _, b := range h.Bands {
		poly, err := plotter.NewPolygon(plotter.XYs{{X: -0.5, Y: b.Min}, {X: -0.5, Y: b.Max}, {X: float64(n) - 0.5, Y: b.Max}, {X: float64(n) - 0.5, Y: b.Min}})
		if err != nil {
			return chart{}, fmt.Errorf("valuereport: health chart: %w", err)
		}
		fill, ok := bandFills[b.Name]
		if !ok {
			fill = otherBand
		}
		poly.Color, poly.LineStyle.Width = fill, 0
		p.Add(poly)
		l, err := labels([]float64{float64(n) - 0.6}, []float64{(b.Min + b.Max) / 2},
			[]string{fmt.Sprintf("%s %g–%g", b.Name, b.Min, b.Max)}, textStyle(7, muted, draw.XRight))
		if err != nil {
			return chart{}, fmt.Errorf("valuereport: health chart: %w", err)
		}
		p.Add(l)
	}
	var ticks plot.ConstantTicks
	var seg plotter.XYs
	var all plotter.XYs
	flush := func() error {
		if len(seg) > 1 {
			line, err := plotter.NewLine(seg)
			if err != nil {
				return err
			}
			line.LineStyle = draw.LineStyle{Color: accent, Width: vg.Points(1.75)}
			p.Add(line)
		}
		seg = nil
		return nil
	}
	for i, pt := range h.Points {
		// The year goes on a second line: twelve one-line labels such
		// as "Dec 2025" next to "Jan 2026" overlap.
		label := pt.At.Format("Jan")
		if i == 0 || pt.At.Month() == time.January {
			label = pt.At.Format("Jan\n2006")
		}
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: label})
		if !pt.Available {
			if err := flush(); err != nil {
				return chart{}, fmt.Errorf("valuereport: health chart: %w", err)
			}
			continue
		}
		seg = append(seg, plotter.XY{X: float64(i), Y: pt.Value})
		all = append(all, plotter.XY{X: float64(i), Y: pt.Value})
	}
	if err := flush(); err != nil {
		return chart{}, fmt.Errorf("valuereport: health chart: %w", err)
	}
	if len(all) > 0 {
		sc, err := plotter.NewScatter(all)
		if err != nil {
			return chart{}, fmt.Errorf("valuereport: health chart: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: accent, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
		p.Add(sc)
	} else {
		l, err := labels([]float64{float64(n-1) / 2}, []float64{50}, []string{"no data yet"}, textStyle(10, ink, draw.XCenter))
		if err != nil {
			return chart{}, fmt.Errorf("valuereport: health chart: %w", err)
		}
		p.Add(l)
	}
	p.X.Tick.Marker = ticks
	p.Y.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 25, Label: "25"}, {Value: 50, Label: "50"}, {Value: 75, Label: "75"}, {Value: 100, Label: "100"}}
	return chart{p, fullWidth, chartTall, "Health score, monthly, last 12 months"}, nil
}
