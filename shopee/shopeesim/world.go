package shopeesim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"liveboard"
)

// Options shape the simulated world. The zero value gives three
// Indonesian accounts, two of them live, with 30 days of history.
type Options struct {
	// Seed decides everything random: the same seed and clock give the
	// same world and the same answers.
	Seed int64
	// Clock is the simulator's time; WallClock when nil.
	Clock Clock
	// Accounts is how many accounts exist; 3 when zero or less.
	Accounts int
	// Regions gives the accounts' regions, cycled; all Indonesia when
	// empty.
	Regions []liveboard.Region
	// HistoryDays is how many days back ended sessions are generated; 30
	// when zero, none when negative.
	HistoryDays int
	// LiveNow is how many accounts, the first ones, have a session on air
	// at the clock's time when the world is made. Zero means Accounts-1,
	// so at least one account is offline; negative means none.
	LiveNow int
	// StatusQuirk makes Indonesian accounts report sessionList status 2
	// for live sessions as well as ended ones, as Shopee has been seen
	// doing; true when nil.
	StatusQuirk *bool
	// QRLifetime is how long a login QR code lives; DefaultQRLifetime
	// when zero.
	QRLifetime time.Duration
	// QRAuto, when set, moves login QR codes on by themselves; without
	// it tests move them with ScanQR, ConfirmQR and CancelQR.
	QRAuto *QRAuto
}

// Account is a simulated Shopee account and the login a browser holds
// for it.
type Account struct {
	UserID   int64            `json:"user_id"`
	UserName string           `json:"user_name"`
	Region   liveboard.Region `json:"region"`
	// Cookie is the whole Cookie header value a logged-in browser sends.
	// After ExpireLogin it no longer works.
	Cookie string `json:"cookie"`
}

// maxIDGaps bounds the sum of the gaps between generated session ids, so
// ids stay 9-digit numbers however large the world is.
const maxIDGaps = 700_000_000

// futureDays is how far ahead sessions are scheduled, so a long-running
// development server keeps seeing sessions begin and end.
const futureDays = 7

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = WallClock()
	}
	if o.Accounts <= 0 {
		o.Accounts = 3
	}
	if len(o.Regions) == 0 {
		o.Regions = []liveboard.Region{liveboard.RegionID}
	}
	switch {
	case o.HistoryDays == 0:
		o.HistoryDays = 30
	case o.HistoryDays < 0:
		o.HistoryDays = -1
	}
	switch {
	case o.LiveNow == 0:
		o.LiveNow = o.Accounts - 1
	case o.LiveNow < 0:
		o.LiveNow = 0
	}
	o.LiveNow = min(o.LiveNow, o.Accounts)
	if o.StatusQuirk == nil {
		o.StatusQuirk = new(true)
	}
	return o
}

// account is one simulated account and its sessions.
type account struct {
	Account
	basket     *basket
	popularity float64 // usual plateau of concurrent viewers

	jar      cookieJar
	logins   int  // logins issued so far
	loggedIn bool // whether jar is accepted
	fault    FaultKind
	// sessions are sorted by start, oldest first.
	sessions []*session

	// ads are the account's live-stream ads campaigns and balance;
	// streamers and promos what the promotion endpoints show. They are
	// drawn from a generator of their own, so they change nothing else
	// a seed gives.
	ads       *adsAccount
	streamers []Streamer
	promos    []PromotedItem
}

// world is every account and session. The Server guards it.
type world struct {
	seed      int64
	created   time.Time
	accounts  []*account
	byUser    map[int64]*account
	byEC      map[string]*account
	bySession map[int64]*session
	lastID    int64
	ids       *rand.Rand
}

// pending is a generated session before it has an id.
type pending struct {
	acct *account
	spec SessionSpec
}

// newWorld generates the world as it stands at t0.
func newWorld(o Options, t0 time.Time) *world {
	w := &world{
		seed:      o.Seed,
		created:   t0,
		byUser:    map[int64]*account{},
		byEC:      map[string]*account{},
		bySession: map[int64]*session{},
		ids:       rand.New(rand.NewPCG(uint64(o.Seed), 0x1d5)),
	}

	var all []pending
	used := map[int64]bool{}
	for i := range o.Accounts {
		rng := rand.New(rand.NewPCG(uint64(o.Seed), uint64(1000+i)))
		region := o.Regions[i%len(o.Regions)]
		a := w.newAccount(rng, i, region, used)
		for _, spec := range a.schedule(rng, t0, o.HistoryDays, i < o.LiveNow) {
			all = append(all, pending{acct: a, spec: spec})
		}
	}

	slices.SortStableFunc(all, func(x, y pending) int {
		return x.spec.Start.Compare(y.spec.Start)
	})
	w.lastID = 100_000_000 + w.ids.Int64N(50_000_000)
	gap := min(int64(3000), maxIDGaps/int64(max(len(all), 1)))
	for _, p := range all {
		w.lastID += 1 + w.ids.Int64N(max(gap, 1))
		w.add(p.acct, w.lastID, p.spec)
	}
	return w
}

// newAccount draws account i and registers its first login.
func (w *world) newAccount(rng *rand.Rand, i int, region liveboard.Region,
	used map[int64]bool) *account {
	id := 100_000_000 + rng.Int64N(900_000_000)
	for used[id] {
		id = 100_000_000 + rng.Int64N(900_000_000)
	}
	used[id] = true

	a := &account{
		Account: Account{
			UserID:   id,
			UserName: studioName(rng, i),
			Region:   region,
		},
		basket:     newBasket(rng, region),
		popularity: logUniform(rng, 60, 4000),
	}
	w.accounts = append(w.accounts, a)
	w.byUser[id] = a
	w.login(a)
	w.drawExtras(a)
	return a
}

