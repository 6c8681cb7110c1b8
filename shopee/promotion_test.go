package shopee

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/shopee/shopeesim"
)

func TestStreamerSelectors(t *testing.T) {
	c, sim, _ := newSimClient(t)
	got, err := c.StreamerSelectors(context.Background(), simAuth(sim, 0))
	if err != nil {
		t.Fatal(err)
	}
	var want []Streamer
	for _, s := range sim.Streamers(sim.Accounts()[0].UserID) {
		want = append(want, Streamer{UserID: s.UserID, UserName: s.UserName,
			Nickname: s.Nickname, Avatar: s.Avatar})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("streamers (-truth +got):\n%s", diff)
	}
}

func TestStreamerSelectorsTolerateShapes(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []Streamer
	}{
		{"array in live envelope", `{"err_code":0,"data":[{"userId":"7",` +
			`"userName":"a","nickName":"A"}]}`,
			[]Streamer{{UserID: 7, UserName: "a", Nickname: "A"}}},
		{"streamers field, odd types", `{"code":0,"data":{"streamers":[` +
			`{"uid":8,"username":9,"name":"B"},"junk"]}}`,
			[]Streamer{{UserID: 8, Nickname: "B"}}},
		{"no envelope status", `{"data":{"list":[]}}`, []Streamer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, answer(200, tt.body))
			got, err := c.StreamerSelectors(context.Background(), testAuth)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	c, _ := newTestClient(t, answer(200, `{"error":4,"error_msg":"no"}`))
	_, err := c.StreamerSelectors(context.Background(), testAuth)
	assertKind(t, err, ErrRejected)
}

// itemOf is what the client should read of a simulated item.
func itemOf(p shopeesim.PromotedItem) PromotedItem {
	n := liveboard.Ptr[int64]
	start, end := p.Start.UTC(), p.End.UTC()
	return PromotedItem{PromoID: p.PromoID, ItemID: p.ItemID,
		ShopID: p.ShopID, Name: p.Name, Image: p.Image,
		Price: liveboard.Ptr(p.Price), PromoPrice: liveboard.Ptr(p.PromoPrice),
		Stock: n(p.Stock), Sold: n(p.Sold), StartTime: &start, EndTime: &end}
}

