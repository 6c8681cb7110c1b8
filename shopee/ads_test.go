package shopee

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/shopee/shopeesim"
)

// simT0 is when the simulated world of these tests is made: 19:00 in
// Jakarta.
var simT0 = time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)

// newSimClient serves a simulator on a manual clock at simT0 and returns
// a client for it that neither retries nor caches.
func newSimClient(t *testing.T) (*Client, *shopeesim.Server,
	*shopeesim.ManualClock) {
	t.Helper()
	clk := shopeesim.NewManualClock(simT0)
	sim := shopeesim.New(shopeesim.Options{Seed: 8, Clock: clk})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	t.Cleanup(sim.Close)
	c, _ := mustClient(t, Config{BaseURL: srv.URL})
	return c, sim, clk
}

// simAuth is the login of the simulator's account i.
func simAuth(sim *shopeesim.Server, i int) Auth {
	a := sim.Accounts()[i]
	return Auth{AccountID: int64(i + 1), Region: a.Region, Cookies: a.Cookie}
}

func campaignOf(tr shopeesim.CampaignTruth) Campaign {
	p := liveboard.Ptr[int64]
	m := liveboard.Ptr[liveboard.Money]
	return Campaign{
		CampaignID: tr.CampaignID, Title: tr.Title, State: tr.State,
		DailyBudget: m(tr.DailyBudget),
		Report: CampaignReport{
			Cost: m(tr.Cost), BroadGMV: m(tr.BroadGMV),
			DirectGMV: m(tr.DirectGMV), Impressions: p(tr.Impressions),
			Views: p(tr.Views), Clicks: p(tr.Clicks),
			BroadOrders: p(tr.BroadOrders), DirectOrders: p(tr.DirectOrders),
		},
	}
}

func TestPromotionsToday(t *testing.T) {
	c, sim, clk := newSimClient(t)
	for i, a := range sim.Accounts() {
		got, err := c.PromotionsToday(context.Background(), simAuth(sim, i),
			clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		var want []Campaign
		for _, tr := range sim.Campaigns(a.UserID) {
			want = append(want, campaignOf(tr))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("account %d (-truth +got):\n%s", i, diff)
		}
	}
}

func TestDayAround(t *testing.T) {
	// 23:30 UTC is already the next day in Jakarta.
	from, to := dayAround(time.Date(2026, 2, 3, 23, 30, 0, 0, time.UTC),
		liveboard.RegionID)
	wantFrom := time.Date(2026, 2, 4, 0, 0, 0, 0, liveboard.RegionID.Location())
	if !from.Equal(wantFrom) || !to.Equal(wantFrom.Add(24*time.Hour-time.Second)) {
		t.Errorf("dayAround = %v, %v", from, to)
	}
}

func TestEditCampaign(t *testing.T) {
	c, sim, _ := newSimClient(t)
	a := simAuth(sim, 0)
	user := sim.Accounts()[0].UserID
	id := sim.Campaigns(user)[0].CampaignID
	ctx := context.Background()

	steps := []struct {
		edit  CampaignEdit
		state string
	}{
		{CampaignEdit{CampaignID: id, Action: CampaignPause}, "paused"},
		{CampaignEdit{CampaignID: id, Action: CampaignResume}, "ongoing"},
		{CampaignEdit{CampaignID: id, Action: CampaignChangeBudget,
			DailyBudget: liveboard.MoneyFromMajor(750_000)}, "ongoing"},
		{CampaignEdit{CampaignID: id, Action: CampaignStop}, "ended"},
	}
	for _, st := range steps {
		if err := c.EditCampaign(ctx, a, st.edit); err != nil {
			t.Fatalf("%s: %v", st.edit.Action, err)
		}
		if got := sim.Campaigns(user)[0].State; got != st.state {
			t.Errorf("after %s: state %s, want %s", st.edit.Action, got,
				st.state)
		}
	}
	if got := sim.Campaigns(user)[0].DailyBudget; got !=
		liveboard.MoneyFromMajor(750_000) {
		t.Errorf("budget %v, want 750000", got)
	}

	err := c.EditCampaign(ctx, a, CampaignEdit{CampaignID: id,
		Action: CampaignResume})
	e := assertKind(t, err, ErrRejected)
	if e.Message != "the campaign has ended" {
		t.Errorf("Message = %q", e.Message)
	}
}

func TestEditCampaignInvalid(t *testing.T) {
	c, rec := newTestClient(t, answer(200, `{"code":0,"msg":""}`))
	for _, e := range []CampaignEdit{
		{CampaignID: 0, Action: CampaignPause},
		{CampaignID: 1, Action: "delete"},
		{CampaignID: 1, Action: CampaignChangeBudget},
	} {
		err := c.EditCampaign(context.Background(), testAuth, e)
		if liveboard.ErrorCode(err) != liveboard.EInvalid {
			t.Errorf("%+v: err = %v, want %s", e, err, liveboard.EInvalid)
		}
	}
	if got := rec.outcomes(); len(got) != 0 {
		t.Errorf("observations %v, want none", got)
	}
}

// captured is one request a test server saw.
type captured struct {
	Method, Path string
	Query        map[string]string
	Header       map[string]string
	Body         any
}

// capture answers every request with body and records it.
func capture(t *testing.T, body []byte, into *captured) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		into.Method, into.Path = r.Method, r.URL.Path
		into.Query = map[string]string{}
		for k := range r.URL.Query() {
			into.Query[k] = r.URL.Query().Get(k)
		}
		into.Header = map[string]string{}
		for _, k := range []string{"Content-Type", "Origin", "X-Csrftoken"} {
			into.Header[k] = r.Header.Get(k)
		}
		if len(b) > 0 {
			if err := json.Unmarshal(b, &into.Body); err != nil {
				t.Errorf("request body %s: %v", b, err)
			}
		}
		_, _ = w.Write(body)
	}
}

