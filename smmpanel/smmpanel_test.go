package smmpanel_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"liveboard"
	"liveboard/smmpanel"
	"liveboard/smmpanel/smmtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func newClient(t *testing.T, key string) (*smmpanel.Client, *smmtest.Panel) {
	t.Helper()
	p := smmtest.New()
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	c, err := smmpanel.New(smmpanel.Config{URL: srv.URL + "/api/v2",
		Key: key})
	if err != nil {
		t.Fatal(err)
	}
	return c, p
}

func money(s string) liveboard.Money {
	m, err := liveboard.ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

func TestServices(t *testing.T) {
	c, _ := newClient(t, smmtest.Key)
	got, err := c.Services(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []smmpanel.Service{
		{ID: 101, Name: "Shopee Live Viewers", Type: "Default",
			Category: "Shopee", Rate: money("12.5"), Min: 100, Max: 5000},
		{ID: 102, Name: "Instagram Followers", Type: "Default",
			Category: "Instagram", Rate: money("0.9"), Min: 50, Max: 10000},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
}

func TestBalance(t *testing.T) {
	c, _ := newClient(t, smmtest.Key)
	got, err := c.Balance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := &smmpanel.Balance{Amount: money("100.84292"), Currency: "USD"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("balance (-want +got):\n%s", diff)
	}
}

func TestStatus(t *testing.T) {
	c, _ := newClient(t, smmtest.Key)
	got, err := c.Status(context.Background(), []int64{9002, 77, 9001})
	if err != nil {
		t.Fatal(err)
	}
	n := liveboard.Ptr[int64]
	m := func(s string) *liveboard.Money { return liveboard.Ptr(money(s)) }
	want := []smmpanel.OrderStatus{
		{OrderID: 9002, Status: "Completed", Charge: m("1.5"),
			StartCount: n(0), Remains: n(0), Currency: "USD"},
		{OrderID: 77, Error: "Incorrect order ID"},
		{OrderID: 9001, Status: "Partial", Charge: m("0.27819"),
			StartCount: n(3572), Remains: n(157), Currency: "USD"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}

	_, err = c.Status(context.Background(), nil)
	if liveboard.ErrorCode(err) != liveboard.EInvalid {
		t.Errorf("no orders: %v", err)
	}
}

func TestFailures(t *testing.T) {
	t.Run("WrongKey", func(t *testing.T) {
		c, _ := newClient(t, "not-the-key-but-long")
		_, err := c.Balance(context.Background())
		if liveboard.ErrorCode(err) != liveboard.EExternal ||
			!strings.Contains(err.Error(), "Invalid API key") ||
			strings.Contains(err.Error(), "not-the-key") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("Down", func(t *testing.T) {
		c, p := newClient(t, smmtest.Key)
		p.SetDown(true)
		_, err := c.Services(context.Background())
		if liveboard.ErrorCode(err) != liveboard.EExternal ||
			!strings.Contains(err.Error(), "HTTP 503") ||
			p.Calls("services") != 1 {
			t.Errorf("err = %v after %d calls", err, p.Calls("services"))
		}
	})
	t.Run("Unreachable", func(t *testing.T) {
		c, err := smmpanel.New(smmpanel.Config{URL: "http://127.0.0.1:1",
			Key: smmtest.Key})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Balance(context.Background())
		if liveboard.ErrorCode(err) != liveboard.EExternal {
			t.Errorf("err = %v", err)
		}
	})
}

func TestNew(t *testing.T) {
	for _, cfg := range []smmpanel.Config{
		{URL: "", Key: "k"},
		{URL: "ftp://panel.example/api/v2", Key: "k"},
		{URL: "https://panel.example/api/v2", Key: " "},
	} {
		if _, err := smmpanel.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted it", cfg)
		}
	}
}
