// Package qrsvg draws QR codes as SVG, for pages and API answers that
// show a code to scan. The SVG has a viewBox and no size of its own:
// style sets its size where it is shown.
package qrsvg

import (
	"fmt"

	qr "github.com/piglig/go-qr"
)

// Render returns text as a QR code in SVG, with medium error correction
// and the four-module quiet zone scanners expect.
func Render(text string) (string, error) {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return "", fmt.Errorf("qrsvg: encode: %w", err)
	}
	svg, err := code.ToSVGBytes(qr.NewQrCodeImgConfig(1, 4))
	if err != nil {
		return "", fmt.Errorf("qrsvg: render: %w", err)
	}
	return string(svg), nil
}
