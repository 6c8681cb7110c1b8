package shopeesim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// FaultKind is a way a request can fail.
type FaultKind int

// The fault kinds.
const (
	// RateLimit answers HTTP 429 with Retry-After: 1.
	RateLimit FaultKind = iota + 1
	// RateLimitNoHeader answers HTTP 429 without Retry-After.
	RateLimitNoHeader
	// Error500, Error502 and Error503 answer that status with a small
	// HTML page, as a gateway would.
	Error500
	Error502
	Error503
	// Timeout holds the request until the client gives up, the hold time
	// passes (then HTTP 504), or the simulator is closed (then HTTP 503).
	Timeout
	// AntiBot answers HTTP 403 with Shopee's anti-bot wall body (error
	// 90309999).
	AntiBot
	// LoginExpired gives the endpoint's answer to a login that is no
	// longer valid.
	LoginExpired
	// HTMLPage answers HTTP 200 with an HTML page instead of JSON.
	HTMLPage
	// TruncatedJSON cuts the endpoint's answer in the middle.
	TruncatedJSON
	// NullMetrics answers with every metric field set to JSON null; ids,
	// statuses, times and texts stay.
	NullMetrics
	// ExtraFields adds unknown fields to the answer's top level and to
	// every object inside its data.
	ExtraFields
)

var faultNames = map[FaultKind]string{
	RateLimit:         "RateLimit",
	RateLimitNoHeader: "RateLimitNoHeader",
	Error500:          "Error500",
	Error502:          "Error502",
	Error503:          "Error503",
	Timeout:           "Timeout",
	AntiBot:           "AntiBot",
	LoginExpired:      "LoginExpired",
	HTMLPage:          "HTMLPage",
	TruncatedJSON:     "TruncatedJSON",
	NullMetrics:       "NullMetrics",
	ExtraFields:       "ExtraFields",
}

// String returns the kind's name.
func (k FaultKind) String() string {
	if name, ok := faultNames[k]; ok {
		return name
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// keepsAnswer reports whether the fault reshapes the endpoint's own answer
// rather than replacing it.
func (k FaultKind) keepsAnswer() bool {
	return k == TruncatedJSON || k == NullMetrics || k == ExtraFields
}

// defaultHold is how long a Timeout holds a request unless Faults.Hold
// says otherwise: longer than any sensible client waits.
const defaultHold = 5 * time.Minute

// Faults describe how an endpoint misbehaves.
type Faults struct {
	// Rate is the share of requests that fail, from 0 to 1. Which ones
	// fail is drawn from a generator seeded by Options.Seed, so a run that
	// sends the same requests in the same order sees the same failures.
	Rate float64
	// Kinds are the ways a failing request fails, drawn uniformly; Error500
	// when empty.
	Kinds []FaultKind
	// Latency delays every request; Jitter adds a random extra delay,
	// spread as Spread says. Delays end early when the client gives up or
	// the simulator is closed.
	Latency time.Duration
	Jitter  time.Duration
	Spread  Spread
	// Hold is how long a Timeout fault holds a request; five minutes when
	// zero.
	Hold time.Duration
}

// SetFaults makes the endpoint (one of the Endpoint names) misbehave as f
// describes; endpoint "" applies to every endpoint that has no faults of
// its own.
func (s *Server) SetFaults(endpoint string, f Faults) {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	f.Kinds = append([]FaultKind(nil), f.Kinds...)
	s.faults[endpoint] = f
}

// ClearFaults removes every endpoint's faults and every account's fault.
func (s *Server) ClearFaults() {
	s.faultsMu.Lock()
	clear(s.faults)
	s.faultsMu.Unlock()

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.world.accounts {
		a.fault = 0
	}
}

// SetAccountFault makes every request that carries the account's login
// fail with kind (AntiBot and LoginExpired are the usual ones) until
// ClearAccountFault, ClearFaults or Relogin. Unknown accounts are ignored.
func (s *Server) SetAccountFault(userID int64, kind FaultKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.world.byUser[userID]; ok {
		a.fault = kind
	}
}

// ClearAccountFault ends the account's fault.
func (s *Server) ClearAccountFault(userID int64) {
	s.SetAccountFault(userID, 0)
}

// faultDraw is what happens to one request.
type faultDraw struct {
	delay time.Duration
	kind  FaultKind // zero for none
	hold  time.Duration
}

func (s *Server) drawFault(endpoint string) faultDraw {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()

	f, ok := s.faults[endpoint]
	if !ok {
		if f, ok = s.faults[""]; !ok {
			return faultDraw{hold: defaultHold}
		}
	}

	d := faultDraw{delay: f.Latency + f.Spread.draw(s.faultRNG, f.Jitter),
		hold: f.Hold}
	if d.hold <= 0 {
		d.hold = defaultHold
	}
	if f.Rate > 0 && s.faultRNG.Float64() < f.Rate {
		d.kind = Error500
		if len(f.Kinds) > 0 {
			d.kind = f.Kinds[s.faultRNG.IntN(len(f.Kinds))]
		}
	}
	return d
}

// waitResult is how a wait ended; anything but waited is the reply to
// write instead of the answer.
type waitResult int

const (
	waited waitResult = iota
	clientGone
	closed
)

func (res waitResult) write(w http.ResponseWriter) {
	if res == closed {
		htmlError(http.StatusServiceUnavailable).write(w)
	}
	// A client that gave up reads nothing.
}

// wait sleeps for d unless the client gives up or the simulator closes.
func (s *Server) wait(r *http.Request, d time.Duration) waitResult {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return waited
	case <-r.Context().Done():
		return clientGone
	case <-s.closing:
		return closed
	}
}

// hold answers a Timeout fault.
func (s *Server) hold(w http.ResponseWriter, r *http.Request,
	d time.Duration) {
	switch s.wait(r, d) {
	case waited:
		htmlError(http.StatusGatewayTimeout).write(w)
	case closed:
		closed.write(w)
	}
}

// faultReply returns the reply of a fault that replaces the answer.
func faultReply(rt route, kind FaultKind) reply {
	switch kind {
	case RateLimit:
		rep := rateLimited()
		rep.header = http.Header{"Retry-After": {"1"}}
		return rep
	case RateLimitNoHeader:
		return rateLimited()
	case Error500:
		return htmlError(http.StatusInternalServerError)
	case Error502:
		return htmlError(http.StatusBadGateway)
	case Error503:
		return htmlError(http.StatusServiceUnavailable)
	case AntiBot:
		return antiBotReply()
	case LoginExpired:
		return rt.family.expired()
	case HTMLPage:
		return htmlPage()
	}
	return htmlError(http.StatusInternalServerError)
}

// antiBotBody is Shopee's login and anti-bot wall.
type antiBotBody struct {
	IsLogin             bool `json:"is_login"`
	ActionType          int  `json:"action_type"`
	Error               int  `json:"error"`
	RedirectToErrorPage bool `json:"redirect_to_error_page"`
}

func antiBotReply() reply {
	return jsonReply(http.StatusForbidden, antiBotBody{
		IsLogin: false, ActionType: 2, Error: 90309999,
		RedirectToErrorPage: true,
	})
}

func rateLimited() reply {
	return reply{
		status:      http.StatusTooManyRequests,
		raw:         []byte("Too Many Requests\n"),
		contentType: "text/plain; charset=utf-8",
	}
}

func htmlError(status int) reply {
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	page := "<html><head><title>" + text + "</title></head><body>" +
		"<center><h1>" + text + "</h1></center><hr></body></html>\n"
	return reply{
		status:      status,
		raw:         []byte(page),
		contentType: "text/html; charset=utf-8",
	}
}

func htmlPage() reply {
	page := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
		`<title>Shopee</title></head><body><div id="main">` +
		`<noscript>Please enable JavaScript to continue.</noscript>` +
		`</div></body></html>` + "\n"
	return reply{
		status:      http.StatusOK,
		raw:         []byte(page),
		contentType: "text/html; charset=utf-8",
	}
}

// reshape applies a fault that keeps the answer to its reply.
func reshape(rep reply, kind FaultKind) reply {
	body, ctype, err := rep.encode()
	if err != nil {
		return htmlError(http.StatusInternalServerError)
	}
	if kind == TruncatedJSON {
		return reply{status: rep.status, header: rep.header,
			raw: body[:len(body)/2], contentType: ctype}
	}

	var tree any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return rep
	}
	top, ok := tree.(map[string]any)
	if !ok {
		return rep
	}
	if kind == NullMetrics {
		nullMetrics(top["data"])
	} else {
		addExtras(top, 0)
	}
	return reply{status: rep.status, header: rep.header, body: top}
}

