package shopee

import (
	"context"
	"net/url"
	"strconv"

	"liveboard"
)

// OngoingLive is the session a shop has on air.
type OngoingLive struct {
	SessionID int64
	Title     string
}

type wireOngoing struct {
	OngoingLive *struct {
		SessionID wireInt `json:"session_id"`
		Title     string  `json:"title"`
	} `json:"ongoing_live"`
}

// LiveOngoing returns the session the shop of user uid (UserInfo.UserID)
// has on air, or nil and no error when it has none. The call is public:
// it sends no cookie, so it works for any shop and needs no login.
func (c *Client) LiveOngoing(ctx context.Context, region liveboard.Region,
	uid int64) (*OngoingLive, error) {
	const endpoint = "liveOngoing"
	if uid < 1 {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: uid must be positive", endpoint)
	}

	id := strconv.FormatInt(uid, 10)
	cl := call{
		endpoint: endpoint,
		service:  ServiceLive,
		path:     "/api/v1/shop_page/live/ongoing",
		query:    url.Values{"uid": {id}},
		// The share page the app opens; with no session known yet, it
		// names only the shop.
		referer: pageURL(region, ServiceLive,
			"/share?from=live&share_user_id="+id),
		family:  liveFamily,
		ifEmpty: ErrBadAnswer,
	}

	var w wireOngoing
	if err := c.get(ctx, Auth{Region: region}, cl, &w); err != nil {
		return nil, err
	}
	if w.OngoingLive == nil {
		return nil, nil
	}
	return &OngoingLive{SessionID: w.OngoingLive.SessionID.value(),
		Title: w.OngoingLive.Title}, nil
}
