package shopeesim

import (
	"bytes"
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
)

func TestSameSeedGivesSameAnswers(t *testing.T) {
	record := func(seed int64) []byte {
		s, clk := newSim(t, Options{Seed: seed})
		var out bytes.Buffer
		for range 4 {
			for _, a := range s.Accounts() {
				list := get(t, s,
					creator+"realtime/sessionList?page=1&pageSize=100",
					a.Cookie)
				out.Write(list.body)
				for _, tr := range s.Sessions(a.UserID)[:3] {
					for _, ep := range []string{"overview", "sessionInfo"} {
						res := get(t, s, sessionPath(creator,
							"realtime/dashboard/"+ep, tr.SessionID), a.Cookie)
						out.Write(res.body)
					}
				}
			}
			clk.Advance(7*time.Minute + 3*time.Second)
		}
		accts, err := json.Marshal(s.Accounts())
		if err != nil {
			t.Fatal(err)
		}
		out.Write(accts)
		return out.Bytes()
	}

	first, second := record(7), record(7)
	if !bytes.Equal(first, second) {
		t.Errorf("two worlds from seed 7 answered differently")
	}
	if bytes.Equal(first, record(8)) {
		t.Errorf("worlds from seeds 7 and 8 answered the same")
	}
}

// counters lists a Metrics' cumulative figures by name.
func counters(m Metrics) map[string]int64 {
	return map[string]int64{
		"PCU": m.PCU, "Viewers": m.Viewers, "Views": m.Views,
		"Comments": m.Comments, "Likes": m.Likes, "Shares": m.Shares,
		"NewFollowers": m.NewFollowers, "ATC": m.ATC,
		"ProductClicks": m.ProductClicks, "Buyers": m.Buyers,
		"ConfirmedBuyers": m.ConfirmedBuyers,
		"PlacedOrders":    m.PlacedOrders,
		"PlacedItemsSold": m.PlacedItemsSold,
		"PlacedGMV":       int64(m.PlacedGMV),
		"ConfirmedOrders": m.ConfirmedOrders,
		"ConfirmedItems":  m.ConfirmedItemsSold,
		"ConfirmedGMV":    int64(m.ConfirmedGMV),
	}
}

// checkConsistent reports figures of m that contradict each other.
func checkConsistent(t *testing.T, at time.Duration, m Metrics) {
	t.Helper()
	pairs := []struct {
		name       string
		small, big int64
	}{
		{"CCU <= PCU", m.CCU, m.PCU},
		{"Viewers <= Views", m.Viewers, m.Views},
		{"ConfirmedOrders <= PlacedOrders", m.ConfirmedOrders,
			m.PlacedOrders},
		{"ConfirmedItems <= PlacedItems", m.ConfirmedItemsSold,
			m.PlacedItemsSold},
		{"ConfirmedGMV <= PlacedGMV", int64(m.ConfirmedGMV),
			int64(m.PlacedGMV)},
		{"ConfirmedBuyers <= Buyers", m.ConfirmedBuyers, m.Buyers},
		{"Buyers <= PlacedOrders", m.Buyers, m.PlacedOrders},
		{"PlacedOrders <= PlacedItems", m.PlacedOrders, m.PlacedItemsSold},
		{"ATC <= ProductClicks", m.ATC, m.ProductClicks},
	}
	for _, p := range pairs {
		if p.small > p.big {
			t.Errorf("at %s: %s broken: %d > %d", at, p.name, p.small,
				p.big)
		}
	}
}

func TestMetricsEvolveConsistently(t *testing.T) {
	s, _ := newSim(t, Options{})
	accts := s.Accounts()
	added := s.AddSession(accts[2].UserID, SessionSpec{
		Start: t0.Add(-time.Hour), Duration: 90 * time.Minute,
		PeakViewers: 800,
		Drops: []Drop{
			{At: 30 * time.Minute, Factor: 0.4, Over: time.Minute},
			{At: 50 * time.Minute, Factor: 1.8, Over: 3 * time.Minute},
		},
	})
	ids := []int64{
		liveSession(t, s, accts[0].UserID).SessionID,
		liveSession(t, s, accts[1].UserID).SessionID,
		endedSession(t, s, accts[2].UserID).SessionID,
		added,
	}

	for _, id := range ids {
		t.Run(itoa(id), func(t *testing.T) {
			tr, ok := s.Truth(id, t0)
			if !ok {
				t.Fatalf("Truth(%d) found nothing", id)
			}
			walkSession(t, s, tr)
		})
	}
}

