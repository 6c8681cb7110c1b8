package httpapi

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"liveboard"
	"liveboard/shopee"
)

// productLink answers GET /links/product: an item's public page from its
// shop and item ids, with the item's name in it when given.
func (s *Server) productLink(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	region, err := regionOr(q.Get("region"), liveboard.RegionID)
	if err != nil {
		return err
	}
	shop, err := requiredID(q.Get("shop_id"), "shop_id")
	if err != nil {
		return err
	}
	item, err := requiredID(q.Get("item_id"), "item_id")
	if err != nil {
		return err
	}

	s.writeData(w, http.StatusOK, map[string]any{
		"region": region, "shop_id": strconv.FormatInt(shop, 10),
		"item_id": strconv.FormatInt(item, 10),
		"url":     shopee.ProductLink(region, shop, item, q.Get("name"))})
	return nil
}

// requiredID reads a Shopee id from a query parameter that must be set.
func requiredID(text, name string) (int64, error) {
	if strings.TrimSpace(text) == "" {
		return 0, liveboard.Errorf(liveboard.EInvalid, "%s is required",
			name)
	}
	return parseShopeeID(text)
}

// shopUserName is what Shopee allows in a user name.
var shopUserName = regexp.MustCompile(`^[A-Za-z0-9._]{1,30}$`)

// shopLink answers GET /links/shop: a shop's public page, by its user
// name or its shop id.
func (s *Server) shopLink(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	region, err := regionOr(q.Get("region"), liveboard.RegionID)
	if err != nil {
		return err
	}

	name, idText := strings.TrimSpace(q.Get("username")), q.Get("shop_id")
	out := map[string]any{"region": region}
	switch {
	case name != "" && idText != "", name == "" && idText == "":
		return liveboard.Errorf(liveboard.EInvalid,
			"give either username or shop_id")
	case name != "":
		if !shopUserName.MatchString(name) {
			return liveboard.Errorf(liveboard.EInvalid,
				"username must be 1 to 30 letters, digits, dots or "+
					"underscores")
		}
		out["url"] = shopee.ShopLink(region, name)
	default:
		id, err := parseShopeeID(idText)
		if err != nil {
			return err
		}
		out["url"] = shopee.ShopLinkByID(region, id)
	}
	s.writeData(w, http.StatusOK, out)
	return nil
}