func TestEditCampaignRequest(t *testing.T) {
	var got captured
	c, _ := newTestClient(t, capture(t, fixture(t,
		"10-live_stream_edit.json"), &got))
	a := testAuth
	a.Cookies += "; SPC_CDS=cds-value-1; csrftoken=tok3n"

	err := c.EditCampaign(context.Background(), a, CampaignEdit{
		CampaignID: 42, Action: CampaignChangeBudget,
		DailyBudget: liveboard.MoneyFromMajor(500_000)})
	if err != nil {
		t.Fatal(err)
	}

	want := captured{
		Method: "POST", Path: "/api/pas/v1/live_stream/edit/",
		Query: map[string]string{"SPC_CDS": "cds-value-1", "SPC_CDS_VER": "2"},
		Header: map[string]string{"Content-Type": "application/json",
			"Origin": "https://seller.shopee.co.id", "X-Csrftoken": "tok3n"},
		Body: map[string]any{"campaign_id": 42.0, "type": "change_budget",
			"header": map[string]any{},
			"change_budget": map[string]any{"daily_budget": 50_000_000_000.0,
				"page": "page_homepage", "budget_log_key": ""}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
}

func TestAdsDataFixture(t *testing.T) {
	var got captured
	c, _ := newTestClient(t, capture(t, fixture(t, "14-get_ads_data.json"),
		&got))

	d, err := c.AdsData(context.Background(), testAuth)
	if err != nil {
		t.Fatal(err)
	}
	m := liveboard.Ptr[liveboard.Money]
	want := &AdsData{Credit: m(liveboard.MoneyFromMajor(3_500_000)),
		LiveBalance:  m(liveboard.MoneyFromMajor(1_500_000)),
		ExpenseToday: m(liveboard.MoneyFromMajor(125_000))}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("AdsData (-want +got):\n%s", diff)
	}
	wantBody := map[string]any{"info_type_list": []any{"ads_expense",
		"ads_credit"}}
	if diff := cmp.Diff(wantBody, got.Body); diff != "" ||
		got.Path != "/api/pas/v1/meta/get_ads_data/" || len(got.Query) != 0 {
		t.Errorf("request %+v (body diff %s)", got, diff)
	}
}

func TestAdsDataMatchesTheSimulator(t *testing.T) {
	c, sim, clk := newSimClient(t)
	clk.Advance(45 * time.Minute)
	ctx := context.Background()
	for i, a := range sim.Accounts() {
		tr, _ := sim.Ads(a.UserID)

		d, err := c.AdsData(ctx, simAuth(sim, i), "ads_expense",
			"ads_credit", "has_ads")
		if err != nil {
			t.Fatal(err)
		}
		m := liveboard.Ptr[liveboard.Money]
		want := &AdsData{Credit: m(tr.Credit), LiveBalance: m(tr.LiveBalance),
			ExpenseToday: m(tr.ExpenseToday), Other: map[string]json.RawMessage{
				"has_ads": json.RawMessage(`{"has_ads":true}`)}}
		if diff := cmp.Diff(want, d); diff != "" {
			t.Errorf("account %d (-truth +got):\n%s", i, diff)
		}

		exp, err := c.ExpenseToday(ctx, simAuth(sim, i))
		if err != nil || exp == nil || *exp != tr.ExpenseToday {
			t.Errorf("ExpenseToday = %v, %v; want %v", exp, err,
				tr.ExpenseToday)
		}
	}

	_, err := c.AdsData(ctx, simAuth(sim, 0), "everything")
	if liveboard.ErrorCode(err) != liveboard.EInvalid {
		t.Errorf("unknown info type: %v", err)
	}
}

func TestAdsLoginExpired(t *testing.T) {
	c, sim, clk := newSimClient(t)
	sim.ExpireLogin(sim.Accounts()[0].UserID)

	_, err := c.PromotionsToday(context.Background(), simAuth(sim, 0),
		clk.Now())
	if e := assertKind(t, err, ErrLoginRequired); e.HTTPStatus != 403 {
		t.Errorf("HTTPStatus = %d, want 403", e.HTTPStatus)
	}
	a := simAuth(sim, 1)
	cds := cookieValue(a.Cookies, "SPC_CDS")
	a.Cookies = strings.Replace(a.Cookies, cds, "not-the-login-s", 1)
	_, err = c.ExpenseToday(context.Background(), a)
	assertKind(t, err, ErrLoginRequired)
}