// walkSession checks every 5-second step of a session and an hour after
// its end.
func walkSession(t *testing.T, s *Server, tr SessionTruth) {
	t.Helper()
	var prev Metrics
	var final *Metrics
	var highest int64
	for at := tr.Start; at.Before(tr.End.Add(time.Hour)); at =
		at.Add(stepLen) {
		now, _ := s.Truth(tr.SessionID, at)
		m, off := now.Metrics, at.Sub(tr.Start)
		checkConsistent(t, off, m)
		for name, v := range counters(m) {
			if was := counters(prev)[name]; v < was {
				t.Fatalf("at %s: %s fell from %d to %d", off, name, was, v)
			}
		}
		if now.Live {
			highest = max(highest, m.CCU)
		}
		if m.PCU != highest {
			t.Fatalf("at %s: PCU %d, highest CCU so far %d", off, m.PCU,
				highest)
		}
		if now.Live != at.Before(tr.End) {
			t.Fatalf("at %s: Live %v, end at %s", off, now.Live,
				tr.End.Sub(tr.Start))
		}
		if !now.Live {
			if final == nil {
				final = &m
			}
			if m != *final || m.CCU != 0 {
				t.Fatalf("at %s: figures moved after the end: %+v", off, m)
			}
		}
		prev = m
	}
	if prev.PlacedOrders == 0 || prev.Viewers == 0 {
		t.Errorf("session ended with no orders or viewers: %+v", prev)
	}
}

func TestEndedSessionIsFrozen(t *testing.T) {
	s, _ := newSim(t, Options{})
	tr := endedSession(t, s, s.Accounts()[0].UserID)

	atEnd, _ := s.Truth(tr.SessionID, tr.End)
	for _, later := range []time.Duration{time.Second, time.Hour,
		30 * 24 * time.Hour} {
		got, _ := s.Truth(tr.SessionID, tr.End.Add(later))
		if diff := cmp.Diff(atEnd, got); diff != "" {
			t.Errorf("truth %s after the end differs (-at end +later):\n%s",
				later, diff)
		}
	}
	if atEnd.Live || atEnd.Metrics.CCU != 0 {
		t.Errorf("at the end: Live %v, CCU %d; want false, 0", atEnd.Live,
			atEnd.Metrics.CCU)
	}
	if got, want := atEnd.Duration, tr.End.Sub(tr.Start); got != want {
		t.Errorf("Duration after the end = %s, want %s", got, want)
	}
	if before, _ := s.Truth(tr.SessionID, tr.End.Add(-stepLen)); !before.Live {
		t.Errorf("session not live just before its end")
	}
}

func TestTruthBeforeStartIsAbsent(t *testing.T) {
	s, _ := newSim(t, Options{})
	tr := liveSession(t, s, s.Accounts()[0].UserID)
	if _, ok := s.Truth(tr.SessionID, tr.Start.Add(-time.Nanosecond)); ok {
		t.Errorf("Truth before the start reported a session")
	}
	if _, ok := s.Truth(1, t0); ok {
		t.Errorf("Truth of an unknown session reported one")
	}
}

func TestDropHalvesViewers(t *testing.T) {
	at := 60 * time.Minute

	for _, seed := range []int64{1, 2, 3, 4, 5} {
		s, _ := newSim(t, Options{Seed: seed})
		start := t0.Add(-2 * time.Hour)
		id := s.AddSession(s.Accounts()[2].UserID, SessionSpec{
			Start: start, Duration: 3 * time.Hour, PeakViewers: 2000,
			Drops: []Drop{{At: at, Factor: 0.5, Over: 2 * time.Minute}},
		})
		before, _ := s.Truth(id, start.Add(at))
		after, _ := s.Truth(id, start.Add(at+2*time.Minute))
		later, _ := s.Truth(id, start.Add(at+20*time.Minute))

		ratio := float64(after.Metrics.CCU) / float64(before.Metrics.CCU)
		if ratio < 0.42 || ratio > 0.58 {
			t.Errorf("seed %d: CCU went %d -> %d in two minutes "+
				"(ratio %.2f), want about half", seed, before.Metrics.CCU,
				after.Metrics.CCU, ratio)
		}
		stay := float64(later.Metrics.CCU) / float64(before.Metrics.CCU)
		if stay > 0.62 {
			t.Errorf("seed %d: CCU back to %d twenty minutes after "+
				"dropping from %d", seed, later.Metrics.CCU,
				before.Metrics.CCU)
		}
	}
}

