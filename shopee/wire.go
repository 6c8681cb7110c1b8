package shopee

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// The wire types below decode Shopee's JSON numbers tolerantly: a value may
// arrive as a JSON number or as a string holding one. JSON null, an empty
// string or an absent field leave the value unknown (a nil pointer), never
// zero. Anything else that is not a number fails the decoding.

// wireInt is an integer: an id, a count or a status.
type wireInt struct{ p *int64 }

func (w *wireInt) UnmarshalJSON(b []byte) error {
	return decodeNumber(b, &w.p, parseInt)
}

// wireFloat is a rate or another fractional number.
type wireFloat struct{ p *float64 }

func (w *wireFloat) UnmarshalJSON(b []byte) error {
	return decodeNumber(b, &w.p, parseFloat)
}

// wireMoney is an amount in major currency units, read exactly from the
// number's text.
type wireMoney struct{ p *liveboard.Money }

func (w *wireMoney) UnmarshalJSON(b []byte) error {
	return decodeNumber(b, &w.p, liveboard.ParseMoney)
}

// wireTime is a moment in epoch milliseconds. Zero counts as unknown: no
// session started in 1970.
type wireTime struct{ p *time.Time }

func (w *wireTime) UnmarshalJSON(b []byte) error {
	if err := decodeNumber(b, &w.p, parseMillisTime); err != nil {
		return err
	}
	if w.p != nil && w.p.IsZero() {
		w.p = nil
	}
	return nil
}

// wireDuration is a duration in milliseconds, possibly fractional.
type wireDuration struct{ p *time.Duration }

func (w *wireDuration) UnmarshalJSON(b []byte) error {
	return decodeNumber(b, &w.p, parseMillis)
}

// wireText is a message that is usually a string but is kept whatever JSON
// value it is, since only people read it.
type wireText string

func (w *wireText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*w = wireText(s)
		return nil
	}
	if string(bytes.TrimSpace(b)) != "null" {
		*w = wireText(b)
	}
	return nil
}

// decodeNumber sets *dst to the number in b parsed by parse, or leaves it
// nil when b holds no value.
func decodeNumber[T any](b []byte, dst **T,
	parse func(string) (T, error)) error {
	text, ok, err := numberText(b)
	if err != nil || !ok {
		return err
	}

	v, err := parse(text)
	if err != nil {
		return err
	}
	*dst = &v
	return nil
}

// numberText returns the text of a JSON number or of a string holding one;
// ok is false for null and for an empty string.
func numberText(b []byte) (text string, ok bool, err error) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return "", false, nil
	}
	if len(b) == 0 || b[0] != '"' {
		return string(b), true, nil
	}

	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", false, err
	}
	s = strings.TrimSpace(s)
	return s, s != "", nil
}

// maxExactFloat is the largest integer a float64 holds exactly.
const maxExactFloat = 1 << 53

// parseInt reads an integer, also from integral decimal text like "12.0".
func parseInt(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}

	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > maxExactFloat {
		return 0, fmt.Errorf("%q is not an integer", excerpt(s))
	}
	return int64(f), nil
}

func parseFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number", excerpt(s))
	}
	return f, nil
}

// parseMillisTime reads epoch milliseconds; 0 gives the zero time.
func parseMillisTime(s string) (time.Time, error) {
	ms, err := parseInt(s)
	if err != nil {
		return time.Time{}, err
	}
	if ms == 0 {
		return time.Time{}, nil
	}
	return time.UnixMilli(ms).UTC(), nil
}

// maxMillis is the longest duration in milliseconds time.Duration holds.
const maxMillis = float64(math.MaxInt64 / int64(time.Millisecond))

func parseMillis(s string) (time.Duration, error) {
	f, err := parseFloat(s)
	if err != nil {
		return 0, err
	}
	if math.Abs(f) > maxMillis {
		return 0, fmt.Errorf("%q milliseconds is out of range", excerpt(s))
	}
	return time.Duration(math.Round(f * float64(time.Millisecond))), nil
}

// excerpt shortens a value quoted in a decoding error.
func excerpt(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// Accessors turn decoded values into the plain values callers see.

func (w wireInt) value() int64 {
	if w.p == nil {
		return 0
	}
	return *w.p
}

// int returns the value as an int, or nil when unknown.
func (w wireInt) int() *int {
	if w.p == nil {
		return nil
	}
	n := int(*w.p)
	return &n
}

func (w wireTime) value() time.Time {
	if w.p == nil {
		return time.Time{}
	}
	return *w.p
}

func (w wireDuration) value() time.Duration {
	if w.p == nil {
		return 0
	}
	return *w.p
}

// wireMicros is an amount of the ads API: an integer in 1/100000 of the
// currency's major unit, which is exactly liveboard.Money's scale.
type wireMicros struct{ p *liveboard.Money }

func (w *wireMicros) UnmarshalJSON(b []byte) error {
	return decodeNumber(b, &w.p, parseMicros)
}

func parseMicros(s string) (liveboard.Money, error) {
	n, err := parseInt(s)
	return liveboard.Money(n), err
}

// wireUnix is a moment in unix seconds, or in milliseconds when the
// number is too large to be seconds (past the year 5000). Zero counts as
// unknown.
type wireUnix struct{ p *time.Time }

func (w *wireUnix) UnmarshalJSON(b []byte) error {
	if err := decodeNumber(b, &w.p, parseUnixTime); err != nil {
		return err
	}
	if w.p != nil && w.p.IsZero() {
		w.p = nil
	}
	return nil
}

// maxUnixSeconds is the year 5000 in unix seconds; larger numbers are
// taken for milliseconds.
const maxUnixSeconds = 95_617_584_000

func parseUnixTime(s string) (time.Time, error) {
	n, err := parseInt(s)
	switch {
	case err != nil:
		return time.Time{}, err
	case n == 0:
		return time.Time{}, nil
	case n > maxUnixSeconds || n < -maxUnixSeconds:
		return time.UnixMilli(n).UTC(), nil
	}
	return time.Unix(n, 0).UTC(), nil
}
