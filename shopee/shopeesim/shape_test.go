package shopeesim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAnswersHaveFixtureShapes is the contract between the simulator and
// Shopee's wire formats: every answer the simulator gives for a fixture
// has the fixture's field names and JSON types, recursively.
func TestAnswersHaveFixtureShapes(t *testing.T) {
	s, _ := newSim(t, Options{})
	accts := s.Accounts()
	live := liveSession(t, s, accts[0].UserID)
	offline := accts[2]

	// The giveaway fixture shows one running.
	startCoins(t, s, accts[0].Cookie, live.SessionID, coinPlan)
	campaign := s.Campaigns(accts[0].UserID)[0].CampaignID

	tests := []struct {
		fixture string
		target  string
		cookie  string
		status  int
		faults  Faults
		body    string // sent as a POST when set
	}{
		{"04-userInfo.json", creator + "userInfo", accts[0].Cookie,
			http.StatusOK, Faults{}, ""},
		{"05-sessionList.json",
			creator + "realtime/sessionList?page=1&pageSize=10&name=&orderBy=&sort=desc",
			accts[0].Cookie, http.StatusOK, Faults{}, ""},
		{"06-sessionInfo.json",
			sessionPath(creator, "realtime/dashboard/sessionInfo",
				live.SessionID),
			accts[0].Cookie, http.StatusOK, Faults{}, ""},
		{"07-overview.json",
			sessionPath(creator, "realtime/dashboard/overview",
				live.SessionID),
			accts[0].Cookie, http.StatusOK, Faults{}, ""},
		{"15-live_ongoing.json", ongoing + "?uid=" + itoa(accts[0].UserID),
			"", http.StatusOK, Faults{}, ""},
		{"15-live_ongoing-none.json",
			ongoing + "?uid=" + itoa(offline.UserID), "", http.StatusOK, Faults{}, ""},
		{"10-live_stream_edit.json", edit, accts[0].Cookie, http.StatusOK,
			Faults{}, editBodyOf(campaign, "pause", 0)},
		{"14-get_ads_data.json", adsData, accts[0].Cookie, http.StatusOK,
			Faults{}, `{"info_type_list":["ads_expense","ads_credit"]}`},
		{"19-coin_giveout.json", coinPath(live.SessionID, "giveout"),
			accts[0].Cookie, http.StatusOK, Faults{}, ""},
		{"err-90309999-antibot.json",
			sessionPath(creator, "realtime/dashboard/overview",
				live.SessionID),
			accts[0].Cookie, http.StatusForbidden,
			Faults{Rate: 1, Kinds: []FaultKind{AntiBot}}, ""},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.fixture, ".json"), func(t *testing.T) {
			s.SetFaults("", tt.faults)
			defer s.ClearFaults()

			want := readJSON(t, filepath.Join("testdata", tt.fixture))
			for _, target := range bothPrefixes(tt.target) {
				res := get(t, s, target, tt.cookie)
				if tt.body != "" {
					res = post(t, s, target, tt.cookie, tt.body)
				}
				if res.status != tt.status {
					t.Fatalf("GET %s: status %d, want %d", target,
						res.status, tt.status)
				}
				got := decodeJSON(t, res.body)
				if diffs := shapeDiff("$", got, want); len(diffs) > 0 {
					t.Errorf("GET %s: shape differs from %s:\n%s", target,
						tt.fixture, strings.Join(diffs, "\n"))
				}
			}
		})
	}
}

// bothPrefixes returns a supply API target under the creator and the
// seller-centre prefixes; other targets as they are.
func bothPrefixes(target string) []string {
	if rest, ok := strings.CutPrefix(target, creator); ok {
		return []string{target, seller + rest}
	}
	return []string{target}
}

func TestShapeDiffCatchesDifferences(t *testing.T) {
	want := decodeJSON(t, []byte(`{"a":1,"b":"x","c":[{"d":true}],"e":null}`))
	tests := []struct {
		name string
		got  string
	}{
		{"MissingKey", `{"a":1,"b":"x","c":[{"d":true}]}`},
		{"ExtraKey", `{"a":1,"b":"x","c":[{"d":true}],"e":null,"f":1}`},
		{"NumberAsString", `{"a":"1","b":"x","c":[{"d":true}],"e":null}`},
		{"NullForNumber", `{"a":null,"b":"x","c":[{"d":true}],"e":null}`},
		{"WrongItem", `{"a":1,"b":"x","c":[{"d":1}],"e":null}`},
		{"EmptyList", `{"a":1,"b":"x","c":[],"e":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decodeJSON(t, []byte(tt.got))
			if diffs := shapeDiff("$", got, want); len(diffs) == 0 {
				t.Errorf("shapeDiff(%s) found no difference", tt.got)
			}
		})
	}
	if diffs := shapeDiff("$", want, want); len(diffs) > 0 {
		t.Errorf("shapeDiff of a value with itself: %v", diffs)
	}
}

// shapeDiff lists where got's shape differs from want's: objects must
// have the same keys, leaves the same JSON type, and every list item the
// shape of want's first item.
func shapeDiff(path string, got, want any) []string {
	if kind(got) != kind(want) {
		return []string{fmt.Sprintf("%s: %s, want %s", path, kind(got),
			kind(want))}
	}

	var diffs []string
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for _, k := range sortedKeys(w) {
			if _, ok := g[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			diffs = append(diffs, shapeDiff(path+"."+k, g[k], w[k])...)
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: unexpected", path,
					k))
			}
		}
	case []any:
		g := got.([]any)
		if len(w) > 0 && len(g) == 0 {
			return []string{path + ": empty list, want items"}
		}
		for i, item := range g {
			if len(w) > 0 {
				diffs = append(diffs,
					shapeDiff(fmt.Sprintf("%s[%d]", path, i), item, w[0])...)
			}
		}
	}
	return diffs
}

// kind names the JSON type of a decoded value.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func readJSON(t testing.TB, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return decodeJSON(t, b)
}

// decodeJSON decodes b keeping numbers as json.Number.
func decodeJSON(t testing.TB, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}
