package web

import (
	"math"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ThrottleConfig limits sign-in attempts. Each failed attempt takes a
// token from the bucket of its IP address and from the bucket of the
// email it named; an attempt is refused while either is empty. A
// successful sign-in refills the email's bucket.
type ThrottleConfig struct {
	// UserBurst failures per email are allowed in a row, then one every
	// UserEvery.
	UserBurst int
	UserEvery time.Duration
	// IPBurst failures per IP address are allowed in a row, then one
	// every IPEvery.
	IPBurst int
	IPEvery time.Duration
}

// DefaultThrottle allows five wrong passwords for an email, then one a
// minute, and twenty from an address, then one every six seconds.
var DefaultThrottle = ThrottleConfig{
	UserBurst: 5, UserEvery: time.Minute,
	IPBurst: 20, IPEvery: 6 * time.Second,
}

// throttle keeps the buckets in memory: each instance throttles on its
// own.
type throttle struct {
	cfg ThrottleConfig

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	lim      *rate.Limiter
	lastSeen time.Time
}

func newThrottle(cfg ThrottleConfig) *throttle {
	if cfg.UserBurst <= 0 || cfg.UserEvery <= 0 || cfg.IPBurst <= 0 ||
		cfg.IPEvery <= 0 {
		cfg = DefaultThrottle
	}
	return &throttle{cfg: cfg, buckets: map[string]*bucket{}}
}

// keys names the two buckets of an attempt.
func keys(ip, email string) (ipKey, userKey string) {
	return "ip " + ip, "user " + strings.ToLower(strings.TrimSpace(email))
}

// wait returns how long an attempt from ip for email must wait; 0 lets
// it be checked now.
func (t *throttle) wait(ip, email string, now time.Time) time.Duration {
	ipKey, userKey := keys(ip, email)
	t.mu.Lock()
	defer t.mu.Unlock()
	return max(t.delay(ipKey, now), t.delay(userKey, now))
}

// failed takes a token from both buckets of a failed attempt.
func (t *throttle) failed(ip, email string, now time.Time) {
	ipKey, userKey := keys(ip, email)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.bucket(ipKey, now).lim.AllowN(now, 1)
	t.bucket(userKey, now).lim.AllowN(now, 1)
}

// succeeded forgets the failures of the email.
func (t *throttle) succeeded(email string) {
	_, userKey := keys("", email)
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.buckets, userKey)
}

// delay is how long until the bucket has a token. The caller holds t.mu.
func (t *throttle) delay(key string, now time.Time) time.Duration {
	b, ok := t.buckets[key]
	if !ok {
		return 0
	}
	res := b.lim.ReserveN(now, 1)
	d := res.DelayFrom(now)
	res.CancelAt(now)
	return d
}

// idleBucket is how long an unused bucket is kept; by then it is full.
const idleBucket = time.Hour

// bucket returns the key's bucket, making it when missing and dropping
// idle ones meanwhile. The caller holds t.mu.
func (t *throttle) bucket(key string, now time.Time) *bucket {
	b, ok := t.buckets[key]
	if !ok {
		for k, old := range t.buckets {
			if now.Sub(old.lastSeen) > idleBucket {
				delete(t.buckets, k)
			}
		}
		burst, every := t.cfg.IPBurst, t.cfg.IPEvery
		if strings.HasPrefix(key, "user ") {
			burst, every = t.cfg.UserBurst, t.cfg.UserEvery
		}
		b = &bucket{lim: rate.NewLimiter(rate.Every(every), burst)}
		t.buckets[key] = b
	}
	b.lastSeen = now
	return b
}

// seconds rounds a wait up to whole seconds, at least one.
func seconds(d time.Duration) int {
	return max(int(math.Ceil(d.Seconds())), 1)
}
