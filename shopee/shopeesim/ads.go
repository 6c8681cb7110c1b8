package shopeesim

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"liveboard"
)

// Endpoint names of the ads, promotion and coin endpoints, as Calls
// counts them and SetFaults takes them.
const (
	EndpointHomepageQuery       = "homepageQuery"
	EndpointLiveStreamEdit      = "liveStreamEdit"
	EndpointGetAdsData          = "getAdsData"
	EndpointStreamerSelector    = "streamerSelector"
	EndpointItemPromotion       = "itemPromotion"
	EndpointItemPromotionDetail = "itemPromotionDetail"
	EndpointCoinStart           = "coinStart"
	EndpointCoinGiveout         = "coinGiveout"
	EndpointCoinRewardInfo      = "coinRewardInfo"
)

// pasPrefix is where the seller centre serves its ads (PAS) API.
const pasPrefix = "/api/pas/v1/"

// Ads API codes. Shopee's non-zero values are not publicly known; these
// are the simulator's.
const (
	pasCodeNotLogin = 90002
	pasCodeInvalid  = 10009
)

// Campaign states as the ads API names them.
const (
	stateOngoing = "ongoing"
	statePaused  = "paused"
	stateEnded   = "ended"
)

// pasEnvelope wraps an ads API answer with data.
type pasEnvelope struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data any    `json:"data"`
}

// pasStatus is an ads API answer without data: the edit's success, or a
// refusal listing what was wrong.
type pasStatus struct {
	Code             int      `json:"code"`
	Msg              string   `json:"msg"`
	ValidationErrors []string `json:"validation_error_list,omitempty"`
}

func pasOK(data any) reply {
	return jsonReply(http.StatusOK, pasEnvelope{Code: codeOK, Data: data})
}

func pasInvalid(msg string) reply {
	return jsonReply(http.StatusOK, pasStatus{Code: pasCodeInvalid, Msg: msg,
		ValidationErrors: []string{msg}})
}

// pasExpired is the ads API's answer to a request without a valid login:
// HTTP 403, as clients report.
func pasExpired() reply {
	return jsonReply(http.StatusForbidden, pasStatus{Code: pasCodeNotLogin,
		Msg: "not login"})
}

// adsAccount is an account's live-stream ads: its campaigns and the
// balance they spend from.
type adsAccount struct {
	loc *time.Location
	// credit is the balance at the start of each day; today's spend comes
	// off it. liveShareBP is the share live ads may spend, in basis
	// points.
	credit      liveboard.Money
	liveShareBP int64
	campaigns   []*campaign
}

// campaign is one live-stream ads campaign. While ongoing it spends
// perHour until the day's budget is gone; each local midnight starts a
// new day. Its figures follow from what it spent.
type campaign struct {
	id      int64
	title   string
	state   string
	budget  liveboard.Money
	perHour liveboard.Money

	// costPerImpression, the basis points of impressions that are views
	// and clicks and of clicks that order, and the average order value
	// turn spend into figures.
	costPerImpression liveboard.Money
	viewBP, ctrBP     int64
	orderBP           int64
	avgOrder          liveboard.Money

	// day is the local date onFor counts; onFor is how long the campaign
	// spent that day, up to settled; floor is what it had spent when its
	// budget last changed.
	day     string
	onFor   time.Duration
	settled time.Time
	floor   liveboard.Money
}

// drawExtras draws what the ads, promotion and coin endpoints show of
// the account, from a generator of its own.
func (w *world) drawExtras(a *account) {
	rng := rand.New(rand.NewPCG(uint64(w.seed)^0xad5ad5, uint64(a.UserID)))
	a.ads = newAdsAccount(rng, a)
	a.streamers = drawStreamers(rng, a)
	a.promos = drawPromos(rng, a, w.created)
}

// newAdsAccount draws one to three campaigns, the first ongoing, and a
// balance well above their budgets.
func newAdsAccount(rng *rand.Rand, a *account) *adsAccount {
	pr, ok := priceRanges[a.Region]
	if !ok {
		pr = priceRanges[liveboard.RegionID]
	}
	ads := &adsAccount{loc: a.Region.Location(),
		liveShareBP: 3000 + rng.Int64N(5000)}

	var budgets liveboard.Money
	for i := range 1 + rng.IntN(3) {
		c := newCampaign(rng, pr, i)
		budgets += c.budget
		ads.campaigns = append(ads.campaigns, c)
	}
	credit := float64(budgets) * uniform(rng, 1.5, 5)
	ads.credit = roundPrice(credit/liveboard.MoneyScale, pr.step)
	return ads
}

