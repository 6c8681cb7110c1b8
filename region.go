package liveboard

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // regions' zones must load on hosts without tzdata
)

// Region is a Shopee market, named by its upper-case country code. Each
// account belongs to one region, which decides its Shopee hosts, its
// currency and the time zone its times are shown in.
type Region string

// The regions Liveboard knows. Indonesia comes first: it is where most
// studios using Liveboard stream.
const (
	RegionID Region = "ID"
	RegionMY Region = "MY"
	RegionTH Region = "TH"
	RegionVN Region = "VN"
	RegionPH Region = "PH"
	RegionSG Region = "SG"
	RegionTW Region = "TW"
	RegionBR Region = "BR"
)

// Regions lists every known region, Indonesia first.
var Regions = []Region{
	RegionID, RegionMY, RegionTH, RegionVN,
	RegionPH, RegionSG, RegionTW, RegionBR,
}

type regionInfo struct {
	zone     string
	currency string
	// symbol and separators follow how shoppers in the market write
	// amounts: Rp 5.000.000 in Indonesia, RM 1,234.50 in Malaysia.
	symbol   string
	thousand string
	decimal  string
	// places is how many decimals the market shows.
	places int
}

var regionInfos = map[Region]regionInfo{
	RegionID: {"Asia/Jakarta", "IDR", "Rp", ".", ",", 0},
	RegionMY: {"Asia/Kuala_Lumpur", "MYR", "RM", ",", ".", 2},
	RegionTH: {"Asia/Bangkok", "THB", "฿", ",", ".", 2},
	RegionVN: {"Asia/Ho_Chi_Minh", "VND", "₫", ".", ",", 0},
	RegionPH: {"Asia/Manila", "PHP", "₱", ",", ".", 2},
	RegionSG: {"Asia/Singapore", "SGD", "S$", ",", ".", 2},
	RegionTW: {"Asia/Taipei", "TWD", "NT$", ",", ".", 0},
	RegionBR: {"America/Sao_Paulo", "BRL", "R$", ".", ",", 2},
}

// ParseRegion returns the region named by s, in any case.
func ParseRegion(s string) (Region, error) {
	r := Region(strings.ToUpper(strings.TrimSpace(s)))
	if _, ok := regionInfos[r]; !ok {
		return "", Errorf(EInvalid, "unknown region %q (want one of %s)",
			s, strings.Join(regionNames(), ", "))
	}
	return r, nil
}

func regionNames() []string {
	names := make([]string, len(Regions))
	for i, r := range Regions {
		names[i] = string(r)
	}
	return names
}

// Valid reports whether r is a known region.
func (r Region) Valid() bool {
	_, ok := regionInfos[r]
	return ok
}

// Location returns the region's time zone; UTC for an unknown region.
func (r Region) Location() *time.Location {
	info, ok := regionInfos[r]
	if !ok {
		return time.UTC
	}

	loc, err := time.LoadLocation(info.zone)
	if err != nil {
		// time/tzdata is linked in, so this cannot happen.
		panic(fmt.Sprintf("BUG: zone %s: %v", info.zone, err))
	}
	return loc
}

// Currency returns the ISO 4217 code of the region's currency.
func (r Region) Currency() string { return regionInfos[r].currency }

// FormatMoney writes m the way shoppers in the region read amounts, for
// example "Rp 5.000.000" for Indonesia or "RM 1,234.50" for Malaysia.
func (r Region) FormatMoney(m Money) string {
	info, ok := regionInfos[r]
	if !ok {
		return m.String()
	}

	n := int64(m)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}

	unit := int64(MoneyScale)
	for range info.places {
		unit /= 10
	}
	n = (n + unit/2) / unit // round to the places shown

	scale := int64(1)
	for range info.places {
		scale *= 10
	}
	whole, frac := n/scale, n%scale

	text := groupThousands(whole, info.thousand)
	if info.places > 0 {
		text += info.decimal + fmt.Sprintf("%0*d", info.places, frac)
	}
	return sign + info.symbol + " " + text
}

func groupThousands(n int64, sep string) string {
	digits := fmt.Sprint(n)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return b.String()
}
