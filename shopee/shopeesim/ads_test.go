package shopeesim

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

const (
	homepage = pasPrefix + "homepage/query/"
	edit     = pasPrefix + "live_stream/edit/"
	adsData  = pasPrefix + "meta/get_ads_data/"
)

// post sends a POST of body with the cookie (none when empty).
func post(t testing.TB, s *Server, target, cookie, body string) response {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, target,
		strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	b, err := io.ReadAll(w.Result().Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: w.Code, header: w.Header(), body: b}
}

// decode decodes a successful answer's body into v.
func decode(t testing.TB, res response, v any) {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("status %d, body %s", res.status, res.body)
	}
	if err := json.Unmarshal(res.body, v); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
}

// queryBody is a homepage/query body for the day around t0.
func queryBody(state string, offset, limit int) string {
	return fmt.Sprintf(`{"start_time":%d,"end_time":%d,"filter_list":[`+
		`{"campaign_type":"live_stream_homepage","state":%q,`+
		`"search_term":"","is_valid_rebate_only":false}],`+
		`"offset":%d,"limit":%d}`, t0.Add(-12*time.Hour).Unix(),
		t0.Add(12*time.Hour).Unix(), state, offset, limit)
}

type campaignAnswer struct {
	Code int          `json:"code"`
	Data campaignPage `json:"data"`
}

func TestCampaignsSpendWithTheClock(t *testing.T) {
	s, clk := newSim(t, Options{})
	a := s.Accounts()[0]
	before := s.Campaigns(a.UserID)
	if len(before) == 0 || before[0].State != stateOngoing {
		t.Fatalf("campaigns %+v; want the first ongoing", before)
	}

	clk.Advance(time.Hour)
	after := s.Campaigns(a.UserID)
	for i, c := range after {
		grew := c.Cost > before[i].Cost
		if want := c.State == stateOngoing &&
			before[i].Cost < c.DailyBudget; grew != want {
			t.Errorf("campaign %d (%s): cost %v then %v", c.CampaignID,
				c.State, before[i].Cost, c.Cost)
		}
		if c.Cost > c.DailyBudget {
			t.Errorf("campaign %d spent %v of a %v budget", c.CampaignID,
				c.Cost, c.DailyBudget)
		}
	}

	clk.Advance(30 * time.Hour)
	next := s.Campaigns(a.UserID)
	if next[0].Cost >= next[0].DailyBudget+1 || next[0].Cost == 0 {
		t.Errorf("a new day: cost %v of %v", next[0].Cost,
			next[0].DailyBudget)
	}
}

func TestHomepageQueryAnswersTheCampaigns(t *testing.T) {
	s, _ := newSim(t, Options{})
	for _, a := range s.Accounts() {
		var got campaignAnswer
		decode(t, post(t, s, homepage, a.Cookie, queryBody("all", 0, 50)),
			&got)

		want := campaignPage{EntryList: []campaignEntry{}}
		for _, c := range s.Campaigns(a.UserID) {
			want.Total++
			want.EntryList = append(want.EntryList, entryOf(c))
		}
		if diff := cmp.Diff(want, got.Data); diff != "" {
			t.Errorf("account %s (-truth +answer):\n%s", a.UserName, diff)
		}
	}
}

func TestHomepageQueryRefuses(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	tests := []struct {
		name   string
		target string
		cookie string
		body   string
		status int
		code   int
	}{
		{"no login", homepage, "", queryBody("all", 0, 10),
			http.StatusForbidden, pasCodeNotLogin},
		{"wrong SPC_CDS", homepage + "?SPC_CDS=x&SPC_CDS_VER=2", a.Cookie,
			queryBody("all", 0, 10), http.StatusForbidden, pasCodeNotLogin},
		{"not JSON", homepage, a.Cookie, "{", http.StatusOK, pasCodeInvalid},
		{"no period", homepage, a.Cookie,
			`{"filter_list":[{}],"limit":10}`, http.StatusOK,
			pasCodeInvalid},
		{"limit too big", homepage, a.Cookie, queryBody("all", 0, 500),
			http.StatusOK, pasCodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := post(t, s, tt.target, tt.cookie, tt.body)
			var got pasStatus
			if err := json.Unmarshal(res.body, &got); err != nil ||
				res.status != tt.status || got.Code != tt.code {
				t.Errorf("status %d body %s; want %d code %d", res.status,
					res.body, tt.status, tt.code)
			}
		})
	}

	t.Run("GET is not allowed", func(t *testing.T) {
		res := get(t, s, homepage, a.Cookie)
		if res.status != http.StatusMethodNotAllowed ||
			res.header.Get("Allow") != http.MethodPost {
			t.Errorf("status %d Allow %q", res.status,
				res.header.Get("Allow"))
		}
	})
}

