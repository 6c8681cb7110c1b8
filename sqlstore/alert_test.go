package sqlstore_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
)

func TestAlertRules(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")

		got, err := s.AlertRules(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(liveboard.DefaultAlertRules(st.ID), *got); diff != "" {
			t.Errorf("defaults (-want +got):\n%s", diff)
		}

		r := liveboard.DefaultAlertRules(st.ID)
		r.ViewerDrop.Percent, r.ViewerDrop.Window = 42.5, 3*time.Minute
		r.NoOrders.Enabled = false
		r.Cooldown = time.Hour
		if err := s.SaveAlertRules(ctx, &r); err != nil {
			t.Fatal(err)
		}
		got, err = s.AlertRules(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r, *got); diff != "" || r.UpdatedAt == nil {
			t.Errorf("saved rules (-want +got):\n%s", diff)
		}

		t.Run("ErrInvalid", func(t *testing.T) {
			bad := r
			bad.ViewerDrop.Percent = 0
			err := s.SaveAlertRules(ctx, &bad)
			if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
				t.Errorf("code = %q, want %q", code, liveboard.EInvalid)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := s.AlertRules(ctx, 999)
			if code := liveboard.ErrorCode(err); code != liveboard.ENotFound {
				t.Errorf("code = %q, want %q", code, liveboard.ENotFound)
			}
		})
	})
}

func mustChannel(t *testing.T, s *sqlstore.Store, studioID int64,
	kind liveboard.ChannelKind, enabled bool) *liveboard.Channel {
	t.Helper()
	ch := &liveboard.Channel{StudioID: studioID, Kind: kind,
		Name: string(kind), Enabled: enabled}
	cfg := liveboard.ChannelConfig{BotToken: "123456:bot-token-secret",
		ChatID: "-100200", URL: "https://hooks.example.test/p/secret-path",
		Secret: "signing-secret"}
	if err := s.CreateChannel(ctx, ch, cfg); err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestChannels(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		tg := mustChannel(t, s, st.ID, liveboard.ChannelTelegram, true)
		hook := mustChannel(t, s, st.ID, liveboard.ChannelWebhook, true)

		list, err := s.Channels(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]liveboard.Channel{*tg, *hook}, list); diff != "" {
			t.Errorf("channels (-want +got):\n%s", diff)
		}
		if tg.Target != "chat -100200" ||
			hook.Target != "https://hooks.example.test" {
			t.Errorf("targets %q, %q", tg.Target, hook.Target)
		}

		t.Run("SettingsSealed", func(t *testing.T) {
			var raw []byte
			err := s.DB().QueryRowContext(ctx,
				`SELECT config FROM alert_channels WHERE id = $1`,
				tg.ID).Scan(&raw)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(raw, []byte("bot-token-secret")) {
				t.Error("bot token stored in the clear")
			}
			cfg, err := s.ChannelConfig(ctx, tg.ID)
			if err != nil || cfg.BotToken != "123456:bot-token-secret" {
				t.Errorf("ChannelConfig = %+v, %v", cfg, err)
			}
		})

		t.Run("ErrInvalidConfig", func(t *testing.T) {
			ch := &liveboard.Channel{StudioID: st.ID,
				Kind: liveboard.ChannelWebhook}
			err := s.CreateChannel(ctx, ch,
				liveboard.ChannelConfig{URL: "ftp://x"})
			if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
				t.Errorf("code = %q, want %q", code, liveboard.EInvalid)
			}
		})

		t.Run("Delete", func(t *testing.T) {
			if err := s.DeleteChannel(ctx, hook.ID); err != nil {
				t.Fatal(err)
			}
			_, err := s.Channel(ctx, hook.ID)
			if code := liveboard.ErrorCode(err); code != liveboard.ENotFound {
				t.Errorf("deleted channel: code %q", code)
			}
			err = s.DeleteChannel(ctx, hook.ID)
			if code := liveboard.ErrorCode(err); code != liveboard.ENotFound {
				t.Errorf("second delete: code %q", code)
			}
		})
	})
}

