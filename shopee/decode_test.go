package shopee

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

func TestUserInfo(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, rec := newTestClient(t, answer(200,
			string(fixture(t, "04-userInfo.json"))))

		got, err := c.UserInfo(context.Background(), testAuth)
		if err != nil {
			t.Fatal(err)
		}

		want := &UserInfo{
			UserID:   900000123,
			UserName: "demo_creator_01",
			Avatar:   "https://example.invalid/avatar/demo_creator_01.jpg",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("UserInfo mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"userInfo ok"},
			rec.outcomes()); diff != "" {
			t.Errorf("observations (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrBadAnswerWithoutUserID", func(t *testing.T) {
		c, _ := newTestClient(t, answer(200,
			`{"code":0,"msg":"","data":{"userName":"x"}}`))

		_, err := c.UserInfo(context.Background(), testAuth)
		assertKind(t, err, ErrBadAnswer)
	})
}

func TestSessionList(t *testing.T) {
	c, _ := newTestClient(t, answer(200,
		string(fixture(t, "05-sessionList.json"))))

	got, err := c.SessionList(context.Background(), testAuth, 1, 10)
	if err != nil {
		t.Fatal(err)
	}

	p := liveboard.Ptr[int64]
	want := &SessionPage{Total: 2, Items: []SessionItem{{
		SessionID:  123450002,
		Title:      "Demo live - evening sale",
		CoverImage: "https://example.invalid/cover/123450002.jpg",
		Status:     1,
		StartTime:  time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC),
		Duration:   65*time.Minute + 12*time.Second,
		Metrics: liveboard.Metrics{
			Views: p(5230), Viewers: p(2140), PeakViewers: p(118),
			Comments: p(211), Likes: p(8450), NewFollowers: p(29),
			AddToCart: p(133), ProductClicks: p(267),
			ConversionRate:  liveboard.Ptr(2.06),
			PlacedOrders:    p(44),
			PlacedGMV:       liveboard.Ptr(liveboard.MoneyFromMajor(3712500)),
			ConfirmedOrders: p(38),
			ConfirmedGMV:    liveboard.Ptr(liveboard.MoneyFromMajor(3190000)),
		},
	}, {
		SessionID:  123450001,
		Title:      "Demo live - morning",
		CoverImage: "https://example.invalid/cover/123450001.jpg",
		Status:     2,
		StartTime:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Duration:   4 * time.Hour,
		Metrics: liveboard.Metrics{
			Views: p(1870), Viewers: p(920), PeakViewers: p(64),
			Comments: p(59), Likes: p(2310), NewFollowers: p(7),
			AddToCart: p(9), ProductClicks: p(41),
			ConversionRate:  liveboard.Ptr(0.22),
			PlacedOrders:    p(2),
			PlacedGMV:       liveboard.Ptr(liveboard.MoneyFromMajor(126000)),
			ConfirmedOrders: p(2),
			ConfirmedGMV:    liveboard.Ptr(liveboard.MoneyFromMajor(126000)),
		},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SessionList mismatch (-want +got):\n%s", diff)
	}
	if loc := got.Items[0].StartTime.Location(); loc != time.UTC {
		t.Errorf("StartTime location = %v, want UTC", loc)
	}
}

func TestSessionInfo(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, _ := newTestClient(t, answer(200,
			string(fixture(t, "06-sessionInfo.json"))))

		got, err := c.SessionInfo(context.Background(), testAuth, 123450002)
		if err != nil {
			t.Fatal(err)
		}

		want := &SessionInfo{
			Title:     "Demo live - evening sale",
			Status:    liveboard.Ptr(1),
			StartTime: liveboard.Ptr(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)),
			StreamingURL: "https://play.example.invalid/live/123450002.flv" +
				"?expire_ts=1767272400&sign=0000example",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SessionInfo mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("TitleFallbackAndNulls", func(t *testing.T) {
		c, _ := newTestClient(t, answer(200, `{"code":0,"msg":"","data":{
			"sessionTitle":"","title":"Only title","sessionStatus":null}}`))

		got, err := c.SessionInfo(context.Background(), testAuth, 1)
		if err != nil {
			t.Fatal(err)
		}

		want := &SessionInfo{Title: "Only title"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SessionInfo mismatch (-want +got):\n%s", diff)
		}
	})

	for _, data := range []string{`,"data":{}`, `,"data":null`, ``} {
		t.Run("ErrNotFound", func(t *testing.T) {
			c, rec := newTestClient(t, answer(200,
				`{"code":0,"msg":""`+data+`}`))

			_, err := c.SessionInfo(context.Background(), testAuth, 1)
			assertKind(t, err, ErrNotFound)
			if got := liveboard.ErrorCode(err); got != liveboard.ENotFound {
				t.Errorf("ErrorCode = %s, want %s", got, liveboard.ENotFound)
			}
			if diff := cmp.Diff([]string{"sessionInfo not_found"},
				rec.outcomes()); diff != "" {
				t.Errorf("observations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOverview(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, _ := newTestClient(t, answer(200,
			string(fixture(t, "07-overview.json"))))

		got, err := c.Overview(context.Background(), testAuth, 123450002)
		if err != nil {
			t.Fatal(err)
		}

		p := liveboard.Ptr[int64]
		want := &Overview{Status: liveboard.Ptr(1), Metrics: liveboard.Metrics{
			ViewersNow: p(37), PeakViewers: p(118), Viewers: p(2140),
			Views: p(5230), Buyers: p(41),
			AvgViewTime:      liveboard.Ptr(95400 * time.Millisecond),
			AddToCart:        p(133),
			PlacedItemsSold:  p(58),
			PlacedOrders:     p(44),
			PlacedGMV:        liveboard.Ptr(liveboard.MoneyFromMajor(3712500)),
			ConfirmedOrders:  p(38),
			ConfirmedGMV:     liveboard.Ptr(liveboard.MoneyFromMajor(3190000)),
			ClickThroughRate: liveboard.Ptr(12.47),
			ConversionRate:   liveboard.Ptr(2.06),
			Likes:            p(8450), Comments: p(211), Shares: p(17),
			NewFollowers: p(29),
		}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Overview mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("Tolerant", func(t *testing.T) {
		c, _ := newTestClient(t, answer(200, `{"code":"0","msg":null,
			"extra":{"x":1},"data":{"status":"1","ccu":" 37 ","pcu":null,
			"viewers":"","views":5230.0,"placedGmv":"709847.99",
			"confirmedGmv":1234.5,"avgViewTime":"1500.5","ctr":"12.5",
			"co":null,"engagementData":null,"gpm":709847.99,
			"newThing":[1,{"a":2}]}}`))

		got, err := c.Overview(context.Background(), testAuth, 1)
		if err != nil {
			t.Fatal(err)
		}

		want := &Overview{Status: liveboard.Ptr(1), Metrics: liveboard.Metrics{
			ViewersNow:       liveboard.Ptr[int64](37),
			Views:            liveboard.Ptr[int64](5230),
			PlacedGMV:        liveboard.Ptr(liveboard.Money(70_984_799_000)),
			ConfirmedGMV:     liveboard.Ptr(liveboard.Money(123_450_000)),
			AvgViewTime:      liveboard.Ptr(1500500 * time.Microsecond),
			ClickThroughRate: liveboard.Ptr(12.5),
		}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Overview mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestSessionListTolerant(t *testing.T) {
	c, _ := newTestClient(t, answer(200, `{"code":0,"data":{"total":"1",
		"page":1,"list":[{"sessionId":"123450002","startTime":"1767258000000",
		"duration":null,"views":"10","placedSales":null,
		"avgViewsDuration":95400.5,"somethingNew":true}]}}`))

	got, err := c.SessionList(context.Background(), testAuth, 1, 10)
	if err != nil {
		t.Fatal(err)
	}

	want := &SessionPage{Total: 1, Items: []SessionItem{{
		SessionID: 123450002,
		StartTime: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC),
		Metrics:   liveboard.Metrics{Views: liveboard.Ptr[int64](10)},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SessionList mismatch (-want +got):\n%s", diff)
	}
}

func TestLiveOngoing(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		want    *OngoingLive
	}{
		{"OnAir", "15-live_ongoing.json", &OngoingLive{
			SessionID: 123450002, Title: "Demo live - evening sale"}},
		{"NotLive", "15-live_ongoing-none.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := newTestClient(t, answer(200,
				string(fixture(t, tt.fixture))))

			got, err := c.LiveOngoing(context.Background(),
				liveboard.RegionID, 900000123)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LiveOngoing mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"liveOngoing ok"},
				rec.outcomes()); diff != "" {
				t.Errorf("observations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChallengeFixture(t *testing.T) {
	c, _ := newTestClient(t, answer(http.StatusForbidden,
		string(fixture(t, "err-90309999-antibot.json"))))

	_, err := c.Overview(context.Background(), testAuth, 1)
	e := assertKind(t, err, ErrChallenge)
	if e.Code != challengeCode || e.HTTPStatus != 403 {
		t.Errorf("Code, HTTPStatus = %d, %d; want %d, 403",
			e.Code, e.HTTPStatus, challengeCode)
	}
}

func TestWireInt(t *testing.T) {
	tests := []struct {
		in      string
		want    *int64
		wantErr bool
	}{
		{in: `12`, want: liveboard.Ptr[int64](12)},
		{in: `"12"`, want: liveboard.Ptr[int64](12)},
		{in: `" 12 "`, want: liveboard.Ptr[int64](12)},
		{in: `12.0`, want: liveboard.Ptr[int64](12)},
		{in: `1e3`, want: liveboard.Ptr[int64](1000)},
		{in: `9007199254740993`, want: liveboard.Ptr[int64](9007199254740993)},
		{in: `-4`, want: liveboard.Ptr[int64](-4)},
		{in: `null`},
		{in: `""`},
		{in: `12.5`, wantErr: true},
		{in: `"abc"`, wantErr: true},
		{in: `true`, wantErr: true},
		{in: `{}`, wantErr: true},
		{in: `1e300`, wantErr: true},
	}
	for _, tt := range tests {
		var w wireInt
		err := json.Unmarshal([]byte(tt.in), &w)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %t", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, w.p); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestWireMoney(t *testing.T) {
	tests := []struct {
		in      string
		want    *liveboard.Money
		wantErr bool
	}{
		{in: `3712500`, want: liveboard.Ptr(liveboard.MoneyFromMajor(3712500))},
		{in: `709847.99`, want: liveboard.Ptr(liveboard.Money(70_984_799_000))},
		{in: `"0.1"`, want: liveboard.Ptr(liveboard.Money(10_000))},
		// More digits than a float64 holds; the text is read exactly.
		{in: `1234567890123.45678`,
			want: liveboard.Ptr(liveboard.Money(123_456_789_012_345_678))},
		{in: `null`},
		{in: `"x"`, wantErr: true},
	}
	for _, tt := range tests {
		var w wireMoney
		err := json.Unmarshal([]byte(tt.in), &w)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %t", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, w.p); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestWireTime(t *testing.T) {
	tests := []struct {
		in   string
		want *time.Time
	}{
		{`1767258000000`, liveboard.Ptr(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))},
		{`"1767258000123"`, liveboard.Ptr(
			time.Date(2026, 1, 1, 9, 0, 0, 123e6, time.UTC))},
		{`0`, nil},
		{`null`, nil},
	}
	for _, tt := range tests {
		var w wireTime
		if err := json.Unmarshal([]byte(tt.in), &w); err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, w.p); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestWireDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    *time.Duration
		wantErr bool
	}{
		{in: `95400`, want: liveboard.Ptr(95400 * time.Millisecond)},
		{in: `"1500.5"`, want: liveboard.Ptr(1500500 * time.Microsecond)},
		{in: `null`},
		{in: `1e300`, wantErr: true},
		{in: `"NaN"`, wantErr: true},
	}
	for _, tt := range tests {
		var w wireDuration
		err := json.Unmarshal([]byte(tt.in), &w)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %t", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, w.p); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.in, diff)
		}
	}
}
