package shopee

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"

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

// ProductLink returns an item's public page:
// https://shopee.<tld>/<name-slug>-i.<shopID>.<itemID>, the form shop
// pages link to, or https://shopee.<tld>/product/<shopID>/<itemID> when
// name is empty.
func ProductLink(region liveboard.Region, shopID, itemID int64,
	name string) string {
	base := "https://" + Host(region, ServiceAuth) + "/"
	shop := strconv.FormatInt(shopID, 10)
	item := strconv.FormatInt(itemID, 10)
	if slug := productSlug(name); slug != "" {
		return base + url.PathEscape(slug) + "-i." + shop + "." + item
	}
	return base + "product/" + shop + "/" + item
}

// maxSlug bounds a product slug, in runes.
const maxSlug = 100

// productSlug turns an item name into the dash-joined words Shopee puts
// in its item addresses: letters, marks and digits of any script kept,
// every run of anything else made one dash.
func productSlug(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) &&
			!unicode.IsDigit(r)
	})
	slug := strings.Join(words, "-")
	if r := []rune(slug); len(r) > maxSlug {
		slug = strings.TrimRight(string(r[:maxSlug]), "-")
	}
	return slug
}

// ShopLink returns a shop's public page by its user name:
// https://shopee.<tld>/<username>.
func ShopLink(region liveboard.Region, username string) string {
	return "https://" + Host(region, ServiceAuth) + "/" +
		url.PathEscape(username)
}

// ShopLinkByID returns a shop's public page by its shop id:
// https://shopee.<tld>/shop/<shopID>.
func ShopLinkByID(region liveboard.Region, shopID int64) string {
	return "https://" + Host(region, ServiceAuth) + "/shop/" +
		strconv.FormatInt(shopID, 10)
}
