package shopee

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

func TestHost(t *testing.T) {
	type hosts struct{ Auth, Creator, Seller, Live string }
	want := map[liveboard.Region]hosts{
		liveboard.RegionID: {"shopee.co.id", "creator.shopee.co.id",
			"seller.shopee.co.id", "live.shopee.co.id"},
		liveboard.RegionMY: {"shopee.com.my", "creator.shopee.com.my",
			"seller.shopee.com.my", "live.shopee.com.my"},
		liveboard.RegionTH: {"shopee.co.th", "creator.shopee.co.th",
			"seller.shopee.co.th", "live.shopee.co.th"},
		liveboard.RegionVN: {"shopee.vn", "creator.shopee.vn",
			"banhang.shopee.vn", "live.shopee.vn"},
		liveboard.RegionPH: {"shopee.ph", "creator.shopee.ph",
			"seller.shopee.ph", "live.shopee.ph"},
		liveboard.RegionSG: {"shopee.sg", "creator.shopee.sg",
			"seller.shopee.sg", "live.shopee.sg"},
		liveboard.RegionTW: {"shopee.tw", "creator.shopee.tw",
			"seller.shopee.tw", "live.shopee.tw"},
		liveboard.RegionBR: {"shopee.com.br", "creator.shopee.com.br",
			"seller.shopee.com.br", "live.shopee.com.br"},
	}

	got := map[liveboard.Region]hosts{}
	for _, r := range liveboard.Regions {
		got[r] = hosts{Host(r, ServiceAuth), Host(r, ServiceCreator),
			Host(r, ServiceSeller), Host(r, ServiceLive)}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hosts (-want +got):\n%s", diff)
	}

	var names []string
	for _, s := range []Service{ServiceAuth, ServiceCreator, ServiceSeller,
		ServiceLive, 0} {
		names = append(names, s.String())
	}
	wantNames := []string{"auth", "creator", "seller", "live", "unknown"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("service names (-want +got):\n%s", diff)
	}

	if h := Host("XX", ServiceCreator); h != "" {
		t.Errorf("Host(XX) = %q, want empty", h)
	}
	if h := Host(liveboard.RegionID, Service(99)); h != "" {
		t.Errorf("Host(unknown service) = %q, want empty", h)
	}
}

func TestClientURL(t *testing.T) {
	q := url.Values{"sessionId": {"5"}}
	tests := []struct {
		name string
		base string
		want string
	}{
		{"Shopee", "", "https://creator.shopee.co.id" + supplyPath + "/x?sessionId=5"},
		{"Base", "http://127.0.0.1:9000/",
			"http://127.0.0.1:9000" + supplyPath + "/x?sessionId=5"},
		{"BaseWithPath", "https://stub.example.invalid/shopee",
			"https://stub.example.invalid/shopee" + supplyPath + "/x?sessionId=5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := mustClient(t, Config{BaseURL: tt.base})
			got := c.url(liveboard.RegionID, ServiceCreator, supplyPath+"/x", q)
			if got != tt.want {
				t.Errorf("url = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, base := range []string{
		"127.0.0.1:9000", "ftp://example.invalid", "http://", "/relative",
		"http://h.invalid/?q=1", "http://u:p@h.invalid", "http://h.invalid/#f",
		"http://[::1",
	} {
		if _, err := New(Config{BaseURL: base}); err == nil {
			t.Errorf("New(BaseURL %q) succeeded, want an error", base)
		}
	}
}

// headerLog records each request's path, query and headers.
type headerLog struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (l *headerLog) handler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.reqs = append(l.reqs, r.Clone(context.Background()))
		l.mu.Unlock()
		_, _ = w.Write([]byte(body))
	}
}

func (l *headerLog) last(t *testing.T) *http.Request {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) == 0 {
		t.Fatal("no request arrived")
	}
	return l.reqs[len(l.reqs)-1]
}

