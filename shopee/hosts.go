package shopee

import (
	"net/url"

	"liveboard"
)

// Service is one of the Shopee web services, each on its own host.
type Service int

// The services Liveboard talks to.
const (
	// ServiceAuth is the shopping site, shopee.<tld>, where QR login runs.
	ServiceAuth Service = iota + 1
	// ServiceCreator is the creator centre, creator.shopee.<tld>.
	ServiceCreator
	// ServiceSeller is the seller centre, seller.shopee.<tld> (in Vietnam
	// banhang.shopee.vn), which also serves the ads API.
	ServiceSeller
	// ServiceLive is the live-room API, live.shopee.<tld>.
	ServiceLive
)

// String returns the service's name.
func (s Service) String() string {
	switch s {
	case ServiceAuth:
		return "auth"
	case ServiceCreator:
		return "creator"
	case ServiceSeller:
		return "seller"
	case ServiceLive:
		return "live"
	}
	return "unknown"
}

// tlds holds each region's Shopee domain suffix.
var tlds = map[liveboard.Region]string{
	liveboard.RegionID: "co.id",
	liveboard.RegionMY: "com.my",
	liveboard.RegionTH: "co.th",
	liveboard.RegionVN: "vn",
	liveboard.RegionPH: "ph",
	liveboard.RegionSG: "sg",
	liveboard.RegionTW: "tw",
	liveboard.RegionBR: "com.br",
}

// Host returns the host name of service in region, such as
// "creator.shopee.co.id", or "" for an unknown region or service. All
// services are reached over https.
func Host(region liveboard.Region, service Service) string {
	tld, ok := tlds[region]
	if !ok {
		return ""
	}

	switch service {
	case ServiceAuth:
		return "shopee." + tld
	case ServiceCreator:
		return "creator.shopee." + tld
	case ServiceSeller:
		if region == liveboard.RegionVN {
			return "banhang.shopee.vn"
		}
		return "seller.shopee." + tld
	case ServiceLive:
		return "live.shopee." + tld
	}
	return ""
}

// pageURL returns the address of a page of service as a browser shows it;
// it is what requests name as their referer, so it always points at Shopee.
func pageURL(region liveboard.Region, service Service, path string) string {
	return "https://" + Host(region, service) + path
}

// url returns where a request for path on service in region goes: the
// Shopee host, or the configured base URL.
func (c *Client) url(region liveboard.Region, service Service, path string,
	query url.Values) string {
	base := c.base
	if base == "" {
		base = "https://" + Host(region, service)
	}

	u := base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}