func newCampaign(rng *rand.Rand, pr priceRange, i int) *campaign {
	budget := roundPrice(pr.lo*uniform(rng, 5, 100), pr.step*10)
	hours := int64(8 + rng.IntN(13))
	c := &campaign{
		id:                4_000_000_000 + rng.Int64N(1_000_000_000),
		title:             "Live Ads - " + titleThemes[rng.IntN(len(titleThemes))],
		state:             stateOngoing,
		budget:            budget,
		perHour:           budget / liveboard.Money(hours),
		costPerImpression: max(liveboard.Money(pr.lo*liveboard.MoneyScale/100), 1),
		viewBP:            2000 + rng.Int64N(2000),
		ctrBP:             200 + rng.Int64N(300),
		orderBP:           500 + rng.Int64N(700),
		avgOrder:          roundPrice(logUniform(rng, pr.lo, pr.hi), pr.step),
	}
	if i > 0 && rng.Float64() < 0.5 {
		c.state = statePaused
	}
	return c
}

// settle brings the campaign's spend up to now. Spending stops once it
// reaches the budget.
func (c *campaign) settle(now time.Time, loc *time.Location) {
	local := now.In(loc)
	day := local.Format(time.DateOnly)
	if day != c.day {
		c.day, c.onFor, c.floor = day, 0, 0
		midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0,
			0, 0, loc)
		c.settled = later(c.settled, midnight)
	}
	if !now.After(c.settled) {
		return
	}

	if limit := c.untilBudget(); c.state == stateOngoing && c.onFor < limit {
		c.onFor = min(c.onFor+now.Sub(c.settled), limit)
	}
	c.settled = now
}

// spent is what the campaign spent today: never more than the budget,
// and never less than it had spent when its budget was last changed.
func (c *campaign) spent() liveboard.Money {
	v, _ := c.perHour.MulDiv(int64(c.onFor/time.Second), 3600)
	return max(min(v, c.budget), c.floor)
}

// untilBudget is how long the campaign runs in a day before its budget
// is gone, to the second.
func (c *campaign) untilBudget() time.Duration {
	if c.perHour <= 0 {
		return 0
	}
	secs := math.Ceil(float64(c.budget) / float64(c.perHour) * 3600)
	return time.Duration(secs) * time.Second
}

// CampaignTruth is a campaign as the simulator reports it now: its
// figures are today's. Amounts are Money, which has the ads API's scale.
type CampaignTruth struct {
	CampaignID   int64           `json:"campaign_id"`
	Title        string          `json:"title"`
	State        string          `json:"state"`
	DailyBudget  liveboard.Money `json:"daily_budget"`
	Cost         liveboard.Money `json:"cost"`
	BroadGMV     liveboard.Money `json:"broad_gmv"`
	DirectGMV    liveboard.Money `json:"direct_gmv"`
	Impressions  int64           `json:"impression"`
	Views        int64           `json:"view"`
	Clicks       int64           `json:"click"`
	BroadOrders  int64           `json:"broad_order"`
	DirectOrders int64           `json:"direct_order"`
}

func (c *campaign) truth() CampaignTruth {
	cost := c.spent()
	impressions := int64(cost / c.costPerImpression)
	clicks := impressions * c.ctrBP / 10_000
	orders := clicks * c.orderBP / 10_000
	direct := orders * 6 / 10
	return CampaignTruth{
		CampaignID: c.id, Title: c.title, State: c.state,
		DailyBudget: c.budget, Cost: cost,
		BroadGMV:     c.avgOrder * liveboard.Money(orders),
		DirectGMV:    c.avgOrder * liveboard.Money(direct),
		Impressions:  impressions,
		Views:        impressions * c.viewBP / 10_000,
		Clicks:       clicks,
		BroadOrders:  orders,
		DirectOrders: direct,
	}
}

// AdsTruth is an account's ads balance and spend today.
type AdsTruth struct {
	Credit       liveboard.Money `json:"credit"`
	LiveBalance  liveboard.Money `json:"live_balance"`
	ExpenseToday liveboard.Money `json:"expense_today"`
}

// truth settles every campaign to now and returns the balance.
func (ads *adsAccount) truth(now time.Time) AdsTruth {
	var spent liveboard.Money
	for _, c := range ads.campaigns {
		c.settle(now, ads.loc)
		spent += c.spent()
	}
	credit := max(ads.credit-spent, 0)
	live, _ := credit.MulDiv(ads.liveShareBP, 10_000)
	return AdsTruth{Credit: credit, LiveBalance: live, ExpenseToday: spent}
}

