package sqlstore_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
)

var ctx = context.Background()

// fixedClock returns a store clock frozen at t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func open(t *testing.T, e sqlstoretest.Engine) *sqlstore.Store {
	opts := sqlstoretest.Options()
	opts.Now = fixedClock(time.Date(2026, 11, 2, 3, 4, 5, 123456000, time.UTC))
	return e.Open(t, opts)
}

func mustStudio(t *testing.T, s *sqlstore.Store, name string) *liveboard.Studio {
	t.Helper()
	st := &liveboard.Studio{Name: name, Region: liveboard.RegionID,
		CommissionBasisPoints: 250}
	if err := s.CreateStudio(ctx, st); err != nil {
		t.Fatal(err)
	}
	return st
}

func mustAccount(t *testing.T, s *sqlstore.Store, studioID, uid int64) *liveboard.Account {
	t.Helper()
	a := &liveboard.Account{StudioID: studioID, Region: liveboard.RegionID,
		ShopeeUserID: uid, UserName: "creator"}
	if err := s.CreateAccount(ctx, a, "SPC_EC=cookie-value-0001; SPC_ST=st"); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestStudios(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio Satu")

		got, err := s.Studio(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(st, got); diff != "" {
			t.Errorf("Studio mismatch (-want +got):\n%s", diff)
		}

		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := s.Studio(ctx, 999)
			if code := liveboard.ErrorCode(err); code != liveboard.ENotFound {
				t.Errorf("code = %q, want %q", code, liveboard.ENotFound)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			err := s.CreateStudio(ctx, &liveboard.Studio{Name: "x",
				Region: "XX"})
			if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
				t.Errorf("code = %q, want %q", code, liveboard.EInvalid)
			}
			err = s.CreateStudio(ctx, &liveboard.Studio{Name: "x",
				Region: liveboard.RegionID, CommissionBasisPoints: 20000})
			if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
				t.Errorf("commission 200%%: code = %q, want %q",
					code, liveboard.EInvalid)
			}
		})
	})
}

func TestAccounts(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 900000123)

		t.Run("LoginSealed", func(t *testing.T) {
			var raw []byte
			err := s.DB().QueryRowContext(ctx,
				`SELECT credentials FROM shopee_accounts WHERE id = $1`,
				a.ID).Scan(&raw)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(raw, []byte("cookie-value-0001")) {
				t.Error("login stored in the clear")
			}

			got, err := s.AccountCookies(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := "SPC_EC=cookie-value-0001; SPC_ST=st"; got != want {
				t.Errorf("AccountCookies = %q, want %q", got, want)
			}
		})

		t.Run("ErrConflict", func(t *testing.T) {
			dup := &liveboard.Account{StudioID: st.ID,
				Region: liveboard.RegionID, ShopeeUserID: 900000123}
			err := s.CreateAccount(ctx, dup, "SPC_EC=x")
			if code := liveboard.ErrorCode(err); code != liveboard.EConflict {
				t.Errorf("code = %q, want %q", code, liveboard.EConflict)
			}
		})

		t.Run("ErrUnknownStudio", func(t *testing.T) {
			bad := &liveboard.Account{StudioID: 999,
				Region: liveboard.RegionID, ShopeeUserID: 1}
			err := s.CreateAccount(ctx, bad, "SPC_EC=x")
			if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
				t.Errorf("code = %q, want %q", code, liveboard.EInvalid)
			}
		})

		t.Run("Health", func(t *testing.T) {
			at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
			if err := s.RecordAccountFailure(ctx, a.ID, at, "timeout",
				false); err != nil {
				t.Fatal(err)
			}
			if err := s.RecordAccountFailure(ctx, a.ID, at.Add(time.Minute),
				"login required", true); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Account(ctx, a.ID)
			want := liveboard.AccountHealth{NeedsRelogin: true,
				LastErrorAt: liveboard.Ptr(at.Add(time.Minute)),
				LastError:   "login required", ConsecutiveFailures: 2}
			if diff := cmp.Diff(want, got.Health); diff != "" {
				t.Errorf("health (-want +got):\n%s", diff)
			}

			if err := s.ReplaceAccountCookies(ctx, a.ID,
				"SPC_EC=new"); err != nil {
				t.Fatal(err)
			}
			if err := s.RecordAccountSuccess(ctx, a.ID,
				at.Add(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
			got, _ = s.Account(ctx, a.ID)
			if got.Health.NeedsRelogin || got.Health.ConsecutiveFailures != 0 ||
				!got.Health.LastSuccessAt.Equal(at.Add(2*time.Minute)) {
				t.Errorf("after relogin and success: %+v", got.Health)
			}
			if c, _ := s.AccountCookies(ctx, a.ID); c != "SPC_EC=new" {
				t.Errorf("cookies after replace = %q", c)
			}
		})

		t.Run("List", func(t *testing.T) {
			other := mustStudio(t, s, "Other")
			mustAccount(t, s, other.ID, 5)
			mine, _ := s.Accounts(ctx, st.ID)
			all, _ := s.Accounts(ctx, 0)
			if len(mine) != 1 || len(all) != 2 {
				t.Errorf("studio has %d accounts, all %d; want 1, 2",
					len(mine), len(all))
			}
		})
	})
}

