package shopeesim

import (
	"math"
	"math/rand/v2"

	"liveboard"
)

// basketLen is how many orders make one cycle of an account's order
// values.
const basketLen = 16

// basket is the cycle of order values and item counts an account's
// sessions sell: order j of a session is entry (offset+j) mod basketLen.
// Prefix sums make the totals of any number of orders cheap.
type basket struct {
	value    [basketLen + 1]liveboard.Money // prefix sums of order values
	quantity [basketLen + 1]int64           // prefix sums of items per order
}

// priceRange is a region's range of unit prices, in major units, and the
// step its prices are rounded to, in Money units.
type priceRange struct {
	lo, hi float64
	step   liveboard.Money
}

// priceRanges follow what each market's live shoppers typically pay.
// Markets whose currency has no minor unit in use get whole-unit prices;
// the others get prices in tenths.
var priceRanges = map[liveboard.Region]priceRange{
	liveboard.RegionID: {15_000, 350_000, 100 * liveboard.MoneyScale},
	liveboard.RegionVN: {20_000, 600_000, 1_000 * liveboard.MoneyScale},
	liveboard.RegionTW: {99, 1_500, liveboard.MoneyScale},
	liveboard.RegionMY: {9, 180, liveboard.MoneyScale / 10},
	liveboard.RegionSG: {4, 90, liveboard.MoneyScale / 10},
	liveboard.RegionPH: {99, 1_800, liveboard.MoneyScale / 10},
	liveboard.RegionTH: {59, 1_200, liveboard.MoneyScale / 10},
	liveboard.RegionBR: {19, 300, liveboard.MoneyScale / 10},
}

// newBasket draws an account's order cycle. Its shop sells in a band of
// the region's range, so some accounts sell cheap goods and some dear.
func newBasket(rng *rand.Rand, region liveboard.Region) *basket {
	pr, ok := priceRanges[region]
	if !ok {
		pr = priceRanges[liveboard.RegionID]
	}
	shift := logUniform(rng, 0.6, 1.6)

	b := &basket{}
	for j := range basketLen {
		unit := logUniform(rng, pr.lo, pr.hi) * shift
		qty := int64(1)
		switch x := rng.Float64(); {
		case x > 0.9:
			qty = 3
		case x > 0.7:
			qty = 2
		}
		price := roundPrice(unit, pr.step)
		b.value[j+1] = b.value[j] + price*liveboard.Money(qty)
		b.quantity[j+1] = b.quantity[j] + qty
	}
	return b
}

// roundPrice rounds a unit price to the step, and shaves one step off
// round hundreds the way shops price (49.900 rather than 50.000).
func roundPrice(unit float64, step liveboard.Money) liveboard.Money {
	steps := int64(math.Round(unit * liveboard.MoneyScale / float64(step)))
	if steps%10 == 0 && steps > 10 {
		steps--
	}
	return liveboard.Money(max(steps, 1)) * step
}

// sum returns the items and the value of a session's first n orders.
func (b *basket) sum(offset int, n int64) (int64, liveboard.Money) {
	if n <= 0 {
		return 0, 0
	}
	cycles, rest := n/basketLen, int(n%basketLen)
	items := cycles*b.quantity[basketLen] + span(b.quantity[:], offset, rest)
	value := liveboard.Money(cycles)*b.value[basketLen] +
		span(b.value[:], offset, rest)
	return items, value
}

// span returns the sum of n consecutive entries of a cycle starting at
// offset, given the cycle's prefix sums.
func span[T int64 | liveboard.Money](prefix []T, offset, n int) T {
	end := offset + n
	if end <= basketLen {
		return prefix[end] - prefix[offset]
	}
	return prefix[basketLen] - prefix[offset] + prefix[end-basketLen]
}

// logUniform draws from [lo, hi) so that every ratio is equally likely.
func logUniform(rng *rand.Rand, lo, hi float64) float64 {
	return lo * math.Exp(rng.Float64()*math.Log(hi/lo))
}
