package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

func TestAutoPauseSettings(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		ctx := context.Background()
		s := open(t, e)
		st := mustStudio(t, s, "Studio")

		got, err := s.AutoPauseSettings(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Enabled || got.UpdatedAt != nil ||
			got.MinSpend != liveboard.MoneyFromMajor(50_000) {
			t.Errorf("defaults = %+v", got)
		}

		want := liveboard.AutoPauseSettings{StudioID: st.ID, Enabled: true,
			ROIFloorPercent: 12.5, MinSpend: 7_500_000_001}
		if err := s.SaveAutoPauseSettings(ctx, &want); err != nil {
			t.Fatal(err)
		}
		got, err = s.AutoPauseSettings(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Enabled || got.ROIFloorPercent != 12.5 ||
			got.MinSpend != want.MinSpend || got.UpdatedAt == nil {
			t.Errorf("saved %+v, read %+v", want, got)
		}

		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := s.AutoPauseSettings(ctx, 9999)
			wantCode(t, "unknown studio", err, liveboard.ENotFound)
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			bad := want
			bad.MinSpend = -1
			wantCode(t, "negative min spend",
				s.SaveAutoPauseSettings(ctx, &bad), liveboard.EInvalid)
		})
	})
}

func TestCampaignActions(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		ctx := context.Background()
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 42)
		at := time.Date(2026, 3, 10, 5, 0, 0, 0, time.UTC)
		pause := func(campaign int64, date string) *liveboard.CampaignAction {
			return &liveboard.CampaignAction{StudioID: st.ID,
				AccountID: a.ID, CampaignID: campaign, Kind: "pause",
				Date: date, Title: "Live Ads", ROIPercent: -40.5,
				Spend: 8_000_000_000, Revenue: 5_000_000_000,
				DecidedAt: at}
		}

		first := pause(7, "2026-03-10")
		if ok, err := s.ClaimCampaignAction(ctx, first); err != nil || !ok {
			t.Fatalf("first claim: %t, %v", ok, err)
		}
		// A failed or pending action may be claimed again, under the same
		// id; a done one may not.
		if err := s.FinishCampaignAction(ctx, first.ID,
			liveboard.ActionFailed, "Shopee unavailable",
			at.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		again := pause(7, "2026-03-10")
		again.DecidedAt = at.Add(time.Minute)
		if ok, err := s.ClaimCampaignAction(ctx, again); err != nil || !ok ||
			again.ID != first.ID {
			t.Fatalf("claim after failure: %t, %v, id %d (first %d)", ok,
				err, again.ID, first.ID)
		}
		if err := s.FinishCampaignAction(ctx, again.ID,
			liveboard.ActionDone, "", at.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.ClaimCampaignAction(ctx,
			pause(7, "2026-03-10")); err != nil || ok {
			t.Fatalf("claim after done: %t, %v; want false", ok, err)
		}
		// The next day is another action.
		next := pause(7, "2026-03-11")
		next.DecidedAt = at.Add(24 * time.Hour)
		if ok, err := s.ClaimCampaignAction(ctx, next); err != nil || !ok {
			t.Fatalf("next day: %t, %v", ok, err)
		}

		list, err := s.CampaignActions(ctx, st.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != next.ID ||
			list[1].Outcome != liveboard.ActionDone ||
			list[1].Spend != 8_000_000_000 || list[1].ROIPercent != -40.5 ||
			!list[1].DecidedAt.Equal(again.DecidedAt) ||
			list[0].Outcome != liveboard.ActionPending {
			t.Errorf("actions = %+v", list)
		}
		err = s.FinishCampaignAction(ctx, 9999, liveboard.ActionDone, "",
			at)
		wantCode(t, "unknown action", err, liveboard.ENotFound)
	})
}