func dropAlert(studioID, accountID, sessionID int64,
	at time.Time) *liveboard.Alert {
	return &liveboard.Alert{
		StudioID: studioID, AccountID: accountID, SessionID: sessionID,
		ShopeeSessionID: "5001", Rule: liveboard.RuleViewerDrop,
		Subject: liveboard.SessionSubject(sessionID),
		Title:   "Viewers dropped 50%", Message: "Viewers fell.",
		Evidence: liveboard.Evidence{
			Level: liveboard.Ptr[int64](1200), LevelAt: liveboard.Ptr(at.Add(-2 * time.Minute)),
			Viewers: liveboard.Ptr[int64](600), ViewersAt: liveboard.Ptr(at),
			DropPercent: liveboard.Ptr(50.0), Window: 5 * time.Minute,
		},
		FiredAt: at,
	}
}

func TestFireAlert(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 1)
		at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		se := sampleSession(st.ID, a.ID, "5001", at.Add(-time.Hour))
		if err := s.SaveSession(ctx, se, nil); err != nil {
			t.Fatal(err)
		}
		tg := mustChannel(t, s, st.ID, liveboard.ChannelTelegram, true)
		mustChannel(t, s, st.ID, liveboard.ChannelWebhook, false)

		first := dropAlert(st.ID, a.ID, se.ID, at)
		fire := func(a *liveboard.Alert) bool {
			t.Helper()
			fired, err := s.FireAlert(ctx, a, 15*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return fired
		}
		if !fire(first) {
			t.Fatal("first alert did not fire")
		}

		got, err := s.Alert(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("stored alert (-want +got):\n%s", diff)
		}
		if len(got.Deliveries) != 1 || got.Deliveries[0].ChannelID != tg.ID ||
			got.Deliveries[0].Status != liveboard.DeliveryPending {
			t.Errorf("deliveries %+v, want one pending to the enabled "+
				"channel", got.Deliveries)
		}

		t.Run("OncePerEpisode", func(t *testing.T) {
			if fire(dropAlert(st.ID, a.ID, se.ID, at.Add(time.Minute))) {
				t.Error("second alert of an open episode fired")
			}
		})
		t.Run("CooldownAfterResolve", func(t *testing.T) {
			err := s.ResolveAlert(ctx, st.ID, liveboard.RuleViewerDrop,
				first.Subject, at.Add(2*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if fire(dropAlert(st.ID, a.ID, se.ID, at.Add(10*time.Minute))) {
				t.Error("alert fired within the cooldown")
			}
			if !fire(dropAlert(st.ID, a.ID, se.ID, at.Add(20*time.Minute))) {
				t.Error("alert after the cooldown did not fire")
			}
		})
		t.Run("OpenAlerts", func(t *testing.T) {
			open, err := s.OpenAlerts(ctx, a.ID)
			if err != nil || len(open) != 1 || open[0].ID == first.ID {
				t.Errorf("open alerts %+v, %v; want the second one", open,
					err)
			}
		})
	})
}

func TestFireAlertConcurrently(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 1)
		at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

		var mu sync.Mutex
		fired := 0
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				al := &liveboard.Alert{StudioID: st.ID, AccountID: a.ID,
					Rule:    liveboard.RuleRelogin,
					Subject: liveboard.AccountSubject(a.ID), FiredAt: at}
				ok, err := s.FireAlert(ctx, al, 0)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if ok {
					fired++
				}
			})
		}
		wg.Wait()
		if fired != 1 {
			t.Errorf("%d alerts fired for one episode, want 1", fired)
		}
	})
}

