package shopee

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"

	"liveboard"
)

// supplyPath is where the creator centre serves its supply API.
const supplyPath = "/supply/api/lm/sellercenter"

// creatorCall describes a supply-API GET on the creator centre.
func creatorCall(endpoint, path string, query url.Values,
	referer string) call {
	return call{
		endpoint: endpoint,
		service:  ServiceCreator,
		path:     supplyPath + path,
		query:    query,
		referer:  referer,
		family:   supplyFamily,
	}
}

// listPage and dashboardPage are the creator-centre pages whose requests
// the calls resemble.
func listPage(region liveboard.Region) string {
	return pageURL(region, ServiceCreator, "/insight/live/list")
}

func dashboardPage(region liveboard.Region, sessionID int64) string {
	return pageURL(region, ServiceCreator,
		"/dashboard/live/"+strconv.FormatInt(sessionID, 10))
}

// UserInfo is the creator-centre identity behind a login.
type UserInfo struct {
	// UserID is also the uid the live-room API takes.
	UserID   int64
	UserName string
	Avatar   string
}

type wireUserInfo struct {
	UserID   wireInt `json:"userId"`
	UserName string  `json:"userName"`
	Avatar   string  `json:"avatar"`
}

func (w *wireUserInfo) validate() error {
	if w.UserID.p == nil {
		return errors.New("no userId")
	}
	return nil
}

// UserInfo returns the identity a's cookies log in as. It is the cheapest
// call that proves a login still works: an expired one fails with
// ErrLoginRequired. A success is cached like other reads; a failure is
// not.
func (c *Client) UserInfo(ctx context.Context, a Auth) (*UserInfo, error) {
	cl := creatorCall("userInfo", "/userInfo", nil, listPage(a.Region))
	cl.ifEmpty = ErrBadAnswer
	cl.use = cachedRead

	var w wireUserInfo
	if err := c.get(ctx, a, cl, &w); err != nil {
		return nil, err
	}
	return &UserInfo{UserID: w.UserID.value(), UserName: w.UserName,
		Avatar: w.Avatar}, nil
}

// SessionInfo is what the live dashboard knows about one session. Pointer
// fields are nil when Shopee did not say.
type SessionInfo struct {
	Title string
	// Status is Shopee's session status; 1 means on air.
	Status    *int
	StartTime *time.Time
	// StreamingURL is a signed, expiring pull URL of the stream.
	StreamingURL string
}

type wireSessionInfo struct {
	SessionTitle string   `json:"sessionTitle"`
	Title        string   `json:"title"`
	Status       wireInt  `json:"sessionStatus"`
	StartTime    wireTime `json:"lsStartTime"`
	StreamingURL string   `json:"sessionStreamingUrl"`
}

// SessionInfo returns the dashboard's details of the session. When the
// session does not belong to this login, Shopee answers with no data and
// SessionInfo fails with ErrNotFound.
func (c *Client) SessionInfo(ctx context.Context, a Auth,
	sessionID int64) (*SessionInfo, error) {
	cl := dashboardCall("sessionInfo", a.Region, sessionID)

	var w wireSessionInfo
	if err := c.get(ctx, a, cl, &w); err != nil {
		return nil, err
	}

	title := w.SessionTitle
	if title == "" {
		title = w.Title
	}
	return &SessionInfo{Title: title, Status: w.Status.int(),
		StartTime: w.StartTime.p, StreamingURL: w.StreamingURL}, nil
}

// dashboardCall describes a live-dashboard GET about one session; empty
// data means the session is not this login's.
func dashboardCall(endpoint string, region liveboard.Region,
	sessionID int64) call {
	query := url.Values{"sessionId": {strconv.FormatInt(sessionID, 10)}}
	cl := creatorCall(endpoint, "/realtime/dashboard/"+endpoint, query,
		dashboardPage(region, sessionID))
	cl.ifEmpty = ErrNotFound
	return cl
}

// Overview is a session's live dashboard at one moment.
type Overview struct {
	// Status is Shopee's status of the session; 1 means on air.
	Status  *int
	Metrics liveboard.Metrics
}

type wireOverview struct {
	Status          wireInt      `json:"status"`
	CCU             wireInt      `json:"ccu"`
	PCU             wireInt      `json:"pcu"`
	Viewers         wireInt      `json:"viewers"`
	Views           wireInt      `json:"views"`
	Buyers          wireInt      `json:"buyers"`
	AvgViewTime     wireDuration `json:"avgViewTime"`
	ATC             wireInt      `json:"atc"`
	PlacedItemsSold wireInt      `json:"placedItemsSold"`
	PlacedOrder     wireInt      `json:"placedOrder"`
	PlacedGMV       wireMoney    `json:"placedGmv"`
	ConfirmedOrder  wireInt      `json:"confirmedOrder"`
	ConfirmedGMV    wireMoney    `json:"confirmedGmv"`
	CTR             wireFloat    `json:"ctr"`
	CO              wireFloat    `json:"co"`
	Engagement      struct {
		Likes        wireInt `json:"likes"`
		Comments     wireInt `json:"comments"`
		Shares       wireInt `json:"shares"`
		NewFollowers wireInt `json:"newFollowers"`
	} `json:"engagementData"`
}

// Overview returns the session's live metrics. Metrics Shopee did not
// report are nil. A session that is not this login's fails with
// ErrNotFound.
func (c *Client) Overview(ctx context.Context, a Auth,
	sessionID int64) (*Overview, error) {
	cl := dashboardCall("overview", a.Region, sessionID)

	var w wireOverview
	if err := c.get(ctx, a, cl, &w); err != nil {
		return nil, err
	}
	return &Overview{Status: w.Status.int(), Metrics: w.metrics()}, nil
}

func (w *wireOverview) metrics() liveboard.Metrics {
	return liveboard.Metrics{
		ViewersNow:       w.CCU.p,
		PeakViewers:      w.PCU.p,
		Viewers:          w.Viewers.p,
		Views:            w.Views.p,
		Comments:         w.Engagement.Comments.p,
		Likes:            w.Engagement.Likes.p,
		Shares:           w.Engagement.Shares.p,
		NewFollowers:     w.Engagement.NewFollowers.p,
		AddToCart:        w.ATC.p,
		Buyers:           w.Buyers.p,
		PlacedOrders:     w.PlacedOrder.p,
		PlacedGMV:        w.PlacedGMV.p,
		ConfirmedOrders:  w.ConfirmedOrder.p,
		ConfirmedGMV:     w.ConfirmedGMV.p,
		PlacedItemsSold:  w.PlacedItemsSold.p,
		AvgViewTime:      w.AvgViewTime.p,
		ClickThroughRate: w.CTR.p,
		ConversionRate:   w.CO.p,
	}
}