func TestHomepageQueryPagesAndFilters(t *testing.T) {
	s, _ := newSim(t, Options{Accounts: 8})
	for _, a := range s.Accounts() {
		all := s.Campaigns(a.UserID)
		ongoing := 0
		for _, c := range all {
			if c.State == stateOngoing {
				ongoing++
			}
		}

		var page campaignAnswer
		decode(t, post(t, s, homepage, a.Cookie, queryBody("all", 1, 1)),
			&page)
		if len(all) > 1 && (len(page.Data.EntryList) != 1 ||
			page.Data.EntryList[0].Campaign.CampaignID != all[1].CampaignID) {
			t.Errorf("second page of one: %+v, want campaign %d",
				page.Data.EntryList, all[1].CampaignID)
		}
		var on campaignAnswer
		decode(t, post(t, s, homepage, a.Cookie,
			queryBody(stateOngoing, 0, 50)), &on)
		if on.Data.Total != ongoing {
			t.Errorf("ongoing filter: %d campaigns, want %d",
				on.Data.Total, ongoing)
		}
	}
}

func editBodyOf(id int64, typ string, budget int64) string {
	if typ == "change_budget" {
		return fmt.Sprintf(`{"campaign_id":%d,"type":%q,"change_budget":`+
			`{"daily_budget":%d,"page":"page_homepage","budget_log_key":""},`+
			`"header":{}}`, id, typ, budget)
	}
	return fmt.Sprintf(`{"campaign_id":%d,"type":%q,"header":{}}`, id, typ)
}

func TestLiveStreamEditChangesTheCampaign(t *testing.T) {
	s, clk := newSim(t, Options{})
	a := s.Accounts()[0]
	id := s.Campaigns(a.UserID)[0].CampaignID
	state := func() CampaignTruth { return s.Campaigns(a.UserID)[0] }
	do := func(typ string, budget int64) pasStatus {
		t.Helper()
		var st pasStatus
		decode(t, post(t, s, edit, a.Cookie, editBodyOf(id, typ, budget)),
			&st)
		return st
	}

	if st := do("pause", 0); st.Code != 0 || state().State != statePaused {
		t.Fatalf("pause: %+v, state %s", st, state().State)
	}
	cost := state().Cost
	clk.Advance(time.Hour)
	if got := state().Cost; got != cost {
		t.Errorf("a paused campaign spent: %v then %v", cost, got)
	}

	do("resume", 0)
	clk.Advance(time.Minute)
	if got := state(); got.State != stateOngoing ||
		got.Cost <= cost && cost < got.DailyBudget {
		t.Errorf("after resume: %+v, cost before %v", got, cost)
	}

	budget := int64(state().DailyBudget) * 2
	do("change_budget", budget)
	if got := state().DailyBudget; int64(got) != budget {
		t.Errorf("budget %v, want %d", got, budget)
	}

	do("stop", 0)
	if st := do("resume", 0); st.Code != pasCodeInvalid ||
		state().State != stateEnded {
		t.Errorf("resume after stop: %+v, state %s", st, state().State)
	}
}

func TestLiveStreamEditRefuses(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	other := s.Campaigns(s.Accounts()[1].UserID)[0].CampaignID
	id := s.Campaigns(a.UserID)[0].CampaignID
	for name, body := range map[string]string{
		"another account's campaign": editBodyOf(other, "pause", 0),
		"unknown type":               editBodyOf(id, "delete", 0),
		"budget of zero":             editBodyOf(id, "change_budget", 0),
	} {
		t.Run(name, func(t *testing.T) {
			var st pasStatus
			decode(t, post(t, s, edit, a.Cookie, body), &st)
			if st.Code != pasCodeInvalid || len(st.ValidationErrors) == 0 {
				t.Errorf("answer %+v, want a refusal", st)
			}
		})
	}
	if got := s.Campaigns(s.Accounts()[1].UserID)[0].State; got != stateOngoing {
		t.Errorf("another account's campaign is now %s", got)
	}
}

