package shopee

import (
	"bytes"
	"encoding/json"
	"time"

	"liveboard"
)

// loose is a JSON object read without a fixed shape, for endpoints whose
// answers no public source shows. Each accessor takes the names a field
// may go by, in snake_case or camelCase, and returns the first one that
// holds a value of the right type; a field of another type counts as
// absent rather than failing the answer.
type loose map[string]json.RawMessage

// looseObject reads raw as an object; ok is false for anything else.
func looseObject(raw json.RawMessage) (loose, bool) {
	var m loose
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

func (m loose) int(names ...string) *int64 {
	for _, n := range names {
		var w wireInt
		if raw, ok := m[n]; ok && json.Unmarshal(raw, &w) == nil &&
			w.p != nil {
			return w.p
		}
	}
	return nil
}

func (m loose) float(names ...string) *float64 {
	for _, n := range names {
		var w wireFloat
		if raw, ok := m[n]; ok && json.Unmarshal(raw, &w) == nil &&
			w.p != nil {
			return w.p
		}
	}
	return nil
}

func (m loose) micros(names ...string) *liveboard.Money {
	for _, n := range names {
		var w wireMicros
		if raw, ok := m[n]; ok && json.Unmarshal(raw, &w) == nil &&
			w.p != nil {
			return w.p
		}
	}
	return nil
}

func (m loose) unix(names ...string) *time.Time {
	for _, n := range names {
		var w wireUnix
		if raw, ok := m[n]; ok && json.Unmarshal(raw, &w) == nil &&
			w.p != nil {
			return w.p
		}
	}
	return nil
}

func (m loose) text(names ...string) string {
	for _, n := range names {
		var s string
		if raw, ok := m[n]; ok && json.Unmarshal(raw, &s) == nil && s != "" {
			return s
		}
	}
	return ""
}

// object returns the first named field that holds an object.
func (m loose) object(names ...string) (loose, bool) {
	for _, n := range names {
		if o, ok := looseObject(m[n]); ok {
			return o, true
		}
	}
	return nil, false
}

// list returns the objects of the first named field that holds an array;
// items that are not objects are skipped.
func (m loose) list(names ...string) ([]loose, bool) {
	for _, n := range names {
		if items, ok := looseList(m[n]); ok {
			return items, true
		}
	}
	return nil, false
}

// looseList reads raw as an array of objects, skipping other items.
func looseList(raw json.RawMessage) ([]loose, bool) {
	var items []json.RawMessage
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) ||
		json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	out := make([]loose, 0, len(items))
	for _, it := range items {
		if o, ok := looseObject(it); ok {
			out = append(out, o)
		}
	}
	return out, true
}