func TestAlertInbox(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		other := mustStudio(t, s, "Other")
		a := mustAccount(t, s, st.ID, 1)
		b := mustAccount(t, s, other.ID, 2)
		ch := mustChannel(t, s, st.ID, liveboard.ChannelWebhook, true)
		at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

		var mine []*liveboard.Alert
		for i, rule := range []liveboard.AlertRule{liveboard.RuleRelogin,
			liveboard.RuleNoOrders, liveboard.RuleEarlyEnd} {
			al := &liveboard.Alert{StudioID: st.ID, AccountID: a.ID,
				Rule: rule, Subject: liveboard.AccountSubject(a.ID),
				Title: string(rule), FiredAt: at.Add(time.Duration(i) * time.Minute),
				Evidence: liveboard.Evidence{Error: "login required"}}
			if _, err := s.FireAlert(ctx, al, 0); err != nil {
				t.Fatal(err)
			}
			mine = append(mine, al)
		}
		theirs := &liveboard.Alert{StudioID: other.ID, AccountID: b.ID,
			Rule: liveboard.RuleRelogin, Subject: "account:2", FiredAt: at}
		if _, err := s.FireAlert(ctx, theirs, 0); err != nil {
			t.Fatal(err)
		}
		if err := s.ResolveAlert(ctx, st.ID, liveboard.RuleRelogin,
			mine[0].Subject, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.AcknowledgeAlert(ctx, mine[1].ID, 0, at); err == nil {
			t.Error("acknowledged by an unknown user")
		}

		u := &liveboard.User{Email: "op@example.test", Name: "Op"}
		if err := s.CreateUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.AcknowledgeAlert(ctx, mine[1].ID, u.ID,
			at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}

		ids := func(list []liveboard.Alert) []int64 {
			var out []int64
			for _, al := range list {
				out = append(out, al.ID)
			}
			return out
		}
		tests := []struct {
			name   string
			filter liveboard.AlertFilter
			want   []int64
		}{
			{"StudioNewestFirst", liveboard.AlertFilter{
				StudioIDs: []int64{st.ID}},
				[]int64{mine[2].ID, mine[1].ID, mine[0].ID}},
			{"Open", liveboard.AlertFilter{StudioIDs: []int64{st.ID},
				Open: liveboard.Ptr(true)}, []int64{mine[2].ID, mine[1].ID}},
			{"Unread", liveboard.AlertFilter{StudioIDs: []int64{st.ID},
				Acknowledged: liveboard.Ptr(false)},
				[]int64{mine[2].ID, mine[0].ID}},
			{"Rule", liveboard.AlertFilter{Rule: liveboard.RuleRelogin},
				[]int64{theirs.ID, mine[0].ID}},
			{"NoStudios", liveboard.AlertFilter{StudioIDs: []int64{}}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := s.Alerts(ctx, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, ids(list)); diff != "" ||
					total != len(tt.want) {
					t.Errorf("ids (-want +got):\n%s total %d", diff, total)
				}
			})
		}

		t.Run("Deliveries", func(t *testing.T) {
			pending, err := s.PendingDeliveries(ctx, at.Add(90*time.Second), 10)
			if err != nil || len(pending) != 2 {
				t.Fatalf("pending %+v, %v; want the first two alerts'",
					pending, err)
			}
			err = s.RecordDelivery(ctx, mine[0].ID, ch.ID,
				liveboard.DeliveryPending, "HTTP 503", at)
			if err != nil {
				t.Fatal(err)
			}
			err = s.RecordDelivery(ctx, mine[0].ID, ch.ID,
				liveboard.DeliverySent, "", at.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := s.Alert(ctx, mine[0].ID)
			want := liveboard.Delivery{AlertID: mine[0].ID, ChannelID: ch.ID,
				ChannelKind: liveboard.ChannelWebhook, ChannelName: "webhook",
				Status: liveboard.DeliverySent, Attempts: 2,
				SentAt:    liveboard.Ptr(at.Add(time.Minute)),
				UpdatedAt: at.Add(time.Minute)}
			if diff := cmp.Diff([]liveboard.Delivery{want},
				got.Deliveries); diff != "" {
				t.Errorf("delivery (-want +got):\n%s", diff)
			}
			err = s.RecordDelivery(ctx, mine[0].ID, 999,
				liveboard.DeliverySent, "", at)
			if code := liveboard.ErrorCode(err); code != liveboard.ENotFound {
				t.Errorf("unknown delivery: code %q", code)
			}
		})
	})
}
