package httpapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"liveboard/httpapi"
)

// operation is one method and path, with whether it needs no key.
type operation struct {
	Method string
	Path   string
	Public bool
}

// TestRoutesMatchTheDocument checks that the server answers exactly the
// operations the OpenAPI document describes, public where it says so.
func TestRoutesMatchTheDocument(t *testing.T) {
	t.Parallel()
	// Routes are installed whatever the configuration; /metrics only
	// with a handler for it.
	api, err := httpapi.New(httpapi.Config{Metrics: http.NotFoundHandler()})
	if err != nil {
		t.Fatalf("httpapi.New: %v", err)
	}
	doc := loadDoc(t).doc

	var inDoc []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			public := op.Security != nil && len(*op.Security) == 0
			inDoc = append(inDoc, operation{method, path, public})
		}
	}
	var served []operation
	for _, r := range api.Routes() {
		served = append(served, operation{r.Method, r.Path, r.Public})
	}

	t.Run("every route is documented", func(t *testing.T) {
		for _, op := range served {
			if !slices.Contains(inDoc, op) {
				t.Errorf("%s %s (public %t) is served but not in the "+
					"document", op.Method, op.Path, op.Public)
			}
		}
	})
	t.Run("every operation is served", func(t *testing.T) {
		for _, op := range inDoc {
			if !slices.Contains(served, op) {
				t.Errorf("%s %s (public %t) is in the document but not "+
					"served", op.Method, op.Path, op.Public)
			}
		}
	})
	t.Run("no route is registered twice", func(t *testing.T) {
		seen := map[operation]bool{}
		for _, op := range served {
			if seen[op] {
				t.Errorf("%s %s is registered twice", op.Method, op.Path)
			}
			seen[op] = true
		}
	})
}

// testServedDocument checks that /api/openapi.json serves the document.
func testServedDocument(t *testing.T, h *harness) {
	res := h.get(t, "/api/openapi.json", anonymous)
	wantStatus(t, res, http.StatusOK)
	var got map[string]any
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatalf("decode served document: %v", err)
	}

	doc, err := httpapi.OpenAPI()
	if err != nil {
		t.Fatalf("OpenAPI: %v", err)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("encode document: %v", err)
	}
	var want map[string]any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("decode document: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("served document differs (-want +got):\n%s", diff)
	}
}

// TestDocumentCheckFindsMismatches checks the check every API call of
// these tests goes through.
func TestDocumentCheckFindsMismatches(t *testing.T) {
	t.Parallel()
	d := loadDoc(t)
	const sessions = "/api/live-streaming/sessions"
	okEnvelope := `{"status":"success","data":{"status":"ok"},` +
		`"timestamp":"2026-03-10T12:00:00Z"}`
	errEnvelope := `{"status":"error","message":"no","code":"NOT_FOUND",` +
		`"timestamp":"2026-03-10T12:00:00Z"}`
	tests := []struct {
		name   string
		method string
		path   string
		status int
		body   string
		ok     bool
	}{
		{"documented answer passes", "GET", "/healthz", 200, okEnvelope,
			true},
		{"documented error passes", "GET", sessions, 404, errEnvelope,
			true},
		{"missing fields fail", "GET", sessions, 200,
			`{"status":"success","data":{},"timestamp":"x"}`, false},
		{"undocumented status fails", "GET", "/api/live-streaming/studios",
			404, errEnvelope, false},
		{"error outside the envelope fails", "GET", sessions, 400,
			`{"error":"bad"}`, false},
		{"success on an undocumented route fails", "GET", "/nowhere", 200,
			okEnvelope, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method,
				"http://127.0.0.1:1"+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res := response{status: tt.status, body: []byte(tt.body),
				header: http.Header{"Content-Type": {"application/json"}}}

			problems := docProblems(d, req, res)
			if got := len(problems) == 0; got != tt.ok {
				t.Errorf("passes = %t, want %t; problems: %q", got, tt.ok,
					problems)
			}
		})
	}
}
