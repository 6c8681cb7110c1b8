// Package smmtest is a fake SMM panel speaking the panels' v2 API, for
// tests: a fixed list of services, a balance and a few orders. Like the
// client it serves, it takes no orders.
package smmtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// Key is the API key the fake panel accepts.
const Key = "smm-test-key-0123456789"

// Panel is the fake panel. It is safe for concurrent use.
type Panel struct {
	mu    sync.Mutex
	calls map[string]int
	down  bool
}

// New returns a panel that is up.
func New() *Panel { return &Panel{calls: map[string]int{}} }

// SetDown makes every request answer HTTP 503 while down is true.
func (p *Panel) SetDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
}

// Calls returns how many requests asked for the action.
func (p *Panel) Calls(action string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[action]
}

// Services are what the panel lists, as real panels write them: numbers
// as strings.
var Services = []map[string]any{
	{"service": 101, "name": "Shopee Live Viewers", "type": "Default",
		"category": "Shopee", "rate": "12.50", "min": "100", "max": "5000",
		"refill": false, "cancel": false},
	{"service": "102", "name": "Instagram Followers", "type": "Default",
		"category": "Instagram", "rate": 0.9, "min": 50, "max": "10000"},
}

// Orders are the orders the panel knows, by id.
var Orders = map[string]map[string]any{
	"9001": {"charge": "0.27819", "start_count": "3572",
		"status": "Partial", "remains": "157", "currency": "USD"},
	"9002": {"charge": "1.5", "start_count": 0, "status": "Completed",
		"remains": 0, "currency": "USD"},
}

// ServeHTTP answers one form POST.
func (p *Panel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		answer(w, map[string]string{"error": "Incorrect request"})
		return
	}
	action := r.PostForm.Get("action")
	p.mu.Lock()
	p.calls[action]++
	down := p.down
	p.mu.Unlock()
	if down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	if r.PostForm.Get("key") != Key {
		answer(w, map[string]string{"error": "Invalid API key"})
		return
	}

	switch action {
	case "services":
		answer(w, Services)
	case "balance":
		answer(w, map[string]string{"balance": "100.84292",
			"currency": "USD"})
	case "status":
		answer(w, statuses(r.PostForm.Get("orders")))
	default:
		answer(w, map[string]string{"error": "Incorrect action"})
	}
}

func statuses(orders string) map[string]any {
	out := map[string]any{}
	for id := range strings.SplitSeq(orders, ",") {
		if o, ok := Orders[id]; ok {
			out[id] = o
			continue
		}
		out[id] = map[string]string{"error": "Incorrect order ID"}
	}
	return out
}

func answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
