package sqlstore_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/sqlstore"
	"liveboard/sqlstore/sqlstoretest"
)

func product(id int64, revenue, clicks int64) liveboard.Product {
	return liveboard.Product{
		ItemID: id, Title: fmt.Sprintf("Item %d", id),
		CoverImage: "https://cf.example.invalid/i.jpg",
		MinPrice:   liveboard.Ptr(liveboard.MoneyFromMajor(49_900)),
		MaxPrice:   liveboard.Ptr(liveboard.Money(5_990_050_000)),
		Clicks:     liveboard.Ptr(clicks), ClickThroughRate: liveboard.Ptr(1.25),
		AddToCart: liveboard.Ptr(clicks / 2), Orders: liveboard.Ptr(revenue),
		Revenue:   liveboard.Ptr(liveboard.MoneyFromMajor(revenue * 49_900)),
		ItemsSold: liveboard.Ptr(revenue), ConversionRate: liveboard.Ptr(3.5),
	}
}

// liveUpdate returns an update of se with a snapshot at t whose viewers
// are n.
func liveUpdate(se *liveboard.Session, t time.Time, n int64,
	ps []liveboard.Product) liveboard.LiveUpdate {
	se.SyncedAt = t
	se.Metrics.ViewersNow = liveboard.Ptr(n)
	return liveboard.LiveUpdate{Session: se, Products: ps,
		Snapshot: &liveboard.Snapshot{TakenAt: t, Metrics: se.Metrics}}
}

func TestSaveLiveUpdates(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 1)
		start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		se := sampleSession(st.ID, a.ID, "5001", start)

		var ps []liveboard.Product
		for i := range 7 {
			ps = append(ps, product(int64(100+i), int64(i%4), int64(10*i)))
		}
		first := liveUpdate(se, start.Add(time.Minute), 40, ps)
		first.FullSync = true
		if err := s.SaveLiveUpdates(ctx, []liveboard.LiveUpdate{first}); err != nil {
			t.Fatal(err)
		}

		t.Run("ProductsBestSellersFirst", func(t *testing.T) {
			got, err := s.SessionProducts(ctx, se.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := liveboard.TopProducts(ps, len(ps))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("products (-want +got):\n%s", diff)
			}
		})

		t.Run("FullSyncRecorded", func(t *testing.T) {
			ws, err := s.WatchedSessions(ctx, a.ID, start.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if len(ws) != 1 || ws[0].FullSyncedAt == nil ||
				!ws[0].FullSyncedAt.Equal(start.Add(time.Minute)) {
				t.Fatalf("watched sessions %+v, want the ongoing one, "+
					"fully synced at its sync", ws)
			}
		})

		// A look that read no products keeps them, and the snapshot
		// still carries the top ones.
		second := liveUpdate(se, start.Add(90*time.Second), 35, nil)
		if err := s.SaveLiveUpdates(ctx, []liveboard.LiveUpdate{second}); err != nil {
			t.Fatal(err)
		}
		events, err := s.SnapshotEvents(ctx, []int64{st.ID}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 || events[1].Seq <= events[0].Seq ||
			events[1].Seq != second.Snapshot.Seq {
			t.Fatalf("events %+v, want two in seq order", events)
		}
		top := liveboard.TopProducts(ps, liveboard.TopProductCount)
		for _, ev := range events {
			if diff := cmp.Diff(top, ev.TopProducts); diff != "" {
				t.Errorf("top products of seq %d (-want +got):\n%s",
					ev.Seq, diff)
			}
		}
		want := liveboard.SnapshotEvent{Snapshot: *second.Snapshot,
			StudioID: st.ID, AccountID: a.ID, Region: liveboard.RegionID,
			ShopeeSessionID: "5001", Title: se.Title,
			Status: liveboard.SessionOngoing}
		want.TopProducts = top
		if diff := cmp.Diff(want, events[1]); diff != "" {
			t.Errorf("event (-want +got):\n%s", diff)
		}

		t.Run("SameFiguresNoNewEvent", func(t *testing.T) {
			again := liveUpdate(se, start.Add(2*time.Minute), 35, nil)
			if err := s.SaveLiveUpdates(ctx, []liveboard.LiveUpdate{again}); err != nil {
				t.Fatal(err)
			}
			last, err := s.LastSnapshotSeq(ctx)
			if err != nil || last != second.Snapshot.Seq {
				t.Errorf("last seq %d, %v; want %d", last, err,
					second.Snapshot.Seq)
			}
		})

		t.Run("OtherStudiosSeeNothing", func(t *testing.T) {
			other := mustStudio(t, s, "Other")
			got, err := s.SnapshotEvents(ctx, []int64{other.ID}, 0, 10)
			if err != nil || len(got) != 0 {
				t.Errorf("other studio got %d events, %v", len(got), err)
			}
		})

		t.Run("RecentSnapshots", func(t *testing.T) {
			got, err := s.RecentSnapshots(ctx, []int64{se.ID, 999},
				start.Add(80*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || len(got[se.ID]) != 1 ||
				*got[se.ID][0].Metrics.ViewersNow != 35 {
				t.Errorf("recent snapshots %+v, want the second", got)
			}
		})

		t.Run("ErrSnapshotWithoutTime", func(t *testing.T) {
			bad := liveUpdate(se, start.Add(3*time.Minute), 1, nil)
			bad.Snapshot.TakenAt = time.Time{}
			err := s.SaveLiveUpdates(ctx, []liveboard.LiveUpdate{bad})
			if code := liveboard.ErrorCode(err); code != liveboard.EInvalid {
				t.Errorf("code = %q, want %q", code, liveboard.EInvalid)
			}
		})
	})
}

func TestSaveSessionSnapshotsJoinTheStream(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 1)
		start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

		var seqs []int64
		for i := range 3 {
			se := sampleSession(st.ID, a.ID, fmt.Sprint(i), start)
			snap := &liveboard.Snapshot{TakenAt: se.SyncedAt,
				Metrics: se.Metrics}
			if err := s.SaveSession(ctx, se, snap); err != nil {
				t.Fatal(err)
			}
			seqs = append(seqs, snap.Seq)
		}
		if !slices.IsSorted(seqs) || seqs[0] < 1 || seqs[2]-seqs[0] != 2 {
			t.Errorf("seqs %v, want three in a row", seqs)
		}
	})
}