// login issues the account a new cookie jar and accepts only it. The
// values follow from the seed and the number of logins so far.
func (w *world) login(a *account) string {
	if a.loggedIn {
		delete(w.byEC, a.jar.ec)
	}
	a.logins++
	rng := rand.New(rand.NewPCG(uint64(w.seed)^uint64(a.UserID),
		uint64(a.logins)))
	a.jar = newCookieJar(rng, a.UserID)
	a.Cookie = a.jar.header()
	a.loggedIn = true
	w.byEC[a.jar.ec] = a
	return a.Cookie
}

// expire makes the account's current cookie jar unknown.
func (w *world) expire(a *account) {
	if a.loggedIn {
		delete(w.byEC, a.jar.ec)
		a.loggedIn = false
	}
}

// add creates session id of account a from a complete spec.
func (w *world) add(a *account, id int64, spec SessionSpec) *session {
	s := &session{
		id:     id,
		userID: a.UserID,
		title:  spec.Title,
		cover:  fmt.Sprintf("https://cf.shopee.sim.invalid/cover/%d.jpg", id),
		start:  spec.Start,
		end:    spec.Start.Add(spec.Duration),
		plan:   newPlan(w.seed, id, spec, a.basket),
	}
	i, _ := slices.BinarySearchFunc(a.sessions, s, func(x, y *session) int {
		return cmp.Or(x.start.Compare(y.start), cmp.Compare(x.id, y.id))
	})
	a.sessions = slices.Insert(a.sessions, i, s)
	w.bySession[id] = s
	return s
}

// schedule draws the account's sessions: ended ones over the past
// historyDays, one on air at t0 when live, and upcoming ones.
func (a *account) schedule(rng *rand.Rand, t0 time.Time, historyDays int,
	live bool) []SessionSpec {
	cut := t0
	var specs []SessionSpec
	var onAir *SessionSpec
	if live {
		elapsed := minutes(uniform(rng, 20, 90))
		spec := a.spec(rng, t0.Add(-elapsed).Truncate(time.Second),
			(elapsed + minutes(uniform(rng, 30, 180))).Round(time.Minute))
		onAir, cut = &spec, spec.Start
	}

	specs = append(specs, a.history(rng, t0, cut.Add(-15*time.Minute),
		historyDays)...)
	next := t0.Add(minutes(uniform(rng, 10, 45)))
	if onAir != nil {
		specs = append(specs, *onAir)
		next = onAir.Start.Add(onAir.Duration + minutes(uniform(rng, 10, 45)))
	}
	return append(specs, a.upcoming(rng, next, t0.AddDate(0, 0, futureDays))...)
}

// history draws zero to two sessions a day, starting in the account's
// local daytime (08:00–22:00) and ending before cut.
func (a *account) history(rng *rand.Rand, t0, cut time.Time,
	days int) []SessionSpec {
	loc := a.Region.Location()
	local := t0.In(loc)

	var specs []SessionSpec
	for d := days; d >= 0; d-- {
		day := time.Date(local.Year(), local.Month(), local.Day()-d,
			0, 0, 0, 0, loc)
		n := pickCount(rng)
		free := day.Add(8 * time.Hour)
		for i := range n {
			slot := 14 * time.Hour / time.Duration(n)
			from := day.Add(8*time.Hour + time.Duration(i)*slot)
			to := from.Add(slot)
			from = later(from, free)
			if !from.Before(to) {
				continue
			}
			start := from.Add(time.Duration(rng.Int64N(int64(to.Sub(from)))))
			start = start.Truncate(time.Minute)
			spec := a.spec(rng, start, minutes(uniform(rng, 60, 240)))
			end := start.Add(spec.Duration)
			if end.After(cut) {
				continue
			}
			specs = append(specs, spec)
			free = end.Add(30 * time.Minute)
		}
	}
	return specs
}

// upcoming draws sessions back to back with breaks, from next until
// horizon.
func (a *account) upcoming(rng *rand.Rand, next,
	horizon time.Time) []SessionSpec {
	var specs []SessionSpec
	for next.Before(horizon) {
		spec := a.spec(rng, next.Truncate(time.Second),
			minutes(uniform(rng, 60, 240)))
		specs = append(specs, spec)
		next = spec.Start.Add(spec.Duration + minutes(uniform(rng, 30, 300)))
	}
	return specs
}

// spec draws a session of the account starting at start.
func (a *account) spec(rng *rand.Rand, start time.Time,
	length time.Duration) SessionSpec {
	spec := SessionSpec{
		Title:       sessionTitle(rng),
		Start:       start,
		Duration:    length.Round(time.Minute),
		PeakViewers: a.peakViewers(rng),
	}
	if rng.Float64() < 0.35 {
		at := time.Duration(uniform(rng, 0.25, 0.75) * float64(spec.Duration))
		spec.Drops = []Drop{{
			At:     at.Round(time.Second),
			Factor: uniform(rng, 0.55, 0.85),
			Over:   minutes(uniform(rng, 1, 6)),
		}}
	}
	return spec
}

// peakViewers draws a session's plateau around the account's usual one.
func (a *account) peakViewers(rng *rand.Rand) int {
	return max(int(a.popularity*uniform(rng, 0.6, 1.4)), 5)
}

// pickCount draws how many sessions a day has: 0, 1 or 2.
func pickCount(rng *rand.Rand) int {
	switch x := rng.Float64(); {
	case x < 0.25:
		return 0
	case x < 0.7:
		return 1
	default:
		return 2
	}
}

func minutes(m float64) time.Duration {
	return time.Duration(m * float64(time.Minute)).Round(time.Second)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