// identityKeys are the numeric fields NullMetrics leaves alone: they say
// what and when, not how much.
var identityKeys = map[string]bool{
	"total": true, "sessionId": true, "status": true, "startTime": true,
	"duration": true, "sessionStatus": true, "lsStartTime": true,
	"userId": true, "session_id": true, "itemId": true,
	"campaign_id": true, "coin_status": true, "promo_id": true,
	"item_id": true, "shop_id": true, "user_id": true, "start_time": true,
	"end_time": true, "total_count": true,
}

// nullMetrics sets every numeric field but the identity ones to nil,
// throughout v.
func nullMetrics(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if _, isNum := x.(json.Number); isNum && !identityKeys[k] {
				v[k] = nil
				continue
			}
			nullMetrics(x)
		}
	case []any:
		for _, x := range v {
			nullMetrics(x)
		}
	}
}

// addExtras adds fields no client knows to the object v and to every
// object inside it.
func addExtras(v any, depth int) {
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			addExtras(x, depth+1)
		}
		v["simTraceTag"] = fmt.Sprintf("sim-%d", depth)
		v["simRankScore"] = json.Number("0.5")
		v["simFlags"] = map[string]any{"pinned": false, "abGroup": "B",
			"tags": []any{"x", json.Number("1")}}
	case []any:
		for _, x := range v {
			addExtras(x, depth+1)
		}
	}
}

// Spread is how the extra delay of Faults.Jitter is distributed.
type Spread int

const (
	// Uniform draws the extra delay evenly from zero to Jitter.
	Uniform Spread = iota
	// Exponential draws it with mean Jitter: most requests are a little
	// late and a few very late, as on a loaded server. It is capped at
	// ten times Jitter.
	Exponential
)

// maxTail caps an exponential delay, in multiples of the mean.
const maxTail = 10

// draw returns one extra delay for a jitter of j.
func (sp Spread) draw(rng *rand.Rand, j time.Duration) time.Duration {
	if j <= 0 {
		return 0
	}
	if sp == Exponential {
		return time.Duration(min(rng.ExpFloat64(), maxTail) * float64(j))
	}
	return time.Duration(rng.Int64N(int64(j) + 1))
}
