// Package smmpanel is a read-only client for the v2 API that social media
// marketing (SMM) reseller panels share: a form POST of the panel's key
// and an action to one URL. It reads the services a panel offers, the
// account's balance, and the status of orders placed elsewhere.
//
// It never places orders (the "add" action): what such panels sell is
// engagement (followers, likes, live viewers), and buying engagement
// breaks Shopee's rules for sellers. The key is a secret: it is sent only
// in request bodies and never appears in errors or logs.
package smmpanel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// Config names a panel. URL and Key come from the operator's
// configuration.
type Config struct {
	// URL is the panel's API address, such as
	// "https://panel.example/api/v2".
	URL string
	// Key is the panel account's API key.
	Key string
	// HTTPClient sends the requests; by default one with a 20 s timeout.
	HTTPClient *http.Client
}

// Client calls one panel. It is safe for concurrent use.
type Client struct {
	url  string
	key  string
	http *http.Client
}

// New returns a client for cfg. It fails unless URL is an absolute http
// or https URL and Key is set.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") ||
		u.Host == "" {
		return nil, errors.New("smm panel: the URL must be an absolute " +
			"http or https URL")
	}
	if strings.TrimSpace(cfg.Key) == "" {
		return nil, errors.New("smm panel: no API key")
	}

	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 20 * time.Second}
	}
	return &Client{url: cfg.URL, key: cfg.Key, http: hc}, nil
}

// Service is one service a panel sells. Rate is the price of 1000 units
// in the panel's currency.
type Service struct {
	ID       int64
	Name     string
	Type     string
	Category string
	Rate     liveboard.Money
	Min      int64
	Max      int64
}

// Balance is what the panel account holds.
type Balance struct {
	Amount   liveboard.Money
	Currency string
}

// OrderStatus is the state of one order. Error is set, and the rest is
// empty, when the panel knows no such order.
type OrderStatus struct {
	OrderID    int64
	Status     string
	Charge     *liveboard.Money
	StartCount *int64
	Remains    *int64
	Currency   string
	Error      string
}

// Services lists the services the panel offers.
func (c *Client) Services(ctx context.Context) ([]Service, error) {
	var raw []wireService
	if err := c.call(ctx, "services", nil, &raw); err != nil {
		return nil, err
	}
	out := make([]Service, 0, len(raw))
	for _, w := range raw {
		out = append(out, Service{ID: w.Service.n, Name: w.Name,
			Type: w.Type, Category: w.Category, Rate: w.Rate.m,
			Min: w.Min.n, Max: w.Max.n})
	}
	return out, nil
}

// Balance returns the panel account's balance.
func (c *Client) Balance(ctx context.Context) (*Balance, error) {
	var w struct {
		Balance  flexMoney `json:"balance"`
		Currency string    `json:"currency"`
	}
	if err := c.call(ctx, "balance", nil, &w); err != nil {
		return nil, err
	}
	return &Balance{Amount: w.Balance.m, Currency: w.Currency}, nil
}

// maxOrders is how many orders one status request may ask about.
const maxOrders = 100

// Status returns the status of each order, in the order asked.
func (c *Client) Status(ctx context.Context,
	orderIDs []int64) ([]OrderStatus, error) {
	if len(orderIDs) == 0 || len(orderIDs) > maxOrders {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"ask about 1 to %d orders", maxOrders)
	}
	ids := make([]string, len(orderIDs))
	for i, id := range orderIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}

	var byID map[string]json.RawMessage
	form := url.Values{"orders": {strings.Join(ids, ",")}}
	if err := c.call(ctx, "status", form, &byID); err != nil {
		return nil, err
	}
	out := make([]OrderStatus, len(orderIDs))
	for i, id := range orderIDs {
		out[i] = orderStatus(id, byID[ids[i]])
	}
	return out, nil
}

func orderStatus(id int64, raw json.RawMessage) OrderStatus {
	var w wireStatus
	if raw == nil || json.Unmarshal(raw, &w) != nil {
		return OrderStatus{OrderID: id, Error: "no status for this order"}
	}
	return OrderStatus{OrderID: id, Status: w.Status, Charge: w.Charge.p(),
		StartCount: w.StartCount.p(), Remains: w.Remains.p(),
		Currency: w.Currency, Error: w.Error}
}

// call posts action with the key and form, and decodes the answer into
// out. The panel's own refusals come back as {"error": "..."}.
func (c *Client) call(ctx context.Context, action string, form url.Values,
	out any) error {
	if form == nil {
		form = url.Values{}
	}
	form.Set("key", c.key)
	form.Set("action", action)

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url,
		strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("smm panel %s: %w", action, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")

	body, status, err := c.send(req)
	if err != nil {
		return c.fail(action, "not reachable")
	}
	if status < 200 || status > 299 {
		return c.fail(action, fmt.Sprintf("HTTP %d", status))
	}
	var refusal struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &refusal) == nil && refusal.Error != "" {
		return c.fail(action, "refused: "+refusal.Error)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return c.fail(action, "unreadable answer")
	}
	return nil
}

// maxBody bounds how much of an answer is read.
const maxBody = 4 << 20

func (c *Client) send(req *http.Request) ([]byte, int, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return bytes.TrimSpace(body), resp.StatusCode, err
}

// fail returns a failure of the panel, fit to show and free of the key.
func (c *Client) fail(action, what string) error {
	what = strings.ReplaceAll(what, c.key, "[redacted]")
	return liveboard.Errorf(liveboard.EExternal, "SMM panel %s: %s",
		action, what)
}

type wireService struct {
	Service  flexInt   `json:"service"`
	Name     string    `json:"name"`
	Type     string    `json:"type"`
	Category string    `json:"category"`
	Rate     flexMoney `json:"rate"`
	Min      flexInt   `json:"min"`
	Max      flexInt   `json:"max"`
}

type wireStatus struct {
	Charge     optMoney `json:"charge"`
	StartCount optInt   `json:"start_count"`
	Status     string   `json:"status"`
	Remains    optInt   `json:"remains"`
	Currency   string   `json:"currency"`
	Error      string   `json:"error"`
}

// Panels write numbers as JSON numbers or as strings holding them; the
// types below read both.

type flexInt struct{ n int64 }

func (f *flexInt) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseInt(unquote(b), 10, 64)
	if err != nil {
		return fmt.Errorf("not a whole number: %s", b)
	}
	f.n = n
	return nil
}

type flexMoney struct{ m liveboard.Money }

func (f *flexMoney) UnmarshalJSON(b []byte) error {
	m, err := liveboard.ParseMoney(unquote(b))
	if err != nil {
		return err
	}
	f.m = m
	return nil
}

// optInt and optMoney are flexInt and flexMoney that may be absent,
// null or empty.
type optInt struct{ v *int64 }

func (o *optInt) UnmarshalJSON(b []byte) error {
	if empty(b) {
		return nil
	}
	var f flexInt
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	o.v = &f.n
	return nil
}

func (o optInt) p() *int64 { return o.v }

type optMoney struct{ v *liveboard.Money }

func (o *optMoney) UnmarshalJSON(b []byte) error {
	if empty(b) {
		return nil
	}
	var f flexMoney
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	o.v = &f.m
	return nil
}

func (o optMoney) p() *liveboard.Money { return o.v }

func unquote(b []byte) string {
	return strings.TrimSpace(strings.Trim(string(b), `"`))
}

func empty(b []byte) bool {
	s := unquote(b)
	return s == "" || s == "null"
}
