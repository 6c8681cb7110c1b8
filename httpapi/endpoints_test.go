package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

const api = "/api/live-streaming"

// TestShopeeEndpoints calls every route that passes one Shopee endpoint
// through and compares its answer with the simulator's truth. The checks
// share one harness per engine; those that change Shopee's state change
// only what no other check reads.
func TestShopeeEndpoints(t *testing.T) {
	t.Parallel()
	checks := []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"user info", testUserInfo},
		{"session info", testSessionInfo},
		{"overview", testOverview},
		{"live ongoing", testLiveOngoing},
		{"streamer selector", testStreamerSelector},
		{"promotions today", testPromotionsToday},
		{"edit promotion", testEditPromotion},
		{"promoted items", testPromotedItems},
		{"promoted item", testPromotedItem},
		{"expense today", testExpenseToday},
		{"ads data", testAdsData},
		{"coins", testCoins},
		{"links", testLinks},
	}
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) { c.run(t, h) })
		}
	})
}

type userOut struct {
	UserID   int64  `json:"user_id"`
	UserName string `json:"user_name"`
	Avatar   string `json:"avatar"`
	Region   string `json:"region"`
}

func testUserInfo(t *testing.T, h *harness) {
	a, my := h.accounts[0], h.accounts[len(h.accounts)-1]
	for name, body := range map[string]map[string]any{
		"by account":    {"account_id": a.ID},
		"by raw cookie": {"access_token": h.cookie(t, a)},
	} {
		t.Run(name, func(t *testing.T) {
			got := dataOf[userOut](t, h.post(t, api+"/creator/user-info",
				viewer1, body), http.StatusOK)
			if got.UserID != a.ShopeeUserID || got.UserName != a.UserName ||
				got.Region != "ID" || got.Avatar == "" {
				t.Errorf("user %+v, want %d %s", got, a.ShopeeUserID,
					a.UserName)
			}
		})
	}
	t.Run("another studio's account is not found", func(t *testing.T) {
		wantError(t, h.post(t, api+"/creator/user-info", viewer1,
			map[string]any{"account_id": my.ID}), http.StatusNotFound,
			liveboard.ENotFound)
	})
	t.Run("no credentials", func(t *testing.T) {
		wantError(t, h.post(t, api+"/creator/user-info", viewer1,
			map[string]any{}), http.StatusBadRequest, liveboard.EInvalid)
	})
}

type sessionInfoOut struct {
	SessionID    string  `json:"session_id"`
	SessionName  string  `json:"session_name"`
	Status       string  `json:"status"`
	ShopeeStatus *int    `json:"shopee_status"`
	StartedAt    *string `json:"started_at"`
	StreamingURL string  `json:"streaming_url"`
}

func testSessionInfo(t *testing.T, h *harness) {
	a := h.accounts[0]
	live, ended := h.liveSession(t, a), h.endedSession(t, a)
	for _, tr := range []shopeesim.SessionTruth{live, ended} {
		got := dataOf[sessionInfoOut](t, h.post(t,
			api+"/creator/session-info", viewer1, map[string]any{
				"account_id": a.ID, "session_id": tr.SessionID}),
			http.StatusOK)
		status := "ended"
		if tr.Live {
			status = "ongoing"
		}
		start := tr.Start.In(jakarta).Format(time.RFC3339)
		if got.SessionName != tr.Title || got.Status != status ||
			got.StartedAt == nil || *got.StartedAt != start ||
			got.StreamingURL == "" {
			t.Errorf("session %d: %+v; want %q %s %s", tr.SessionID, got,
				tr.Title, status, start)
		}
	}

	other := h.liveSession(t, h.accounts[1])
	wantError(t, h.post(t, api+"/creator/session-info", viewer1,
		map[string]any{"account_id": a.ID,
			"session_id": strconv.FormatInt(other.SessionID, 10)}),
		http.StatusNotFound, liveboard.ENotFound)
	wantError(t, h.post(t, api+"/creator/session-info", viewer1,
		map[string]any{"account_id": a.ID, "session_id": "abc"}),
		http.StatusBadRequest, liveboard.EInvalid)
}

type overviewOut struct {
	SessionID string `json:"session_id"`
	Status    string `json:"status"`
	Currency  string `json:"currency"`
	Metrics   struct {
		ViewersNow   *int64           `json:"viewers_now"`
		TotalViewers *int64           `json:"total_viewers"`
		TotalOrders  *int64           `json:"total_orders"`
		TotalRevenue *liveboard.Money `json:"total_revenue"`
		TotalLikes   *int64           `json:"total_likes"`
	} `json:"metrics"`
}