func TestPromotedItems(t *testing.T) {
	c, sim, _ := newSimClient(t)
	all := sim.PromotedItems(sim.Accounts()[0].UserID)
	a := simAuth(sim, 0)

	got, err := c.PromotedItems(context.Background(), a, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := &PromotedItemPage{Total: len(all),
		Items: []PromotedItem{itemOf(all[1]), itemOf(all[2])}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("page (-truth +got):\n%s", diff)
	}

	one, err := c.PromotedItem(context.Background(), a, all[3].PromoID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(itemOf(all[3]), *one); diff != "" {
		t.Errorf("item (-truth +got):\n%s", diff)
	}

	_, err = c.PromotedItem(context.Background(), a, 1)
	assertKind(t, err, ErrNotFound)
	_, err = c.PromotedItems(context.Background(), a, 0, 101)
	if liveboard.ErrorCode(err) != liveboard.EInvalid {
		t.Errorf("limit 101: %v", err)
	}
}

func TestPromotedItemsTolerateShapes(t *testing.T) {
	body := `{"code":0,"data":{"totalCount":"3","item_list":[{` +
		`"promotionId":5,"itemid":"6","shopid":7,"title":"T",` +
		`"price":"150000000","discount_price":null,"sold_count":4,` +
		`"startTime":1767225600000}]}}`
	c, _ := newTestClient(t, answer(200, body))

	got, err := c.PromotedItems(context.Background(), testAuth, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want := &PromotedItemPage{Total: 3, Items: []PromotedItem{{
		PromoID: 5, ItemID: 6, ShopID: 7, Name: "T",
		Price: liveboard.Ptr(liveboard.MoneyFromMajor(1500)),
		Sold:  liveboard.Ptr[int64](4), StartTime: &start}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCoinGiveoutFixture(t *testing.T) {
	var got captured
	c, _ := newTestClient(t, capture(t, fixture(t, "19-coin_giveout.json"),
		&got))

	g, err := c.CoinGiveout(context.Background(), testAuth, 123450002)
	if err != nil {
		t.Fatal(err)
	}
	n := liveboard.Ptr[int64]
	want := &CoinGiveaway{Status: n(1), CoinsPerClaim: liveboard.Ptr(1.0),
		ClaimTimes: n(3), ClaimsLeft: n(120), Giveout: n(500),
		Interval: n(60), ShownCoins: n(500)}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("giveaway (-want +got):\n%s", diff)
	}
	if got.Method != "GET" ||
		got.Path != "/api/v1/session/123450002/coin/giveout" {
		t.Errorf("request %s %s", got.Method, got.Path)
	}
}

func giveawayOf(tr shopeesim.CoinTruth) *CoinGiveaway {
	n := liveboard.Ptr[int64]
	return &CoinGiveaway{Status: n(int64(tr.Status)),
		CoinsPerClaim: liveboard.Ptr(tr.CoinsPerClaim),
		ClaimTimes:    n(tr.ClaimTimes), ClaimsLeft: n(tr.ClaimsLeft),
		Giveout: n(tr.Giveout), Interval: n(tr.Interval),
		ShownCoins: n(tr.ShownCoins)}
}

func TestCoins(t *testing.T) {
	c, sim, clk := newSimClient(t)
	a := simAuth(sim, 0)
	ctx := context.Background()
	var live int64
	for _, tr := range sim.Sessions(sim.Accounts()[0].UserID) {
		if tr.Live {
			live = tr.SessionID
		}
	}
	plan := CoinPlan{Giveout: 300, CoinsPerClaim: 1, ClaimTimes: 3,
		Interval: 30}

	started, err := c.StartCoins(ctx, a, live, plan)
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := sim.Coins(live)
	if diff := cmp.Diff(giveawayOf(tr), started); diff != "" {
		t.Errorf("started (-truth +got):\n%s", diff)
	}

	clk.Advance(time.Minute)
	now, err := c.CoinGiveout(ctx, a, live)
	tr, _ = sim.Coins(live)
	if err != nil || tr.ClaimsLeft != 1 {
		t.Fatalf("giveout: %v, truth %+v", err, tr)
	}
	if diff := cmp.Diff(giveawayOf(tr), now); diff != "" {
		t.Errorf("after a minute (-truth +got):\n%s", diff)
	}

	rewards, err := c.CoinRewardInfo(ctx, a, live)
	if err != nil {
		t.Fatal(err)
	}
	n := liveboard.Ptr[int64]
	want := &CoinRewards{TotalCoins: n(300), ClaimedCoins: n(200),
		RemainingCoins: n(100), Claimers: n(200)}
	if diff := cmp.Diff(want, rewards); diff != "" {
		t.Errorf("rewards (-want +got):\n%s", diff)
	}

	_, err = c.StartCoins(ctx, a, live, plan)
	assertKind(t, err, ErrRejected)
	_, err = c.CoinGiveout(ctx, simAuth(sim, 1), live)
	assertKind(t, err, ErrNotFound)
	_, err = c.StartCoins(ctx, a, live, CoinPlan{Giveout: 1,
		CoinsPerClaim: 1, ClaimTimes: 2, Interval: 1})
	if liveboard.ErrorCode(err) != liveboard.EInvalid {
		t.Errorf("plan short of coins: %v", err)
	}
}

func TestLinks(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"product with name",
			ProductLink(liveboard.RegionID, 11, 22, "Serum Vitamin C 20ml!"),
			"https://shopee.co.id/Serum-Vitamin-C-20ml-i.11.22"},
		{"product name in Thai",
			ProductLink(liveboard.RegionTH, 1, 2, "เสื้อ ยืด"),
			"https://shopee.co.th/%E0%B9%80%E0%B8%AA%E0%B8%B7%E0%B9%89%E0%B8" +
				"%AD-%E0%B8%A2%E0%B8%B7%E0%B8%94-i.1.2"},
		{"product without name", ProductLink(liveboard.RegionVN, 3, 4, " - "),
			"https://shopee.vn/product/3/4"},
		{"shop by name", ShopLink(liveboard.RegionMY, "studio_aurora_01"),
			"https://shopee.com.my/studio_aurora_01"},
		{"shop name escaped", ShopLink(liveboard.RegionSG, "a/b?c"),
			"https://shopee.sg/a%2Fb%3Fc"},
		{"shop by id", ShopLinkByID(liveboard.RegionBR, 99),
			"https://shopee.com.br/shop/99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got  %s\nwant %s", tt.got, tt.want)
			}
		})
	}
}
