package shopee

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
)

// countingTransport counts the requests it passes on.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response,
	error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestNewHTTPClient(t *testing.T) {
	var target atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/supply/api/lm/sellercenter/userInfo",
		func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		})
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		target.Add(1)
		_, _ = w.Write(fixture(t, "04-userInfo.json"))
	})
	srv := newServer(t, mux)

	transport := &countingTransport{}
	hc := &http.Client{Transport: transport}
	c, _ := mustClient(t, Config{BaseURL: srv, HTTPClient: hc})

	_, err := c.UserInfo(context.Background(), testAuth)
	e := assertKind(t, err, ErrBadAnswer)
	if e.HTTPStatus != http.StatusFound {
		t.Errorf("HTTPStatus = %d, want 302", e.HTTPStatus)
	}
	if n := target.Load(); n != 0 {
		t.Errorf("the redirect was followed %d times", n)
	}
	if n := transport.n.Load(); n != 1 {
		t.Errorf("configured transport saw %d requests, want 1", n)
	}
	if hc.CheckRedirect != nil {
		t.Error("New changed the caller's http.Client")
	}
}

func TestBuyerFamily(t *testing.T) {
	cl := call{endpoint: "test", family: buyerFamily}
	f := failer{endpoint: "test"}
	tests := []struct {
		name string
		body string
		kind error
	}{
		{"OKWithoutError", `{"data":{"a":1}}`, nil},
		{"OKWithErrorZero", `{"error":0,"data":{"a":1}}`, nil},
		{"ErrChallenge", `{"error":90309999,"error_msg":"Login Required"}`,
			ErrChallenge},
		{"ErrRejected", `{"error":2,"error_msg":"bad token"}`, ErrRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out map[string]int
			data, err := decodeAnswer(f, cl, 200, []byte(tt.body),
				freshLike(&out))
			if err == nil {
				err = json.Unmarshal(data, &out)
			}
			if tt.kind == nil {
				if err != nil || out["a"] != 1 {
					t.Errorf("decode = %v, %v; want data a=1", out, err)
				}
				return
			}
			assertKind(t, err, tt.kind)
		})
	}
}
