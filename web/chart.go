package web

import (
	"fmt"
	"html/template"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/go-analyze/charts"
)

// chart is a line chart drawn on the server, with the words that make it
// readable without seeing it.
type chart struct {
	// ID names the chart's element, for links and tests.
	ID    string
	Title string
	// Summary says in a sentence what the chart shows.
	Summary string
	SVG     template.HTML
}

// maxPoints caps the points of a chart: a phone shows no more, and the
// page stays light.
const maxPoints = 120

// A chart's drawing is chartWidth by chartHeight units with text of
// chartFont units. The page scales it to its box, but never wider than
// the style sheet's cap, so that its text stays between about 10 px on
// a phone and 15 px on a wide screen.
const (
	chartWidth  = 360
	chartHeight = 200
	chartFont   = 12
	// xLabels is how many times the x-axis shows at most; more would
	// touch at chartFont.
	xLabels = 4
	// yLabels is how many values the y-axis aims to show.
	yLabels = 4
)

// lineChart draws values over labels as an SVG line chart, writing the
// y-axis values with yText. Values must be whole numbers: the axis only
// shows whole steps. The SVG is labelled for screen readers and scales
// with its container. It keeps the chart library's look, but as
// presentation attributes instead of style attributes, which the
// dashboard's policy does not allow.
func lineChart(id, title, summary string, labels []string, values []float64,
	yText func(float64) string) (chart, error) {
	labels, values = thin(labels, values)
	c := chart{ID: id, Title: title, Summary: summary}
	if len(values) < 2 {
		return c, nil
	}
	// The library takes font sizes in points and draws them in pixels.
	font := charts.FontStyle{FontSize: chartFont * 3 / 4}
	lo, hi, step := wholeSteps(values, yLabels)
	p, err := charts.LineRender([][]float64{values},
		charts.SVGOutputOptionFunc(),
		charts.DimensionsOptionFunc(chartWidth, chartHeight),
		charts.XAxisOptionFunc(charts.XAxisOption{
			Labels:     sparseLabels(labels, xLabels),
			LabelCount: xLabels, BoundaryGap: charts.Ptr(false),
			LabelFontStyle: font}),
		charts.YAxisOptionFunc(charts.YAxisOption{
			Min: charts.Ptr(lo), Max: charts.Ptr(hi),
			LabelCount:             int((hi-lo)/step) + 1,
			RangeValuePaddingScale: charts.Ptr(0.0),
			LabelFontStyle:         font, ValueFormatter: yText}),
		charts.ThemeNameOptionFunc(charts.ThemeLight),
		charts.PaddingOptionFunc(charts.NewBox(8, 12, 14, 4)))
	if err != nil {
		return c, fmt.Errorf("web: draw chart %s: %w", id, err)
	}
	raw, err := p.Bytes()
	if err != nil {
		return c, fmt.Errorf("web: draw chart %s: %w", id, err)
	}
	c.SVG = template.HTML(labelSVG(unstyle(string(raw)),
		template.HTMLEscapeString(title+": "+summary)))
	return c, nil
}

// sparseLabels blanks all labels but at most n, spread evenly with the
// first and the last: the ones the chart library picks for an axis of n
// labels with no boundary gap. A label equal to the one kept before it
// is blanked too, so that no time shows twice.
func sparseLabels(labels []string, n int) []string {
	out := make([]string, len(labels))
	last := len(labels) - 1
	if last < 1 {
		return slices.Clone(labels)
	}
	n = max(min(n, len(labels)), 2)
	step := float64(last) / float64(n-1)
	kept := ""
	for k := range n {
		i := int(float64(k)*step + 0.5)
		if labels[i] != kept {
			out[i], kept = labels[i], labels[i]
		}
	}
	return out
}

// wholeSteps returns a y-axis range from lo to hi in steps of a whole
// round number (1, 2, 2.5 or 5 times a power of ten, never under 1) that
// holds values in about n labels.
func wholeSteps(values []float64, n int) (lo, hi, step float64) {
	vmin, vmax := values[0], values[0]
	for _, v := range values {
		vmin, vmax = min(vmin, v), max(vmax, v)
	}
	raw := max((vmax-vmin)/float64(max(n-1, 1)), 1)
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * pow
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*pow >= raw && (m != 2.5 || pow >= 10) {
			step = m * pow
			break
		}
	}
	lo = math.Floor(vmin/step) * step
	hi = math.Ceil(vmax/step) * step
	if hi == lo {
		hi = lo + step
	}
	return lo, hi, step
}

// thin keeps at most maxPoints evenly spread points, the last included.
func thin(labels []string, values []float64) ([]string, []float64) {
	n := len(values)
	if n <= maxPoints {
		return labels, values
	}
	ls, vs := make([]string, 0, maxPoints), make([]float64, 0, maxPoints)
	for i := range maxPoints {
		j := i * (n - 1) / (maxPoints - 1)
		ls, vs = append(ls, labels[j]), append(vs, values[j])
	}
	return ls, vs
}

var styleAttr = regexp.MustCompile(`\sstyle="([^"]*)"`)

// unstyle turns every style attribute into presentation attributes.
func unstyle(svg string) string {
	return styleAttr.ReplaceAllStringFunc(svg, func(attr string) string {
		decls := styleAttr.FindStringSubmatch(attr)[1]
		var b strings.Builder
		for decl := range strings.SplitSeq(decls, ";") {
			name, value, ok := strings.Cut(decl, ":")
			name = strings.TrimSpace(name)
			if !ok || name == "" {
				continue
			}
			fmt.Fprintf(&b, ` %s="%s"`, name,
				strings.ReplaceAll(strings.TrimSpace(value), `"`, "'"))
		}
		return b.String()
	})
}

// labelSVG gives the chart's root element an image role, a label and a
// title, all from label, which must be escaped already.
func labelSVG(svg, label string) string {
	open, rest, ok := strings.Cut(svg, ">")
	if !ok {
		return svg
	}
	return open + ` role="img" aria-label="` + label + `" ` +
		`preserveAspectRatio="xMidYMid meet"><title>` + label + `</title>` +
		rest
}