func sampleSession(studioID, accountID int64, id string,
	start time.Time) *liveboard.Session {
	return &liveboard.Session{
		StudioID: studioID, AccountID: accountID, ShopeeSessionID: id,
		Title: "Flash Sale", Status: liveboard.SessionOngoing,
		StartedAt: start, Duration: 65*time.Minute + 12*time.Millisecond,
		SyncedAt: start.Add(time.Hour),
		Metrics: liveboard.Metrics{
			ViewersNow: liveboard.Ptr[int64](37),
			Viewers:    liveboard.Ptr[int64](2140),
			Comments:   liveboard.Ptr[int64](211),
			// An amount beyond float64's exact range, in 1/100000 units.
			PlacedGMV:        liveboard.Ptr(liveboard.Money(9_007_199_254_740_993)),
			ConversionRate:   liveboard.Ptr(2.06),
			AvgViewTime:      liveboard.Ptr(95400 * time.Millisecond),
			ClickThroughRate: nil,
		},
		CampaignBudget: liveboard.MoneyFromMajor(10_000_000),
	}
}

func TestSaveSession(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 1)
		start := time.Date(2026, 11, 1, 12, 0, 0, 500_000_000, time.UTC)

		se := sampleSession(st.ID, a.ID, "123450002", start)
		snap := &liveboard.Snapshot{TakenAt: se.SyncedAt, Metrics: se.Metrics}
		if err := s.SaveSession(ctx, se, snap); err != nil {
			t.Fatal(err)
		}

		got, err := s.SessionByShopeeID(ctx, a.ID, "123450002")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(se, got); diff != "" {
			t.Errorf("stored session (-want +got):\n%s", diff)
		}

		t.Run("UpsertKeepsID", func(t *testing.T) {
			again := sampleSession(st.ID, a.ID, "123450002", start)
			again.Status = liveboard.SessionEnded
			again.EndedAt = liveboard.Ptr(start.Add(2 * time.Hour))
			if err := s.SaveSession(ctx, again, nil); err != nil {
				t.Fatal(err)
			}
			if again.ID != se.ID {
				t.Errorf("upsert gave id %d, want %d", again.ID, se.ID)
			}
			list, total, _ := s.Sessions(ctx, liveboard.SessionFilter{})
			if total != 1 || len(list) != 1 ||
				list[0].Status != liveboard.SessionEnded {
				t.Errorf("after upsert: total %d, %+v", total, list)
			}
		})

		t.Run("SnapshotDedupe", func(t *testing.T) {
			same := &liveboard.Snapshot{TakenAt: se.SyncedAt.Add(time.Minute),
				Metrics: se.Metrics}
			if err := s.SaveSession(ctx, se, same); err != nil {
				t.Fatal(err)
			}
			changed := se.Metrics
			changed.Comments = liveboard.Ptr[int64](300)
			next := &liveboard.Snapshot{TakenAt: se.SyncedAt.Add(2 * time.Minute),
				Metrics: changed}
			if err := s.SaveSession(ctx, se, next); err != nil {
				t.Fatal(err)
			}

			snaps, err := s.Snapshots(ctx, se.ID, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(snaps) != 2 {
				t.Fatalf("got %d snapshots, want 2 (one deduplicated)",
					len(snaps))
			}
			if *snaps[1].Metrics.Comments != 300 || snaps[1].Metrics.Shares != nil {
				t.Errorf("second snapshot metrics: %+v", snaps[1].Metrics)
			}
			if diff := cmp.Diff(se.Metrics, snaps[0].Metrics); diff != "" {
				t.Errorf("first snapshot (-want +got):\n%s", diff)
			}
		})

		t.Run("ErrHalfWrite", func(t *testing.T) {
			fresh := sampleSession(st.ID, a.ID, "777", start)
			err := s.SaveSession(ctx, fresh, &liveboard.Snapshot{})
			if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
				t.Fatalf("code = %q, want %q", code, liveboard.EInvalid)
			}
			_, err = s.SessionByShopeeID(ctx, a.ID, "777")
			if code := liveboard.ErrorCode(err); code != liveboard.ENotFound {
				t.Errorf("session written without its snapshot: %v", err)
			}
		})

		t.Run("ErrInvalidStatus", func(t *testing.T) {
			bad := sampleSession(st.ID, a.ID, "778", start)
			bad.Status = "paused"
			err := s.SaveSession(ctx, bad, nil)
			if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
				t.Errorf("code = %q, want %q", code, liveboard.EInvalid)
			}
		})
	})
}

