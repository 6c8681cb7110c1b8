package shopeesim

import (
	"math"
	"time"
)

// The audience model advances in steps of stepLen: every metric holds
// still within a step, as Shopee's dashboard figures do between refreshes.
const (
	stepLen     = 5 * time.Second
	stepsPerMin = int(time.Minute / stepLen)
)

// plan holds one session's seeded parameters. Everything the simulator
// says about the session follows from it and a step index.
type plan struct {
	noise uint64 // seeds the session's noise functions
	steps int    // steps from start to planned end

	peak    float64 // plateau of concurrent viewers
	rampMin float64 // minutes until the plateau is reached
	declMin float64 // minutes of decline before the end
	waves   [2]wave
	wobble  float64 // amplitude of per-minute noise, a share of the level
	jitter  float64 // amplitude of per-step noise on viewers now
	drops   []dropAt

	rates  rates
	basket *basket
	offset int // where the session starts in the basket's cycle
}

// wave is a slow swing of the audience.
type wave struct {
	amp, periodMin, phase float64
}

// dropAt is a Drop measured in seconds from the start.
type dropAt struct {
	at, over, factor float64
}

// rates turn the audience into counts.
type rates struct {
	stayMin   float64 // mean minutes one view lasts
	unique    float64 // unique viewers per view
	comments  float64 // per viewer-minute
	likes     float64 // per viewer-minute
	shares    float64 // per viewer-minute
	clicks    float64 // product clicks per viewer-minute
	atc       float64 // add-to-cart per product click
	follows   float64 // new followers per unique viewer
	orders    float64 // orders per promotion-weighted viewer-minute
	confirmed float64 // share of placed orders confirmed
	repeat    float64 // share of orders placed by an earlier buyer
	engaged   float64 // share of viewers now who engage
	engagers  float64 // share of unique viewers who engaged
}

// state is the running sums of the audience up to and including one step.
type state struct {
	aud float64 // viewer-minutes
	arr float64 // views begun
	sal float64 // viewer-minutes weighted by promotions
	ccu int64   // viewers now, at the step
	pcu int64   // highest viewers now so far
}

// mark is the state before the first step of a minute. A curve keeps one
// per minute; any step's state is a mark plus at most a minute of steps.
type mark struct {
	aud, arr, sal float64
	pcu           int32
}

// curve is a session's precomputed per-minute marks.
type curve struct {
	marks []mark
}

// smooth returns the audience at step k before per-step noise.
func (p *plan) smooth(k int) float64 {
	t := float64(k) / float64(stepsPerMin)

	level := p.peak * p.ramp(t) * p.decline(t) * p.dropFactor(k)
	swing := 1.0
	for _, w := range p.waves {
		swing += w.amp * math.Sin(2*math.Pi*t/w.periodMin+w.phase)
	}
	level *= swing * (1 + p.wobble*valueNoise(p.noise, t))
	return max(level, 0)
}

// ramp is the share of the plateau reached t minutes in: 4% at the
// start, all of it after rampMin.
func (p *plan) ramp(t float64) float64 {
	if t >= p.rampMin {
		return 1
	}
	x := 1 - t/p.rampMin
	return 0.04 + 0.96*(1-x*x)
}

// decline eases the audience down to 40% over the last declMin minutes.
func (p *plan) decline(t float64) float64 {
	total := float64(p.steps) / float64(stepsPerMin)
	s := (t - (total - p.declMin)) / p.declMin
	if s <= 0 {
		return 1
	}
	s = min(s, 1)
	return 1 - 0.6*s*s*(3-2*s)
}

// dropFactor is the product of the drops' effects at step k.
func (p *plan) dropFactor(k int) float64 {
	sec := float64(k) * stepLen.Seconds()
	f := 1.0
	for _, d := range p.drops {
		progress := 1.0
		if d.over > 0 {
			progress = (sec - d.at) / d.over
		} else if sec < d.at {
			progress = 0
		}
		progress = min(max(progress, 0), 1)
		f *= 1 - (1-d.factor)*progress
	}
	return f
}

// viewersNow returns the concurrent viewers at step k, given smooth(k).
func (p *plan) viewersNow(k int, level float64) int64 {
	n := level * (1 + p.jitter*signedHash(p.noise^0x6a09e667, uint64(k)))
	return int64(math.Round(max(n, 0)))
}

// promo returns how strongly the minute sells: flash sales run in some
// six-minute blocks.
func (p *plan) promo(minute int) float64 {
	if unitHash(p.noise^0xbb67ae85, uint64(minute/6)) < 0.18 {
		return 2.5
	}
	return 1
}

// add folds step k, whose level is smooth(k), into st; prev is the level
// of the step before it.
func (p *plan) add(st *state, k int, level, prev float64) {
	st.aud += level / float64(stepsPerMin)
	st.arr += max(level-prev, 0) +
		level/float64(stepsPerMin)/p.rates.stayMin
	st.sal += level / float64(stepsPerMin) * p.promo(k/stepsPerMin)
	st.ccu = p.viewersNow(k, level)
	st.pcu = max(st.pcu, st.ccu)
}

// build precomputes the session's per-minute marks.
func (p *plan) build() *curve {
	c := &curve{marks: make([]mark, (p.steps-1)/stepsPerMin+1)}

	var st state
	prev := 0.0
	for k := range p.steps {
		if k%stepsPerMin == 0 {
			c.marks[k/stepsPerMin] = mark{
				aud: st.aud, arr: st.arr, sal: st.sal, pcu: int32(st.pcu),
			}
		}
		level := p.smooth(k)
		p.add(&st, k, level, prev)
		prev = level
	}
	return c
}

// final returns the state after the last step without keeping marks.
func (p *plan) final() state {
	var st state
	prev := 0.0
	for k := range p.steps {
		level := p.smooth(k)
		p.add(&st, k, level, prev)
		prev = level
	}
	return st
}

// stateAt returns the state after step k, 0 <= k < p.steps. It repeats
// exactly the additions build made, so it equals the running state of a
// full pass.
func (p *plan) stateAt(c *curve, k int) state {
	m := k / stepsPerMin
	mk := c.marks[m]
	st := state{aud: mk.aud, arr: mk.arr, sal: mk.sal, pcu: int64(mk.pcu)}

	first := m * stepsPerMin
	prev := 0.0
	if first > 0 {
		prev = p.smooth(first - 1)
	}
	for j := first; j <= k; j++ {
		level := p.smooth(j)
		p.add(&st, j, level, prev)
		prev = level
	}
	return st
}

// splitmix returns a well-mixed 64-bit hash of x.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// unitHash returns a value in [0, 1) determined by seed and i.
func unitHash(seed, i uint64) float64 {
	return float64(splitmix(seed^splitmix(i))>>11) / (1 << 53)
}

// signedHash returns a value in [-1, 1) determined by seed and i.
func signedHash(seed, i uint64) float64 {
	return 2*unitHash(seed, i) - 1
}

// valueNoise returns smooth noise in [-1, 1] over t, with a new random
// value at every whole t.
func valueNoise(seed uint64, t float64) float64 {
	i := math.Floor(t)
	f := t - i
	a := signedHash(seed, uint64(int64(i)))
	b := signedHash(seed, uint64(int64(i)+1))
	f = f * f * (3 - 2*f)
	return a + (b-a)*f
}
