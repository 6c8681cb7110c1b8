package liveboard

import (
	"cmp"
	"slices"
)

// Product is one product's figures in a live session, as the live
// dashboard's product list reports them, counted over the whole session.
// A nil field is one Shopee did not report.
type Product struct {
	// ItemID is Shopee's id of the product.
	ItemID     int64
	Title      string
	CoverImage string

	// MinPrice and MaxPrice bound the prices of the product's variants.
	MinPrice *Money
	MaxPrice *Money

	Clicks *int64
	// ClickThroughRate and ConversionRate are percentages (0–100) as
	// Shopee reports them.
	ClickThroughRate *float64
	AddToCart        *int64
	Orders           *int64
	Revenue          *Money
	ItemsSold        *int64
	ConversionRate   *float64

	ConfirmedOrders         *int64
	ConfirmedRevenue        *Money
	ConfirmedItemsSold      *int64
	ConfirmedConversionRate *float64
}

// TopProductCount is how many products a snapshot keeps.
const TopProductCount = 5

// TopProducts returns up to n of the products, best sellers first: by
// revenue, then orders, then clicks, then item id. Unknown figures count
// as nothing. ps is not changed.
func TopProducts(ps []Product, n int) []Product {
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(x, y Product) int {
		return cmp.Or(
			cmp.Compare(value(y.Revenue), value(x.Revenue)),
			cmp.Compare(value(y.Orders), value(x.Orders)),
			cmp.Compare(value(y.Clicks), value(x.Clicks)),
			cmp.Compare(x.ItemID, y.ItemID))
	})
	return out[:min(n, len(out))]
}
