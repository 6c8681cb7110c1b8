package shopeesim

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

// listItem is the part of a sessionList item the tests read.
type listItem struct {
	SessionID int64 `json:"sessionId"`
	Status    int   `json:"status"`
	StartTime int64 `json:"startTime"`
	Duration  int64 `json:"duration"`
}

type listData struct {
	Total int        `json:"total"`
	List  []listItem `json:"list"`
}

func listPath(page, size int) string {
	return creator + "realtime/sessionList?page=" + itoa(int64(page)) +
		"&pageSize=" + itoa(int64(size)) + "&name=&orderBy=&sort=desc"
}

func TestSessionListStatus(t *testing.T) {
	tests := []struct {
		name   string
		quirk  bool
		region liveboard.Region
		want   int
	}{
		{"QuirkIDLiveReportsEnded", true, liveboard.RegionID, statusEnded},
		{"QuirkMYLiveReportsLive", true, liveboard.RegionMY, statusLive},
		{"NoQuirkIDLiveReportsLive", false, liveboard.RegionID, statusLive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newSim(t, Options{
				Regions:     []liveboard.Region{tt.region},
				StatusQuirk: &tt.quirk,
			})
			a := s.Accounts()[0]
			live := liveSession(t, s, a.UserID)

			ans := getSupply[listData](t, s, listPath(1, 10), a.Cookie)
			if len(ans.Data.List) < 2 {
				t.Fatalf("list has %d items, want a live and an ended one",
					len(ans.Data.List))
			}
			first, second := ans.Data.List[0], ans.Data.List[1]
			if first.SessionID != live.SessionID || first.Status != tt.want {
				t.Errorf("first item %+v, want session %d with status %d",
					first, live.SessionID, tt.want)
			}
			if second.Status != statusEnded {
				t.Errorf("ended item status %d, want %d", second.Status,
					statusEnded)
			}

			info := getSupply[map[string]any](t, s, sessionPath(creator,
				"realtime/dashboard/sessionInfo", live.SessionID), a.Cookie)
			if got := info.Data["sessionStatus"]; got != float64(statusLive) {
				t.Errorf("sessionInfo sessionStatus = %v, want %d", got,
					statusLive)
			}
		})
	}
}

func TestSessionListPages(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	all := getSupply[listData](t, s, listPath(1, 100), a.Cookie).Data
	truth := s.Sessions(a.UserID)

	if all.Total != len(truth) || len(all.List) != len(truth) {
		t.Fatalf("total %d with %d items, want %d", all.Total,
			len(all.List), len(truth))
	}
	for i, it := range all.List {
		if it.SessionID != truth[i].SessionID {
			t.Fatalf("item %d is session %d, want %d (newest first)", i,
				it.SessionID, truth[i].SessionID)
		}
	}

	var paged []listItem
	for page := 1; ; page++ {
		d := getSupply[listData](t, s, listPath(page, 7), a.Cookie).Data
		if d.Total != all.Total {
			t.Errorf("page %d: total %d, want %d", page, d.Total, all.Total)
		}
		if len(d.List) == 0 {
			break
		}
		paged = append(paged, d.List...)
	}
	if diff := cmp.Diff(all.List, paged); diff != "" {
		t.Errorf("pages of 7 differ from one page (-one +pages):\n%s", diff)
	}

	for _, page := range []int{1000, math.MaxInt64} {
		beyond := get(t, s, listPath(page, 10), a.Cookie)
		if !strings.Contains(string(beyond.body), `"list":[]`) {
			t.Errorf("page %d beyond the end: %s, want an empty list",
				page, beyond.body)
		}
	}
}

func TestSessionListShowsOnlyStartedSessions(t *testing.T) {
	s, clk := newSim(t, Options{})
	a := s.Accounts()[2]
	next := s.AddSession(a.UserID, SessionSpec{Start: t0.Add(time.Minute)})

	has := func() bool {
		d := getSupply[listData](t, s, listPath(1, 100), a.Cookie).Data
		for _, it := range d.List {
			if it.SessionID == next {
				return true
			}
		}
		return false
	}
	if has() {
		t.Errorf("session starting in a minute is listed already")
	}
	clk.Advance(time.Minute)
	if !has() {
		t.Errorf("session is not listed once started")
	}
}