func TestSessionsFilter(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		one := mustStudio(t, s, "One")
		two := mustStudio(t, s, "Two")
		a1 := mustAccount(t, s, one.ID, 1)
		a2 := mustAccount(t, s, two.ID, 2)
		base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

		for i := range 5 {
			se := sampleSession(one.ID, a1.ID, "s1-"+string(rune('a'+i)),
				base.Add(time.Duration(i)*time.Hour))
			if i%2 == 0 {
				se.Status = liveboard.SessionEnded
			}
			// GMV c > a > e > b, d unknown; orders the other way.
			gmv := []int64{300, 100, 500, 0, 200}[i]
			se.Metrics.PlacedGMV, se.Metrics.PlacedOrders = nil, nil
			if gmv > 0 {
				se.Metrics.PlacedGMV = liveboard.Ptr(
					liveboard.MoneyFromMajor(gmv))
				se.Metrics.PlacedOrders = liveboard.Ptr(1000 - gmv)
			}
			if err := s.SaveSession(ctx, se, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SaveSession(ctx,
			sampleSession(two.ID, a2.ID, "s2", base), nil); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name   string
			filter liveboard.SessionFilter
			ids    []string
			total  int
		}{
			{"StudioNewestFirst", liveboard.SessionFilter{
				StudioIDs: []int64{one.ID}, Limit: 2},
				[]string{"s1-e", "s1-d"}, 5},
			{"Offset", liveboard.SessionFilter{
				StudioIDs: []int64{one.ID}, Limit: 2, Offset: 4},
				[]string{"s1-a"}, 5},
			{"Status", liveboard.SessionFilter{StudioIDs: []int64{one.ID},
				Status: liveboard.SessionOngoing},
				[]string{"s1-d", "s1-b"}, 2},
			{"Range", liveboard.SessionFilter{StudioIDs: []int64{one.ID},
				StartedFrom:   base.Add(time.Hour),
				StartedBefore: base.Add(3 * time.Hour)},
				[]string{"s1-c", "s1-b"}, 2},
			{"NoStudios", liveboard.SessionFilter{StudioIDs: []int64{}},
				nil, 0},
			{"Account", liveboard.SessionFilter{AccountID: a2.ID},
				[]string{"s2"}, 1},
			{"Oldest", liveboard.SessionFilter{StudioIDs: []int64{one.ID},
				Sort: liveboard.SortOldest, Limit: 2},
				[]string{"s1-a", "s1-b"}, 5},
			{"GMV", liveboard.SessionFilter{StudioIDs: []int64{one.ID},
				Sort: liveboard.SortGMV},
				[]string{"s1-c", "s1-a", "s1-e", "s1-b", "s1-d"}, 5},
			{"OrdersPaged", liveboard.SessionFilter{
				StudioIDs: []int64{one.ID}, Sort: liveboard.SortOrders,
				Limit: 2, Offset: 1},
				[]string{"s1-e", "s1-a"}, 5},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := s.Sessions(ctx, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, se := range list {
					ids = append(ids, se.ShopeeSessionID)
				}
				if diff := cmp.Diff(tt.ids, ids); diff != "" || total != tt.total {
					t.Errorf("ids (-want +got):\n%s total = %d, want %d",
						diff, total, tt.total)
				}
			})
		}
	})
}