func TestCreatorHeaders(t *testing.T) {
	tests := []struct {
		region             liveboard.Region
		domain, tz, origin string
	}{
		{liveboard.RegionID, "co.id", "+0700", "https://creator.shopee.co.id"},
		{liveboard.RegionVN, "vn", "+0700", "https://creator.shopee.vn"},
		{liveboard.RegionPH, "ph", "+0800", "https://creator.shopee.ph"},
		{liveboard.RegionBR, "com.br", "-0300", "https://creator.shopee.com.br"},
	}
	for _, tt := range tests {
		t.Run(string(tt.region), func(t *testing.T) {
			var log headerLog
			c, _ := newTestClient(t, log.handler(
				string(fixture(t, "07-overview.json"))))
			a := testAuth
			a.Region = tt.region

			if _, err := c.Overview(context.Background(), a, 123); err != nil {
				t.Fatal(err)
			}
			r := log.last(t)

			want := map[string]string{
				"Cookie":            secretCookie,
				"User-Agent":        DefaultUserAgent,
				"Accept":            "application/json",
				"Language":          "en",
				"X-Env":             "live",
				"X-Region":          strings.ToLower(string(tt.region)),
				"X-Region-Domain":   tt.domain,
				"X-Region-Timezone": tt.tz,
				"Referer":           tt.origin + "/dashboard/live/123",
			}
			got := map[string]string{}
			for k := range want {
				got[k] = r.Header.Get(k)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			if r.URL.Path != supplyPath+"/realtime/dashboard/overview" ||
				r.URL.RawQuery != "sessionId=123" {
				t.Errorf("request = %s, want overview?sessionId=123", r.URL)
			}
		})
	}
}

func TestTraceIDs(t *testing.T) {
	var log headerLog
	c, _ := newTestClient(t, log.handler(
		string(fixture(t, "04-userInfo.json"))))

	var seen []string
	for range 2 {
		if _, err := c.UserInfo(context.Background(), testAuth); err != nil {
			t.Fatal(err)
		}
		id := log.last(t).Header.Get("X-Traceid")
		if len(id) != 21 {
			t.Errorf("x-traceid %q has %d characters, want 21", id, len(id))
		}
		seen = append(seen, id)
	}
	if seen[0] == seen[1] {
		t.Errorf("two requests share x-traceid %q", seen[0])
	}
}

func TestSessionListRequest(t *testing.T) {
	var log headerLog
	c, _ := mustClient(t, Config{UserAgent: "custom-agent/1"})
	c2, _ := newTestClient(t, log.handler(
		string(fixture(t, "05-sessionList.json"))))
	c.base = c2.base

	if _, err := c.SessionList(context.Background(), testAuth, 2,
		10); err != nil {
		t.Fatal(err)
	}
	r := log.last(t)

	if r.URL.Path != supplyPath+"/realtime/sessionList" {
		t.Errorf("path = %s", r.URL.Path)
	}
	wantQuery := url.Values{"page": {"2"}, "pageSize": {"10"}, "name": {""},
		"orderBy": {""}, "sort": {"desc"}}
	if diff := cmp.Diff(wantQuery, r.URL.Query()); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	if got := r.Header.Get("User-Agent"); got != "custom-agent/1" {
		t.Errorf("User-Agent = %q, want the configured one", got)
	}
	if got, want := r.Header.Get("Referer"),
		"https://creator.shopee.co.id/insight/live/list"; got != want {
		t.Errorf("Referer = %q, want %q", got, want)
	}
}

func TestLiveOngoingRequest(t *testing.T) {
	var log headerLog
	c, _ := newTestClient(t, log.handler(
		string(fixture(t, "15-live_ongoing.json"))))

	if _, err := c.LiveOngoing(context.Background(), liveboard.RegionSG,
		900000123); err != nil {
		t.Fatal(err)
	}
	r := log.last(t)

	if r.URL.Path != "/api/v1/shop_page/live/ongoing" ||
		r.URL.RawQuery != "uid=900000123" {
		t.Errorf("request = %s", r.URL)
	}
	if got := r.Header.Values("Cookie"); len(got) != 0 {
		t.Errorf("Cookie = %q, want none on a public call", got)
	}
	if got := r.Header.Get("User-Agent"); !strings.HasPrefix(got, "ios/") {
		t.Errorf("User-Agent = %q, want the iOS app's", got)
	}
	want := "https://live.shopee.sg/share?from=live&share_user_id=900000123"
	if got := r.Header.Get("Referer"); got != want {
		t.Errorf("Referer = %q, want %q", got, want)
	}
}
