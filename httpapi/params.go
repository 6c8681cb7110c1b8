package httpapi

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"liveboard"
)

// queryInt reads an optional integer query parameter within [lo, hi],
// returning def when it is absent.
func queryInt(q url.Values, name string, def, lo, hi int64) (int64, error) {
	text := strings.TrimSpace(q.Get(name))
	if text == "" {
		return def, nil
	}

	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"%s must be a whole number, got %q", name, text)
	}
	if n < lo || n > hi {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"%s must be between %d and %d, got %d", name, lo, hi, n)
	}
	return n, nil
}

// parseShopeeID reads a Shopee id: a positive decimal number.
func parseShopeeID(text string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil || n <= 0 {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"%q is not a Shopee id: want a positive number such as 123450002",
			text)
	}
	return n, nil
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