func testOverview(t *testing.T, h *harness) {
	a := h.accounts[0]
	live := h.liveSession(t, a)
	got := dataOf[overviewOut](t, h.post(t, api+"/creator/overview",
		viewer1, map[string]any{"account_id": a.ID,
			"session_id": live.SessionID}), http.StatusOK)

	m := live.Metrics
	want := overviewOut{SessionID: strconv.FormatInt(live.SessionID, 10),
		Status: "ongoing", Currency: "IDR"}
	want.Metrics.ViewersNow = &m.CCU
	want.Metrics.TotalViewers = &m.Viewers
	want.Metrics.TotalOrders = &m.PlacedOrders
	want.Metrics.TotalRevenue = &m.PlacedGMV
	want.Metrics.TotalLikes = &m.Likes
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("overview differs from the truth (-want +got):\n%s", diff)
	}
}

type ongoingOut struct {
	UID       int64   `json:"uid"`
	Region    string  `json:"region"`
	Live      bool    `json:"live"`
	SessionID *string `json:"session_id"`
	Title     *string `json:"title"`
	ShareLink *string `json:"share_link"`
}

func testLiveOngoing(t *testing.T, h *harness) {
	a, my := h.accounts[0], h.accounts[len(h.accounts)-1]
	live := h.liveSession(t, a)

	got := dataOf[ongoingOut](t, h.post(t, api+"/live/ongoing", viewer1,
		map[string]any{"account_id": a.ID}), http.StatusOK)
	id := strconv.FormatInt(live.SessionID, 10)
	if !got.Live || got.SessionID == nil || *got.SessionID != id ||
		got.Title == nil || *got.Title != live.Title ||
		got.ShareLink == nil || got.UID != a.ShopeeUserID {
		t.Errorf("live account: %+v, want session %s", got, id)
	}

	got = dataOf[ongoingOut](t, h.post(t, api+"/live/ongoing", viewer1,
		map[string]any{"uid": my.ShopeeUserID, "region": "MY"}),
		http.StatusOK)
	want := ongoingOut{UID: my.ShopeeUserID, Region: "MY"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("offline shop (-want +got):\n%s", diff)
	}

	wantError(t, h.post(t, api+"/live/ongoing", viewer1, map[string]any{}),
		http.StatusBadRequest, liveboard.EInvalid)
}

func testStreamerSelector(t *testing.T, h *harness) {
	a := h.accounts[0]
	type streamer struct {
		UserID   int64  `json:"user_id"`
		UserName string `json:"user_name"`
		Nickname string `json:"nickname"`
		Avatar   string `json:"avatar"`
	}
	got := dataOf[struct {
		Streamers []streamer `json:"streamers"`
	}](t, h.post(t, api+"/promotions/streamer-selector", viewer1,
		map[string]any{"account_id": a.ID}), http.StatusOK)

	var want []streamer
	for _, s := range h.sim.Streamers(a.ShopeeUserID) {
		want = append(want, streamer(s))
	}
	if diff := cmp.Diff(want, got.Streamers); diff != "" {
		t.Errorf("streamers (-truth +got):\n%s", diff)
	}
}

type campaignOut struct {
	CampaignID     string           `json:"campaign_id"`
	Title          string           `json:"title"`
	State          string           `json:"state"`
	CampaignBudget *liveboard.Money `json:"campaign_budget"`
	CampaignSpent  *liveboard.Money `json:"campaign_spent"`
	BroadGMV       *liveboard.Money `json:"broad_gmv"`
	DirectGMV      *liveboard.Money `json:"direct_gmv"`
	Impressions    *int64           `json:"impressions"`
	Views          *int64           `json:"views"`
	Clicks         *int64           `json:"clicks"`
	BroadOrders    *int64           `json:"broad_orders"`
	DirectOrders   *int64           `json:"direct_orders"`
}

type promotionsOut struct {
	Date      string        `json:"date"`
	Region    string        `json:"region"`
	Currency  string        `json:"currency"`
	Campaigns []campaignOut `json:"campaigns"`
}

func campaignTruth(c shopeesim.CampaignTruth) campaignOut {
	return campaignOut{CampaignID: strconv.FormatInt(c.CampaignID, 10),
		Title: c.Title, State: c.State, CampaignBudget: &c.DailyBudget,
		CampaignSpent: &c.Cost, BroadGMV: &c.BroadGMV,
		DirectGMV: &c.DirectGMV, Impressions: &c.Impressions,
		Views: &c.Views, Clicks: &c.Clicks, BroadOrders: &c.BroadOrders,
		DirectOrders: &c.DirectOrders}
}

