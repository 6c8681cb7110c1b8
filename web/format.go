package web

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"liveboard"
)

// Pages write numbers the way the API does: counts as whole numbers
// (grouped as the region groups money),
// money in the account's currency by Region.FormatMoney and times in the
// region's zone. These helpers are the templates' only way to do so.

// localTime writes t in the zone of region, to the minute, with the
// zone's abbreviation: "2026-03-10 19:00 WIB".
func localTime(t time.Time, region liveboard.Region) string {
	return t.In(region.Location()).Format("2006-01-02 15:04") + " " +
		region.ZoneAbbrev()
}

// zoneText names the region's time zone with its offset from UTC:
// "WIB (UTC+7)".
func zoneText(region liveboard.Region) string {
	_, offset := time.Now().In(region.Location()).Zone()
	text := fmt.Sprintf("UTC%+d", offset/3600)
	if m := offset % 3600 / 60; m != 0 {
		text += fmt.Sprintf(":%02d", max(m, -m))
	}
	return region.ZoneAbbrev() + " (" + text + ")"
}

// count writes a metric grouped as the region writes numbers, or a dash
// when Shopee did not report it.
func count(n *int64, region liveboard.Region) string {
	if n == nil {
		return "–"
	}
	return region.FormatCount(*n)
}

// num writes a whole number (int or int64) grouped as the region writes
// numbers.
func num(n any, region liveboard.Region) (string, error) {
	switch n := n.(type) {
	case int:
		return region.FormatCount(int64(n)), nil
	case int64:
		return region.FormatCount(n), nil
	}
	return "", fmt.Errorf("web: num of %T", n)
}

// moneyOf writes an amount of the region's currency, or a dash when
// unknown.
func moneyOf(m *liveboard.Money, region liveboard.Region) string {
	if m == nil {
		return "–"
	}
	return region.FormatMoney(*m)
}

// percent writes a fraction (0–1) as a percentage with two decimals.
func percent(f float64) string {
	return strconv.FormatFloat(f*100, 'f', 2, 64) + "%"
}

// change describes how now compares with before: "+12.5%", "−3.0%",
// "±0%", or "new" when before was zero.
type change struct {
	Text string
	// Dir is "up", "down" or "flat", for the arrow.
	Dir string
}

func compare(now, before float64) change {
	switch {
	case now == before:
		return change{Text: "±0%", Dir: "flat"}
	case before == 0:
		return change{Text: "new", Dir: "up"}
	}
	pct := (now - before) / math.Abs(before) * 100
	if pct > 0 {
		return change{Text: fmt.Sprintf("+%.1f%%", pct), Dir: "up"}
	}
	return change{Text: fmt.Sprintf("−%.1f%%", -pct), Dir: "down"}
}

// duration writes a session's length as hours and minutes.
func duration(d time.Duration) string {
	d = d.Round(time.Minute)
	return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// roiText writes an ROI percentage with at most two decimals ("12.5%"),
// or a dash when it is undefined.
func roiText(roi *float64) string {
	if roi == nil {
		return "–"
	}
	return pctText(*roi)
}

// pctText writes a percentage with at most two decimals: "-3.25%".
func pctText(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) + "%"
}

// advice writes a campaign review's suggestion for people.
func advice(k liveboard.SuggestionKind) string {
	switch k {
	case liveboard.SuggestPause:
		return "Pause"
	case liveboard.SuggestRaiseBudget:
		return "Raise the budget"
	case liveboard.SuggestWatch:
		return "Watch"
	}
	return "Nothing to do"
}
