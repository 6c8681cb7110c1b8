package httpapi_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/shopee"
)

type shareOut struct {
	SessionID string `json:"session_id"`
	Region    string `json:"region"`
	Stored    bool   `json:"stored"`
	URL       string `json:"url"`
}

// linkParts are what a share link says.
type linkParts struct {
	Scheme    string
	Host      string
	Path      string
	From      string
	Session   string
	ShareUser string
}

func partsOf(t *testing.T, link string) linkParts {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("share link %q: %v", link, err)
	}
	q := u.Query()
	return linkParts{Scheme: u.Scheme, Host: u.Host, Path: u.Path,
		From: q.Get("from"), Session: q.Get("session"),
		ShareUser: q.Get("share_user_id")}
}

// testShareLink checks the links of stored, unknown and other studios'
// sessions.
func testShareLink(t *testing.T, h *harness) {
	id := h.allSessions(t, owner1)[0]
	my := h.allSessions(t, member2)[0]
	const unknown = "123456789"

	tests := []struct {
		name      string
		as        who
		session   string
		query     string
		region    liveboard.Region
		stored    bool
		shareUser int64
	}{
		{"stored session", owner1, id.SessionID, "",
			liveboard.RegionID, true, h.account(t, id.AccountID).ShopeeUserID},
		{"stored session keeps its region", member2, my.SessionID,
			"?region=TH", liveboard.RegionMY, true,
			h.account(t, my.AccountID).ShopeeUserID},
		{"unknown session, Indonesia by default", owner1, unknown, "",
			liveboard.RegionID, false, 0},
		{"unknown session in a region", owner1, unknown, "?region=th",
			liveboard.RegionTH, false, 0},
		{"another studio's session reads as unknown", member2,
			id.SessionID, "?region=PH", liveboard.RegionPH, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := h.get(t, sharePath+tt.session+tt.query, tt.as)
			got := dataOf[shareOut](t, res, http.StatusOK)

			want := shareOut{SessionID: tt.session,
				Region: string(tt.region), Stored: tt.stored,
				URL: got.URL}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("answer differs (-want +got):\n%s", diff)
			}

			wantLink := linkParts{Scheme: "https",
				Host: shopee.Host(tt.region, shopee.ServiceLive),
				Path: "/share", From: "live", Session: tt.session}
			if tt.shareUser != 0 {
				wantLink.ShareUser = itoa(tt.shareUser)
			}
			if diff := cmp.Diff(wantLink,
				partsOf(t, got.URL)); diff != "" {
				t.Errorf("link %s differs (-want +got):\n%s", got.URL,
					diff)
			}
		})
	}

	t.Run("sessions carry the same link", func(t *testing.T) {
		res := h.get(t, sharePath+id.SessionID, owner1)
		got := dataOf[shareOut](t, res, http.StatusOK)
		if got.URL != id.ShareLink {
			t.Errorf("share link %s, but the session has %s", got.URL,
				id.ShareLink)
		}
	})
}