// Campaigns returns the account's live-stream ads campaigns with today's
// figures at the clock's time, or nil for an unknown account.
func (s *Server) Campaigns(userID int64) []CampaignTruth {
	now := s.clock.Now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.world.byUser[userID]
	if !ok {
		return nil
	}

	s.extrasMu.Lock()
	defer s.extrasMu.Unlock()
	a.ads.truth(now)
	out := make([]CampaignTruth, len(a.ads.campaigns))
	for i, c := range a.ads.campaigns {
		out[i] = c.truth()
	}
	return out
}

// Ads returns the account's ads balance and today's spend at the clock's
// time; false for an unknown account.
func (s *Server) Ads(userID int64) (AdsTruth, bool) {
	now := s.clock.Now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.world.byUser[userID]
	if !ok {
		return AdsTruth{}, false
	}

	s.extrasMu.Lock()
	defer s.extrasMu.Unlock()
	return a.ads.truth(now), true
}

// cdsMatches reports whether the request's SPC_CDS query, when it has
// one, repeats the login's SPC_CDS cookie with SPC_CDS_VER=2, as the
// seller centre's pages send it.
func cdsMatches(c *call) bool {
	q := c.r.URL.Query()
	if !q.Has("SPC_CDS") {
		return true
	}
	return q.Get("SPC_CDS") == c.acct.jar.cds && q.Get("SPC_CDS_VER") == "2"
}

// readBody decodes the request's JSON body into v; false when it is not
// JSON of that shape.
func readBody(c *call, v any) bool {
	if c.r.Body == nil {
		return false
	}
	dec := json.NewDecoder(io.LimitReader(c.r.Body, 1<<20))
	return dec.Decode(v) == nil
}

