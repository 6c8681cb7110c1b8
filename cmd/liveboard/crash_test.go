package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"liveboard"
	"liveboard/secret"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore"
)

// TestSyncSurvivesKill kills `liveboard sync` mid-run with SIGKILL,
// checks that what it stored is whole, runs it again and compares the
// database with the simulator's ground truth.
func TestSyncSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program twice against a slowed simulator")
	}
	ctx := context.Background()

	clock := shopeesim.NewManualClock(time.Now().UTC().Truncate(time.Second))
	// Twenty days of history stay inside the sync's lookback at any time
	// of day, so every session the simulator knows is one to store.
	sim := shopeesim.New(shopeesim.Options{Seed: 21, Clock: clock,
		HistoryDays: 20})
	sim.SetFaults("", shopeesim.Faults{Latency: 40 * time.Millisecond})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	defer sim.Close()

	dir := t.TempDir()
	key := hex.EncodeToString(bytes.Repeat([]byte{0x5a}, secret.KeySize))
	st := openTestStore(t, filepath.Join(dir, "liveboard.db"), key)
	studio := &liveboard.Studio{Name: "Studio", Region: liveboard.RegionID}
	if err := st.CreateStudio(ctx, studio); err != nil {
		t.Fatal(err)
	}
	for _, sa := range sim.Accounts() {
		a := &liveboard.Account{StudioID: studio.ID, Region: sa.Region,
			ShopeeUserID: sa.UserID, UserName: sa.UserName}
		if err := st.CreateAccount(ctx, a, sa.Cookie); err != nil {
			t.Fatal(err)
		}
	}

	total := 0
	for _, sa := range sim.Accounts() {
		total += len(sim.Sessions(sa.UserID))
	}

	args := []string{"--data", dir, "--shopee-base-url", srv.URL,
		"--shopee-rate=-1", "--shopee-host-rate=-1", "--log-level", "error",
		"sync", "--quiet"}
	first := startMain(t, args, key)

	// Kill it once a part of the sessions is stored.
	deadline := time.Now().Add(60 * time.Second)
	for countSessions(t, st) < total/4 {
		if time.Now().After(deadline) {
			t.Fatal("the first sync stored too little within 60 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	stored := countSessions(t, st)
	if stored >= total {
		t.Fatalf("the sync finished (%d of %d) before it was killed; "+
			"slow the simulator down", stored, total)
	}
	t.Logf("killed after %d of %d sessions", stored, total)
	checkStored(t, st, sim, clock.Now(), false)

	second := startMain(t, args, key)
	if err := second.Wait(); err != nil {
		t.Fatalf("second sync: %v", err)
	}
	if got := countSessions(t, st); got != total {
		t.Errorf("after the second sync %d sessions stored, want %d",
			got, total)
	}
	checkStored(t, st, sim, clock.Now(), true)
}

func openTestStore(t *testing.T, path, keyHex string) *sqlstore.Store {
	t.Helper()
	key, err := secret.ParseKey(keyHex)
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(context.Background(), path,
		sqlstore.Options{Cipher: box, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := migrateAll(context.Background(), st, quietLogger()); err != nil {
		t.Fatal(err)
	}
	return st
}

// startMain runs the liveboard command as a process of its own.
func startMain(t *testing.T, args []string, keyHex string) *exec.Cmd {
	t.Helper()
	argsJSON, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), mainEnv+"="+string(argsJSON),
		"LIVEBOARD_SECRET_KEY="+keyHex)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func countSessions(t *testing.T, st *sqlstore.Store) int {
	t.Helper()
	_, n, err := st.Sessions(context.Background(), liveboard.SessionFilter{
		Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkStored checks that every stored session has its snapshot and the
// simulator's numbers, and, when complete, that every day's analytics
// row counts the day's sessions.
func checkStored(t *testing.T, st *sqlstore.Store, sim *shopeesim.Server,
	at time.Time, complete bool) {
	t.Helper()
	ctx := context.Background()
	list, _, err := st.Sessions(ctx, liveboard.SessionFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}

	perDay := map[string]int64{}
	loc := liveboard.RegionID.Location()
	for _, se := range list {
		snaps, err := st.Snapshots(ctx, se.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(snaps) == 0 {
			t.Errorf("session %s stored without its snapshot",
				se.ShopeeSessionID)
		}

		id, _ := strconv.ParseInt(se.ShopeeSessionID, 10, 64)
		tr, ok := sim.Truth(id, at)
		if !ok {
			t.Errorf("session %d unknown to the simulator", id)
			continue
		}
		m := se.Metrics
		if *m.Viewers != tr.Metrics.Viewers ||
			*m.PlacedOrders != tr.Metrics.PlacedOrders ||
			*m.PlacedGMV != tr.Metrics.PlacedGMV ||
			*m.Comments != tr.Metrics.Comments ||
			*m.Likes != tr.Metrics.Likes || *m.Shares != tr.Metrics.Shares ||
			(se.Status == liveboard.SessionOngoing) != tr.Live {
			t.Errorf("session %d: stored %s %+v, truth live=%v %+v", id,
				se.Status, m, tr.Live, tr.Metrics)
		}
		perDay[liveboard.DateIn(se.StartedAt, loc)]++
	}
	if !complete {
		return
	}

	days, err := st.DailyAnalytics(ctx, list[0].StudioID, "2000-01-01",
		"2100-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != len(perDay) {
		t.Errorf("%d analytics days, want %d", len(days), len(perDay))
	}
	for _, d := range days {
		if d.TotalSessions != perDay[d.Date] {
			t.Errorf("%s: %d sessions in analytics, %d stored", d.Date,
				d.TotalSessions, perDay[d.Date])
		}
	}
}
