package notify

import (
	"liveboard"
	"liveboard/alertjson"
)

// Text returns the alert as a chat message: its title, its message, and
// when it fired in region's zone; marked as a test when test is set.
func Text(a *liveboard.Alert, region liveboard.Region, test bool) string {
	head := "Liveboard alert: " + a.Title
	if test {
		head = "Liveboard test: " + a.Title
	}
	if a.Message != "" {
		head += "\n" + a.Message
	}
	return head + "\nFired " + a.FiredAt.In(region.Location()).
		Format(textTime)
}

// textTime is how Text writes a time: to the second, with the zone's
// abbreviation (WIB in Indonesia) or its offset.
const textTime = "2006-01-02 15:04:05 MST"

// Payload is the JSON body a webhook receives. Its alert has the fields
// and formats of an alert in the API (see package alertjson), without
// where the alert stands:
//
//	{"event": "alert", "test": false, "alert": {
//	  "id": 7, "studio_id": 1, "shopee_account_id": 2,
//	  "live_session_id": 3, "session_id": "114156365",
//	  "rule": "viewer_drop", "title": "…", "message": "…",
//	  "evidence": {"level": 1200, "viewers": 600,
//	    "viewers_at": "2026-11-20T19:00:00+07:00", "drop_percent": 50,
//	    "window_minutes": 5},
//	  "fired_at": "2026-11-20T19:00:00+07:00"}}
//
// live_session_id is Liveboard's id of the session and session_id
// Shopee's; both are empty (null, "") for an alert about an account.
// Times are RFC 3339 to the second in the zone of the account's region.
// Only the evidence of the alert's rule is present.
type Payload struct {
	// Event is always "alert".
	Event string `json:"event"`
	// Test is true for a message sent only to check the channel.
	Test  bool            `json:"test"`
	Alert alertjson.Alert `json:"alert"`
}

func newPayload(a *liveboard.Alert, region liveboard.Region,
	test bool) Payload {
	return Payload{Event: "alert", Test: test,
		Alert: alertjson.New(a, region)}
}