func TestSessionListRejectsBadPaging(t *testing.T) {
	s, _ := newSim(t, Options{})
	cookie := s.Accounts()[0].Cookie
	for _, q := range []string{"page=0&pageSize=10", "page=1&pageSize=0",
		"page=1&pageSize=101", "page=x&pageSize=10", "page=1&pageSize=-5"} {
		ans := getSupply[any](t, s, creator+"realtime/sessionList?"+q, cookie)
		if ans.Code == 0 || ans.Msg == "" {
			t.Errorf("%s: code %d msg %q, want an error", q, ans.Code, ans.Msg)
		}
	}
	ok := getSupply[listData](t, s, creator+"realtime/sessionList?page=1&"+
		"pageSize=100", cookie)
	if ok.Code != 0 {
		t.Errorf("pageSize=100: code %d, want 0", ok.Code)
	}
}

func TestSessionListFiltersByName(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	title := s.Sessions(a.UserID)[0].Title
	word := strings.ToUpper(strings.Fields(title)[0])

	d := getSupply[listData](t, s, creator+"realtime/sessionList?page=1&"+
		"pageSize=100&name="+word, a.Cookie).Data
	if d.Total == 0 || d.Total >= len(s.Sessions(a.UserID)) {
		t.Errorf("name=%s matched %d sessions, want some but not all",
			word, d.Total)
	}
}

func TestSessionsOfOthersAreEmpty(t *testing.T) {
	s, _ := newSim(t, Options{})
	accts := s.Accounts()
	theirs := liveSession(t, s, accts[1].UserID).SessionID
	future := s.AddSession(accts[0].UserID,
		SessionSpec{Start: t0.Add(time.Hour)})

	for _, ep := range []string{"sessionInfo", "overview"} {
		for name, id := range map[string]int64{
			"OtherAccount": theirs, "Unknown": 999_999_998,
			"NotStarted": future,
		} {
			res := get(t, s, sessionPath(creator, "realtime/dashboard/"+ep, id),
				accts[0].Cookie)
			if got := string(res.body); got != `{"code":0,"msg":"","data":{}}` {
				t.Errorf("%s %s: %s, want empty data", ep, name, got)
			}
		}
		bad := getSupply[any](t, s, creator+"realtime/dashboard/"+ep+
			"?sessionId=abc", accts[0].Cookie)
		if bad.Code == 0 {
			t.Errorf("%s with sessionId=abc: code 0, want an error", ep)
		}
	}
}

func TestLogin(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	notLogin := `{"code":90001,"msg":"not login","data":null}`
	user := func(cookie string) string {
		return string(get(t, s, seller+"userInfo", cookie).body)
	}

	if got := user(a.Cookie); !strings.Contains(got, `"userId":`+
		itoa(a.UserID)) {
		t.Errorf("userInfo with the cookie: %s", got)
	}
	for name, cookie := range map[string]string{
		"NoCookie":      "",
		"UnknownSPC_EC": "SPC_EC=nope; SPC_U=" + itoa(a.UserID),
		"OtherCookies":  strings.Split(a.Cookie, "; ")[1],
	} {
		if got := user(cookie); got != notLogin {
			t.Errorf("%s: %s, want %s", name, got, notLogin)
		}
	}

	s.ExpireLogin(a.UserID)
	if got := user(a.Cookie); got != notLogin {
		t.Errorf("after ExpireLogin: %s, want %s", got, notLogin)
	}
	fresh := s.Relogin(a.UserID)
	if fresh == a.Cookie || s.Accounts()[0].Cookie != fresh {
		t.Errorf("Relogin returned %q; Accounts shows %q", fresh,
			s.Accounts()[0].Cookie)
	}
	if got := user(fresh); strings.Contains(got, "90001") {
		t.Errorf("after Relogin the new cookie gets %s", got)
	}
	if got := user(a.Cookie); got != notLogin {
		t.Errorf("after Relogin the old cookie gets %s", got)
	}
}

func TestCookieLooksLikeABrowsers(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	var names []string
	for _, part := range strings.Split(a.Cookie, "; ") {
		name, value, _ := strings.Cut(part, "=")
		if value == "" {
			t.Errorf("cookie %s has no value", name)
		}
		names = append(names, name)
	}
	want := []string{"SPC_EC", "SPC_ST", "SPC_U", "SPC_CDS", "csrftoken"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("cookie names (-want +got):\n%s", diff)
	}
}

