package web

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"liveboard"
)

var svgText = regexp.MustCompile(
	`<text x="(\d+)" y="(\d+)"[^>]*font-size="([^"]+)"[^>]*>([^<]*)</text>`)

// axisTexts returns the texts of a chart's y-axis and x-axis, told apart
// by their place: the x-axis's are on the lowest line.
func axisTexts(t *testing.T, svg string) (y, x []string, xs []int) {
	t.Helper()
	bottom := 0
	ms := svgText.FindAllStringSubmatch(svg, -1)
	for _, m := range ms {
		if m[3] != "12px" {
			t.Errorf("text %q is %s, want 12px", m[4], m[3])
		}
		bottom = max(bottom, atoi(t, m[2]))
	}
	for _, m := range ms {
		if atoi(t, m[2]) == bottom {
			x, xs = append(x, m[4]), append(xs, atoi(t, m[1]))
		} else {
			y = append(y, m[4])
		}
	}
	return y, x, xs
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSessionChartAxes draws a session's charts from snapshots taken
// several times a minute and checks their axes: each time once, far
// enough apart not to touch; counts whole and grouped; GMV in rupiah.
func TestSessionChartAxes(t *testing.T) {
	var labels []string
	var orders, gmv []float64
	for i := range 150 {
		labels = append(labels, fmt.Sprintf("16:%02d", 11+i/4))
		orders = append(orders, float64(i*9))
		gmv = append(gmv, float64(i)*294_630)
	}
	tests := []struct {
		name   string
		values []float64
		text   func(float64) string
		want   *regexp.Regexp
	}{
		{"orders", orders, sessionSeries[1].axisText(liveboard.RegionID),
			regexp.MustCompile(`^\d{1,3}(\.\d{3})*$`)},
		{"gmv", gmv, sessionSeries[2].axisText(liveboard.RegionID),
			regexp.MustCompile(`^Rp \d+(,\d{1,2})?( (rb|jt|M))?$`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := lineChart("chart-"+tt.name, tt.name, "", labels,
				tt.values, tt.text)
			if err != nil {
				t.Fatal(err)
			}
			y, x, xs := axisTexts(t, string(c.SVG))
			if len(y) < 3 {
				t.Errorf("the y-axis shows %q", y)
			}
			for _, v := range y {
				if !tt.want.MatchString(v) {
					t.Errorf("y-axis value %q is not written as %s", v,
						tt.want)
				}
			}
			if len(x) < 3 || len(x) > xLabels || x[0] != "16:11" ||
				x[len(x)-1] != labels[len(labels)-1] {
				t.Errorf("the x-axis shows %q", x)
			}
			sorted := slices.Clone(x)
			slices.Sort(sorted)
			if len(slices.Compact(sorted)) != len(x) {
				t.Errorf("the x-axis repeats a time: %q", x)
			}
			// A time is five characters of at most 8 units at 12 units.
			for i := 1; i < len(xs); i++ {
				if xs[i]-xs[i-1] < 45 {
					t.Errorf("times %q and %q are %d units apart", x[i-1],
						x[i], xs[i]-xs[i-1])
				}
			}
		})
	}
}

func TestSparseLabels(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"a", "a", "a", "b", "b", "c", "c"},
			[]string{"a", "", "", "", "b", "", "c"}},
		{[]string{"a", "a"}, []string{"a", ""}},
		{[]string{"a", "b", "c"}, []string{"a", "b", "c"}},
	}
	for _, tt := range tests {
		if got := sparseLabels(tt.in, 4); !slices.Equal(got, tt.want) {
			t.Errorf("sparseLabels(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWholeSteps(t *testing.T) {
	tests := []struct {
		values          []float64
		lo, hi, stepped float64
	}{
		{[]float64{0, 369}, 0, 400, 200},
		{[]float64{3, 3}, 3, 4, 1},
		{[]float64{0, 2}, 0, 2, 1},
		{[]float64{12, 80}, 0, 100, 25},
		{[]float64{0, 43_900_000}, 0, 60_000_000, 20_000_000},
	}
	for _, tt := range tests {
		lo, hi, step := wholeSteps(tt.values, yLabels)
		if lo != tt.lo || hi != tt.hi || step != tt.stepped {
			t.Errorf("wholeSteps(%v) = %v, %v, %v, want %v, %v, %v",
				tt.values, lo, hi, step, tt.lo, tt.hi, tt.stepped)
		}
	}
}
