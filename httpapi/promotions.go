package httpapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"liveboard"
	"liveboard/shopee"
)

type streamerJSON struct {
	UserID   int64  `json:"user_id"`
	UserName string `json:"user_name"`
	Nickname string `json:"nickname"`
	Avatar   string `json:"avatar"`
}

// streamerSelector answers POST /promotions/streamer-selector: the
// streamers the account may pick for a streaming promotion.
func (s *Server) streamerSelector(w http.ResponseWriter,
	r *http.Request) error {
	var req credentialsOnly
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}

	list, err := s.cfg.Shopee.StreamerSelectors(r.Context(), l.auth)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	out := make([]streamerJSON, len(list))
	for i, st := range list {
		out[i] = streamerJSON{UserID: st.UserID, UserName: st.UserName,
			Nickname: st.Nickname, Avatar: st.Avatar}
	}
	s.writeData(w, http.StatusOK, map[string]any{"streamers": out})
	return nil
}

// campaignJSON is a live-stream ads campaign with today's figures.
type campaignJSON struct {
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

func newCampaignJSON(c shopee.Campaign) campaignJSON {
	r := c.Report
	return campaignJSON{
		CampaignID: strconv.FormatInt(c.CampaignID, 10), Title: c.Title,
		State: c.State, CampaignBudget: c.DailyBudget,
		CampaignSpent: r.Cost, BroadGMV: r.BroadGMV, DirectGMV: r.DirectGMV,
		Impressions: r.Impressions, Views: r.Views, Clicks: r.Clicks,
		BroadOrders: r.BroadOrders, DirectOrders: r.DirectOrders,
	}
}

// today returns today's date in the region's zone.
func (s *Server) today(region liveboard.Region) string {
	return liveboard.DateIn(s.cfg.Now(), region.Location())
}

// promotionsToday answers POST /promotions/today: the account's
// live-stream ads campaigns with today's figures.
func (s *Server) promotionsToday(w http.ResponseWriter,
	r *http.Request) error {
	var req credentialsOnly
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}

	list, err := s.cfg.Shopee.PromotionsToday(r.Context(), l.auth,
		s.cfg.Now())
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	out := make([]campaignJSON, len(list))
	for i, c := range list {
		out[i] = newCampaignJSON(c)
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"date": s.today(l.auth.Region), "region": l.auth.Region,
		"currency": l.auth.Region.Currency(), "campaigns": out})
	return nil
}

type editRequest struct {
	shopeeCredentials
	CampaignID  flexID           `json:"campaign_id"`
	Action      string           `json:"action"`
	DailyBudget *liveboard.Money `json:"daily_budget"`
}

// editPromotion answers POST /promotions/edit: pause, resume, stop or
// re-budget a live-stream ads campaign. It needs the operator role.
func (s *Server) editPromotion(w http.ResponseWriter, r *http.Request) error {
	var req editRequest
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleOperator)
	if err != nil {
		return err
	}
	e, err := req.edit()
	if err != nil {
		return err
	}

	if err := s.cfg.Shopee.EditCampaign(r.Context(), l.auth, e); err != nil {
		return s.failed(r.Context(), l, err)
	}
	detail := string(e.Action)
	if e.Action == shopee.CampaignChangeBudget {
		detail += " to " + req.DailyBudget.String()
	}
	s.audit(r, liveboard.AuditCampaignEdit, l.account.StudioID,
		"campaign "+strconv.FormatInt(e.CampaignID, 10), detail)
	s.writeData(w, http.StatusOK, map[string]any{
		"campaign_id": strconv.FormatInt(e.CampaignID, 10),
		"action":      e.Action, "daily_budget": req.DailyBudget,
		"currency": l.auth.Region.Currency()})
	return nil
}

// edit checks the request and turns it into the client's edit.
func (req editRequest) edit() (shopee.CampaignEdit, error) {
	id, err := parseShopeeID(string(req.CampaignID))
	if err != nil {
		return shopee.CampaignEdit{}, liveboard.Errorf(liveboard.EInvalid,
			"campaign_id must be a positive number")
	}
	e := shopee.CampaignEdit{CampaignID: id,
		Action: shopee.CampaignAction(req.Action)}
	switch {
	case !slices.Contains(shopee.CampaignActions, e.Action):
		return e, liveboard.Errorf(liveboard.EInvalid,
			"action must be pause, resume, stop or change_budget")
	case e.Action == shopee.CampaignChangeBudget &&
		(req.DailyBudget == nil || *req.DailyBudget <= 0):
		return e, liveboard.Errorf(liveboard.EInvalid,
			"change_budget needs a positive daily_budget")
	case e.Action != shopee.CampaignChangeBudget && req.DailyBudget != nil:
		return e, liveboard.Errorf(liveboard.EInvalid,
			"daily_budget goes with change_budget only")
	}
	if req.DailyBudget != nil {
		e.DailyBudget = *req.DailyBudget
	}
	return e, nil
}

