package httpapi

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"liveboard"
)

// queryInt reads an optional integer query parameter within [lo, hi],
// returning def when it is absent. Only plain digits (and a leading minus)
// are numbers: " 1", "+1" and "0x1" are not.
func queryInt(q url.Values, name string, def, lo, hi int64) (int64, error) {
	text := q.Get(name)
	if text == "" {
		return def, nil
	}

	n, err := parseInt(text)
	if err != nil {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"%s must be a whole number, got %s", name, quote(text))
	}
	if n < lo || n > hi {
		if hi >= maxID {
			return 0, liveboard.Errorf(liveboard.EInvalid,
				"%s must be %d or more, got %d", name, lo, n)
		}
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"%s must be between %d and %d, got %d", name, lo, hi, n)
	}
	return n, nil
}

// maxID bounds ids: anything beyond is not an id of ours.
const maxID = 1 << 62

// parseInt reads a decimal integer written with digits only, after an
// optional minus sign.
func parseInt(text string) (int64, error) {
	digits := strings.TrimPrefix(text, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseInt(text, 10, 64)
}

// parseShopeeID reads a Shopee id: a positive number written with digits
// only and no leading zero.
func parseShopeeID(text string) (int64, error) {
	n, err := parseInt(text)
	if err != nil || n <= 0 || strings.HasPrefix(text, "0") {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"%s is not a Shopee id: want a positive number such as "+
				"123450002", quote(text))
	}
	return n, nil
}

// quote quotes a caller's value for an error message, cut short so that
// a huge value is not echoed back whole.
func quote(text string) string {
	const most = 40
	if r := []rune(text); len(r) > most {
		return strconv.Quote(string(r[:most])) + "…"
	}
	return strconv.Quote(text)
}

// flexID is a Shopee id sent as a JSON number or a string of digits.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*f = flexID(n.String())
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"session_id must be a number or a string of digits")
	}
	*f = flexID(s)
	return nil
}

// shopeeID returns the id as a number, or an EInvalid error.
func (f flexID) shopeeID() (int64, error) { return parseShopeeID(string(f)) }

// pageParams reads page (1-based) and page_size from the query.
func pageParams(q url.Values, defSize, maxSize int64) (page, size int64, err error) {
	page, err = queryInt(q, "page", 1, 1, 1_000_000)
	if err != nil {
		return 0, 0, err
	}
	size, err = queryInt(q, "page_size", defSize, 1, maxSize)
	return page, size, err
}