func TestAudienceRampsUpAndDeclines(t *testing.T) {
	s, _ := newSim(t, Options{})
	start := t0.Add(-5 * time.Hour)
	id := s.AddSession(s.Accounts()[2].UserID, SessionSpec{
		Start: start, Duration: 3 * time.Hour, PeakViewers: 1000,
	})
	ccu := func(off time.Duration) int64 {
		tr, _ := s.Truth(id, start.Add(off))
		return tr.Metrics.CCU
	}

	if first := ccu(0); first > 100 {
		t.Errorf("CCU at the start = %d, want a small audience", first)
	}
	for _, off := range []time.Duration{30 * time.Minute, time.Hour,
		2 * time.Hour} {
		if got := ccu(off); got < 800 || got > 1200 {
			t.Errorf("CCU at %s = %d, want near the plateau of 1000", off,
				got)
		}
	}
	if last := ccu(3*time.Hour - stepLen); last > 600 {
		t.Errorf("CCU just before the end = %d, want a declined audience",
			last)
	}
}

// overviewWire is the part of an overview answer compared with the truth.
type overviewWire struct {
	Status         int             `json:"status"`
	CCU            int64           `json:"ccu"`
	PCU            int64           `json:"pcu"`
	Viewers        int64           `json:"viewers"`
	Views          int64           `json:"views"`
	Buyers         int64           `json:"buyers"`
	AvgViewTime    int64           `json:"avgViewTime"`
	ATC            int64           `json:"atc"`
	PlacedOrder    int64           `json:"placedOrder"`
	PlacedGMV      liveboard.Money `json:"placedGmv"`
	ConfirmedOrder int64           `json:"confirmedOrder"`
	ConfirmedGMV   liveboard.Money `json:"confirmedGmv"`
	CTR            float64         `json:"ctr"`
	CO             float64         `json:"co"`
	EngagementData struct {
		Likes    int64 `json:"likes"`
		Comments int64 `json:"comments"`
		Shares   int64 `json:"shares"`
		Follows  int64 `json:"newFollowers"`
	} `json:"engagementData"`
}

func wireFromTruth(tr SessionTruth) overviewWire {
	m := tr.Metrics
	w := overviewWire{
		Status: statusEnded, CCU: m.CCU, PCU: m.PCU, Viewers: m.Viewers,
		Views: m.Views, Buyers: m.Buyers,
		AvgViewTime: m.AvgViewTime.Milliseconds(), ATC: m.ATC,
		PlacedOrder: m.PlacedOrders, PlacedGMV: m.PlacedGMV,
		ConfirmedOrder: m.ConfirmedOrders, ConfirmedGMV: m.ConfirmedGMV,
		CTR: m.CTR, CO: m.CO,
	}
	if tr.Live {
		w.Status = statusLive
	}
	w.EngagementData.Likes = m.Likes
	w.EngagementData.Comments = m.Comments
	w.EngagementData.Shares = m.Shares
	w.EngagementData.Follows = m.NewFollowers
	return w
}

func TestTruthMatchesAnswers(t *testing.T) {
	s, clk := newSim(t, Options{})
	a := s.Accounts()[1]
	tr := liveSession(t, s, a.UserID)

	for _, step := range []time.Duration{0, 4 * time.Second, time.Minute,
		17*time.Minute + 2*time.Second, 6 * time.Hour} {
		now := clk.Advance(step)
		truth, _ := s.Truth(tr.SessionID, now)

		ans := getSupply[overviewWire](t, s, sessionPath(seller,
			"realtime/dashboard/overview", tr.SessionID), a.Cookie)
		if diff := cmp.Diff(wireFromTruth(truth), ans.Data); diff != "" {
			t.Errorf("at %s overview differs from Truth (-truth +answer):\n%s",
				now, diff)
		}

		list := getSupply[struct {
			List []struct {
				SessionID int64           `json:"sessionId"`
				Duration  int64           `json:"duration"`
				Viewers   int64           `json:"viewers"`
				Peak      int64           `json:"peakViewers"`
				Sales     liveboard.Money `json:"placedSales"`
			} `json:"list"`
		}](t, s, creator+"realtime/sessionList?page=1&pageSize=100",
			a.Cookie)
		for _, it := range list.Data.List {
			if it.SessionID != tr.SessionID {
				continue
			}
			m := truth.Metrics
			if it.Duration != truth.Duration.Milliseconds() ||
				it.Viewers != m.Viewers || it.Peak != m.PCU ||
				it.Sales != m.PlacedGMV {
				t.Errorf("at %s sessionList item %+v differs from Truth %+v",
					now, it, truth)
			}
		}
	}
}