// itemJSON is a promoted item, with its public page.
type itemJSON struct {
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

func newItemJSON(it shopee.PromotedItem, region liveboard.Region) itemJSON {
	at := func(t *time.Time) *string {
		if t == nil {
			return nil
		}
		return liveboard.Ptr(regionTime(*t, region))
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return itemJSON{
		PromoID: id(it.PromoID), ItemID: id(it.ItemID), ShopID: id(it.ShopID),
		Name: it.Name, Image: it.Image, Price: it.Price,
		PromoPrice: it.PromoPrice, Stock: it.Stock, Sold: it.Sold,
		StartTime: at(it.StartTime), EndTime: at(it.EndTime),
		ProductLink: shopee.ProductLink(region, it.ShopID, it.ItemID,
			it.Name),
	}
}

type itemsRequest struct {
	shopeeCredentials
	Offset int  `json:"offset"`
	Limit  *int `json:"limit"`
}

// promotedItems answers POST /items/promotion: a page of the account's
// promoted items.
func (s *Server) promotedItems(w http.ResponseWriter, r *http.Request) error {
	var req itemsRequest
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}
	limit := 50
	if req.Limit != nil {
		limit = *req.Limit
	}
	if req.Offset < 0 || limit < 1 || limit > 100 {
		return liveboard.Errorf(liveboard.EInvalid,
			"offset must be 0 or more and limit between 1 and 100")
	}

	page, err := s.cfg.Shopee.PromotedItems(r.Context(), l.auth, req.Offset,
		limit)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	items := make([]itemJSON, len(page.Items))
	for i, it := range page.Items {
		items[i] = newItemJSON(it, l.auth.Region)
	}
	s.writeData(w, http.StatusOK, map[string]any{"total": page.Total,
		"offset": req.Offset, "limit": limit, "region": l.auth.Region,
		"currency": l.auth.Region.Currency(), "items": items})
	return nil
}

// promotedItem answers POST /items/promotion/{promo_id}: one promotion's
// item.
func (s *Server) promotedItem(w http.ResponseWriter, r *http.Request) error {
	id, err := parseShopeeID(r.PathValue("promo_id"))
	if err != nil {
		return err
	}
	var req credentialsOnly
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}

	it, err := s.cfg.Shopee.PromotedItem(r.Context(), l.auth, id)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	s.writeData(w, http.StatusOK, newItemJSON(*it, l.auth.Region))
	return nil
}

// expenseToday answers POST /campaign/expense-today: the account's ads
// spend today.
func (s *Server) expenseToday(w http.ResponseWriter, r *http.Request) error {
	var req credentialsOnly
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}

	spent, err := s.cfg.Shopee.ExpenseToday(r.Context(), l.auth)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"date": s.today(l.auth.Region), "region": l.auth.Region,
		"currency": l.auth.Region.Currency(), "expense_today": spent})
	return nil
}

type adsDataRequest struct {
	shopeeCredentials
	InfoTypes []string `json:"info_types"`
}

// adsData answers POST /campaign/ads-data: the ads account's balance,
// spend and whatever other info types are asked for.
func (s *Server) adsData(w http.ResponseWriter, r *http.Request) error {
	var req adsDataRequest
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}
	for _, t := range req.InfoTypes {
		if !slices.Contains(shopee.AdsInfoTypes, t) {
			return liveboard.Errorf(liveboard.EInvalid,
				"unknown info type %q", t)
		}
	}

	d, err := s.cfg.Shopee.AdsData(r.Context(), l.auth, req.InfoTypes...)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	other := d.Other
	if other == nil {
		other = map[string]json.RawMessage{}
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"region": l.auth.Region, "currency": l.auth.Region.Currency(),
		"credit": d.Credit, "live_balance": d.LiveBalance,
		"expense_today": d.ExpenseToday, "other": other})
	return nil
}
