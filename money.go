package liveboard

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MoneyScale is how many Money units make one unit of a currency. It equals
// the scale Shopee's ads API uses for its amounts, so those convert without
// loss, and it is fine enough for every Southeast Asian currency's cents.
const MoneyScale = 100_000

// Money is an exact amount of a currency in 1/100000 of its major unit:
// Rp 5.000.000 is Money(500_000_000_000). The currency itself follows from
// the account's region. Money is never a float, in memory or in storage.
//
// In JSON, Money is written as a plain decimal number in major units
// (5000000, or 123.45), exactly, with no rounding.
type Money int64

// MoneyFromMajor returns the amount of whole currency units n.
func MoneyFromMajor(n int64) Money { return Money(n * MoneyScale) }

// ParseMoney parses a decimal number of major currency units, such as
// "3712500" or "709847.99", exactly. Digits beyond the fifth decimal place
// are rounded half away from zero. Exponents ("1e5") are accepted.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("money: empty amount")
	}

	mantissa, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 30 || e < -30 {
			return 0, fmt.Errorf("money: bad exponent in %q", s)
		}
		mantissa, exp = s[:i], e
	}

	neg := false
	switch {
	case strings.HasPrefix(mantissa, "-"):
		neg, mantissa = true, mantissa[1:]
	case strings.HasPrefix(mantissa, "+"):
		mantissa = mantissa[1:]
	}

	whole, frac, _ := strings.Cut(mantissa, ".")
	if whole == "" && frac == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, fmt.Errorf("money: %q is not a decimal number", s)
	}

	// Shift the decimal point by the exponent plus the five places of
	// MoneyScale, then round what is left after the point.
	digits := whole + frac
	point := len(whole) + exp + 5
	for point > len(digits) {
		digits += "0"
	}
	for point < 0 {
		digits = "0" + digits
		point++
	}
	intPart, rest := digits[:point], digits[point:]
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if len(intPart) > 19 {
		return 0, fmt.Errorf("money: %q is too large", s)
	}

	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("money: %q is too large", s)
	}
	if rest != "" && rest[0] >= '5' {
		if n == math.MaxInt64 {
			return 0, fmt.Errorf("money: %q is too large", s)
		}
		n++
	}
	if neg {
		n = -n
	}
	return Money(n), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// String returns the amount in major units as an exact decimal number with
// no trailing zeros after the point: "5000000", "123.45", "-0.5".
func (m Money) String() string {
	n := int64(m)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}

	whole, frac := n/MoneyScale, n%MoneyScale
	if frac == 0 {
		return sign + strconv.FormatInt(whole, 10)
	}

	fracText := strings.TrimRight(fmt.Sprintf("%05d", frac), "0")
	return sign + strconv.FormatInt(whole, 10) + "." + fracText
}

// Major returns the amount rounded half away from zero to whole currency
// units.
func (m Money) Major() int64 {
	n := int64(m)
	if n < 0 {
		return -((-n + MoneyScale/2) / MoneyScale)
	}
	return (n + MoneyScale/2) / MoneyScale
}

// MarshalJSON writes the amount as a JSON number in major units.
func (m Money) MarshalJSON() ([]byte, error) {
	return []byte(m.String()), nil
}

// UnmarshalJSON reads a JSON number (or a string holding one) in major
// units.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" {
		return nil
	}

	v, err := ParseMoney(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// MulDiv returns m*num/den rounded half away from zero, without overflow
// for the amounts Liveboard handles. It reports false when den is zero.
func (m Money) MulDiv(num, den int64) (Money, bool) {
	if den == 0 {
		return 0, false
	}

	// 128-bit arithmetic is not needed at our magnitudes, but the product
	// can still exceed int64 for totals over ~90 trillion, so divide first
	// where that keeps the result exact.
	q, r := int64(m)/den, int64(m)%den
	res := q*num + roundDiv(r*num, den)
	return Money(res), true
}

func roundDiv(a, b int64) int64 {
	if b < 0 {
		a, b = -a, -b
	}
	if a < 0 {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}