// TestSnapshotSeqFollowsCommitOrder has writers store snapshots at once
// while a reader follows the stream by seq, as the live stream does. The
// reader must end up with every snapshot, each once, in seq order: a
// snapshot with a lower seq never becomes visible after a higher one.
func TestSnapshotSeqFollowsCommitOrder(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		s := open(t, e)
		st := mustStudio(t, s, "Studio")
		a := mustAccount(t, s, st.ID, 1)
		start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

		const writers, rounds = 6, 25
		var wg sync.WaitGroup
		done := make(chan struct{})
		for w := range writers {
			wg.Go(func() { writeRounds(t, s, st.ID, a.ID, w, rounds, start) })
		}
		go func() { wg.Wait(); close(done) }()

		seen := follow(t, s, st.ID, done)
		if len(seen) != writers*rounds {
			t.Fatalf("reader saw %d snapshots, want %d", len(seen),
				writers*rounds)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] <= seen[i-1] {
				t.Fatalf("reader saw seq %d after %d", seen[i], seen[i-1])
			}
		}
	})
}

func writeRounds(t *testing.T, s *sqlstore.Store, studioID, accountID int64,
	w, rounds int, start time.Time) {
	se := sampleSession(studioID, accountID, fmt.Sprint("w", w), start)
	for i := range rounds {
		u := liveUpdate(se, start.Add(time.Duration(i)*time.Second),
			int64(i), nil)
		if err := s.SaveLiveUpdates(ctx, []liveboard.LiveUpdate{u}); err != nil {
			t.Error(err)
			return
		}
	}
}

// follow reads the stream until done is closed and one more read finds
// nothing new, and returns the seqs seen.
func follow(t *testing.T, s *sqlstore.Store, studioID int64,
	done <-chan struct{}) []int64 {
	var seen []int64
	var after int64
	finished := false
	for {
		events, err := s.SnapshotEvents(ctx, []int64{studioID}, after, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			seen = append(seen, ev.Seq)
			after = ev.Seq
		}
		if len(events) > 0 {
			continue
		}
		if finished {
			return seen
		}
		select {
		case <-done:
			finished = true
		default:
		}
	}
}
