package shopee

import (
	"net/url"
	"strconv"

	"liveboard"
)

// The URL builders below make the public links viewers and shoppers open.
// They always point at Shopee's real hosts over https, whatever base URL
// the client is configured with.

// ShareLink returns the link that opens a live session in Shopee's
// viewer: https://live.shopee.<tld>/share?from=live&session=<id>, with the
// sharing account's user id when known (shareUserID 0 leaves it out).
func ShareLink(region liveboard.Region, sessionID, shareUserID int64) string {
	q := url.Values{}
	q.Set("from", "live")
	q.Set("session", strconv.FormatInt(sessionID, 10))
	if shareUserID != 0 {
		q.Set("share_user_id", strconv.FormatInt(shareUserID, 10))
	}
	return "https://" + Host(region, ServiceLive) + "/share?" + q.Encode()
}