func TestDailyAnalytics(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")

		d := &liveboard.DailyAnalytics{StudioID: st.ID, Date: "2026-11-01",
			TotalSessions: 5, TotalRevenue: liveboard.MoneyFromMajor(50_000_000),
			TotalOrders: 100, ConversionRate: 0.15}
		if err := s.SaveDailyAnalytics(ctx, d); err != nil {
			t.Fatal(err)
		}
		d.TotalSessions = 6
		if err := s.SaveDailyAnalytics(ctx, d); err != nil {
			t.Fatal(err)
		}
		other := &liveboard.DailyAnalytics{StudioID: st.ID, Date: "2026-11-03"}
		if err := s.SaveDailyAnalytics(ctx, other); err != nil {
			t.Fatal(err)
		}

		got, err := s.DailyAnalytics(ctx, st.ID, "2026-10-01", "2026-11-02")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]liveboard.DailyAnalytics{*d}, got); diff != "" {
			t.Errorf("analytics (-want +got):\n%s", diff)
		}

		bad := &liveboard.DailyAnalytics{StudioID: st.ID, Date: "1 Nov"}
		if code := liveboard.ErrorCode(s.SaveDailyAnalytics(ctx, bad)); code != liveboard.EInvalid {
			t.Errorf("bad date: code = %q, want %q", code, liveboard.EInvalid)
		}
	})
}

func TestAccess(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")

		u := &liveboard.User{Email: " Owner@Example.com ", Name: "Owner"}
		if err := s.CreateUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMembership(ctx, u.ID, st.ID, liveboard.RoleViewer); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMembership(ctx, u.ID, st.ID, liveboard.RoleOperator); err != nil {
			t.Fatal(err)
		}

		p, err := s.Principal(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := &liveboard.Principal{UserID: u.ID,
			Roles: map[int64]liveboard.Role{st.ID: liveboard.RoleOperator}}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Errorf("principal (-want +got):\n%s", diff)
		}

		byEmail, err := s.UserByEmail(ctx, "OWNER@example.com")
		if err != nil || byEmail.ID != u.ID {
			t.Errorf("UserByEmail = %+v, %v", byEmail, err)
		}

		k := &liveboard.APIKey{UserID: u.ID, StudioID: &st.ID,
			Role: liveboard.RoleViewer, Name: "ci", Prefix: "lb_abcd"}
		hash := bytes.Repeat([]byte{1}, 32)
		if err := s.CreateAPIKey(ctx, k, hash); err != nil {
			t.Fatal(err)
		}
		got, err := s.APIKeyByHash(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(k, got); diff != "" {
			t.Errorf("API key (-want +got):\n%s", diff)
		}
		_, err = s.APIKeyByHash(ctx, bytes.Repeat([]byte{2}, 32))
		if code := liveboard.ErrorCode(err); code != liveboard.ENotFound {
			t.Errorf("unknown key: code = %q", code)
		}
	})
}

func TestMigrateTwiceAndPing(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("ping: %v", err)
		}
	})
}

func TestPingUnmigrated(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s, err := sqlstore.Open(ctx, e.URL(t), sqlstoretest.Options())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Ping(ctx); err == nil {
			t.Error("Ping of an unmigrated database succeeded")
		}
	})
}
