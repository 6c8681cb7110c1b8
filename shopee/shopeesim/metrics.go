package shopeesim

import (
	"math"
	"time"

	"liveboard"
)

// Metrics are every figure the simulator serves for a session at one
// moment, in the units its HTTP answers carry: counts, money in the
// account's currency, rates as percentages (0–100) rounded to two
// decimals, AvgViewTime rounded to the millisecond.
//
// Cumulative counts never decrease over a session, confirmed figures never
// exceed placed ones, PCU is the highest CCU so far, and after the planned
// end everything holds still, with CCU, EngagedCCU and the last-minute
// counts at zero.
type Metrics struct {
	CCU     int64 `json:"ccu"`     // viewers now
	PCU     int64 `json:"pcu"`     // peak viewers so far
	Viewers int64 `json:"viewers"` // unique viewers
	Views   int64 `json:"views"`

	Comments      int64 `json:"comments"`
	Likes         int64 `json:"likes"`
	Shares        int64 `json:"shares"`
	NewFollowers  int64 `json:"new_followers"`
	ATC           int64 `json:"atc"`
	ProductClicks int64 `json:"product_clicks"`

	Buyers          int64           `json:"buyers"`
	ConfirmedBuyers int64           `json:"confirmed_buyers"`
	PlacedOrders    int64           `json:"placed_orders"`
	PlacedItemsSold int64           `json:"placed_items_sold"`
	PlacedGMV       liveboard.Money `json:"placed_gmv"`

	ConfirmedOrders    int64           `json:"confirmed_orders"`
	ConfirmedItemsSold int64           `json:"confirmed_items_sold"`
	ConfirmedGMV       liveboard.Money `json:"confirmed_gmv"`

	AvgViewTime time.Duration `json:"-"`
	CTR         float64       `json:"ctr"` // product clicks per viewer
	CO          float64       `json:"co"`  // placed orders per viewer
	ConfirmedCO float64       `json:"confirmed_co"`

	// The overview's further figures.
	EngagedCCU         int64           `json:"engaged_ccu"`
	AvgEngagedCCU      int64           `json:"avg_engaged_ccu"`
	EngagedViewers     int64           `json:"engaged_viewers"`
	CommentsLastMinute int64           `json:"comments_last_minute"`
	ATCLastMinute      int64           `json:"atc_last_minute"`
	GPM                liveboard.Money `json:"gpm"` // GMV per 1,000 views
	ConfirmedGPM       liveboard.Money `json:"confirmed_gpm"`
	ABS                liveboard.Money `json:"abs"` // GMV per order
	ConfirmedABS       liveboard.Money `json:"confirmed_abs"`
	CommentsRate       float64         `json:"comments_rate"` // per viewer
}

// SessionTruth is what the simulator knows about a session at one moment.
type SessionTruth struct {
	SessionID  int64     `json:"session_id"`
	UserID     int64     `json:"user_id"`
	Title      string    `json:"title"`
	CoverImage string    `json:"cover_image"`
	Start      time.Time `json:"start"`
	// End is the planned end; the session is live until then.
	End  time.Time `json:"end"`
	Live bool      `json:"live"`
	// Duration is how long the session had run: the time since Start
	// while live, End minus Start after.
	Duration time.Duration `json:"-"`
	Metrics  Metrics       `json:"metrics"`
}

// counts derives the cumulative counts from a state.
func (p *plan) counts(st state) Metrics {
	r := p.rates
	var m Metrics
	m.CCU, m.PCU = st.ccu, st.pcu
	m.Views = int64(st.arr)
	m.Viewers = int64(st.arr * r.unique)

	m.Comments = int64(st.aud * r.comments)
	m.Likes = int64(st.aud * r.likes)
	m.Shares = int64(st.aud * r.shares)
	m.NewFollowers = int64(float64(m.Viewers) * r.follows)
	m.ProductClicks = int64(st.aud * r.clicks)
	m.ATC = int64(float64(m.ProductClicks) * r.atc)

	m.PlacedOrders = int64(st.sal * r.orders)
	m.ConfirmedOrders = int64(float64(m.PlacedOrders) * r.confirmed)
	m.Buyers = p.buyers(m.PlacedOrders)
	m.ConfirmedBuyers = p.buyers(m.ConfirmedOrders)
	m.PlacedItemsSold, m.PlacedGMV = p.basket.sum(p.offset, m.PlacedOrders)
	m.ConfirmedItemsSold, m.ConfirmedGMV =
		p.basket.sum(p.offset, m.ConfirmedOrders)
	return m
}

// buyers returns how many people placed the first n orders. It never
// decreases as n grows.
func (p *plan) buyers(n int64) int64 {
	return n - int64(float64(n)*p.rates.repeat)
}

// metrics returns the figures after step k (0-based) of a live session;
// before is the state a minute earlier (zero in the first minute).
func (p *plan) metrics(st, before state, k int) Metrics {
	m := p.counts(st)
	prev := p.counts(before)
	m.CommentsLastMinute = m.Comments - prev.Comments
	m.ATCLastMinute = m.ATC - prev.ATC
	m.EngagedCCU = int64(float64(m.CCU) * p.rates.engaged)
	p.derive(&m, st, k+1)
	return m
}

// finalMetrics returns the frozen figures after the planned end.
func (p *plan) finalMetrics(st state) Metrics {
	m := p.counts(st)
	m.CCU = 0
	p.derive(&m, st, p.steps)
	return m
}

// derive fills the averages and rates after steps steps have run.
func (p *plan) derive(m *Metrics, st state, steps int) {
	if st.arr > 0 {
		minutes := st.aud / st.arr
		m.AvgViewTime = time.Duration(math.Round(minutes*60_000)) *
			time.Millisecond
	}
	elapsedMin := float64(steps) / float64(stepsPerMin)
	m.AvgEngagedCCU = int64(st.aud / elapsedMin * p.rates.engaged)
	m.EngagedViewers = int64(float64(m.Viewers) * p.rates.engagers)

	m.CTR = percent(m.ProductClicks, m.Viewers)
	m.CO = percent(m.PlacedOrders, m.Viewers)
	m.ConfirmedCO = percent(m.ConfirmedOrders, m.Viewers)
	m.CommentsRate = percent(m.Comments, m.Viewers)

	m.GPM = perUnit(m.PlacedGMV, 1000, m.Views)
	m.ConfirmedGPM = perUnit(m.ConfirmedGMV, 1000, m.Views)
	m.ABS = perUnit(m.PlacedGMV, 1, m.PlacedOrders)
	m.ConfirmedABS = perUnit(m.ConfirmedGMV, 1, m.ConfirmedOrders)
}

// percent returns 100*a/b rounded to two decimals; zero when b is zero.
func percent(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(10_000*float64(a)/float64(b)) / 100
}

// perUnit returns m*num/den rounded to a hundredth of the currency; zero
// when den is zero.
func perUnit(m liveboard.Money, num, den int64) liveboard.Money {
	v, ok := m.MulDiv(num, den)
	if !ok {
		return 0
	}
	cent := int64(liveboard.MoneyScale / 100)
	cents, _ := v.MulDiv(1, cent)
	return cents * liveboard.Money(cent)
}