type homepageQueryBody struct {
	StartTime  int64 `json:"start_time"`
	EndTime    int64 `json:"end_time"`
	FilterList []struct {
		CampaignType string `json:"campaign_type"`
		State        string `json:"state"`
	} `json:"filter_list"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

type campaignPage struct {
	Total     int             `json:"total"`
	EntryList []campaignEntry `json:"entry_list"`
}

type campaignEntry struct {
	Title    string         `json:"title"`
	State    string         `json:"state"`
	Campaign campaignInfo   `json:"campaign"`
	Report   campaignReport `json:"report"`
}

type campaignInfo struct {
	CampaignID  int64 `json:"campaign_id"`
	DailyBudget int64 `json:"daily_budget"`
}

type campaignReport struct {
	Cost        int64 `json:"cost"`
	BroadGMV    int64 `json:"broad_gmv"`
	DirectGMV   int64 `json:"direct_gmv"`
	Impression  int64 `json:"impression"`
	View        int64 `json:"view"`
	Click       int64 `json:"click"`
	BroadOrder  int64 `json:"broad_order"`
	DirectOrder int64 `json:"direct_order"`
}

func entryOf(tr CampaignTruth) campaignEntry {
	return campaignEntry{
		Title: tr.Title, State: tr.State,
		Campaign: campaignInfo{CampaignID: tr.CampaignID,
			DailyBudget: int64(tr.DailyBudget)},
		Report: campaignReport{
			Cost: int64(tr.Cost), BroadGMV: int64(tr.BroadGMV),
			DirectGMV: int64(tr.DirectGMV), Impression: tr.Impressions,
			View: tr.Views, Click: tr.Clicks, BroadOrder: tr.BroadOrders,
			DirectOrder: tr.DirectOrders,
		},
	}
}

// homepageQuery answers the ads dashboard's campaign list. Only live
// stream campaigns exist here; their figures are today's whatever the
// period asked for.
func (s *Server) homepageQuery(c *call) reply {
	if !cdsMatches(c) {
		return pasExpired()
	}
	var q homepageQueryBody
	switch {
	case !readBody(c, &q):
		return pasInvalid("the body must be a JSON object")
	case q.StartTime <= 0 || q.EndTime <= q.StartTime:
		return pasInvalid("start_time and end_time must be unix seconds, " +
			"start before end")
	case q.Offset < 0 || q.Limit < 1 || q.Limit > 100:
		return pasInvalid("offset must be 0 or more and limit 1 to 100")
	case len(q.FilterList) == 0:
		return pasInvalid("filter_list is required")
	}
	f := q.FilterList[0]

	s.extrasMu.Lock()
	defer s.extrasMu.Unlock()
	c.acct.ads.truth(c.now)
	page := campaignPage{EntryList: []campaignEntry{}}
	for _, cp := range c.acct.ads.campaigns {
		if f.CampaignType != "live_stream_homepage" ||
			f.State != "all" && f.State != "" && f.State != cp.state {
			continue
		}
		page.Total++
		if page.Total > q.Offset && len(page.EntryList) < q.Limit {
			page.EntryList = append(page.EntryList, entryOf(cp.truth()))
		}
	}
	return pasOK(page)
}

type editBody struct {
	CampaignID   int64  `json:"campaign_id"`
	Type         string `json:"type"`
	ChangeBudget *struct {
		DailyBudget int64 `json:"daily_budget"`
	} `json:"change_budget"`
}

// liveStreamEdit pauses, resumes, stops or re-budgets one of the caller's
// campaigns. An ended campaign takes no change.
func (s *Server) liveStreamEdit(c *call) reply {
	if !cdsMatches(c) {
		return pasExpired()
	}
	var e editBody
	if !readBody(c, &e) {
		return pasInvalid("the body must be a JSON object")
	}

	s.extrasMu.Lock()
	defer s.extrasMu.Unlock()
	c.acct.ads.truth(c.now)
	i := slices.IndexFunc(c.acct.ads.campaigns, func(cp *campaign) bool {
		return cp.id == e.CampaignID
	})
	if i < 0 {
		return pasInvalid(fmt.Sprintf("campaign %d not found", e.CampaignID))
	}
	if problem := c.acct.ads.campaigns[i].apply(e); problem != "" {
		return pasInvalid(problem)
	}
	return jsonReply(http.StatusOK, pasStatus{Code: codeOK})
}

// apply makes the edit to a settled campaign; a non-empty string says
// why it cannot.
func (cp *campaign) apply(e editBody) string {
	if cp.state == stateEnded {
		return "the campaign has ended"
	}
	switch e.Type {
	case "pause":
		cp.state = statePaused
	case "resume":
		cp.state = stateOngoing
	case "stop":
		cp.state = stateEnded
	case "change_budget":
		if e.ChangeBudget == nil || e.ChangeBudget.DailyBudget <= 0 {
			return "change_budget.daily_budget must be positive"
		}
		cp.setBudget(liveboard.Money(e.ChangeBudget.DailyBudget))
	default:
		return fmt.Sprintf("unknown type %q", e.Type)
	}
	return ""
}

// setBudget changes the daily budget. Today's spend stays; a budget at
// or below it stops the spending for today.
func (cp *campaign) setBudget(b liveboard.Money) {
	cp.floor = cp.spent()
	cp.budget = b
}

type adsDataBody struct {
	InfoTypeList []string `json:"info_type_list"`
}

type adsExpense struct {
	AdsExpenseToday int64 `json:"ads_expense_today"`
}

type adsCredit struct {
	Total     int64 `json:"total"`
	AppDetail struct {
		LiveAvailableBalance int64 `json:"live_available_balance"`
	} `json:"app_detail"`
}

// getAdsData answers the info types asked for. Shopee's shapes of the
// types other than ads_expense and ads_credit are not publicly known;
// the simulator's are small guesses.
func (s *Server) getAdsData(c *call) reply {
	if !cdsMatches(c) {
		return pasExpired()
	}
	var b adsDataBody
	if !readBody(c, &b) || len(b.InfoTypeList) == 0 {
		return pasInvalid("info_type_list must list at least one type")
	}

	s.extrasMu.Lock()
	defer s.extrasMu.Unlock()
	tr := c.acct.ads.truth(c.now)
	data := map[string]any{}
	for _, t := range b.InfoTypeList {
		if v := adsInfo(t, tr, c.acct); v != nil {
			data[t] = v
		}
	}
	return pasOK(data)
}

func adsInfo(infoType string, tr AdsTruth, a *account) any {
	switch infoType {
	case "ads_expense":
		return adsExpense{AdsExpenseToday: int64(tr.ExpenseToday)}
	case "ads_credit":
		var cr adsCredit
		cr.Total = int64(tr.Credit)
		cr.AppDetail.LiveAvailableBalance = int64(tr.LiveBalance)
		return cr
	case "has_ads":
		return map[string]bool{"has_ads": len(a.ads.campaigns) > 0}
	case "ads_toggle":
		return map[string]bool{"is_on": true}
	case "campaign_day":
		return map[string]int{"campaign_count": len(a.ads.campaigns)}
	case "incentive", "ads_account":
		return map[string]any{}
	}
	return nil
}