// promotionsOf asks the API for the account's campaigns today.
func promotionsOf(t *testing.T, h *harness,
	a liveboard.Account) promotionsOut {
	t.Helper()
	return dataOf[promotionsOut](t, h.post(t, api+"/promotions/today",
		viewer1, map[string]any{"account_id": a.ID}), http.StatusOK)
}

func testPromotionsToday(t *testing.T, h *harness) {
	a := h.accounts[2]
	want := promotionsOut{Date: "2026-03-10", Region: "ID", Currency: "IDR"}
	for _, c := range h.sim.Campaigns(a.ShopeeUserID) {
		want.Campaigns = append(want.Campaigns, campaignTruth(c))
	}
	if diff := cmp.Diff(want, promotionsOf(t, h, a)); diff != "" {
		t.Errorf("campaigns differ from the truth (-want +got):\n%s", diff)
	}
}

func testEditPromotion(t *testing.T, h *harness) {
	a := h.accounts[1]
	campaign := h.sim.Campaigns(a.ShopeeUserID)[0]
	edit := func(as who, body map[string]any) response {
		body["account_id"] = a.ID
		body["campaign_id"] = campaign.CampaignID
		return h.post(t, api+"/promotions/edit", as, body)
	}
	// Read first, so the change must get past the cache.
	promotionsOf(t, h, a)

	wantError(t, edit(viewer1, map[string]any{"action": "pause"}),
		http.StatusForbidden, liveboard.EForbidden)
	dataOf[map[string]any](t, edit(operator1, map[string]any{
		"action": "pause"}), http.StatusOK)
	if got := promotionsOf(t, h, a).Campaigns[0].State; got != "paused" {
		t.Errorf("after pause the API shows %s", got)
	}

	res := edit(operator1, map[string]any{"action": "change_budget",
		"daily_budget": 1234567})
	got := dataOf[struct {
		Action      string           `json:"action"`
		DailyBudget *liveboard.Money `json:"daily_budget"`
	}](t, res, http.StatusOK)
	budget := liveboard.MoneyFromMajor(1234567)
	if got.Action != "change_budget" || got.DailyBudget == nil ||
		*got.DailyBudget != budget ||
		h.sim.Campaigns(a.ShopeeUserID)[0].DailyBudget != budget {
		t.Errorf("change_budget answered %+v; simulator has %v", got,
			h.sim.Campaigns(a.ShopeeUserID)[0].DailyBudget)
	}
	target := "campaign " + strconv.FormatInt(campaign.CampaignID, 10)
	for _, detail := range []string{"pause", "change_budget to 1234567"} {
		if !h.audited(t, "campaign.edit", target, detail) {
			t.Errorf("no audit entry for %s %s", target, detail)
		}
	}

	for name, body := range map[string]map[string]any{
		"unknown action":      {"action": "delete"},
		"budget missing":      {"action": "change_budget"},
		"budget with a pause": {"action": "pause", "daily_budget": 5},
	} {
		t.Run(name, func(t *testing.T) {
			wantError(t, edit(operator1, body), http.StatusBadRequest,
				liveboard.EInvalid)
		})
	}
	t.Run("raw cookie alone", func(t *testing.T) {
		wantError(t, h.post(t, api+"/promotions/edit", operator1,
			map[string]any{"access_token": h.cookie(t, a),
				"campaign_id": campaign.CampaignID, "action": "resume"}),
			http.StatusBadRequest, liveboard.EInvalid)
	})
	t.Run("Shopee refuses an unknown campaign", func(t *testing.T) {
		res := h.post(t, api+"/promotions/edit", operator1, map[string]any{
			"account_id": a.ID, "campaign_id": 99, "action": "pause"})
		wantError(t, res, http.StatusBadGateway, liveboard.EShopeeBadAnswer)
	})
}

type itemOut struct {
	PromoID     string           `json:"promo_id"`
	ItemID      string           `json:"item_id"`
	ShopID      string           `json:"shop_id"`
	Name        string           `json:"name"`
	Image       string           `json:"image"`
	Price       *liveboard.Money `json:"price"`
	PromoPrice  *liveboard.Money `json:"promo_price"`
	Stock       *int64           `json:"stock"`
	Sold        *int64           `json:"sold"`
	StartTime   *string          `json:"start_time"`
	EndTime     *string          `json:"end_time"`
	ProductLink string           `json:"product_link"`
}