func TestOngoing(t *testing.T) {
	s, _ := newSim(t, Options{})
	accts := s.Accounts()
	live := liveSession(t, s, accts[0].UserID)
	type answer struct {
		ErrCode int `json:"err_code"`
		Data    *struct {
			OngoingLive *struct {
				SessionID int64  `json:"session_id"`
				Title     string `json:"title"`
			} `json:"ongoing_live"`
		} `json:"data"`
	}
	ask := func(uid string) answer {
		var ans answer
		res := get(t, s, ongoing+"?uid="+uid, "")
		if err := json.Unmarshal(res.body, &ans); err != nil {
			t.Fatalf("uid=%s: %s: %v", uid, res.body, err)
		}
		return ans
	}

	got := ask(itoa(accts[0].UserID))
	if got.ErrCode != 0 || got.Data.OngoingLive == nil ||
		got.Data.OngoingLive.SessionID != live.SessionID ||
		got.Data.OngoingLive.Title != live.Title {
		t.Errorf("live account: %+v, want session %d", got, live.SessionID)
	}
	for _, uid := range []string{itoa(accts[2].UserID), "123456789"} {
		if got := ask(uid); got.ErrCode != 0 || got.Data.OngoingLive != nil {
			t.Errorf("uid %s: %+v, want not live", uid, got)
		}
	}
	for _, uid := range []string{"", "abc", "-4"} {
		if got := ask(uid); got.ErrCode == 0 {
			t.Errorf("uid %q: err_code 0, want an error", uid)
		}
	}
}

func TestRouting(t *testing.T) {
	s, _ := newSim(t, Options{})
	res := get(t, s, "/supply/api/lm/sellercenter/nothing", "")
	if res.status != http.StatusNotFound || !json.Valid(res.body) {
		t.Errorf("unknown path: %d %s, want 404 with JSON", res.status,
			res.body)
	}

	r, _ := http.NewRequest(http.MethodPost, creator+"userInfo", nil)
	w := newRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") == "" {
		t.Errorf("POST userInfo: %d, Allow %q; want 405 with Allow",
			w.Code, w.Header().Get("Allow"))
	}
}

func TestCallsCountsEndpoints(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	get(t, s, creator+"userInfo", a.Cookie)
	get(t, s, seller+"userInfo", "")
	get(t, s, listPath(1, 10), a.Cookie)
	get(t, s, ongoing+"?uid=1", "")
	get(t, s, "/_sim/accounts", "")

	want := map[string]int{EndpointUserInfo: 2, EndpointSessionList: 1,
		EndpointOngoing: 1}
	if diff := cmp.Diff(want, s.Calls()); diff != "" {
		t.Errorf("Calls (-want +got):\n%s", diff)
	}
	s.ResetCalls()
	if got := s.Calls(); len(got) != 0 {
		t.Errorf("Calls after ResetCalls = %v, want none", got)
	}
}

func TestSimViews(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	live := liveSession(t, s, a.UserID)

	var accts []Account
	decodeOK(t, get(t, s, "/_sim/accounts", ""), &accts)
	if diff := cmp.Diff(s.Accounts(), accts); diff != "" {
		t.Errorf("/_sim/accounts (-want +got):\n%s", diff)
	}

	var sessions []struct {
		SessionID int64 `json:"session_id"`
	}
	decodeOK(t, get(t, s, "/_sim/sessions?user_id="+itoa(a.UserID), ""),
		&sessions)
	if len(sessions) != len(s.Sessions(a.UserID)) {
		t.Errorf("/_sim/sessions has %d sessions, want %d", len(sessions),
			len(s.Sessions(a.UserID)))
	}

	at := t0.Add(-10 * time.Minute)
	want, _ := s.Truth(live.SessionID, at)
	var got struct {
		Live       bool  `json:"live"`
		DurationMS int64 `json:"duration_ms"`
		Metrics    struct {
			CCU           int64 `json:"ccu"`
			AvgViewTimeMS int64 `json:"avg_view_time_ms"`
		} `json:"metrics"`
	}
	decodeOK(t, get(t, s, "/_sim/truth?session_id="+itoa(live.SessionID)+
		"&at="+at.Format(time.RFC3339), ""), &got)
	if got.Live != want.Live || got.DurationMS != want.Duration.Milliseconds() ||
		got.Metrics.CCU != want.Metrics.CCU ||
		got.Metrics.AvgViewTimeMS != want.Metrics.AvgViewTime.Milliseconds() {
		t.Errorf("/_sim/truth = %+v, want %+v", got, want)
	}

	for _, target := range []string{"/_sim/truth?session_id=x",
		"/_sim/truth?session_id=1", "/_sim/sessions?user_id=1",
		"/_sim/truth?session_id=1&at=yesterday"} {
		if res := get(t, s, target, ""); res.status < 400 {
			t.Errorf("%s: status %d, want an error", target, res.status)
		}
	}
}

func decodeOK(t *testing.T, res response, v any) {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if err := json.Unmarshal(res.body, v); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
}
