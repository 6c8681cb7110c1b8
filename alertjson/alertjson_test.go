package alertjson_test

import (
	"encoding/json"
	"testing"
	"time"

	"liveboard"
	"liveboard/alertjson"
)

func TestAccountAlert(t *testing.T) {
	at := time.Date(2026, 3, 10, 12, 0, 0, 987654321, time.UTC)
	a := &liveboard.Alert{ID: 4, StudioID: 1, AccountID: 2,
		Rule: liveboard.RuleRelogin, Title: "Login lost",
		Evidence: liveboard.Evidence{Error: "cookie expired"}, FiredAt: at}
	b, err := json.Marshal(alertjson.New(a, liveboard.RegionID))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":4,"studio_id":1,"shopee_account_id":2,` +
		`"live_session_id":null,"session_id":"","rule":"relogin",` +
		`"title":"Login lost","message":"",` +
		`"evidence":{"error":"cookie expired"},` +
		`"fired_at":"2026-03-10T19:00:00+07:00"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}