func TestGetAdsDataMatchesTheTruth(t *testing.T) {
	s, clk := newSim(t, Options{})
	a := s.Accounts()[0]
	clk.Advance(90 * time.Minute)

	var got struct {
		Code int `json:"code"`
		Data struct {
			Expense adsExpense     `json:"ads_expense"`
			Credit  adsCredit      `json:"ads_credit"`
			HasAds  map[string]any `json:"has_ads"`
		} `json:"data"`
	}
	decode(t, post(t, s, adsData, a.Cookie,
		`{"info_type_list":["ads_expense","ads_credit","has_ads"]}`), &got)

	tr, _ := s.Ads(a.UserID)
	var spent liveboard.Money
	for _, c := range s.Campaigns(a.UserID) {
		spent += c.Cost
	}
	d := got.Data
	if tr.ExpenseToday != spent || d.Expense.AdsExpenseToday != int64(spent) ||
		d.Credit.Total != int64(tr.Credit) ||
		d.Credit.AppDetail.LiveAvailableBalance != int64(tr.LiveBalance) ||
		d.HasAds["has_ads"] != true {
		t.Errorf("answer %+v; truth %+v, campaigns spent %v", d, tr, spent)
	}
	if tr.LiveBalance > tr.Credit || tr.Credit <= 0 {
		t.Errorf("balance %+v", tr)
	}
}

// startCoins starts a giveaway in the session and returns the answer.
func startCoins(t *testing.T, s *Server, cookie string, sessionID int64,
	body string) liveAnswer[CoinTruth] {
	t.Helper()
	var ans liveAnswer[CoinTruth]
	decode(t, post(t, s, coinPath(sessionID, "start"), cookie, body), &ans)
	return ans
}

type liveAnswer[T any] struct {
	ErrCode int    `json:"err_code"`
	ErrMsg  string `json:"err_msg"`
	Data    *T     `json:"data"`
}

func coinPath(sessionID int64, action string) string {
	return fmt.Sprintf("/api/v1/session/%d/coin/%s", sessionID, action)
}

const coinPlan = `{"giveout":600,"coins_per_claim":2,"claim_times":3,` +
	`"interval":60}`

func TestCoinGiveawayRunsItsRounds(t *testing.T) {
	s, clk := newSim(t, Options{})
	a := s.Accounts()[0]
	live := liveSession(t, s, a.UserID)

	started := startCoins(t, s, a.Cookie, live.SessionID, coinPlan)
	want := CoinTruth{Status: 1, CoinsPerClaim: 2, ClaimTimes: 3,
		ClaimsLeft: 3, Giveout: 600, Interval: 60, ShownCoins: 600}
	if started.ErrCode != 0 || started.Data == nil ||
		*started.Data != want {
		t.Fatalf("start answered %+v, want %+v", started, want)
	}

	clk.Advance(2*time.Minute + time.Second)
	var now liveAnswer[CoinTruth]
	decode(t, get(t, s, coinPath(live.SessionID, "giveout"), a.Cookie), &now)
	want.ClaimsLeft, want.ShownCoins = 1, 200
	if diff := cmp.Diff(want, *now.Data); diff != "" {
		t.Errorf("after two rounds (-want +got):\n%s", diff)
	}

	var rewards liveAnswer[rewardInfo]
	decode(t, get(t, s, coinPath(live.SessionID, "rewardinfo"), a.Cookie),
		&rewards)
	wantRewards := rewardInfo{TotalCoins: 600, ClaimedCoins: 400,
		RemainingCoins: 200, ClaimedUsers: 200}
	if diff := cmp.Diff(wantRewards, *rewards.Data); diff != "" {
		t.Errorf("rewards (-want +got):\n%s", diff)
	}

	again := startCoins(t, s, a.Cookie, live.SessionID, coinPlan)
	if again.ErrCode != errCodeNotAllowed {
		t.Errorf("second start while running: %+v", again)
	}
	clk.Advance(time.Minute)
	tr, _ := s.Coins(live.SessionID)
	if tr.Status != 2 || tr.ClaimedCoins != 600 || tr.ClaimsLeft != 0 {
		t.Errorf("after the last round: %+v", tr)
	}
}

func TestCoinsRefuse(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	live := liveSession(t, s, a.UserID)
	ended := endedSession(t, s, a.UserID)

	tests := []struct {
		name    string
		session int64
		cookie  string
		body    string
		errCode int
		noData  bool
	}{
		{"ended session", ended.SessionID, a.Cookie, coinPlan,
			errCodeNotAllowed, true},
		{"another account's session", live.SessionID,
			s.Accounts()[1].Cookie, coinPlan, 0, true},
		{"no coins", live.SessionID, a.Cookie,
			`{"giveout":0,"coins_per_claim":1,"claim_times":1,"interval":1}`,
			errCodeInvalidParam, true},
		{"too few coins", live.SessionID, a.Cookie,
			`{"giveout":5,"coins_per_claim":2,"claim_times":3,"interval":1}`,
			errCodeInvalidParam, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := startCoins(t, s, tt.cookie, tt.session, tt.body)
			if got.ErrCode != tt.errCode || (got.Data == nil) != tt.noData {
				t.Errorf("answer %+v, want err_code %d", got, tt.errCode)
			}
		})
	}
	if _, ok := s.Coins(live.SessionID); ok {
		t.Error("a refused start left a giveaway")
	}
	if res := get(t, s, coinPath(live.SessionID, "start"),
		a.Cookie); res.status != http.StatusMethodNotAllowed {
		t.Errorf("GET start: status %d", res.status)
	}
	if res := get(t, s, "/api/v1/session/x/coin/giveout",
		a.Cookie); !strings.Contains(string(res.body), "positive") {
		t.Errorf("malformed id: %s", res.body)
	}
}

