package web

import (
	"fmt"
	"html/template"
	"regexp"
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

// lineChart draws values over labels as an SVG line chart. The SVG is
// labelled for screen readers and scales with its container. It keeps
// the chart library's look, but as presentation attributes instead of
// style attributes, which the dashboard's policy does not allow.
func lineChart(id, title, summary string, labels []string,
	values []float64) (chart, error) {
	labels, values = thin(labels, values)
	c := chart{ID: id, Title: title, Summary: summary}
	if len(values) < 2 {
		return c, nil
	}
	p, err := charts.LineRender([][]float64{values},
		charts.SVGOutputOptionFunc(), charts.DimensionsOptionFunc(640, 260),
		charts.XAxisLabelsOptionFunc(labels),
		charts.ThemeNameOptionFunc(charts.ThemeLight),
		charts.PaddingOptionFunc(charts.NewBoxEqual(12)))
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
