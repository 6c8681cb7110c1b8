package liveboard

import (
	"encoding/json"
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want Money
	}{
		{"3712500", 371_250_000_000},
		{"709847.99", 70_984_799_000},
		{"0.00001", 1},
		{"0.000005", 1},  // rounds half away from zero
		{"0.0000049", 0}, // below half a unit
		{"-12.5", -1_250_000},
		{"+7", 700_000},
		{"1e3", 100_000_000},
		{"1.5E-2", 1_500},
		{".5", 50_000},
		{"90071992547.40993", 9_007_199_254_740_993},
		{"92233720368547.75807", 9_223_372_036_854_775_807},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", tt.in, got, err,
				tt.want)
		}
	}

	for _, bad := range []string{"", "abc", "1.2.3", "1e", "--1", "1e99",
		"99999999999999999999", "92233720368547.758075"} {
		if _, err := ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
}

func TestMoneyText(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{MoneyFromMajor(5_000_000), "5000000"},
		{12_345_000, "123.45"},
		{-50_000, "-0.5"},
		{1, "0.00001"},
		{0, "0"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("Money(%d).String() = %q, want %q", tt.m, got, tt.want)
		}
		b, _ := json.Marshal(tt.m)
		var back Money
		if err := json.Unmarshal(b, &back); err != nil || back != tt.m {
			t.Errorf("JSON round trip of %d: %s → %d, %v", tt.m, b, back, err)
		}
	}
}

func TestMoneyMulDiv(t *testing.T) {
	m := MoneyFromMajor(50_000_000)
	if got, _ := m.MulDiv(500, 10_000); got != MoneyFromMajor(2_500_000) {
		t.Errorf("5%% of 50M = %s", got)
	}
	if got, _ := Money(10).MulDiv(1, 3); got != 3 {
		t.Errorf("10/3 = %d, want 3", got)
	}
	if got, _ := Money(20).MulDiv(1, 3); got != 7 {
		t.Errorf("20/3 = %d, want 7 (rounded)", got)
	}
	if _, ok := m.MulDiv(1, 0); ok {
		t.Error("MulDiv by zero reported ok")
	}
	if got := Money(250_000).Major(); got != 3 {
		t.Errorf("2.5 rounds to %d, want 3", got)
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		r    Region
		m    Money
		want string
	}{
		{RegionID, MoneyFromMajor(5_000_000), "Rp 5.000.000"},
		{RegionID, 12_345_000, "Rp 123"},
		{RegionMY, 123_450_000, "RM 1,234.50"},
		{RegionVN, MoneyFromMajor(250_000), "₫ 250.000"},
		{RegionBR, -150_000, "-R$ 1,50"},
	}
	for _, tt := range tests {
		if got := tt.r.FormatMoney(tt.m); got != tt.want {
			t.Errorf("%s.FormatMoney(%d) = %q, want %q", tt.r, tt.m, got,
				tt.want)
		}
	}
}

func TestRegions(t *testing.T) {
	for _, r := range Regions {
		if r.Location().String() == "UTC" || r.Currency() == "" {
			t.Errorf("region %s has no zone or currency", r)
		}
		if a := r.ZoneAbbrev(); len(a) < 3 || a == "UTC" {
			t.Errorf("region %s has the zone abbreviation %q", r, a)
		}
	}
	for r, want := range map[Region]string{RegionID: "WIB",
		RegionMY: "MYT", RegionTW: "CST", RegionBR: "BRT"} {
		if got := r.ZoneAbbrev(); got != want {
			t.Errorf("%s.ZoneAbbrev() = %q, want %q", r, got, want)
		}
	}
	if r, err := ParseRegion(" id "); err != nil || r != RegionID {
		t.Errorf("ParseRegion(\" id \") = %q, %v", r, err)
	}
	if _, err := ParseRegion("XX"); ErrorCode(err) != EInvalid {
		t.Errorf("ParseRegion(XX) error %v, want EInvalid", err)
	}
}

func TestFormatCount(t *testing.T) {
	tests := []struct {
		r    Region
		n    int64
		want string
	}{
		{RegionID, 2_042_807, "2.042.807"},
		{RegionID, 369, "369"},
		{RegionMY, 58_675, "58,675"},
		{RegionBR, -1_000, "-1.000"},
		{Region("XX"), 1_000, "1,000"},
	}
	for _, tt := range tests {
		if got := tt.r.FormatCount(tt.n); got != tt.want {
			t.Errorf("%s.FormatCount(%d) = %q, want %q", tt.r, tt.n, got,
				tt.want)
		}
	}
}

func TestFormatMoneyShort(t *testing.T) {
	tests := []struct {
		r    Region
		n    int64
		want string
	}{
		{RegionID, 43_900_000, "Rp 43,9 jt"},
		{RegionID, 800_000_000, "Rp 800 jt"},
		{RegionID, 1_250_000, "Rp 1,25 jt"},
		{RegionID, 1_200_000_000, "Rp 1,2 M"},
		{RegionID, 250_000, "Rp 250 rb"},
		{RegionID, 999_999, "Rp 1 jt"},
		{RegionID, 500, "Rp 500"},
		{RegionID, 0, "Rp 0"},
		{RegionMY, 1_250_000, "RM 1.25 M"},
		{RegionBR, -2_500, "-R$ 2,5 mil"},
	}
	for _, tt := range tests {
		got := tt.r.FormatMoneyShort(MoneyFromMajor(tt.n))
		if got != tt.want {
			t.Errorf("%s.FormatMoneyShort(%d) = %q, want %q", tt.r, tt.n,
				got, tt.want)
		}
	}
}