func itemTruth(p shopeesim.PromotedItem, link string) itemOut {
	at := func(t time.Time) *string {
		s := t.In(jakarta).Format(time.RFC3339)
		return &s
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return itemOut{PromoID: id(p.PromoID), ItemID: id(p.ItemID),
		ShopID: id(p.ShopID), Name: p.Name, Image: p.Image,
		Price: &p.Price, PromoPrice: &p.PromoPrice, Stock: &p.Stock,
		Sold: &p.Sold, StartTime: at(p.Start), EndTime: at(p.End),
		ProductLink: link}
}

func testPromotedItems(t *testing.T, h *harness) {
	a := h.accounts[0]
	all := h.sim.PromotedItems(a.ShopeeUserID)
	got := dataOf[struct {
		Total int       `json:"total"`
		Items []itemOut `json:"items"`
	}](t, h.post(t, api+"/items/promotion", viewer1, map[string]any{
		"account_id": a.ID, "offset": 1, "limit": 2}), http.StatusOK)

	if got.Total != len(all) || len(got.Items) != 2 {
		t.Fatalf("total %d, %d items; want %d and 2", got.Total,
			len(got.Items), len(all))
	}
	for i, it := range got.Items {
		p := all[i+1]
		want := itemTruth(p, shopee.ProductLink(liveboard.RegionID,
			p.ShopID, p.ItemID, p.Name))
		if diff := cmp.Diff(want, it); diff != "" {
			t.Errorf("item %d (-truth +got):\n%s", i, diff)
		}
	}

	wantError(t, h.post(t, api+"/items/promotion", viewer1, map[string]any{
		"account_id": a.ID, "limit": 0}), http.StatusBadRequest,
		liveboard.EInvalid)
}

func testPromotedItem(t *testing.T, h *harness) {
	a := h.accounts[0]
	p := h.sim.PromotedItems(a.ShopeeUserID)[2]
	path := api + "/items/promotion/" + strconv.FormatInt(p.PromoID, 10)
	got := dataOf[itemOut](t, h.post(t, path, viewer1,
		map[string]any{"account_id": a.ID}), http.StatusOK)
	if diff := cmp.Diff(itemTruth(p, got.ProductLink), got); diff != "" {
		t.Errorf("item (-truth +got):\n%s", diff)
	}

	wantError(t, h.post(t, api+"/items/promotion/12345", viewer1,
		map[string]any{"account_id": a.ID}), http.StatusNotFound,
		liveboard.ENotFound)
}

func testExpenseToday(t *testing.T, h *harness) {
	a := h.accounts[2]
	tr, _ := h.sim.Ads(a.ShopeeUserID)
	got := dataOf[struct {
		Date         string           `json:"date"`
		Currency     string           `json:"currency"`
		ExpenseToday *liveboard.Money `json:"expense_today"`
	}](t, h.post(t, api+"/campaign/expense-today", viewer1,
		map[string]any{"account_id": a.ID}), http.StatusOK)
	if got.ExpenseToday == nil || *got.ExpenseToday != tr.ExpenseToday ||
		got.Date != "2026-03-10" || got.Currency != "IDR" {
		t.Errorf("expense %+v, truth %v", got, tr.ExpenseToday)
	}
}

func testAdsData(t *testing.T, h *harness) {
	a := h.accounts[2]
	tr, _ := h.sim.Ads(a.ShopeeUserID)
	type adsOut struct {
		Credit       *liveboard.Money `json:"credit"`
		LiveBalance  *liveboard.Money `json:"live_balance"`
		ExpenseToday *liveboard.Money `json:"expense_today"`
		Other        map[string]any   `json:"other"`
	}
	got := dataOf[adsOut](t, h.post(t, api+"/campaign/ads-data", viewer1,
		map[string]any{"account_id": a.ID, "info_types": []string{
			"ads_credit", "ads_expense", "has_ads"}}), http.StatusOK)
	want := adsOut{Credit: &tr.Credit, LiveBalance: &tr.LiveBalance,
		ExpenseToday: &tr.ExpenseToday, Other: map[string]any{
			"has_ads": map[string]any{"has_ads": true}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ads data (-truth +got):\n%s", diff)
	}

	wantError(t, h.post(t, api+"/campaign/ads-data", viewer1,
		map[string]any{"account_id": a.ID, "info_types": []string{"x"}}),
		http.StatusBadRequest, liveboard.EInvalid)
}

type giveawayOut struct {
	SessionID string `json:"session_id"`
	Giveaway  *struct {
		CoinStatus      *int64   `json:"coin_status"`
		CoinsPerClaim   *float64 `json:"coins_per_claim"`
		ClaimTimes      *int64   `json:"claim_times"`
		ClaimsLeft      *int64   `json:"claims_left"`
		Giveout         *int64   `json:"giveout"`
		IntervalSeconds *int64   `json:"interval_seconds"`
		ShownCoins      *int64   `json:"shown_coins"`
	} `json:"giveaway"`
}

func testCoins(t *testing.T, h *harness) {
	a := h.accounts[0]
	live := h.liveSession(t, a)
	start := map[string]any{"account_id": a.ID,
		"session_id": live.SessionID, "giveout": 900,
		"coins_per_claim": 3, "claim_times": 3, "interval_seconds": 120}
	session := map[string]any{"account_id": a.ID,
		"session_id": live.SessionID}

	wantError(t, h.post(t, api+"/coins/start", viewer1, start),
		http.StatusForbidden, liveboard.EForbidden)
	started := dataOf[giveawayOut](t, h.post(t, api+"/coins/start",
		operator1, start), http.StatusOK)
	tr, ok := h.sim.Coins(live.SessionID)
	if !ok || started.Giveaway == nil || *started.Giveaway.Giveout != 900 ||
		*started.Giveaway.ClaimsLeft != tr.ClaimsLeft ||
		*started.Giveaway.CoinStatus != 1 {
		t.Fatalf("started %+v; simulator %+v", started.Giveaway, tr)
	}

	now := dataOf[giveawayOut](t, h.post(t, api+"/coins/giveout",
		operator1, session), http.StatusOK)
	if diff := cmp.Diff(started, now); diff != "" {
		t.Errorf("giveout differs from the start (-start +now):\n%s", diff)
	}
	wantError(t, h.post(t, api+"/coins/giveout", viewer1, session),
		http.StatusForbidden, liveboard.EForbidden)

	type rewardsOut struct {
		SessionID      string `json:"session_id"`
		TotalCoins     *int64 `json:"total_coins"`
		ClaimedCoins   *int64 `json:"claimed_coins"`
		RemainingCoins *int64 `json:"remaining_coins"`
		Claimers       *int64 `json:"claimers"`
	}
	rewards := dataOf[rewardsOut](t, h.post(t, api+"/coins/reward-info",
		viewer1, session), http.StatusOK)
	n := liveboard.Ptr[int64]
	wantRewards := rewardsOut{SessionID: strconv.FormatInt(live.SessionID,
		10), TotalCoins: n(900), ClaimedCoins: n(0), RemainingCoins: n(900),
		Claimers: n(0)}
	if diff := cmp.Diff(wantRewards, rewards); diff != "" {
		t.Errorf("rewards (-want +got):\n%s", diff)
	}

	wantError(t, h.post(t, api+"/coins/start", operator1, start),
		http.StatusBadGateway, liveboard.EShopeeBadAnswer)

	target := "session " + strconv.FormatInt(live.SessionID, 10)
	for _, detail := range []string{"giveaway started: 900 coins, 3 × 3 " +
		"every 120s", "giveout"} {
		if !h.audited(t, "coin.action", target, detail) {
			t.Errorf("no audit entry for %s %s", target, detail)
		}
	}
}

func testLinks(t *testing.T, h *harness) {
	tests := []struct {
		name string
		path string
		url  string
	}{
		{"product", "/links/product?shop_id=11&item_id=22&name=Kaos%20Polos",
			"https://shopee.co.id/Kaos-Polos-i.11.22"},
		{"product in a region without a name",
			"/links/product?shop_id=11&item_id=22&region=th",
			"https://shopee.co.th/product/11/22"},
		{"shop by name", "/links/shop?username=studio.satu&region=VN",
			"https://shopee.vn/studio.satu"},
		{"shop by id", "/links/shop?shop_id=77", "https://shopee.co.id/shop/77"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dataOf[map[string]string](t, h.get(t, api+tt.path,
				viewer1), http.StatusOK)
			if got["url"] != tt.url {
				t.Errorf("url %s, want %s", got["url"], tt.url)
			}
		})
	}
	for _, path := range []string{"/links/product?shop_id=1",
		"/links/product?shop_id=x&item_id=2", "/links/shop",
		"/links/shop?username=a/b", "/links/shop?username=a&shop_id=1",
		"/links/shop?username=a&region=XX"} {
		t.Run("refuses "+path, func(t *testing.T) {
			wantError(t, h.get(t, api+path, viewer1), http.StatusBadRequest,
				liveboard.EInvalid)
		})
	}
}