func TestMoneyFollowsCurrency(t *testing.T) {
	s, _ := newSim(t, Options{})
	tests := []struct {
		account int
		unit    liveboard.Money // every amount is a multiple of it
	}{
		{0, liveboard.MoneyScale},       // rupiah: whole units
		{1, liveboard.MoneyScale / 100}, // ringgit: cents
	}
	for _, tt := range tests {
		a := s.Accounts()[tt.account]
		var fractional bool
		for _, tr := range s.Sessions(a.UserID) {
			m := tr.Metrics
			for _, v := range []liveboard.Money{m.PlacedGMV, m.ConfirmedGMV,
				m.GPM, m.ABS} {
				if v%tt.unit != 0 && v%(liveboard.MoneyScale/100) != 0 {
					t.Errorf("%s: amount %s is finer than a cent", a.Region, v)
				}
			}
			if m.PlacedGMV%tt.unit != 0 {
				t.Errorf("%s: GMV %s is not a multiple of %s", a.Region,
					m.PlacedGMV, tt.unit)
			}
			fractional = fractional ||
				m.PlacedGMV%liveboard.MoneyScale != 0
		}
		if a.Region == liveboard.RegionMY && !fractional {
			t.Errorf("MY: no GMV with cents in %d sessions",
				len(s.Sessions(a.UserID)))
		}
	}
}

func TestOrdersConvertAFewPercentOfViewers(t *testing.T) {
	s, _ := newSim(t, Options{Accounts: 6})
	for _, a := range s.Accounts() {
		for _, tr := range s.Sessions(a.UserID) {
			if tr.Live || tr.Metrics.Viewers < 500 {
				continue
			}
			if co := tr.Metrics.CO; co < 0.5 || co > 4.5 {
				t.Errorf("session %d: conversion %.2f%% of %d viewers",
					tr.SessionID, co, tr.Metrics.Viewers)
			}
		}
	}
}

func TestWorldSchedule(t *testing.T) {
	s, clk := newSim(t, Options{Accounts: 4, HistoryDays: 10})
	accts := s.Accounts()
	namePattern := regexp.MustCompile(`^studio_[a-z]+_\d{2}$`)
	seen := map[int64]bool{}

	for i, a := range accts {
		if a.UserID < 100_000_000 || a.UserID > 999_999_999 {
			t.Errorf("user id %d is not 9 digits", a.UserID)
		}
		if !namePattern.MatchString(a.UserName) {
			t.Errorf("user name %q is not studio_<word>_NN", a.UserName)
		}
		sessions := s.Sessions(a.UserID)
		live := 0
		for _, tr := range sessions {
			if seen[tr.SessionID] || tr.SessionID < 100_000_000 ||
				tr.SessionID > 999_999_999 {
				t.Errorf("session id %d repeated or not 9 digits",
					tr.SessionID)
			}
			seen[tr.SessionID] = true
			if tr.Live {
				live++
				checkLiveStart(t, tr)
				continue
			}
			checkHistory(t, a.Region, tr)
		}
		if wantLive := i < 3; (live == 1) != wantLive {
			t.Errorf("account %d has %d live sessions, want live=%v", i,
				live, wantLive)
		}
	}

	offline := accts[3].UserID
	clk.Advance(time.Hour)
	if got := liveSession(t, s, offline); got.Start.Before(t0) {
		t.Errorf("the offline account's next session started at %s, "+
			"before the world was made", got.Start)
	}
}

func checkLiveStart(t *testing.T, tr SessionTruth) {
	t.Helper()
	if ago := t0.Sub(tr.Start); ago < 20*time.Minute || ago > 91*time.Minute {
		t.Errorf("live session %d started %s ago, want 20–90 min",
			tr.SessionID, ago)
	}
}

func checkHistory(t *testing.T, region liveboard.Region, tr SessionTruth) {
	t.Helper()
	local := tr.Start.In(region.Location())
	if h := local.Hour(); h < 8 || h >= 22 {
		t.Errorf("session %d starts at %s local time", tr.SessionID,
			local.Format(time.Kitchen))
	}
	if d := tr.Duration; d < time.Hour || d > 4*time.Hour {
		t.Errorf("session %d lasts %s, want 1–4 h", tr.SessionID, d)
	}
	if tr.End.After(t0) || tr.Start.Before(t0.AddDate(0, 0, -11)) {
		t.Errorf("session %d (%s–%s) is outside the history", tr.SessionID,
			tr.Start, tr.End)
	}
}