func TestPromotedItemsPageAndDetail(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	all := s.PromotedItems(a.UserID)
	if len(all) < 4 {
		t.Fatalf("%d promoted items, want at least 4", len(all))
	}

	var page liveAnswer[itemPage]
	decode(t, get(t, s, itemPromotionPath+"?offset=1&limit=2", a.Cookie),
		&page)
	want := itemPage{TotalCount: len(all),
		Items: []itemJSON{itemOf(all[1]), itemOf(all[2])}}
	if diff := cmp.Diff(want, *page.Data); diff != "" {
		t.Errorf("page (-want +got):\n%s", diff)
	}

	var one liveAnswer[itemJSON]
	target := fmt.Sprintf("%s/%d", itemPromotionPath, all[0].PromoID)
	decode(t, get(t, s, target, a.Cookie), &one)
	if one.Data == nil || *one.Data != itemOf(all[0]) {
		t.Errorf("detail %+v, want %+v", one.Data, itemOf(all[0]))
	}
	other := s.PromotedItems(s.Accounts()[1].UserID)[0].PromoID
	decode(t, get(t, s, fmt.Sprintf("%s/%d", itemPromotionPath, other),
		a.Cookie), &one)
	if one.Data != nil {
		t.Errorf("another account's promotion answered %+v", one.Data)
	}
	for _, it := range all {
		if it.PromoPrice >= it.Price || !it.End.After(it.Start) {
			t.Errorf("item %+v: promotion price or window wrong", it)
		}
	}
}

func TestStreamerSelectorListsTheStreamers(t *testing.T) {
	s, _ := newSim(t, Options{})
	a := s.Accounts()[0]
	var got struct {
		Error int          `json:"error"`
		Data  streamerList `json:"data"`
	}
	decode(t, get(t, s, "/api/v4/streaming_promotion/streamer_selector/",
		a.Cookie), &got)
	want := s.Streamers(a.UserID)
	if diff := cmp.Diff(want, got.Data.List); diff != "" {
		t.Errorf("streamers (-truth +answer):\n%s", diff)
	}
	if want[0].UserID != a.UserID {
		t.Errorf("first streamer %+v, want the account itself", want[0])
	}
	res := get(t, s, "/api/v4/streaming_promotion/streamer_selector/", "")
	if res.status != http.StatusForbidden {
		t.Errorf("without a login: status %d", res.status)
	}
}

func TestExtrasLeaveTheWorldAsTheSeedMadeIt(t *testing.T) {
	// Ads, streamers and items come from a generator of their own: seed
	// 42 still gives the accounts, logins and sessions it gave before
	// they existed.
	s, _ := newSim(t, Options{Seed: 42})
	want := []string{
		"886016103 SPC_EC=eL7P3yp5gJy/F 31 134952599 134816209",
		"646491242 SPC_EC=lJQAIbcYGwcYt 34 134954772 134820388",
		"964009052 SPC_EC=q91AALy9rEusk 42 134952348 134818563",
	}
	var got []string
	for _, a := range s.Accounts() {
		ss := s.Sessions(a.UserID)
		got = append(got, fmt.Sprintf("%d %s %d %d %d", a.UserID,
			a.Cookie[:20], len(ss), ss[0].SessionID,
			ss[len(ss)-1].SessionID))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("world of seed 42 (-before +now):\n%s", diff)
	}
}

func TestSpreadDraws(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const j = time.Second
	var sum time.Duration
	slow := 0
	for range 10_000 {
		u := Uniform.draw(rng, j)
		if u < 0 || u > j {
			t.Fatalf("uniform draw %v outside [0, %v]", u, j)
		}
		e := Exponential.draw(rng, j)
		if e < 0 || e > maxTail*j {
			t.Fatalf("exponential draw %v outside [0, %v]", e, maxTail*j)
		}
		sum += e
		if e > 3*j {
			slow++
		}
	}
	mean := sum / 10_000
	if mean < 900*time.Millisecond || mean > 1100*time.Millisecond ||
		slow < 200 || slow > 800 {
		t.Errorf("exponential: mean %v, %d of 10000 over 3x", mean, slow)
	}
	if Exponential.draw(rng, 0) != 0 {
		t.Error("no jitter drew a delay")
	}
}
