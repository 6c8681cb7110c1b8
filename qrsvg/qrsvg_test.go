package qrsvg

import (
	"image"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	qr "github.com/piglig/go-qr"
)

func TestRenderEncodesTheText(t *testing.T) {
	const link = "https://shopee.co.id/universal-link/qrcode-login?id=" +
		"U0lNVUxBVE9SX1FS%2BZXhhbXBsZQ%2FMDAwMQ%3D%3D"
	svg, err := Render(link)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(svg, "<svg ") || !strings.Contains(svg, "viewBox") {
		t.Errorf("not an SVG with a viewBox: %.80s", svg)
	}
	if strings.Contains(svg, "<script") || strings.Contains(svg, "style=") {
		t.Errorf("the SVG holds script or inline style: %.200s", svg)
	}

	got, err := qr.Decode(rasterize(t, svg, 4))
	if err != nil || got != link {
		t.Errorf("the SVG reads %q, %v; want %q", got, err, link)
	}
}

var (
	viewBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	module  = regexp.MustCompile(`M(\d+),(\d+)h1v1h-1z`)
)

// rasterize draws the SVG's one-unit dark squares on a white image, each
// unit scale pixels wide, so a QR decoder can read what the SVG shows.
func rasterize(t *testing.T, svg string, scale int) image.Image {
	t.Helper()
	m := viewBox.FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no viewBox in %.80s", svg)
	}
	size, _ := strconv.Atoi(m[1])

	img := image.NewGray(image.Rect(0, 0, size*scale, size*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	squares := module.FindAllStringSubmatch(svg, -1)
	if len(squares) == 0 {
		t.Fatal("the SVG draws no module")
	}
	for _, sq := range squares {
		x, _ := strconv.Atoi(sq[1])
		y, _ := strconv.Atoi(sq[2])
		for dy := range scale {
			for dx := range scale {
				img.SetGray(x*scale+dx, y*scale+dy, color.Gray{})
			}
		}
	}
	return img
}
