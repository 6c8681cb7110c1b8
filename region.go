package liveboard

import (
	"fmt"
	"math"
	"strconv"
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
	zone string
	// abbrev is the zone's name as people in the market write it after
	// a time; tzdata has none for most of these zones.
	abbrev   string
	currency string
	// symbol and separators follow how shoppers in the market write
	// amounts: Rp 5.000.000 in Indonesia, RM 1,234.50 in Malaysia.
	symbol   string
	thousand string
	decimal  string
	// places is how many decimals the market shows.
	places int
	// units are the short words for thousands, millions and billions
	// of money: "Rp 43,9 jt" in Indonesia.
	units [3]string
}

var englishUnits = [3]string{"K", "M", "B"}

var regionInfos = map[Region]regionInfo{
	RegionID: {"Asia/Jakarta", "WIB", "IDR", "Rp", ".", ",", 0,
		[3]string{"rb", "jt", "M"}},
	RegionMY: {"Asia/Kuala_Lumpur", "MYT", "MYR", "RM", ",", ".", 2,
		englishUnits},
	RegionTH: {"Asia/Bangkok", "ICT", "THB", "฿", ",", ".", 2, englishUnits},
	RegionVN: {"Asia/Ho_Chi_Minh", "ICT", "VND", "₫", ".", ",", 0,
		englishUnits},
	RegionPH: {"Asia/Manila", "PHT", "PHP", "₱", ",", ".", 2, englishUnits},
	RegionSG: {"Asia/Singapore", "SGT", "SGD", "S$", ",", ".", 2,
		englishUnits},
	RegionTW: {"Asia/Taipei", "CST", "TWD", "NT$", ",", ".", 0,
		englishUnits},
	RegionBR: {"America/Sao_Paulo", "BRT", "BRL", "R$", ".", ",", 2,
		[3]string{"mil", "mi", "bi"}},
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

// ZoneAbbrev returns how people in the region name its time zone after a
// time, such as "WIB" for Indonesia; "UTC" for an unknown region.
func (r Region) ZoneAbbrev() string {
	info, ok := regionInfos[r]
	if !ok {
		return "UTC"
	}
	return info.abbrev
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

// FormatCount writes a count with the region's thousands separator, as
// its money is written: "2.042.807" for Indonesia, "2,042,807" for
// Malaysia.
func (r Region) FormatCount(n int64) string {
	sep := ","
	if info, ok := regionInfos[r]; ok {
		sep = info.thousand
	}
	if n < 0 {
		return "-" + groupThousands(-n, sep)
	}
	return groupThousands(n, sep)
}

// FormatMoneyShort writes m in few characters, for chart axes: whole
// amounts under a thousand, else thousands, millions or billions with
// at most two decimals in the region's words, such as "Rp 43,9 jt" or
// "RM 1.25 M".
func (r Region) FormatMoneyShort(m Money) string {
	info, ok := regionInfos[r]
	if !ok {
		info = regionInfo{symbol: r.Currency(), decimal: ".",
			units: englishUnits}
	}
	n := m.Major()
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	text := strconv.FormatInt(n, 10)
	i := -1
	for i+1 < len(info.units) && n >= pow1000(i+2) {
		i++
	}
	if i >= 0 {
		// Hundredths of the unit, rounded; 999.999 rb is 1 jt.
		h := (n*100 + pow1000(i+1)/2) / pow1000(i+1)
		if h >= 100_000 && i+1 < len(info.units) {
			i++
			h = (n*100 + pow1000(i+1)/2) / pow1000(i+1)
		}
		text = strconv.FormatInt(h/100, 10)
		if frac := h % 100; frac != 0 {
			text += info.decimal + strings.TrimRight(
				fmt.Sprintf("%02d", frac), "0")
		}
		text += " " + info.units[i]
	}
	return strings.TrimSpace(sign + info.symbol + " " + text)
}

func pow1000(k int) int64 { return int64(math.Pow10(3 * k)) }

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
