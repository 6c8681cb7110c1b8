package shopeesim

import (
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// SessionSpec describes a session to add to the world. Zero fields are
// filled from the seed: Start defaults to the clock's time, Duration to
// two hours, PeakViewers to the account's usual audience, Title to a
// generated one.
type SessionSpec struct {
	Title    string
	Start    time.Time
	Duration time.Duration
	// PeakViewers is the plateau concurrent viewers settle at once the
	// audience has ramped up; slow waves and noise of a few percent ride
	// on it.
	PeakViewers int
	Drops       []Drop
}

// Drop is a lasting change of the audience: from At after the start,
// concurrent viewers move to Factor times what they would have been,
// linearly over Over. A Factor of 0.5 halves the audience; above 1 it is a
// surge.
type Drop struct {
	At     time.Duration
	Factor float64
	Over   time.Duration
}

// session is one live session of the world.
type session struct {
	id     int64
	userID int64
	title  string
	cover  string
	start  time.Time
	end    time.Time
	plan   plan

	// mu guards the caches below. The curve is built on first use while
	// the session runs and dropped once its final state is known; both
	// are pure functions of the plan, so dropping loses nothing.
	mu    sync.Mutex
	curve *curve
	last  *state
}

// liveAt reports whether the session is on air at t.
func (s *session) liveAt(t time.Time) bool {
	return !t.Before(s.start) && t.Before(s.end)
}

// started reports whether the session has begun by t.
func (s *session) started(t time.Time) bool { return !t.Before(s.start) }

// truthAt returns the session's truth at t; false before it starts.
func (s *session) truthAt(t time.Time) (SessionTruth, bool) {
	if !s.started(t) {
		return SessionTruth{}, false
	}

	tr := SessionTruth{
		SessionID:  s.id,
		UserID:     s.userID,
		Title:      s.title,
		CoverImage: s.cover,
		Start:      s.start,
		End:        s.end,
		Live:       s.liveAt(t),
		Duration:   s.end.Sub(s.start),
	}
	if tr.Live {
		tr.Duration = t.Sub(s.start)
	}
	tr.Metrics = s.metricsAt(t)
	return tr, true
}

// metricsAt returns the figures at t, which must not be before the start.
func (s *session) metricsAt(t time.Time) Metrics {
	if !t.Before(s.end) {
		return s.plan.finalMetrics(s.finalState())
	}

	k := min(int(t.Sub(s.start)/stepLen), s.plan.steps-1)
	c := s.curveOf()
	st := s.plan.stateAt(c, k)
	var before state
	if k >= stepsPerMin {
		before = s.plan.stateAt(c, k-stepsPerMin)
	}
	return s.plan.metrics(st, before, k)
}

func (s *session) curveOf() *curve {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.curve == nil {
		s.curve = s.plan.build()
	}
	return s.curve
}

func (s *session) finalState() state {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		st := s.plan.final()
		s.last = &st
		s.curve = nil
	}
	return *s.last
}

// newPlan draws the parameters of session id from the seed. The spec
// must be complete.
func newPlan(seed, id int64, spec SessionSpec, b *basket) plan {
	rng := rand.New(rand.NewPCG(uint64(seed)^0x5e551077, uint64(id)))
	steps := max(int((spec.Duration+stepLen-1)/stepLen), 1)
	totalMin := float64(steps) / float64(stepsPerMin)

	p := plan{
		noise:   rng.Uint64(),
		steps:   steps,
		peak:    float64(spec.PeakViewers),
		rampMin: min(uniform(rng, 10, 20), totalMin*0.4),
		declMin: min(uniform(rng, 8, 20), totalMin*0.3),
		wobble:  uniform(rng, 0.02, 0.04),
		jitter:  0.015,
		basket:  b,
		offset:  rng.IntN(basketLen),
	}
	p.rampMin = max(p.rampMin, 1.0/float64(stepsPerMin))
	p.declMin = max(p.declMin, 1.0/float64(stepsPerMin))
	for i := range p.waves {
		p.waves[i] = wave{
			amp:       uniform(rng, 0.02, 0.05),
			periodMin: uniform(rng, 25, 70),
			phase:     uniform(rng, 0, 2*math.Pi),
		}
	}
	for _, d := range spec.Drops {
		p.drops = append(p.drops, dropAt{
			at:     d.At.Seconds(),
			over:   max(d.Over.Seconds(), 0),
			factor: min(max(d.Factor, 0), 10),
		})
	}
	p.rates = drawRates(rng)
	return p
}

// drawRates draws how a session's audience turns into counts.
func drawRates(rng *rand.Rand) rates {
	r := rates{
		stayMin:   uniform(rng, 1.2, 3.5),
		unique:    uniform(rng, 0.35, 0.6),
		comments:  uniform(rng, 0.01, 0.05),
		likes:     uniform(rng, 0.4, 1.6),
		shares:    uniform(rng, 0.001, 0.004),
		clicks:    uniform(rng, 0.015, 0.05),
		atc:       uniform(rng, 0.3, 0.6),
		follows:   uniform(rng, 0.005, 0.02),
		confirmed: uniform(rng, 0.8, 0.95),
		repeat:    uniform(rng, 0.03, 0.12),
		engaged:   uniform(rng, 0.45, 0.65),
		engagers:  uniform(rng, 0.2, 0.35),
	}

	// Aim placed orders at 1–3% of unique viewers: views are about
	// viewer-minutes over the stay, and promotions lift sales-weighted
	// minutes by about a quarter.
	conversion := uniform(rng, 0.01, 0.03)
	r.orders = conversion * r.unique / r.stayMin / 1.27
	return r
}

// uniform draws from [lo, hi).
func uniform(rng *rand.Rand, lo, hi float64) float64 {
	return lo + rng.Float64()*(hi-lo)
}
